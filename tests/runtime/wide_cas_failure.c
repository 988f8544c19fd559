// A compare-exchange that fails is a load with its failure order (C11):
// a thread that takes a handed-over tagged pointer from the value a failed
// 16-byte compare-exchange returned has acquired the producer's writes
// only if the failure order acquires. The runtime used to make the success
// order's acquire either way, which hid the relaxed case.
// RUN: %slabsan-cc -O1 -g -mcx16 %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -Wno-atomic-alignment %s -o %t.libatomic -latomic && %expect-exit 0 %t.libatomic 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -mcx16 -DFAILURE_RELAXED %s -o %t.relaxed && %expect-exit 66 %t.relaxed 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -Wno-atomic-alignment -DFAILURE_RELAXED %s -o %t.relaxed2 -latomic && %expect-exit 66 %t.relaxed2 2>&1 | FileCheck %s
// CLEAN-NOT: SlabSan
// CLEAN: took 7
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/tagged_pointer.h"

#ifdef FAILURE_RELAXED
#define FAILURE memory_order_relaxed
#else
#define FAILURE memory_order_acquire
#endif

static _Atomic struct tagged box;

/* Swaps an empty box for an empty box until the swap fails: then expected
 * holds what the producer put in. */
static void *taker(void *arg)
{
	(void)arg;
	const struct tagged empty = {NULL, 0};
	struct tagged expected = empty;
	while (atomic_compare_exchange_strong_explicit(&box, &expected, empty, /* CAS */
						       memory_order_acq_rel, FAILURE))
		;
	long value = *expected.ptr; /* READ */
	free(expected.ptr); /* FREE */
	return (void *)value;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, taker, NULL);
	long *p = malloc(sizeof *p);
	*p = 7; /* WRITE */
	struct tagged full = {p, 1};
	atomic_store_explicit(&box, full, memory_order_release);
	void *value;
	pthread_join(t, &value);
	printf("took %ld\n", (long)value);
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 taker {{.*}}wide_cas_failure.c:37
// CHECK-NEXT: Previous write at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}wide_cas_failure.c:47
// CHECK: Obtained by thread T1 with a compare-exchange that failed, with a relaxed failure order:
// CHECK-NEXT: #0 taker {{.*}}wide_cas_failure.c:34
// CHECK: Missing edge: the store at wide_cas_failure.c:{{[0-9]+}} releases, but the
// CHECK-NEXT: compare-exchange at wide_cas_failure.c:34 failed, with a relaxed failure
// CHECK: Fix: make the failure order of the compare-exchange at wide_cas_failure.c:34
// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 taker {{.*}}wide_cas_failure.c:38
// CHECK: nor after this write at {{.*}} (offset 0) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}wide_cas_failure.c:47
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}wide_cas_failure.c:38 in taker
