// A report names the earlier access's site and stack from its thread's
// history (history.h): its last history_size records, and 8 times as many
// older ones that were still in the shadow when the recent ring moved past
// them. T1 writes `shared`, then makes 16384 more records; main then writes
// `shared` with no happens-before (the invisible test barrier orders the
// steps in time only). By default the history still holds T1's write. With a
// history of 256 the write is not recent, but it is still in the shadow, so it is kept
// when the 16384 records are rewrites of one variable in new epochs (each
// replaces the last: -DSHORT_LIVED), and lost when they stay (16384
// granules, more than 256 * 9): the report then says so instead of naming
// a wrong line, with both accesses' kinds and threads intact. When T1's
// write held a lock (-DLOCKED), the fix names the lost write without a site.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,KEPT
// RUN: env SLABSAN_OPTIONS=history_size=256 %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,LOST
// RUN: %slabsan-cc -O1 -g -DSHORT_LIVED %s -o %t.short
// RUN: env SLABSAN_OPTIONS=history_size=256 %expect-exit 66 %t.short 2>&1 | FileCheck %s --check-prefixes=CHECK,KEPT
// RUN: %slabsan-cc -O1 -g -DLOCKED %s -o %t.locked
// RUN: env SLABSAN_OPTIONS=history_size=256 %expect-exit 66 %t.locked 2>&1 | FileCheck %s --check-prefixes=CHECK,LOST,LOCKED
// RUN: env SLABSAN_OPTIONS=history_size=100 not %t 2>&1 | FileCheck %s --check-prefix=RANGE
#include <pthread.h>
#include <stdatomic.h>

#include "Inputs/worker_then_main.h"

#define FILLER 16384
long shared;
struct { _Alignas(16) long word; } filler[FILLER];
atomic_int epoch;   /* a release store: the writer's next epoch */
pthread_mutex_t guard = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	(void)arg;
#ifdef LOCKED
	pthread_mutex_lock(&guard);
#endif
	shared = 1; /* T1_WRITE */
#ifdef LOCKED
	pthread_mutex_unlock(&guard);
#endif
	for (int i = 0; i < FILLER; i++) {
#ifdef SHORT_LIVED
		filler[0].word = i;
		atomic_store_explicit(&epoch, i, memory_order_release);
#else
		filler[i].word = i;
#endif
	}
	worker_done();
	return NULL;
}

static void main_write(void)
{
	shared = 2; /* MAIN_WRITE */
}

int main(void)
{
	return run_worker_then(worker, main_write);
}
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Write of size 8 at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 main_write {{.*}}history_size.c:55
// CHECK: Previous write at 0x{{[0-9a-f]+}} by thread T1{{(, holding lock M0)?}}:
// KEPT-NEXT: #0 worker {{.*}}history_size.c:37
// LOST-NEXT: <not kept: older than its thread's history (history_size=256)>
// LOCKED: Fix: The previous write (its site is no longer kept) held lock M0, this write
// LOCKED-NEXT: holds no lock: if M0 guards this memory, take it around the write at
// LOCKED-NEXT: history_size.c:55 too.
// CHECK: SUMMARY: SlabSan: data race {{.*}}history_size.c:55 in main_write
// CHECK-NOT: WARNING: SlabSan
// RANGE: SLABSAN_OPTIONS: history_size=100 is out of range (256..16777216)
