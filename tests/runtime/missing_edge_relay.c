// A chain of hand-offs through a relay: the producer writes data and
// release-stores 'ready'; the relay acquires 'ready' and then stores
// 'forwarded'; the consumer waits for 'forwarded' and reads data. The
// chain breaks at the second pair, whose store and load are the
// consumer's and relay's, not the producer's: the report says how the
// relay got the write (the producer's release, the relay's acquire) and
// which side of the second pair to fix: the relay's relaxed store
// (RELAXED_STORE, where a fence before it must be smp_mb(): smp_wmb() is
// not cumulative) or the consumer's relaxed load (RELAXED_LOAD), or both
// (BOTH_RELAXED, and VOLATILE as the kernel's WRITE_ONCE and READ_ONCE),
// which only the two accesses' records show ("loaded it"). A relay that
// acquires only after its store (ACQUIRE_AFTER) relayed nothing and is not
// named. Release/acquire on both pairs: silent.
// RUN: %slabsan-cc -O1 -g -DRELAXED_STORE %s -o %t.store
// RUN: %expect-exit 66 %t.store 2>&1 | FileCheck %s --check-prefixes=CHECK,NOTED,STORE
// RUN: env SLABSAN_OPTIONS=html_path=%t.html:json_path=%t.json %expect-exit 66 %t.store 2>/dev/null
// RUN: FileCheck %s --check-prefix=HTML < %t.html
// RUN: python3 %S/../output/Inputs/check-json.py %t.json | FileCheck %s --check-prefix=JSON
// RUN: %slabsan-cc -O1 -g -DRELAXED_LOAD %s -o %t.load
// RUN: %expect-exit 66 %t.load 2>&1 | FileCheck %s --check-prefixes=CHECK,NOTED,LOAD
// RUN: %slabsan-cc -O1 -g -DBOTH_RELAXED %s -o %t.both
// RUN: %expect-exit 66 %t.both 2>&1 | FileCheck %s --check-prefixes=CHECK,RECORD,BOTH
// RUN: %slabsan-cc -O1 -g -DVOLATILE %s -o %t.volatile
// RUN: %expect-exit 66 %t.volatile 2>&1 | FileCheck %s --check-prefixes=CHECK,RECORD,VOLATILE
// RUN: %slabsan-cc -O1 -g -DRELAXED_STORE -DACQUIRE_AFTER %s -o %t.after
// RUN: %expect-exit 66 %t.after 2>&1 | FileCheck %s --check-prefix=AFTER
// RUN: %slabsan-cc -O1 -g %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#if defined(RELAXED_STORE)
#define RELAY_STORE memory_order_relaxed
#define CONSUMER_LOAD memory_order_acquire
#elif defined(RELAXED_LOAD)
#define RELAY_STORE memory_order_release
#define CONSUMER_LOAD memory_order_relaxed
#elif defined(BOTH_RELAXED)
#define RELAY_STORE memory_order_relaxed
#define CONSUMER_LOAD memory_order_relaxed
#else
#define RELAY_STORE memory_order_release
#define CONSUMER_LOAD memory_order_acquire
#endif

long data; /* not static: LLVM would shrink it */
static _Atomic int ready;
#ifdef VOLATILE
static volatile int forwarded;
#define STORE_FORWARDED() (forwarded = 1)
#define LOAD_FORWARDED() forwarded
#else
static _Atomic int forwarded;
#define STORE_FORWARDED() atomic_store_explicit(&forwarded, 1, RELAY_STORE)
#define LOAD_FORWARDED() atomic_load_explicit(&forwarded, CONSUMER_LOAD)
#endif

static void *producer(void *arg)
{
	data = 42; /* WRITE */
	atomic_store_explicit(&ready, 1, memory_order_release); /* RELEASE */
	return arg;
}

static void wait_ready(void)
{
	while (!atomic_load_explicit(&ready, memory_order_acquire)) /* ACQUIRE */
		sched_yield();
}

static void *relay(void *arg)
{
#ifndef ACQUIRE_AFTER
	wait_ready();
#endif
	STORE_FORWARDED(); /* STORE */
#ifdef ACQUIRE_AFTER
	wait_ready();
#endif
	return arg;
}

static void *consumer(void *arg)
{
	while (!LOAD_FORWARDED()) /* LOAD */
		sched_yield();
	return (void *)data; /* READ */
}

