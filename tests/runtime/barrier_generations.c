// Regression test: SlabSan once got this wrong.
// Was: pthread_barrier_wait keeps one clock for all generations: a fast
// Was: thread's release for phase 2 leaks into a slow thread's acquire for phase 1.
// A barrier orders phase 1 before phase 2, not phase-2 actions among
// themselves. T1 arrives last at the barrier, writes `late` in phase 2 and
// enters the next barrier; T2 reads `late` in phase 2 after a relaxed flag.
// That is a race in every run; 20 runs must all report it.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: bash -c 'for i in $(seq 20); do %t >/dev/null 2>&1; test $? -eq 66 || exit 1; done'
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <unistd.h>

long late; /* not static: LLVM would shrink it */
static pthread_barrier_t bar;
static atomic_int written; /* relaxed: orders nothing */

static void *fast(void *arg)
{
	(void)arg;
	usleep(20000); /* arrive last: return from the wait first */
	pthread_barrier_wait(&bar);
	late = 1; /* phase 2 write */
	atomic_store_explicit(&written, 1, memory_order_relaxed);
	pthread_barrier_wait(&bar); /* releases again: must not reach phase-1 waiters */
	return NULL;
}

static void *slow(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&bar);
	while (!atomic_load_explicit(&written, memory_order_relaxed))
		sched_yield();
	long v = late; /* phase 2 read: races with the write */
	pthread_barrier_wait(&bar);
	return (void *)v;
}

int main(void)
{
	pthread_t a, b;
	pthread_barrier_init(&bar, NULL, 2);
	pthread_create(&a, NULL, fast, NULL);
	pthread_create(&b, NULL, slow, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
