// Atomics the runtime cannot perform (a 16-byte tagged pointer through
// libatomic or, with -mcx16, cmpxchg16b; a floating-point fetch-add) are
// recorded as marked accesses too, so they race like any other atomic: a
// plain read of a 16-byte atomic another thread stores is a data race, and
// a free not ordered after another thread's relaxed 16-byte store or float
// add inside the block is a free without acquire. Before, only the edges
// of their orders were seen, and all three went unreported.
// RUN: %slabsan-cc -O1 -g -Wno-atomic-alignment -DCASE=1 %s -o %t.race -latomic && %expect-exit 66 %t.race 2>&1 | FileCheck %s --check-prefix=RACE
// RUN: %slabsan-cc -O1 -g -mcx16 -DCASE=1 %s -o %t.race16 && %expect-exit 66 %t.race16 2>&1 | FileCheck %s --check-prefix=RACE
// RUN: %slabsan-cc -O1 -g -Wno-atomic-alignment -DCASE=2 %s -o %t.store -latomic && %expect-exit 66 %t.store 2>&1 | FileCheck %s --check-prefix=STORE
// RUN: %slabsan-cc -O1 -g -mcx16 -DCASE=2 %s -o %t.store16 && %expect-exit 66 %t.store16 2>&1 | FileCheck %s --check-prefix=STORE
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -mcx16 -DCASE=2 %s -o %t.focused && %expect-exit 66 %t.focused 2>&1 | FileCheck %s --check-prefix=STORE
// RUN: %slabsan-cc -O1 -g -DCASE=3 %s -o %t.fadd && %expect-exit 66 %t.fadd 2>&1 | FileCheck %s --check-prefix=FADD
// A compare-exchange that stored is a write (recorded after it, under the
// location's lock, which an acquirer of its release waits for):
// RUN: %slabsan-cc -O1 -g -Wno-atomic-alignment -DCASE=4 %s -o %t.cas -latomic && %expect-exit 66 %t.cas 2>&1 | FileCheck %s --check-prefix=CAS
// RUN: %slabsan-cc -O1 -g -mcx16 -DCASE=4 %s -o %t.cas16 && %expect-exit 66 %t.cas16 2>&1 | FileCheck %s --check-prefix=CAS
// Ordered, the same programs are silent:
// RUN: %slabsan-cc -O1 -g -mcx16 -DCASE=1 -DORDERED %s -o %t.race.ok && %expect-exit 0 %t.race.ok 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -Wno-atomic-alignment -DCASE=2 -DORDERED %s -o %t.store.ok -latomic && %expect-exit 0 %t.store.ok 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DCASE=3 -DORDERED %s -o %t.fadd.ok && %expect-exit 0 %t.fadd.ok 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -mcx16 -DCASE=4 -DORDERED %s -o %t.cas.ok && %expect-exit 0 %t.cas.ok 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -Wno-atomic-alignment -DCASE=4 -DORDERED %s -o %t.cas.ok2 -latomic && %expect-exit 0 %t.cas.ok2 2>&1 | FileCheck %s --check-prefix=CLEAN
// CLEAN-NOT: SlabSan
// CLEAN: done
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/tagged_pointer.h"

#ifdef ORDERED
#define DONE_STORE memory_order_release
#define DONE_LOAD memory_order_acquire
#define CAS_ORDER memory_order_release
#else
#define DONE_STORE memory_order_relaxed
#define DONE_LOAD memory_order_relaxed
#define CAS_ORDER memory_order_relaxed
#endif

struct node {
	_Atomic struct tagged head;
	_Atomic float weight;
	long payload;
};

static _Atomic struct tagged box;
static _Atomic(struct node *) handed;
static atomic_int done;

