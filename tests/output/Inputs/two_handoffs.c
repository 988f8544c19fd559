/* SPDX-License-Identifier: Apache-2.0 */
/* Two objects handed over through the same relaxed store (give) and relaxed
 * load (take), freed at two different lines: two findings, the second a
 * consequence of the first one's missing edge. Owner: output tests. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

static _Atomic(long *) slot;

static __attribute__((noinline)) void give(long *p)
{
	atomic_store_explicit(&slot, p, memory_order_relaxed);       /* GIVE */
	while (atomic_load_explicit(&slot, memory_order_relaxed))
		sched_yield();
}

static __attribute__((noinline)) long *take(void)
{
	long *p;
	while (!(p = atomic_load_explicit(&slot, memory_order_relaxed))) /* TAKE */
		sched_yield();
	return p;
}

static void *receiver(void *arg)
{
	(void)arg;
	long *a = take();
	atomic_store_explicit(&slot, NULL, memory_order_relaxed);
	free(a);                                                      /* FREE-A */
	long *b = take();
	atomic_store_explicit(&slot, NULL, memory_order_relaxed);
	free(b);                                                      /* FREE-B */
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, receiver, NULL);
	long *a = malloc(2 * sizeof *a);                              /* ALLOC-A */
	a[0] = 1;
	give(a);
	long *b = malloc(3 * sizeof *b);                              /* ALLOC-B */
	b[0] = 2;
	give(b);
	pthread_join(t, NULL);
	return 0;
}
