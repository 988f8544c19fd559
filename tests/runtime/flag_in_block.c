// A worker fills a job and sets its `done` flag, inside the job, with a
// relaxed store; main spins on the flag with a relaxed load and frees the
// job. The unordered write the free finds is the flag's store, not a
// reference count's decrement: the report says so and asks for a release
// store and an acquire load (pigz with its job lock replaced by such a
// flag got the reference-count advice). Focused mode sees only the flag;
// full mode also the plain write of the result, which it names instead.
// With release/acquire, silent in both modes.
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g %s -o %t.full && %expect-exit 66 %t.full 2>&1 | FileCheck %s --check-prefix=FULL
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -DFIXED %s -o %t.fixed && %expect-exit 0 %t.fixed 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DFIXED %s -o %t.fixed_full && %expect-exit 0 %t.fixed_full 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// CLEAN-NOT: SlabSan
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#ifdef FIXED
#define PUBLISH memory_order_release
#define OBSERVE memory_order_acquire
#else
#define PUBLISH memory_order_relaxed
#define OBSERVE memory_order_relaxed
#endif

struct job {
	long input, result;
	atomic_int done;
};

static void *worker(void *arg)
{
	struct job *j = arg;
	j->result = j->input * 2;
	atomic_store_explicit(&j->done, 1, PUBLISH); /* DONE_STORE */
	return NULL;
}

int main(void)
{
	struct job *j = malloc(sizeof *j);
	j->input = 21;
	atomic_init(&j->done, 0);
	pthread_t t;
	pthread_create(&t, NULL, worker, j);
	while (!atomic_load_explicit(&j->done, OBSERVE))
		;
	long result = j->result;
	free(j); /* FREE */
	pthread_join(t, NULL);
	return result == 42 ? 0 : 1;
}
// CHECK: WARNING: SlabSan: free without acquire
// CHECK: #0 main {{.*}}flag_in_block.c:49
// CHECK: is not ordered after this atomic write
// CHECK-NEXT: #0 worker {{.*}}flag_in_block.c:35
// CHECK: The unordered write is the atomic store at flag_in_block.c:35, inside the
// CHECK-NEXT: block (a flag this thread waited for?): it does not release, or the load that
// CHECK-NEXT: saw it does not acquire.
// CHECK-NOT: reference count
// CHECK: Fix: make the store at flag_in_block.c:35 release
// CHECK-NEXT: atomic_store_explicit(..., memory_order_release)) and the load that waits for
// CHECK-NEXT: it acquire (smp_load_acquire(), or memory_order_acquire).
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}flag_in_block.c:49 in main
// FULL: SUMMARY: SlabSan: data race {{.*}}flag_in_block.c:48 in main
// FULL: SUMMARY: SlabSan: free without acquire {{.*}}flag_in_block.c:49 in main