static void *writer(void *arg)
{
	(void)arg;
#if CASE == 1
	struct tagged t = {NULL, 7};
	atomic_store_explicit(&box, t, memory_order_relaxed); /* BOX_STORE */
#elif CASE == 4
	struct tagged expected = {NULL, 0}, t = {NULL, 7};
	atomic_compare_exchange_strong_explicit(&box, &expected, t, CAS_ORDER,
						memory_order_relaxed); /* BOX_CAS */
	atomic_store_explicit(&done, 1, memory_order_relaxed);
	return NULL;
#else
	struct node *n;
	while (!(n = atomic_load_explicit(&handed, memory_order_acquire)))
		;
#if CASE == 2
	struct tagged t = {NULL, 9};
	atomic_store_explicit(&n->head, t, memory_order_relaxed); /* NODE_STORE */
#else
	__c11_atomic_fetch_add(&n->weight, 1.0f, memory_order_relaxed); /* FADD */
#endif
#endif
	atomic_store_explicit(&done, 1, DONE_STORE);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
#if CASE == 1 || CASE == 4
#if CASE == 4 && defined(ORDERED)
	/* the compare-exchange's release, taken by this 16-byte acquire load */
	for (struct tagged seen = {NULL, 0}; seen.tag != 7;)
		seen = atomic_load_explicit(&box, memory_order_acquire);
#else
	while (!atomic_load_explicit(&done, DONE_LOAD))
		;
#endif
	const struct tagged *plain = (const struct tagged *)&box;
	unsigned long tag = plain->tag; /* PLAIN_READ */
	if (tag != 7)
		return 1;
#else
	struct node *n = calloc(1, sizeof *n); /* ALLOC */
	atomic_store_explicit(&handed, n, memory_order_release);
	while (!atomic_load_explicit(&done, DONE_LOAD))
		;
	free(n); /* FREE */
#endif
	pthread_join(t, NULL);
	puts("done");
	return 0;
}
// RACE: WARNING: SlabSan: data race
// RACE-NEXT: Read of size 8 at {{.*}} by main thread (T0):
// RACE-NEXT: #0 main {{.*}}wide_atomic_races.c:95
// RACE-NEXT: Previous atomic write at {{.*}} by thread T1:
// RACE-NEXT: #0 writer {{.*}}wide_atomic_races.c:59
// RACE-NEXT: Location is global 'box' (16 bytes at {{.*}}, offset 8).
// RACE: SUMMARY: SlabSan: data race {{.*}}wide_atomic_races.c:95 in main
// STORE: WARNING: SlabSan: free without acquire
// STORE-NEXT: Free of heap block of size 32 at {{.*}} by main thread (T0):
// STORE-NEXT: #0 main {{.*}}wide_atomic_races.c:103
// STORE-NEXT: is not ordered after this atomic write at {{.*}} (offset 0, struct node::head) by thread T1:
// STORE-NEXT: #0 writer {{.*}}wide_atomic_races.c:72
// STORE-NEXT: The unordered write is the atomic store at wide_atomic_races.c:72, inside
// STORE: SUMMARY: SlabSan: free without acquire {{.*}}wide_atomic_races.c:103 in main
// FADD: WARNING: SlabSan: free without acquire
// FADD: is not ordered after this atomic write at {{.*}} (offset 16, struct node::weight) by thread T1:
// FADD-NEXT: #0 writer {{.*}}wide_atomic_races.c:74
// FADD-NEXT: The unordered write is the atomic read-modify-write at wide_atomic_races.c:74,
// FADD-NEXT: inside
// FADD: SUMMARY: SlabSan: free without acquire {{.*}}wide_atomic_races.c:103 in main
// CAS: WARNING: SlabSan: data race
// CAS-NEXT: Read of size 8 at {{.*}} by main thread (T0):
// CAS-NEXT: #0 main {{.*}}wide_atomic_races.c:95
// CAS-NEXT: Previous atomic write at {{.*}} by thread T1:
// CAS-NEXT: #0 writer {{.*}}wide_atomic_races.c:62
// CAS: SUMMARY: SlabSan: data race {{.*}}wide_atomic_races.c:95 in main
