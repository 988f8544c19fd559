/* SPDX-License-Identifier: Apache-2.0 */
/* A data race on a heap field: T1 writes it, then main writes it after a
 * relaxed flag (the missing edge the report names). Main's write is always
 * the reported access, T1's the previous one. Owner: output tests. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

struct counter {
	long hits;
};

static struct counter *shared;
static atomic_int done;

static void *worker(void *arg)
{
	(void)arg;
	shared->hits = 1;                                             /* PREVIOUS */
	atomic_store_explicit(&done, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t t;
	shared = malloc(sizeof *shared);                              /* ALLOC */
	pthread_create(&t, NULL, worker, NULL);                       /* CREATE */
	while (!atomic_load_explicit(&done, memory_order_relaxed))
		sched_yield();
	shared->hits = 2;                                             /* ACCESS */
	pthread_join(t, NULL);
	free(shared);
	return 0;
}
