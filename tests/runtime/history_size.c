// A report names the earlier access's site and stack from its thread's
// history of records (history_size of them per thread). T1 writes `shared`,
// then makes 1024 more records (one per granule of `filler`); main then
// writes `shared` with no happens-before (the invisible test barrier orders
// the steps in time only). The default history still holds T1's write; a
// history of 256 records has moved on, and the report says so instead of
// naming a wrong line, with both accesses' kinds and threads intact.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,KEPT
// RUN: env SLABSAN_OPTIONS=history_size=256 %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,LOST
// RUN: env SLABSAN_OPTIONS=history_size=100 not %t 2>&1 | FileCheck %s --check-prefix=RANGE
#include <pthread.h>
#include <slabsan/slabsan.h>

#define FILLER 1024
long shared;
struct { _Alignas(16) long word; } filler[FILLER];
static struct slabsan_test_barrier step = {.count = 2};

static void *worker(void *arg)
{
	(void)arg;
	shared = 1; /* T1_WRITE */
	for (int i = 0; i < FILLER; i++)
		filler[i].word = i;
	slabsan_test_barrier_wait(&step);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	slabsan_test_barrier_wait(&step);
	shared = 2; /* MAIN_WRITE */
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Write of size 8 at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}history_size.c:34
// CHECK: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// KEPT-NEXT: #0 worker {{.*}}history_size.c:22
// LOST-NEXT: <not kept: its thread has recorded more than history_size=256 accesses since>
// CHECK: SUMMARY: SlabSan: data race {{.*}}history_size.c:34 in main
// CHECK-NOT: WARNING: SlabSan
// RANGE: SLABSAN_OPTIONS: history_size=100 is out of range (256..16777216)
