// A free at the end of a chain of hand-offs: main allocates the job before
// any thread starts (so the allocation is ordered), the worker fills it and
// release-stores 'ready', the relay acquires 'ready' and then stores 'go'
// relaxed, and the reaper waits for 'go' and frees the job. The worker's
// write reaches the reaper through the relay, whose relaxed store breaks
// the chain: the report shows each link (release, acquire, store, load) with
// its stack, and the last as the missing edge. Release on 'go': silent.
// RUN: %slabsan-cc -O1 -g -DRELAXED_STORE %s -o %t.store
// RUN: %expect-exit 66 %t.store 2>&1 | FileCheck %s
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
	while (!atomic_load_explicit(&ready, memory_order_acquire)) /* ACQUIRE */
		sched_yield();
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
// CHECK-NEXT: #0 reaper {{.*}}missing_edge_free_relay.c:48
// CHECK-NEXT: is not ordered after this write at {{.*}} (offset 0, struct job::result) by thread T3:
// CHECK-NEXT: #0 worker {{.*}}missing_edge_free_relay.c:31
// CHECK-NEXT: After its write, thread T3 released it through 'ready' (0x{{[0-9a-f]+}}) to
// CHECK-NEXT: thread T2, which then stored to 'go' (0x{{[0-9a-f]+}}), and thread T1 loaded
// CHECK-NEXT: the value before the free:
// CHECK-NEXT: Released by thread T3 with a release atomic store:
// CHECK-NEXT: #0 worker {{.*}}missing_edge_free_relay.c:32
// CHECK-NEXT: Acquired by thread T2 with an acquire atomic load:
// CHECK-NEXT: #0 relay {{.*}}missing_edge_free_relay.c:38
// CHECK-NEXT: Published by thread T2 with a relaxed atomic store:
// CHECK-NEXT: #0 relay {{.*}}missing_edge_free_relay.c:40
// CHECK-NEXT: Obtained by thread T1 with an acquire atomic load:
// CHECK-NEXT: #0 reaper {{.*}}missing_edge_free_relay.c:46
// CHECK-NEXT: Missing edge: the load at missing_edge_free_relay.c:46 acquires, but the store
// CHECK-NEXT: at missing_edge_free_relay.c:40 is relaxed and releases nothing.
// CHECK-NEXT: Fix: make the store at missing_edge_free_relay.c:40 memory_order_release
// CHECK-NEXT: (smp_store_release()), or put a release fence (smp_mb() /
// CHECK-NEXT: atomic_thread_fence(memory_order_release)) before it.
// CHECK-NEXT: The block was allocated by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}missing_edge_free_relay.c:54
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}missing_edge_free_relay.c:48 in reaper

// CLEAN-NOT: WARNING: SlabSan
