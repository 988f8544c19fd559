// SPDX-License-Identifier: Apache-2.0
// A race before fork(), one in the child, one in the parent after the child
// exits: for tests/output/fork.test.
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int before, in_child, after;          /* not static: the stores stay */
static atomic_int wrote;

static void *writer(void *var)
{
	*(int *)var = 1;
	atomic_store_explicit(&wrote, 1, memory_order_relaxed);   /* orders nothing */
	return NULL;
}

/* A thread writes *var; the caller then writes it too, unordered. */
static pthread_t start_writer(int *var)
{
	pthread_t t;
	atomic_store(&wrote, 0);
	pthread_create(&t, NULL, writer, var);
	while (!atomic_load_explicit(&wrote, memory_order_relaxed))
		;
	return t;
}

int main(void)
{
	pthread_t t = start_writer(&before);
	before = 2; /* BEFORE */
	pthread_join(t, NULL);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		t = start_writer(&in_child);
		in_child = 2; /* IN_CHILD */
		pthread_join(t, NULL);
		return 0;
	}
	int status;
	waitpid(pid, &status, 0);
	printf("child exited %d\n", WEXITSTATUS(status));
	t = start_writer(&after);
	after = 2; /* AFTER */
	pthread_join(t, NULL);
	return 0;
}
