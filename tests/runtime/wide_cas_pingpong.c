// Two threads pass a 16-byte tagged word back and forth by
// compare-exchange (the ABA guard of lock-free lists), each reading it
// plainly once its acquire load has seen its turn. The runtime cannot
// perform the compare-exchange for the program; it recorded the write
// after it, outside any lock, so an acquirer of its release could see the
// new value and read the word before the write was recorded, and a race
// that was not came out now and then (tests/runtime/wide_atomic_races.c,
// one round, failed about one run in ten). It now runs under the word's
// lock, as the runtime's own compare-exchange does: thousands of rounds
// stay silent. Relaxed, the plain reads race with the other side's write.
// RUN: %slabsan-cc -O1 -g -mcx16 %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -Wno-atomic-alignment %s -o %t.libatomic -latomic && %expect-exit 0 %t.libatomic 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -mcx16 -DRELAXED %s -o %t.relaxed && %expect-exit 66 %t.relaxed 2>&1 | FileCheck %s
// CLEAN-NOT: SlabSan
// CLEAN: 4000 turns
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "Inputs/tagged_pointer.h"

#ifdef RELAXED
#define TAKE memory_order_relaxed
#define GIVE memory_order_relaxed
#else
#define TAKE memory_order_acquire
#define GIVE memory_order_acq_rel
#endif
#define TURNS 4000

static _Atomic struct tagged word;

/* side 0 plays the even turns, side 1 the odd ones */
static void *play(void *side)
{
	uintptr_t turns = 0;
	for (uintptr_t turn = (uintptr_t)side; turn < TURNS; turn += 2) {
		struct tagged seen;
		/* (yielding after a while: on one free core a spin would wait out
		 * a whole time slice) */
		for (int spins = 0; (seen = atomic_load_explicit(&word, TAKE)).tag != turn; spins++)
			if (spins > 1000)
				sched_yield();
		const struct tagged *plain = (const struct tagged *)&word;
		turns += plain->tag == turn; /* PLAIN_READ */
		struct tagged next = {NULL, turn + 1};
		/* GIVE_CAS */ atomic_compare_exchange_strong_explicit(&word, &seen, next, GIVE, TAKE);
	}
	return (void *)turns;
}

int main(void)
{
	pthread_t t;
	void *odd;
	pthread_create(&t, NULL, play, (void *)1);
	uintptr_t even = (uintptr_t)play(NULL);
	pthread_join(t, &odd);
	printf("%lu turns\n", (unsigned long)(even + (uintptr_t)odd));
	return 0;
}
// Either side may find the race first: the report names the other's access.
// CHECK: WARNING: SlabSan: data race
// CHECK-DAG: #0 play {{.*}}wide_cas_pingpong.c:47
// CHECK-DAG: #0 play {{.*}}wide_cas_pingpong.c:49
// CHECK: SUMMARY: SlabSan: data race {{.*}}wide_cas_pingpong.c:{{47|49}} in play
