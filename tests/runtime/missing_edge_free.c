// A free without acquire whose block reached the freeing thread in order
// (release/acquire through 'slot'), but whose owner wrote it afterwards and
// then signalled with a release store to 'done', which the freeing thread
// waits for with a relaxed load: the report names that pair, not the
// block's hand-off, and the fix is the load's acquire. With an acquire load
// (ACQUIRE) the free is ordered: silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DACQUIRE %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#ifdef ACQUIRE
#define DONE_ORDER memory_order_acquire
#else
#define DONE_ORDER memory_order_relaxed
#endif

struct obj {
	long data;
};
static struct obj *_Atomic slot;
static int token;
static int *_Atomic done;

static void *freer(void *arg)
{
	(void)arg;
	struct obj *o;
	while (!(o = atomic_load_explicit(&slot, memory_order_acquire)))
		sched_yield();
	while (!atomic_load_explicit(&done, DONE_ORDER)) /* DONE_LOAD */
		sched_yield();
	free(o); /* FREE */
	return NULL;
}

int main(void)
{
	pthread_t t;
	struct obj *o = malloc(sizeof *o); /* ALLOC */
	pthread_create(&t, NULL, freer, NULL);
	atomic_store_explicit(&slot, o, memory_order_release);
	o->data = 1; /* LATE_WRITE */
	atomic_store_explicit(&done, &token, memory_order_release); /* DONE_STORE */
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 freer {{.*}}missing_edge_free.c:37
// CHECK-NEXT: is not ordered after this write at {{.*}} (offset 0) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}missing_edge_free.c:47
// CHECK-NEXT: After its write, main thread (T0) stored to 'done' (0x{{[0-9a-f]+}}), and
// CHECK-NEXT: thread T1 loaded the value before the free:
// CHECK-NEXT: Published by main thread (T0) with a release atomic store:
// CHECK-NEXT: #0 main {{.*}}missing_edge_free.c:48
// CHECK-NEXT: Obtained by thread T1 with a relaxed atomic load:
// CHECK-NEXT: #0 freer {{.*}}missing_edge_free.c:35
// CHECK-NEXT: Missing edge: the store at missing_edge_free.c:48 releases, but the load at
// CHECK-NEXT: missing_edge_free.c:35 is relaxed and does not acquire.
// CHECK-NEXT: Fix: make the load at missing_edge_free.c:35 memory_order_acquire
// CHECK-NEXT: (smp_load_acquire()), or put an acquire fence (smp_rmb() /
// CHECK-NEXT: atomic_thread_fence(memory_order_acquire)) between it and the free.
// CHECK-NEXT: The block was allocated by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}missing_edge_free.c:44
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}missing_edge_free.c:37 in freer

// CLEAN-NOT: WARNING: SlabSan
