// Fences order a 16-byte tagged pointer's hand-off as they order any
// relaxed atomic's: a release fence before its relaxed store (or
// compare-exchange), an acquire fence after its relaxed load. The runtime
// cannot perform these atomics for the program; it used to make only the
// edges of their own orders around them, so the fences were lost and the
// free of a properly handed-over block was reported. Without the acquire
// fence, the free is not ordered after the producer's write.
// RUN: %slabsan-cc -O1 -g -mcx16 %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -mcx16 -DCAS %s -o %t.cas && %expect-exit 0 %t.cas 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -Wno-atomic-alignment -DCAS %s -o %t.libatomic -latomic && %expect-exit 0 %t.libatomic 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -mcx16 %s -o %t.focused && %expect-exit 0 %t.focused 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -mcx16 -DNO_ACQUIRE %s -o %t.noacq && %expect-exit 66 %t.noacq 2>&1 | FileCheck %s
// CLEAN-NOT: SlabSan
// CLEAN: handed over 42
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/tagged_pointer.h"

static _Atomic struct tagged slot;

static void *consumer(void *arg)
{
	(void)arg;
	struct tagged seen;
	do
		seen = atomic_load_explicit(&slot, memory_order_relaxed); /* TAKE */
	while (!seen.ptr);
#ifndef NO_ACQUIRE
	atomic_thread_fence(memory_order_acquire);
#endif
	long value = *seen.ptr; /* READ */
	free(seen.ptr); /* FREE */
	return (void *)value;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, consumer, NULL);
	long *p = malloc(sizeof *p); /* ALLOC */
	*p = 42; /* WRITE */
	atomic_thread_fence(memory_order_release);
	struct tagged full = {p, 1};
#ifdef CAS
	struct tagged empty = {NULL, 0};
	atomic_compare_exchange_strong_explicit(&slot, &empty, full, memory_order_relaxed,
						memory_order_relaxed);
#else
	atomic_store_explicit(&slot, full, memory_order_relaxed); /* GIVE */
#endif
	void *value;
	pthread_join(t, &value);
	printf("handed over %ld\n", (long)value);
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 consumer {{.*}}wide_fences.c:34
// CHECK-NEXT: Previous write at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}wide_fences.c:44
// CHECK: Published by main thread (T0) with a relaxed atomic store after a release fence:
// CHECK-NEXT: #0 main {{.*}}wide_fences.c:52
// CHECK-NEXT: Obtained by thread T1 with a relaxed atomic load:
// CHECK-NEXT: #0 consumer {{.*}}wide_fences.c:29
// CHECK: Fix: make the load at wide_fences.c:29 memory_order_acquire
// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 consumer {{.*}}wide_fences.c:35
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}wide_fences.c:35 in consumer
