// A free without acquire whose block's pointer came through a plain
// variable guarded by a home-made spinlock whose test-and-set is relaxed:
// no atomic load brought the pointer, so the report names the lock word's
// pair (release clear, relaxed test-and-set) as the edge both the
// allocation and the write miss, as the data race on the guarded variable
// does, and the fix is the test-and-set's acquire. ACQUIRE: silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DACQUIRE %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#ifdef ACQUIRE
#define TAKE_ORDER memory_order_acquire
#else
#define TAKE_ORDER memory_order_relaxed
#endif

struct item {
	long value;
};
static atomic_flag lock = ATOMIC_FLAG_INIT;
static struct item *shelf;
static atomic_int posted;	/* relaxed: only keeps the remover off the shelf until then */

static void take(void)
{
	while (atomic_flag_test_and_set_explicit(&lock, TAKE_ORDER)) /* TAKE */
		sched_yield();
}

static void give(void)
{
	atomic_flag_clear_explicit(&lock, memory_order_release); /* GIVE */
}

static void *remover(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&posted, memory_order_relaxed))
		sched_yield();
	take();
	struct item *it = shelf; /* READ_SHELF */
	give();
	free(it); /* FREE */
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, remover, NULL);
	struct item *it = malloc(sizeof *it); /* ALLOC */
	it->value = 42; /* WRITE */
	take();
	shelf = it; /* STORE_SHELF */
	give();
	atomic_store_explicit(&posted, 1, memory_order_relaxed);
	pthread_join(t, NULL);
	return 0;
}

// CLEAN-NOT: SlabSan

// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 {{.*}} by thread T1:
// CHECK-NEXT: #0 remover {{.*}}missing_edge_free_lock.c:46
// CHECK-NEXT: Previous write {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}missing_edge_free_lock.c:59
// CHECK: After its write, main thread (T0) stored to 'lock'
// CHECK: Missing edge: the store at missing_edge_free_lock.c:37 releases, but the
// CHECK-NEXT: read-modify-write at missing_edge_free_lock.c:31 is relaxed and does not
// CHECK: SUMMARY: SlabSan: data race {{.*}}missing_edge_free_lock.c:46 in remover

// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 remover {{.*}}missing_edge_free_lock.c:48
// CHECK-NEXT: is not ordered after its allocation by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}missing_edge_free_lock.c:56
// CHECK-NEXT: nor after this write at {{.*}} (offset 0, struct item::value) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}missing_edge_free_lock.c:57
// CHECK-NEXT: After its allocation and write, main thread (T0) stored to 'lock'
// CHECK-NEXT: and thread T1 loaded the value before the free:
// CHECK-NEXT: Published by main thread (T0) with a release atomic store:
// CHECK-NEXT: #0 give {{.*}}missing_edge_free_lock.c:37
// CHECK-NEXT: #1 main {{.*}}missing_edge_free_lock.c:60
// CHECK-NEXT: Obtained by thread T1 with a relaxed atomic read-modify-write:
// CHECK-NEXT: #0 take {{.*}}missing_edge_free_lock.c:31
// CHECK-NEXT: #1 remover {{.*}}missing_edge_free_lock.c:45
// CHECK-NEXT: Missing edge: the store at missing_edge_free_lock.c:37 releases, but the
// CHECK-NEXT: read-modify-write at missing_edge_free_lock.c:31 is relaxed and does not
// CHECK-NEXT: acquire.
// CHECK-NEXT: Fix: make the read-modify-write at missing_edge_free_lock.c:31
// CHECK-NEXT: memory_order_acquire or memory_order_acq_rel
// CHECK: Same missing edge as SlabSan finding #1 (data race): a consequence of it.
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}missing_edge_free_lock.c:48 in remover