int main(void)
{
	pthread_t c, r, p;
	pthread_create(&c, NULL, consumer, NULL);
	pthread_create(&r, NULL, relay, NULL);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(p, NULL);
	pthread_join(r, NULL);
	pthread_join(c, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 consumer {{.*}}missing_edge_relay.c:88
// CHECK-NEXT: Previous write at {{.*}} by thread T3:
// CHECK-NEXT: #0 producer {{.*}}missing_edge_relay.c:61
// CHECK-NEXT: Location is global 'data'
// CHECK-NEXT: After its write, thread T3 released it through 'ready' (0x{{[0-9a-f]+}}) to
// CHECK-NEXT: thread T2, which then stored to 'forwarded' (0x{{[0-9a-f]+}}), and thread T1
// NOTED-NEXT: loaded the value before the read at missing_edge_relay.c:88:
// RECORD-NEXT: loaded it before the read at missing_edge_relay.c:88:
// CHECK-NEXT: Released by thread T3 with a release atomic store:
// CHECK-NEXT: #0 producer {{.*}}missing_edge_relay.c:62
// CHECK-NEXT: Acquired by thread T2 with an acquire atomic load:
// CHECK-NEXT: #0 wait_ready {{.*}}missing_edge_relay.c:68
// CHECK-NEXT: #1 relay {{.*}}missing_edge_relay.c:75
// STORE-NEXT: Published by thread T2 with a relaxed atomic store:
// LOAD-NEXT: Published by thread T2 with a release atomic store:
// BOTH-NEXT: Published by thread T2 with a relaxed atomic store:
// VOLATILE-NEXT: Published by thread T2 with a volatile store:
// CHECK-NEXT: #0 relay {{.*}}missing_edge_relay.c:77
// STORE-NEXT: Obtained by thread T1 with an acquire atomic load:
// LOAD-NEXT: Obtained by thread T1 with a relaxed atomic load:
// BOTH-NEXT: Obtained by thread T1 with a relaxed atomic load:
// VOLATILE-NEXT: Obtained by thread T1 with a volatile load:
// CHECK-NEXT: #0 consumer {{.*}}missing_edge_relay.c:86
// STORE-NEXT: Missing edge: the load at missing_edge_relay.c:86 acquires, but the store at
// STORE-NEXT: missing_edge_relay.c:77 is relaxed and releases nothing.
// STORE-NEXT: Fix: make the store at missing_edge_relay.c:77 memory_order_release
// STORE-NEXT: (smp_store_release()), or put a release fence (smp_mb() /
// STORE-NEXT: atomic_thread_fence(memory_order_release)) before it.
// LOAD-NEXT: Missing edge: the store at missing_edge_relay.c:77 releases, but the load at
// LOAD-NEXT: missing_edge_relay.c:86 is relaxed and does not acquire.
// LOAD-NEXT: Fix: make the load at missing_edge_relay.c:86 memory_order_acquire
// BOTH-NEXT: Missing edge: the store at missing_edge_relay.c:77 and the load at
// BOTH-NEXT: missing_edge_relay.c:86 are both relaxed, so nothing the publishing thread did
// BOTH-NEXT: before the store is ordered before the read at missing_edge_relay.c:88.
// VOLATILE-NEXT: Missing edge: the store at missing_edge_relay.c:77 and the load at
// VOLATILE-NEXT: missing_edge_relay.c:86 are both volatile, so nothing the publishing thread
// VOLATILE-NEXT: did before the store is ordered before the read at missing_edge_relay.c:88.
// RECORD-NEXT: Fix: make the store at missing_edge_relay.c:77 memory_order_release
// RECORD-NEXT: (smp_store_release()) and the load at missing_edge_relay.c:86
// RECORD-NEXT: memory_order_acquire (smp_load_acquire()).
// CHECK: SUMMARY: SlabSan: data race {{.*}}missing_edge_relay.c:88 in consumer

// The timeline draws each link: the release to the acquire (happens-before),
// the relay's store to the consumer's load (reads-from only), and the
// missing edge from the producer's write to the consumer's read.
// HTML: <g class="edge sync" data-from="f1-e2" data-to="f1-e3">
// HTML-NEXT: <g class="edge reads-from" data-from="f1-e4" data-to="f1-e5">
// HTML-NEXT: <g class="edge missing" data-from="f1-e1" data-to="f1-e0">
// HTML: <g class="event role-previous" id="f1-e1" data-thread="3" data-col="6">
// HTML: <g class="event role-release" id="f1-e2" data-thread="3" data-col="7">
// HTML: <g class="event role-acquire" id="f1-e3" data-thread="2" data-col="8">
// HTML: <g class="event role-publish" id="f1-e4" data-thread="2" data-col="9">
// HTML: <g class="event role-consume" id="f1-e5" data-thread="1" data-col="10">
// JSON: event previous T3 producer {{.*}}missing_edge_relay.c:61
// JSON-NEXT: event release T3 producer {{.*}}missing_edge_relay.c:62
// JSON-NEXT: event acquire T2 wait_ready {{.*}}missing_edge_relay.c:68
// JSON-NEXT: event publish T2 relay {{.*}}missing_edge_relay.c:77
// JSON-NEXT: event consume T1 consumer {{.*}}missing_edge_relay.c:86

// (the consumer may read data before or after the write: either order races)
// AFTER: WARNING: SlabSan: data race
// AFTER: Location is global 'data'
// AFTER-NOT: acquired it there
// AFTER-NOT: Published by
// AFTER: SUMMARY: SlabSan: data race

// CLEAN-NOT: WARNING: SlabSan
