// SPDX-License-Identifier: Apache-2.0
// The access that took a pointer need not be a load: an exchange, or a
// compare-exchange that failed and returned what another thread stored;
// nor need the one that published it be a store. Reports name each as
// written ("read-modify-write", "compare-exchange that failed", whose
// failure order, not its success order, is what loaded) and the fix
// changes the order that matters.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DTAKE_ORDER=memory_order_relaxed %s -o %t.xchg
// RUN: %expect-exit 66 %t.xchg 2>&1 | FileCheck %s --check-prefixes=CHECK,STORE,XCHG
// RUN: %slabsan-cc -O1 -g -DBY_CAS %s -o %t.cas && %expect-exit 0 %t.cas 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBY_CAS -DTAKE_ORDER=memory_order_relaxed %s -o %t.cas.relaxed
// RUN: %expect-exit 66 %t.cas.relaxed 2>&1 | FileCheck %s --check-prefixes=CHECK,STORE,CAS
// RUN: %slabsan-cc -O1 -g -DBY_CAS -DSUCCESS_ORDER=memory_order_relaxed -DTAKE_ORDER=memory_order_relaxed %s -o %t.cas.rr
// RUN: %expect-exit 66 %t.cas.rr 2>&1 | FileCheck %s --check-prefixes=CHECK,STORE,CASRR
// RUN: %slabsan-cc -O1 -g -DPUBLISH_BY_XCHG %s -o %t.pub && %expect-exit 0 %t.pub 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DPUBLISH_BY_XCHG -DPUBLISH_ORDER=memory_order_relaxed %s -o %t.pub.relaxed
// RUN: %expect-exit 66 %t.pub.relaxed 2>&1 | FileCheck %s --check-prefixes=CHECK,PUB
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#ifndef TAKE_ORDER
#define TAKE_ORDER memory_order_acquire
#endif
#ifndef SUCCESS_ORDER
#define SUCCESS_ORDER memory_order_acq_rel
#endif
#ifndef PUBLISH_ORDER
#define PUBLISH_ORDER memory_order_release
#endif

static _Atomic(long *) box;

#ifdef BY_CAS
/* Swaps NULL for NULL until that fails: then the box held the pointer,
 * loaded with the failure order. */
static long *take(void)
{
	long *seen = NULL;
	while (atomic_compare_exchange_weak_explicit(&box, &seen, NULL, SUCCESS_ORDER, /* CAS */
						     TAKE_ORDER))
		sched_yield();
	return seen;
}
#else
static long *take(void)
{
	long *p;
	while (!(p = atomic_exchange_explicit(&box, NULL, TAKE_ORDER))) /* XCHG */
		sched_yield();
	return p;
}
#endif

static void *taker(void *arg)
{
	(void)arg;
	free(take()); /* FREE */
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, taker, NULL);
	long *p = malloc(sizeof *p); /* ALLOC */
	*p = 7; /* WRITE */
#ifdef PUBLISH_BY_XCHG
	/* (the result is used: LLVM 14 makes an unused relaxed one a store) */
	if (atomic_exchange_explicit(&box, p, PUBLISH_ORDER)) /* PUBLISH */
		abort();
#else
	atomic_store_explicit(&box, p, PUBLISH_ORDER); /* STORE */
#endif
	pthread_join(t, NULL);
	return 0;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 taker {{.*}}consume_by_rmw.c:60
// CHECK-NEXT: is not ordered after its allocation by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}consume_by_rmw.c:68
// CHECK-NEXT: nor after this write at {{.*}} (offset 0) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}consume_by_rmw.c:69
// CHECK-NEXT: The pointer reached thread T1 through 'box'
// STORE-NEXT: Published by main thread (T0) with a release atomic store:
// STORE-NEXT: #0 main {{.*}}consume_by_rmw.c:75
// PUB-NEXT: Published by main thread (T0) with a relaxed atomic read-modify-write:
// PUB-NEXT: #0 main {{.*}}consume_by_rmw.c:72
// PUB-NEXT: Obtained by thread T1 with an acquire atomic read-modify-write:
// PUB-NEXT: #0 take {{.*}}consume_by_rmw.c:51
// PUB: Missing edge: the read-modify-write at consume_by_rmw.c:51 acquires, but the
// PUB-NEXT: read-modify-write at consume_by_rmw.c:72 is relaxed and releases nothing.
// PUB-NEXT: Fix: make the read-modify-write at consume_by_rmw.c:72 memory_order_release or
// PUB-NEXT: memory_order_acq_rel (in the kernel, its _release form), or put a release
// XCHG-NEXT: Obtained by thread T1 with a relaxed atomic read-modify-write:
// CAS-NEXT: Obtained by thread T1 with a compare-exchange that failed, with a relaxed failure order:
// CASRR-NEXT: Obtained by thread T1 with a compare-exchange that failed, with a relaxed failure order:
// CASRR-NEXT: #0 take {{.*}}consume_by_rmw.c:42
// A relaxed success order must be raised too: failure may be no stronger.
// CASRR: Fix: make the compare-exchange at consume_by_rmw.c:42 memory_order_acquire (or
// CASRR-NEXT: memory_order_acq_rel) on success and memory_order_acquire on failure, or put
// XCHG-NEXT: #0 take {{.*}}consume_by_rmw.c:51
// CAS-NEXT: #0 take {{.*}}consume_by_rmw.c:42
// XCHG: Missing edge: the store at consume_by_rmw.c:75 releases, but the
// XCHG-NEXT: read-modify-write at consume_by_rmw.c:51 is relaxed and does not acquire.
// XCHG-NEXT: Fix: make the read-modify-write at consume_by_rmw.c:51 memory_order_acquire or
// XCHG-NEXT: memory_order_acq_rel (in the kernel, its _acquire form), or put an acquire
// CAS: Missing edge: the store at consume_by_rmw.c:75 releases, but the
// CAS-NEXT: compare-exchange at consume_by_rmw.c:42 failed, with a relaxed failure order,
// CAS-NEXT: and does not acquire.
// CAS-NEXT: Fix: make the failure order of the compare-exchange at consume_by_rmw.c:42
// CAS-NEXT: memory_order_acquire, or put an acquire fence
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}consume_by_rmw.c:60 in taker
// CHECK-NOT: WARNING: SlabSan
