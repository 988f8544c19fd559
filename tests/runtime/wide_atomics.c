// A lock-free handoff through a 16-byte atomic (a pointer and an ABA tag,
// compare-exchanged as one): the compiler makes it a call into libatomic
// (__atomic_load, __atomic_compare_exchange) or, with -mcx16, a 16-byte
// atomic instruction, neither of which the runtime can perform for the
// program. They used to go unseen, and every free of a handed-over block
// was reported as a free without acquire. The pass now leaves them as they
// are, and the runtime makes the edges their order makes around them:
// seq_cst, silent both ways; relaxed, the free without acquire it is.
// RUN: %slabsan-cc -O1 -g -Wno-atomic-alignment %s -o %t -latomic && %expect-exit 0 %t 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -mcx16 %s -o %t.cx16 && %expect-exit 0 %t.cx16 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -mcx16 %s -o %t.focused && %expect-exit 0 %t.focused 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -Wno-atomic-alignment -DRELAXED %s -o %t.relaxed -latomic && %expect-exit 66 %t.relaxed 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -mcx16 -DRELAXED %s -o %t.relaxed16 && %expect-exit 66 %t.relaxed16 2>&1 | FileCheck %s
// CLEAN-NOT: SlabSan
// CLEAN: handed over 200
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/tagged_pointer.h"

#ifdef RELAXED
#define ORDER memory_order_relaxed
#else
#define ORDER memory_order_seq_cst
#endif
#define OBJECTS 200

static _Atomic struct tagged box;

static void *taker(void *arg)
{
	long sum = 0;
	for (int got = 0; got < OBJECTS;) {
		struct tagged old = atomic_load_explicit(&box, ORDER);
		if (!old.ptr) {
			sched_yield(); /* one free core: the producer's turn */
			continue;
		}
		struct tagged empty = {NULL, old.tag + 1};
		if (atomic_compare_exchange_strong_explicit(&box, &old, empty, ORDER, ORDER)) {
			sum += *old.ptr;
			free(old.ptr); /* FREE */
			got++;
		}
	}
	return (void *)sum;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, taker, NULL);
	for (int i = 0; i < OBJECTS; i++) {
		long *p = malloc(sizeof *p);
		*p = i;
		struct tagged old = atomic_load_explicit(&box, ORDER);
		for (;;) {
			if (old.ptr) {
				sched_yield();
				old = atomic_load_explicit(&box, ORDER);
				continue;
			}
			struct tagged full = {p, old.tag + 1};
			if (atomic_compare_exchange_strong_explicit(&box, &old, full, ORDER, ORDER))
				break;
		}
	}
	void *sum;
	pthread_join(t, &sum);
	printf("handed over %d\n", OBJECTS);
	return (long)sum == (long)OBJECTS * (OBJECTS - 1) / 2 ? 0 : 1;
}
// CHECK: WARNING: SlabSan: free without acquire
// CHECK: #0 taker {{.*}}wide_atomics.c:46
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}wide_atomics.c:46 in taker
