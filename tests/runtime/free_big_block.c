// A free checks every granule of its block. A table filled in one epoch
// leaves the same record word in granule after granule (the free keeps,
// per slot, the last word it found ordered, to judge each word once), so
// the last granule, written by the same thread after its release, differs
// from its neighbours only in the epoch: that write is still the free's
// report, which says the write came after the release the free acquired
// (the allocation is ordered). Written before the release instead: silent.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <slabsan/slabsan.h>

#define N 1024
static int64_t *table;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slabsan_test_barrier step = {.count = 2};

static void fill_tail(void)
{
	table[N - 2] = -2; /* TAIL */
	table[N - 1] = -1;
}

static void *filler(void *arg)
{
	(void)arg;
	for (int i = 0; i < N - 2; i++)
		table[i] = i; /* FILL */
#ifndef BROKEN
	fill_tail();
#endif
	pthread_mutex_lock(&lock);
	pthread_mutex_unlock(&lock);
#ifdef BROKEN
	fill_tail();
#endif
	slabsan_test_barrier_wait(&step);
	return NULL;
}

int main(void)
{
	pthread_t t;
	table = malloc(N * sizeof *table); /* ALLOC */
	pthread_create(&t, NULL, filler, NULL);
	slabsan_test_barrier_wait(&step);   /* real-time order only */
	pthread_mutex_lock(&lock);
	pthread_mutex_unlock(&lock);
	free(table); /* FREE */
	pthread_join(t, NULL);
	return 0;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: free without acquire (pid={{[0-9]+}})
// CHECK-NEXT: Free of heap block of size 8192 at 0x[[BASE:[0-9a-f]+]] by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}free_big_block.c:51
// CHECK-NEXT: is not ordered after this write at 0x{{[0-9a-f]+}} (offset 8176) by thread T1:
// CHECK-NEXT: #0 fill_tail {{.*}}free_big_block.c:22
// CHECK-NEXT: #1 filler {{.*}}free_big_block.c:37
// CHECK-NEXT: The allocation is ordered before this free but the write is not: thread T1
// CHECK-NEXT: wrote the block after the last of its releases that main thread (T0) acquired
// CHECK: Fix: move the write at free_big_block.c:22 before that release, or have main
// CHECK-NEXT: thread (T0) acquire a release thread T1 makes after the write (join it, or a
// CHECK-NEXT: lock it unlocks later).
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}free_big_block.c:51 in main
// CHECK-NOT: WARNING: SlabSan
