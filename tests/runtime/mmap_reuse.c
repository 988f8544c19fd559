// Regression test: SlabSan once got this wrong.
// Was: munmap/mmap are not intercepted: the shadow of an unmapped range keeps
// Was: the old accesses, so a fresh mapping at the same address "races" with them.
// Memory that was unmapped and mapped again is a new object: a thread's
// writes to the old mapping do not race with main's writes to the new one.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/mman.h>

#define SIZE 4096
static _Atomic(void *) unmapped; /* relaxed: real-time order only */

static void *child(void *arg)
{
	(void)arg;
	long *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	p[0] = 1;
	munmap(p, SIZE);
	atomic_store_explicit(&unmapped, p, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t t;
	void *old;
	pthread_create(&t, NULL, child, NULL);
	while (!(old = atomic_load_explicit(&unmapped, memory_order_relaxed)))
		sched_yield();
	/* The same address again, for certain. */
	long *p = mmap(old, SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED)
		return 2;
	p[0] = 2;
	munmap(p, SIZE);
	pthread_join(t, NULL);
	return 0;
}
// CHECK-NOT: SlabSan
