// A free racing with another thread's read of the block: the reader read
// it, then signalled with a release store to 'done', which the freeing
// thread waits for with a relaxed load. The report names that pair and the
// fix is the load's acquire. With an acquire load (ACQUIRE): silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DACQUIRE %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#ifdef ACQUIRE
#define DONE_ORDER memory_order_acquire
#else
#define DONE_ORDER memory_order_relaxed
#endif

struct obj {
	long data;
};
static struct obj *shared; /* set before the reader starts */
static int token;
static int *_Atomic done;
long sink; /* not static: the read would go */

static void *reader(void *arg)
{
	(void)arg;
	sink = shared->data; /* READ */
	atomic_store_explicit(&done, &token, memory_order_release); /* DONE_STORE */
	return NULL;
}

int main(void)
{
	pthread_t t;
	shared = malloc(sizeof *shared); /* ALLOC */
	shared->data = 1;
	pthread_create(&t, NULL, reader, NULL);
	while (!atomic_load_explicit(&done, DONE_ORDER)) /* DONE_LOAD */
		sched_yield();
	free(shared); /* FREE */
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Free of heap block of size 8 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}missing_edge_free_read.c:44
// CHECK-NEXT: Previous read at {{.*}} (offset 0, struct obj::data) by thread T1:
// CHECK-NEXT: #0 reader {{.*}}missing_edge_free_read.c:31
// CHECK-NEXT: Heap block allocated by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}missing_edge_free_read.c:39
// CHECK-NEXT: After its read, thread T1 stored to 'done' (0x{{[0-9a-f]+}}), and main
// CHECK-NEXT: thread (T0) loaded the value before the free:
// CHECK-NEXT: Published by thread T1 with a release atomic store:
// CHECK-NEXT: #0 reader {{.*}}missing_edge_free_read.c:32
// CHECK-NEXT: Obtained by main thread (T0) with a relaxed atomic load:
// CHECK-NEXT: #0 main {{.*}}missing_edge_free_read.c:42
// CHECK-NEXT: Missing edge: the store at missing_edge_free_read.c:32 releases, but the load
// CHECK-NEXT: at missing_edge_free_read.c:42 is relaxed and does not acquire.
// CHECK-NEXT: Fix: make the load at missing_edge_free_read.c:42 memory_order_acquire
// CHECK-NEXT: (smp_load_acquire()), or put an acquire fence (smp_rmb() /
// CHECK-NEXT: atomic_thread_fence(memory_order_acquire)) between it and the free.
// CHECK: SUMMARY: SlabSan: data race {{.*}}missing_edge_free_read.c:44 in main

// CLEAN-NOT: WARNING: SlabSan
