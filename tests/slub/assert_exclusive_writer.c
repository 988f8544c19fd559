// SPDX-License-Identifier: Apache-2.0
// KCSAN's ASSERT_EXCLUSIVE_WRITER(): the owner of a statistic updates it
// with marked accesses and asserts nobody else writes it. Another thread's
// concurrent WRITE_ONCE() is no data race (both are marked) but breaks the
// assertion: "assert: race". With both writers under one spinlock: silent.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DLOCKED %s -o %t.locked
// RUN: %expect-exit 0 %t.locked 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <slabsan/lkmm.h>

long nr_events;
static DEFINE_SPINLOCK(events_lock);
static int asserted;   /* relaxed: forces the interleaving, orders nothing */

static void *owner(void *arg)
{
	(void)arg;
#ifdef LOCKED
	spin_lock(&events_lock);
#endif
	ASSERT_EXCLUSIVE_WRITER(nr_events); /* ASSERT */
	WRITE_ONCE(nr_events, READ_ONCE(nr_events) + 1);
#ifdef LOCKED
	spin_unlock(&events_lock);
#endif
	WRITE_ONCE(asserted, 1);
	return NULL;
}

static void *intruder(void *arg)
{
	(void)arg;
	while (!READ_ONCE(asserted))
		sched_yield();
#ifdef LOCKED
	spin_lock(&events_lock);
#endif
	WRITE_ONCE(nr_events, 100); /* INTRUDE */
#ifdef LOCKED
	spin_unlock(&events_lock);
#endif
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, owner, NULL);
	pthread_create(&b, NULL, intruder, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: assert: race (pid={{[0-9]+}})
// CHECK-NEXT: Atomic write of size 8 at 0x{{[0-9a-f]+}} by thread T2:
// CHECK-NEXT: #0 intruder {{.*}}assert_exclusive_writer.c:40
// CHECK-NEXT: Previous ASSERT_EXCLUSIVE_WRITER at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 owner {{.*}}assert_exclusive_writer.c:23
// CHECK: SUMMARY: SlabSan: assert: race {{.*}}assert_exclusive_writer.c:40 in intruder
// CHECK-NOT: WARNING: SlabSan
