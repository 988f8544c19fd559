// A block's pointer handed over relaxed, the receiver's relaxed load
// followed by an acquire fence before the free: the fence makes the load
// side right, so the report names it after the load and blames the store
// alone. A release store: silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DRELEASE %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#ifdef RELEASE
#define PUBLISH_ORDER memory_order_release
#else
#define PUBLISH_ORDER memory_order_relaxed
#endif

static _Atomic(long *) slot;

static void *receiver(void *arg)
{
	long *p;
	while (!(p = atomic_load_explicit(&slot, memory_order_relaxed))) /* LOAD */
		sched_yield();
	atomic_thread_fence(memory_order_acquire); /* FENCE */
	free(p); /* FREE */
	return arg;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, receiver, NULL);
	long *p = malloc(4 * sizeof *p); /* ALLOC */
	p[0] = 1; /* WRITE */
	atomic_store_explicit(&slot, p, PUBLISH_ORDER); /* PUBLISH */
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 32 at {{.*}} by thread T1:
// CHECK-NEXT: #0 receiver {{.*}}handoff_fence.c:28
// CHECK-NEXT: is not ordered after its allocation by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}handoff_fence.c:36
// CHECK-NEXT: nor after this write at {{.*}} (offset 0) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}handoff_fence.c:37
// CHECK-NEXT: The pointer reached thread T1 through 'slot' (0x{{[0-9a-f]+}}):
// CHECK-NEXT: Published by main thread (T0) with a relaxed atomic store:
// CHECK-NEXT: #0 main {{.*}}handoff_fence.c:38
// CHECK-NEXT: Obtained by thread T1 with a relaxed atomic load, then the acquire fence at handoff_fence.c:27:
// CHECK-NEXT: #0 receiver {{.*}}handoff_fence.c:25
// CHECK-NEXT: Missing edge: the load at handoff_fence.c:25 acquires through the acquire
// CHECK-NEXT: fence at handoff_fence.c:27, but the store at handoff_fence.c:38 is relaxed
// CHECK-NEXT: and releases nothing.
// CHECK-NEXT: Fix: make the store at handoff_fence.c:38 memory_order_release
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}handoff_fence.c:28 in receiver

// CLEAN-NOT: WARNING: SlabSan
