// Message passing through a flag: the writer writes data, then stores a
// pointer (or with INT_FLAG an int) to 'ready'; the reader waits for it and
// reads data. The race report names the flag's store and load and says
// which side to fix: a release store and a relaxed load (RELAXED_LOAD, the
// seed's obj_exts bug), or both relaxed (BOTH_RELAXED: the store is in the
// write's epoch, and the writer's history tells that it came after the
// write), or a relaxed store and an acquire load (RELAXED_STORE). A relaxed
// store before the write (STORE_FIRST) orders nothing about it and is not
// named. A relaxed int store makes no sync object in the default memory
// model (atomic.c) and a relaxed load notes nothing, so with both relaxed
// the pair is found by the two records in the flag's shadow (report_edge.c,
// relaxed_flag_load), which do not say which value was read ("loaded it");
// memory_model=lkmm notes it like the others. An acquire fence after the
// relaxed load (LOAD_FENCE) makes the load side right, which its entry in
// the thread's history shows: the store is the missing half. A volatile int flag (VOLATILE,
// the kernel's tools/include READ_ONCE/WRITE_ONCE) is found the same way.
// An acquire load whose note later loads pushed out (EVICTED: the reader
// then loads 20 pointers, each noted) is still named as acquire: its site
// keeps the order its record does not.
// Release/acquire: silent.
// RUN: %slabsan-cc -O1 -g -DRELAXED_LOAD %s -o %t.load
// RUN: %expect-exit 66 %t.load 2>&1 | FileCheck %s --check-prefixes=CHECK,NOTED,LOAD
// RUN: %slabsan-cc -O1 -g -DRELAXED_LOAD -DINT_FLAG %s -o %t.int
// RUN: %expect-exit 66 %t.int 2>&1 | FileCheck %s --check-prefixes=CHECK,NOTED,LOAD
// RUN: %slabsan-cc -O1 -g -DRELAXED_STORE %s -o %t.store
// RUN: %expect-exit 66 %t.store 2>&1 | FileCheck %s --check-prefixes=CHECK,NOTED,STORE
// RUN: %slabsan-cc -O1 -g -DRELAXED_STORE -DINT_FLAG %s -o %t.storeint
// RUN: %expect-exit 66 %t.storeint 2>&1 | FileCheck %s --check-prefixes=CHECK,NOTED,STORE
// RUN: %slabsan-cc -O1 -g -DRELAXED_STORE -DINT_FLAG -DEVICTED %s -o %t.evicted
// RUN: %expect-exit 66 %t.evicted 2>&1 | FileCheck %s --check-prefixes=CHECK,RECORD,STORE
// RUN: %slabsan-cc -O1 -g -DBOTH_RELAXED %s -o %t.both
// RUN: %expect-exit 66 %t.both 2>&1 | FileCheck %s --check-prefixes=CHECK,NOTED,BOTH
// RUN: %slabsan-cc -O1 -g -DBOTH_RELAXED -DINT_FLAG %s -o %t.bothint
// RUN: env SLABSAN_OPTIONS=memory_model=lkmm %expect-exit 66 %t.bothint 2>&1 | FileCheck %s --check-prefixes=CHECK,NOTED,BOTH
// RUN: %expect-exit 66 %t.bothint 2>&1 | FileCheck %s --check-prefixes=CHECK,RECORD,BOTH
// RUN: %slabsan-cc -O1 -g -DVOLATILE %s -o %t.volatile
// RUN: %expect-exit 66 %t.volatile 2>&1 | FileCheck %s --check-prefixes=CHECK,RECORD,VOLATILE
// RUN: %slabsan-cc -O1 -g -DBOTH_RELAXED -DINT_FLAG -DLOAD_FENCE %s -o %t.fence
// RUN: %expect-exit 66 %t.fence 2>&1 | FileCheck %s --check-prefixes=CHECK,RECORD,FENCE
// RUN: %slabsan-cc -O1 -g -DBOTH_RELAXED -DSTORE_FIRST %s -o %t.first
// RUN: %expect-exit 66 %t.first 2>&1 | FileCheck %s --check-prefix=FIRST
// RUN: %slabsan-cc -O1 -g -DBOTH_RELAXED -DINT_FLAG -DSTORE_FIRST %s -o %t.firstint
// RUN: %expect-exit 66 %t.firstint 2>&1 | FileCheck %s --check-prefix=FIRST
// RUN: %slabsan-cc -O1 -g %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#if defined(RELAXED_STORE)
#define STORE_ORDER memory_order_relaxed
#define LOAD_ORDER memory_order_acquire
#elif defined(RELAXED_LOAD)
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
#if defined(VOLATILE)
static volatile int ready;
#define STORE_READY() (ready = 1)
#define LOAD_READY() ready
#elif defined(INT_FLAG)
static _Atomic int ready;
#define READY 1
#else
static int token;
static int *_Atomic ready;
#define READY &token
#endif
#ifdef EVICTED
static int *_Atomic pointers[20];
#endif
#ifndef STORE_READY
#define STORE_READY() atomic_store_explicit(&ready, READY, STORE_ORDER)
#define LOAD_READY() atomic_load_explicit(&ready, LOAD_ORDER)
#endif

static void *writer(void *arg)
{
	(void)arg;
#ifdef STORE_FIRST
	STORE_READY();
	data = 42; /* WRITE_AFTER */
#else
	data = 42; /* WRITE */
	STORE_READY(); /* STORE */
#endif
	return NULL;
}

