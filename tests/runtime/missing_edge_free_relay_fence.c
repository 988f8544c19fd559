// A chain of hand-offs whose relay acquires with a relaxed load and an
// acquire fence after it: the worker fills the job and release-stores
// 'ready', the relay spins on 'ready' relaxed, fences, and stores 'go'
// relaxed, and the reaper acquires 'go' and frees the job. The fence's
// entry in the relay's history lies between its load and its store, so the
// report shows the link with the fence and blames the relay's store. A
// relay whose fence comes before its spin (EARLY_FENCE) acquired nothing:
// no link is shown. Release on 'go': silent.
// RUN: %slabsan-cc -O1 -g -DRELAXED_STORE %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,LINK
// RUN: %slabsan-cc -O1 -g -DRELAXED_STORE -DEARLY_FENCE %s -o %t.early
// RUN: %expect-exit 66 %t.early 2>&1 | FileCheck %s --check-prefixes=CHECK,EARLY
// RUN: %slabsan-cc -O1 -g %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#ifdef RELAXED_STORE
#define GO_ORDER memory_order_relaxed
#else
#define GO_ORDER memory_order_release
#endif

struct job {
	long result;
};
static struct job *job;
static _Atomic int ready, go;

static void *worker(void *arg)
{
	job->result = 42; /* WRITE */
	atomic_store_explicit(&ready, 1, memory_order_release); /* RELEASE */
	return arg;
}

static void *relay(void *arg)
{
#ifdef EARLY_FENCE
	atomic_thread_fence(memory_order_acquire);
#endif
	while (!atomic_load_explicit(&ready, memory_order_relaxed)) /* SPIN */
		sched_yield();
#ifndef EARLY_FENCE
	atomic_thread_fence(memory_order_acquire); /* FENCE */
#endif
	atomic_store_explicit(&go, 1, GO_ORDER); /* STORE */
	return arg;
}

static void *reaper(void *arg)
{
	while (!atomic_load_explicit(&go, memory_order_acquire)) /* LOAD */
		sched_yield();
	free(job); /* FREE */
	return arg;
}

int main(void)
{
	job = malloc(sizeof *job); /* ALLOC */
	pthread_t w, r, f;
	pthread_create(&f, NULL, reaper, NULL);
	pthread_create(&r, NULL, relay, NULL);
	pthread_create(&w, NULL, worker, NULL);
	pthread_join(w, NULL);
	pthread_join(r, NULL);
	pthread_join(f, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 reaper {{.*}}missing_edge_free_relay_fence.c:57
// CHECK-NEXT: is not ordered after this write at {{.*}} (offset 0, struct job::result) by thread T3:
// CHECK-NEXT: #0 worker {{.*}}missing_edge_free_relay_fence.c:34
// LINK-NEXT: After its write, thread T3 released it through 'ready' (0x{{[0-9a-f]+}}) to
// LINK-NEXT: thread T2, which then stored to 'go' (0x{{[0-9a-f]+}}), and thread T1 loaded
// LINK-NEXT: the value before the free:
// LINK-NEXT: Released by thread T3 with a release atomic store:
// LINK-NEXT: #0 worker {{.*}}missing_edge_free_relay_fence.c:35
// LINK-NEXT: Acquired by thread T2 with a relaxed atomic load, then the acquire fence at missing_edge_free_relay_fence.c:47:
// LINK-NEXT: #0 relay {{.*}}missing_edge_free_relay_fence.c:44
// LINK-NEXT: Published by thread T2 with a relaxed atomic store:
// LINK-NEXT: #0 relay {{.*}}missing_edge_free_relay_fence.c:49
// LINK-NEXT: Obtained by thread T1 with an acquire atomic load:
// LINK-NEXT: #0 reaper {{.*}}missing_edge_free_relay_fence.c:55
// LINK-NEXT: Missing edge: the load at missing_edge_free_relay_fence.c:55 acquires, but the
// LINK-NEXT: store at missing_edge_free_relay_fence.c:49 is relaxed and releases nothing.
// LINK-NEXT: Fix: make the store at missing_edge_free_relay_fence.c:49 memory_order_release
// EARLY-NOT: Acquired by
// EARLY: The allocation is ordered before this free but the write is not: thread T1
// EARLY-NEXT: acquired nothing thread T3 released
// CHECK: The block was allocated by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}missing_edge_free_relay_fence.c:63
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}missing_edge_free_relay_fence.c:57 in reaper
// CHECK-NOT: WARNING: SlabSan

// CLEAN-NOT: WARNING: SlabSan
