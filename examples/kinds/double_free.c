/* Two owners both think they hold the last reference. */
#include <pthread.h>
#include <stdlib.h>

static char *name;

static void *release_name(void *arg)
{
	(void)arg;
	free(name);
	return NULL;
}

int main(void)
{
	pthread_t t;
	name = malloc(16);
	pthread_create(&t, NULL, release_name, NULL);
	pthread_join(t, NULL);
	free(name);
	return 0;
}
