// One race, seen both ways round, is one report even when the second
// sighting's earlier access has left its thread's history. T1 writes `x`;
// main reads it unordered (the report: the read, and T1's write as the
// earlier access). Main then makes 16384 records, more than a history of
// 256 keeps, so its read is lost; T1, in a new epoch, writes `x` at the
// same line again, racing with that read. That is the same pair of places:
// no second report, where one with "<not kept: ...>" for the read used to
// follow. The invisible test barrier orders the steps in time only.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: env SLABSAN_OPTIONS=history_size=256 %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdatomic.h>
#include <slabsan/slabsan.h>

#define FILLER 16384
long x;
volatile long sink;
struct { _Alignas(16) long word; } filler[FILLER];
atomic_int epoch;   /* a release store: the writer's next epoch */
static struct slabsan_test_barrier step = {.count = 2};

static void *worker(void *arg)
{
	(void)arg;
	for (int round = 0; round < 2; round++) {
		x = round; /* WRITE_X */
		atomic_store_explicit(&epoch, round, memory_order_release);
		slabsan_test_barrier_wait(&step);   /* main reads x */
		slabsan_test_barrier_wait(&step);   /* and moves on */
	}
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	slabsan_test_barrier_wait(&step);
	sink = x; /* READ_X */
	for (int i = 0; i < FILLER; i++)
		filler[i].word = i;
	slabsan_test_barrier_wait(&step);
	slabsan_test_barrier_wait(&step);   /* T1 wrote x again */
	slabsan_test_barrier_wait(&step);
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}history_partner.c:39
// CHECK-NEXT: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 worker {{.*}}history_partner.c:26
// CHECK-NOT: WARNING: SlabSan
