// A race whose earlier access has left its thread's history folds into an
// earlier report of the same access, instead of a second report without
// the earlier stack. Main's read of `shared` races with T1's first write
// (one report, both stacks). T1 then acquires what main released after
// that read, starts a new epoch, writes `shared` again and makes 16384 more
// records, more than a history of 256 keeps; main's same read then races
// with that second write, whose stack is gone: counted as a repeat of the
// first report. By default the history keeps the second write, and it is a
// report of its own, naming it. The invisible test barrier orders the
// steps in time only.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: env SLABSAN_OPTIONS=history_size=256 %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,FOLD
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,KEPT
#include <pthread.h>
#include <stdatomic.h>
#include <slabsan/slabsan.h>

#define FILLER 16384
long shared;
struct { _Alignas(16) long word; } filler[FILLER];
atomic_int handoff;
volatile long sink;   /* keeps the reads */
static struct slabsan_test_barrier step = {.count = 2};

static void *worker(void *arg)
{
	(void)arg;
	shared = 1; /* FIRST_WRITE */
	slabsan_test_barrier_wait(&step);
	slabsan_test_barrier_wait(&step);
	while (atomic_load_explicit(&handoff, memory_order_acquire) != 1)
		;
	atomic_store_explicit(&handoff, 2, memory_order_release);   /* a new epoch */
	shared = 2; /* SECOND_WRITE */
	for (int i = 0; i < FILLER; i++)
		filler[i].word = i;
	slabsan_test_barrier_wait(&step);
	return NULL;
}

__attribute__((noinline)) static long read_shared(void)
{
	return shared; /* READ */
}

int main(void)
{
	pthread_t t;
	long sum = 0;
	pthread_create(&t, NULL, worker, NULL);
	slabsan_test_barrier_wait(&step);
	sum += read_shared();
	atomic_store_explicit(&handoff, 1, memory_order_release);
	slabsan_test_barrier_wait(&step);
	slabsan_test_barrier_wait(&step);
	sum += read_shared();
	pthread_join(t, NULL);
	sink = sum;
	return 0;
}
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 read_shared {{.*}}history_fold.c:43
// CHECK: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 worker {{.*}}history_fold.c:28
// CHECK: SUMMARY: SlabSan: data race {{.*}}history_fold.c:43 in read_shared
// FOLD-NOT: WARNING: SlabSan
// KEPT: WARNING: SlabSan: data race
// KEPT: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// KEPT-NEXT: #0 worker {{.*}}history_fold.c:34
// KEPT-NOT: WARNING: SlabSan
