/* A worker reads a buffer the main thread already freed. */
#include <pthread.h>
#include <stdlib.h>

static long *buffer;

static void *worker(void *arg)
{
	(void)arg;
	return (void *)buffer[1];
}

int main(void)
{
	pthread_t t;
	buffer = calloc(4, sizeof *buffer);
	free(buffer);
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	return 0;
}
