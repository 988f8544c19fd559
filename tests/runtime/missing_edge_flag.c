// Message passing through a flag: the writer writes data, then stores a
// pointer (or with INT_FLAG an int) to 'ready'; the reader waits for it and
// reads data. With a release store and a relaxed load (RELAXED_LOAD, the
// seed's obj_exts bug) the race report names the flag's store and load and
// says which side to fix. Both relaxed (BOTH_RELAXED): the store is in the
// write's epoch, so SlabSan cannot tell whether it came after the write,
// and says nothing about it. Release/acquire (default): silent.
// RUN: %slabsan-cc -O1 -g -DRELAXED_LOAD %s -o %t.load
// RUN: %expect-exit 66 %t.load 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DRELAXED_LOAD -DINT_FLAG %s -o %t.int
// RUN: %expect-exit 66 %t.int 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DBOTH_RELAXED %s -o %t.both
// RUN: %expect-exit 66 %t.both 2>&1 | FileCheck %s --check-prefix=BOTH
// RUN: %slabsan-cc -O1 -g %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#if defined(RELAXED_LOAD)
#define STORE_ORDER memory_order_release
#define LOAD_ORDER memory_order_relaxed
#elif defined(BOTH_RELAXED)
#define STORE_ORDER memory_order_relaxed
#define LOAD_ORDER memory_order_relaxed
#else
#define STORE_ORDER memory_order_release
#define LOAD_ORDER memory_order_acquire
#endif

long data; /* not static: LLVM would shrink it */
#ifdef INT_FLAG
static _Atomic int ready;
#define READY 1
#else
static int token;
static int *_Atomic ready;
#define READY &token
#endif

static void *writer(void *arg)
{
	(void)arg;
	data = 42; /* WRITE */
	atomic_store_explicit(&ready, READY, STORE_ORDER); /* STORE */
	return NULL;
}

static void *reader(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&ready, LOAD_ORDER)) /* LOAD */
		sched_yield();
	return (void *)data; /* READ */
}

int main(void)
{
	pthread_t w, r;
	pthread_create(&r, NULL, reader, NULL);
	pthread_create(&w, NULL, writer, NULL);
	pthread_join(w, NULL);
	pthread_join(r, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 reader {{.*}}missing_edge_flag.c:54
// CHECK-NEXT: Previous write at {{.*}} by thread T2:
// CHECK-NEXT: #0 writer {{.*}}missing_edge_flag.c:44
// CHECK-NEXT: Location is global 'data'
// CHECK-NEXT: After its write, thread T2 stored to 'ready' (0x{{[0-9a-f]+}}), and thread T1 loaded
// CHECK-NEXT: the value before the read at missing_edge_flag.c:54:
// CHECK-NEXT: Published by thread T2 with a release atomic store:
// CHECK-NEXT: #0 writer {{.*}}missing_edge_flag.c:45
// CHECK-NEXT: Obtained by thread T1 with a relaxed atomic load:
// CHECK-NEXT: #0 reader {{.*}}missing_edge_flag.c:52
// CHECK-NEXT: Missing edge: the store at missing_edge_flag.c:45 releases, but the load at missing_edge_flag.c:52 is relaxed and does
// CHECK-NEXT: not acquire.
// CHECK-NEXT: Fix: make the load at missing_edge_flag.c:52 memory_order_acquire (smp_load_acquire()), or put
// CHECK-NEXT: an acquire fence (smp_rmb() / atomic_thread_fence(memory_order_acquire)) between it
// CHECK-NEXT: and the read at missing_edge_flag.c:54.
// CHECK: SUMMARY: SlabSan: data race {{.*}}missing_edge_flag.c:54 in reader

// BOTH: WARNING: SlabSan: data race
// BOTH: Location is global 'data'
// BOTH-NOT: Published by
// BOTH-NOT: Fix:
// BOTH: SUMMARY: SlabSan: data race

// CLEAN-NOT: WARNING: SlabSan
