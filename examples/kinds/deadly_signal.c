/* A worker reads a field nobody filled in: the process dies of SIGSEGV. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct job { const char *name; size_t length; };

static void *worker(void *arg)
{
	struct job *job = arg;
	job->length = strlen(job->name);
	return NULL;
}

int main(void)
{
	struct job *job = calloc(1, sizeof *job);
	pthread_t t;
	pthread_create(&t, NULL, worker, job);
	pthread_join(t, NULL);
	free(job);
	return 0;
}
