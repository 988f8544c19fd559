// Regression test: SlabSan once got this wrong.
// Was: the inline wrappers slabsan_freelike()/slabsan_malloclike() of
// Was: <slabsan/slabsan.h> are frame #0 and the SUMMARY names slabsan.h, not the pool.
// A report on a custom allocator's block must point at the user's code: the
// stacks start at the pool function, and SUMMARY names the pool's caller.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <slabsan/slabsan.h>

static long arena[4][4];
static _Atomic(long *) handoff;

static long *pool_get(int i)
{
	slabsan_malloclike(arena[i], sizeof arena[i]); /* MALLOCLIKE */
	return arena[i];
}

static void pool_put(long *p)
{
	slabsan_freelike(p); /* FREELIKE */
}

static void *consumer(void *arg)
{
	long *p;
	(void)arg;
	while (!(p = atomic_load_explicit(&handoff, memory_order_relaxed)))
		sched_yield();
	pool_put(p);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, consumer, NULL);
	long *p = pool_get(1);
	p[0] = 1;
	atomic_store_explicit(&handoff, p, memory_order_relaxed);
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 32 at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 pool_put {{.*}}custom_pool_summary.c:23
// CHECK-NEXT: #1 consumer
// CHECK-NEXT: is not ordered after its allocation by main thread (T0):
// CHECK-NEXT: #0 pool_get {{.*}}custom_pool_summary.c:17
// CHECK-NOT: slabsan.h
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}custom_pool_summary.c:32 in consumer
