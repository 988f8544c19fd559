// A free without acquire whose block reached the freeing thread in order
// (release/acquire through 'slot'), but whose owner wrote it afterwards and
// then signalled with a release store to 'done', which the freeing thread
// waits for with a relaxed load: the report names that pair, not the
// block's hand-off, and the fix is the load's acquire. RELAXED_STORE turns
// it around, as WRITE_ONCE() and smp_load_acquire() would: an int flag
// stored relaxed (no sync object: the acquire load finds the store through
// its record in the shadow, atomic.c) and loaded with acquire; the fix is
// the store's release. BOTH_RELAXED: the int flag relaxed on both sides,
// found by its two records in the shadow (report_edge.c, relaxed_flag_load).
// With a release store and an acquire load (ACQUIRE) the free is ordered:
// silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,NOTED,LOAD
// RUN: %slabsan-cc -O1 -g -DRELAXED_STORE %s -o %t.store
// RUN: %expect-exit 66 %t.store 2>&1 | FileCheck %s --check-prefixes=CHECK,NOTED,STORE
// RUN: %slabsan-cc -O1 -g -DBOTH_RELAXED %s -o %t.both
// RUN: %expect-exit 66 %t.both 2>&1 | FileCheck %s --check-prefixes=CHECK,RECORD,BOTH
// RUN: %slabsan-cc -O1 -g -DACQUIRE %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#if defined(ACQUIRE)
#define STORE_ORDER memory_order_release
#define LOAD_ORDER memory_order_acquire
#elif defined(RELAXED_STORE)
#define STORE_ORDER memory_order_relaxed
#define LOAD_ORDER memory_order_acquire
#elif defined(BOTH_RELAXED)
#define STORE_ORDER memory_order_relaxed
#define LOAD_ORDER memory_order_relaxed
#else
#define STORE_ORDER memory_order_release
#define LOAD_ORDER memory_order_relaxed
#endif

struct obj {
	long data;
};
static struct obj *_Atomic slot;
#if defined(RELAXED_STORE) || defined(BOTH_RELAXED)
static _Atomic int done;
#define DONE 1
#else
static int token;
static int *_Atomic done;
#define DONE &token
#endif

static void *freer(void *arg)
{
	(void)arg;
	struct obj *o;
	while (!(o = atomic_load_explicit(&slot, memory_order_acquire)))
		sched_yield();
	while (!atomic_load_explicit(&done, LOAD_ORDER)) /* DONE_LOAD */
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
	atomic_store_explicit(&done, DONE, STORE_ORDER); /* DONE_STORE */
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 freer {{.*}}missing_edge_free.c:61
// CHECK-NEXT: is not ordered after this write at {{.*}} (offset 0, struct obj::data) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}missing_edge_free.c:71
// CHECK-NEXT: After its write, main thread (T0) stored to 'done' (0x{{[0-9a-f]+}}), and
// NOTED-NEXT: thread T1 loaded the value before the free:
// RECORD-NEXT: thread T1 loaded it before the free:
// LOAD-NEXT: Published by main thread (T0) with a release atomic store:
// STORE-NEXT: Published by main thread (T0) with a relaxed atomic store:
// BOTH-NEXT: Published by main thread (T0) with a relaxed atomic store:
// CHECK-NEXT: #0 main {{.*}}missing_edge_free.c:72
// LOAD-NEXT: Obtained by thread T1 with a relaxed atomic load:
// STORE-NEXT: Obtained by thread T1 with an acquire atomic load:
// BOTH-NEXT: Obtained by thread T1 with a relaxed atomic load:
// CHECK-NEXT: #0 freer {{.*}}missing_edge_free.c:59
// LOAD-NEXT: Missing edge: the store at missing_edge_free.c:72 releases, but the load at
// LOAD-NEXT: missing_edge_free.c:59 is relaxed and does not acquire.
// LOAD-NEXT: Fix: make the load at missing_edge_free.c:59 memory_order_acquire
// LOAD-NEXT: (smp_load_acquire()), or put an acquire fence (smp_rmb() /
// LOAD-NEXT: atomic_thread_fence(memory_order_acquire)) between it and the free.
// STORE-NEXT: Missing edge: the load at missing_edge_free.c:59 acquires, but the store at
// STORE-NEXT: missing_edge_free.c:72 is relaxed and releases nothing.
// STORE-NEXT: Fix: make the store at missing_edge_free.c:72 memory_order_release
// STORE-NEXT: (smp_store_release()), or put a release fence (smp_wmb() /
// STORE-NEXT: atomic_thread_fence(memory_order_release)) before it.
// BOTH-NEXT: Missing edge: the store at missing_edge_free.c:72 and the load at
// BOTH-NEXT: missing_edge_free.c:59 are both relaxed, so nothing the publishing thread did
// BOTH-NEXT: before the store is ordered before the free.
// BOTH-NEXT: Fix: make the store at missing_edge_free.c:72 memory_order_release
// BOTH-NEXT: (smp_store_release()) and the load at missing_edge_free.c:59
// BOTH-NEXT: memory_order_acquire (smp_load_acquire()).
// CHECK-NEXT: The block was allocated by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}missing_edge_free.c:68
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}missing_edge_free.c:61 in freer

// CLEAN-NOT: WARNING: SlabSan
