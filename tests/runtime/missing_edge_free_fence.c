// A free after a flag read relaxed and then fenced: the worker writes the
// job and stores 'done' relaxed; the reaper spins on a relaxed load of
// 'done', then an acquire fence, then frees. The fence makes the load side
// right, and its entry in the reaper's history says it came after the
// load, so the report names the fence and blames the store alone. The
// kernel's form, WRITE_ONCE, READ_ONCE then smp_rmb() (RMB), which orders
// a free by its control dependency, names smp_rmb(). A fence before the
// spin (EARLY_FENCE) follows no load of the flag: both sides are to fix.
// Without a flag (UNSEEN, a test barrier, which orders nothing) the reaper
// acquired nothing from the worker, and the report says so. A release
// store: silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,FENCE
// RUN: %slabsan-cc -O1 -g -DRMB %s -o %t.rmb
// RUN: %expect-exit 66 %t.rmb 2>&1 | FileCheck %s --check-prefixes=CHECK,RMB
// RUN: %slabsan-cc -O1 -g -DEARLY_FENCE %s -o %t.early
// RUN: %expect-exit 66 %t.early 2>&1 | FileCheck %s --check-prefixes=CHECK,EARLY
// RUN: %slabsan-cc -O1 -g -DUNSEEN %s -o %t.unseen
// RUN: %expect-exit 66 %t.unseen 2>&1 | FileCheck %s --check-prefixes=CHECK,UNSEEN
// RUN: %slabsan-cc -O1 -g -DRELEASE %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <slabsan/lkmm.h>
#include <slabsan/slabsan.h>
#include <stdlib.h>

#ifdef RELEASE
#define DONE_ORDER __ATOMIC_RELEASE
#else
#define DONE_ORDER __ATOMIC_RELAXED
#endif

struct job {
	long result;
};
static struct job *job;
static int done;
static struct slabsan_test_barrier step = {.count = 2};

static void *worker(void *arg)
{
	job->result = 42; /* WRITE */
#ifdef UNSEEN
	slabsan_test_barrier_wait(&step);
#else
	__atomic_store_n(&done, 1, DONE_ORDER); /* STORE */
#endif
	return arg;
}

static void *reaper(void *arg)
{
#if defined(UNSEEN)
	slabsan_test_barrier_wait(&step);
#elif defined(RMB)
	while (!READ_ONCE(done)) /* RMB_LOAD */
		sched_yield();
	smp_rmb(); /* RMB */
#elif defined(EARLY_FENCE)
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	while (!__atomic_load_n(&done, __ATOMIC_RELAXED)) /* EARLY_LOAD */
		sched_yield();
#else
	while (!__atomic_load_n(&done, __ATOMIC_RELAXED)) /* LOAD */
		sched_yield();
	__atomic_thread_fence(__ATOMIC_ACQUIRE); /* FENCE */
#endif
	free(job); /* FREE */
	return arg;
}

int main(void)
{
	job = malloc(sizeof *job); /* ALLOC */
	pthread_t w, r;
	pthread_create(&r, NULL, reaper, NULL);
	pthread_create(&w, NULL, worker, NULL);
	pthread_join(w, NULL);
	pthread_join(r, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 reaper {{.*}}missing_edge_free_fence.c:69
// CHECK-NEXT: is not ordered after this write at {{.*}} (offset 0, struct job::result) by thread T2:
// CHECK-NEXT: #0 worker {{.*}}missing_edge_free_fence.c:43
// FENCE-NEXT: After its write, thread T2 stored to 'done' (0x{{[0-9a-f]+}}), and thread T1
// FENCE-NEXT: loaded it before the free:
// FENCE-NEXT: Published by thread T2 with a relaxed atomic store:
// FENCE-NEXT: #0 worker {{.*}}missing_edge_free_fence.c:47
// FENCE-NEXT: Obtained by thread T1 with a relaxed atomic load, then the acquire fence at missing_edge_free_fence.c:67:
// FENCE-NEXT: #0 reaper {{.*}}missing_edge_free_fence.c:65
// FENCE-NEXT: Missing edge: the load at missing_edge_free_fence.c:65 acquires through the
// FENCE-NEXT: acquire fence at missing_edge_free_fence.c:67, but the store at
// FENCE-NEXT: missing_edge_free_fence.c:47 is relaxed and releases nothing.
// FENCE-NEXT: Fix: make the store at missing_edge_free_fence.c:47 memory_order_release
// FENCE-NEXT: (smp_store_release()), or put a release fence (smp_wmb() /
// FENCE-NEXT: atomic_thread_fence(memory_order_release)) before it.
// RMB: Obtained by thread T1 with a relaxed atomic load, then smp_rmb() at missing_edge_free_fence.c:59:
// RMB-NEXT: #0 reaper {{.*}}missing_edge_free_fence.c:57
// RMB-NEXT: Missing edge: the load at missing_edge_free_fence.c:57 acquires through
// RMB-NEXT: smp_rmb() at missing_edge_free_fence.c:59, but the store at
// RMB-NEXT: missing_edge_free_fence.c:47 is relaxed and releases nothing.
// EARLY: Obtained by thread T1 with a relaxed atomic load:
// EARLY-NEXT: #0 reaper {{.*}}missing_edge_free_fence.c:62
// EARLY-NEXT: Missing edge: the store at missing_edge_free_fence.c:47 and the load at
// EARLY-NEXT: missing_edge_free_fence.c:62 are both relaxed, so nothing the publishing
// EARLY-NEXT: thread did before the store is ordered before the free.
// UNSEEN-NEXT: The allocation is ordered before this free but the write is not: thread T1
// UNSEEN-NEXT: acquired nothing thread T2 released (it took no lock thread T2 unlocked,
// UNSEEN-NEXT: loaded no release store of its, and did not join it).
// UNSEEN-NEXT: Fix: have thread T1 acquire a release thread T2 makes after the write at
// UNSEEN-NEXT: missing_edge_free_fence.c:43: a release store it loads with an acquire load, a
// UNSEEN-NEXT: lock it unlocks, or its exit by joining it.
// CHECK: The block was allocated by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}missing_edge_free_fence.c:75
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}missing_edge_free_fence.c:69 in reaper
// CHECK-NOT: WARNING: SlabSan

// CLEAN-NOT: WARNING: SlabSan