static void *reader(void *arg)
{
	(void)arg;
	while (!LOAD_READY()) /* LOAD */
		sched_yield();
#ifdef LOAD_FENCE
	atomic_thread_fence(memory_order_acquire);
#endif
#ifdef EVICTED
	for (int i = 0; i < 20; i++)
		(void)atomic_load_explicit(&pointers[i], memory_order_relaxed);
#endif
	return (void *)data; /* READ */
}

int main(void)
{
	pthread_t w, r;
#ifdef EVICTED
	static int targets[20];
	for (int i = 0; i < 20; i++)
		atomic_init(&pointers[i], &targets[i]);
#endif
	pthread_create(&r, NULL, reader, NULL);
	pthread_create(&w, NULL, writer, NULL);
	pthread_join(w, NULL);
	pthread_join(r, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 reader {{.*}}missing_edge_flag.c:110
// CHECK-NEXT: Previous write at {{.*}} by thread T2:
// CHECK-NEXT: #0 writer {{.*}}missing_edge_flag.c:92
// CHECK-NEXT: Location is global 'data'
// CHECK-NEXT: After its write, thread T2 stored to 'ready' (0x{{[0-9a-f]+}}), and thread T1
// NOTED-NEXT: loaded the value before the read at missing_edge_flag.c:110:
// RECORD-NEXT: loaded it before the read at missing_edge_flag.c:110:
// LOAD-NEXT: Published by thread T2 with a release atomic store:
// VOLATILE-NEXT: Published by thread T2 with a volatile store:
// BOTH-NEXT: Published by thread T2 with a relaxed atomic store:
// FENCE-NEXT: Published by thread T2 with a relaxed atomic store:
// STORE-NEXT: Published by thread T2 with a relaxed atomic store:
// CHECK-NEXT: #0 writer {{.*}}missing_edge_flag.c:93
// LOAD-NEXT: Obtained by thread T1 with a relaxed atomic load:
// VOLATILE-NEXT: Obtained by thread T1 with a volatile load:
// BOTH-NEXT: Obtained by thread T1 with a relaxed atomic load:
// FENCE-NEXT: Obtained by thread T1 with a relaxed atomic load, then the acquire fence at missing_edge_flag.c:104:
// STORE-NEXT: Obtained by thread T1 with an acquire atomic load:
// CHECK-NEXT: #0 reader {{.*}}missing_edge_flag.c:101
// LOAD-NEXT: Missing edge: the store at missing_edge_flag.c:93 releases, but the load at
// LOAD-NEXT: missing_edge_flag.c:101 is relaxed and does not acquire.
// LOAD-NEXT: Fix: make the load at missing_edge_flag.c:101 memory_order_acquire
// LOAD-NEXT: (smp_load_acquire()), or put an acquire fence (smp_rmb() /
// LOAD-NEXT: atomic_thread_fence(memory_order_acquire)) between it and the read at
// LOAD-NEXT: missing_edge_flag.c:110.
// BOTH-NEXT: Missing edge: the store at missing_edge_flag.c:93 and the load at
// BOTH-NEXT: missing_edge_flag.c:101 are both relaxed, so nothing the publishing thread did
// BOTH-NEXT: before the store is ordered before the read at missing_edge_flag.c:110.
// BOTH-NEXT: Fix: make the store at missing_edge_flag.c:93 memory_order_release
// BOTH-NEXT: (smp_store_release()) and the load at missing_edge_flag.c:101
// BOTH-NEXT: memory_order_acquire (smp_load_acquire()).
// VOLATILE-NEXT: Missing edge: the store at missing_edge_flag.c:93 and the load at
// VOLATILE-NEXT: missing_edge_flag.c:101 are both volatile, so nothing the publishing thread
// VOLATILE-NEXT: did before the store is ordered before the read at missing_edge_flag.c:110.
// VOLATILE-NEXT: Fix: make the store at missing_edge_flag.c:93 memory_order_release
// VOLATILE-NEXT: (smp_store_release()) and the load at missing_edge_flag.c:101
// VOLATILE-NEXT: memory_order_acquire (smp_load_acquire()).
// FENCE-NEXT: Missing edge: the load at missing_edge_flag.c:101 acquires through the acquire
// FENCE-NEXT: fence at missing_edge_flag.c:104, but the store at missing_edge_flag.c:93 is
// FENCE-NEXT: relaxed and releases nothing.
// FENCE-NEXT: Fix: make the store at missing_edge_flag.c:93 memory_order_release
// STORE-NEXT: Missing edge: the load at missing_edge_flag.c:101 acquires, but the store at
// STORE-NEXT: missing_edge_flag.c:93 is relaxed and releases nothing.
// STORE-NEXT: Fix: make the store at missing_edge_flag.c:93 memory_order_release
// STORE-NEXT: (smp_store_release()), or put a release fence (smp_wmb() /
// STORE-NEXT: atomic_thread_fence(memory_order_release)) before it.
// CHECK: SUMMARY: SlabSan: data race {{.*}}missing_edge_flag.c:110 in reader

// (the reader may read data before or after the write: either order races)
// FIRST: WARNING: SlabSan: data race
// FIRST: writer {{.*}}missing_edge_flag.c:90
// FIRST: Location is global 'data'
// FIRST-NOT: Published by
// FIRST-NOT: Fix:
// FIRST: SUMMARY: SlabSan: data race

// CLEAN-NOT: WARNING: SlabSan
