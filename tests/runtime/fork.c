// fork() from a multithreaded program: while another thread keeps taking
// locks, allocating and freeing, each child allocates, creates and joins a
// thread and exits cleanly; nothing is reported and nothing deadlocks.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *busy(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100000; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		free(malloc(32));
	}
	return NULL;
}

static void *in_child(void *arg)
{
	char *p = malloc(100);
	p[0] = (char)(long)arg;
	free(p);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, busy, NULL);
	for (int k = 0; k < 20; k++) {
		pid_t pid = fork();
		if (pid == 0) {
			pthread_t c;
			pthread_create(&c, NULL, in_child, (void *)1);
			pthread_join(c, NULL);
			_exit(7);
		}
		int status;
		waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 7) {
			printf("child %d failed\n", k);
			return 1;
		}
	}
	pthread_join(t, NULL);
	printf("children ok, counter %ld\n", counter);
	return 0;
}
// CHECK-NOT: SlabSan
// CHECK: children ok, counter 100000
// CHECK-NOT: SlabSan
