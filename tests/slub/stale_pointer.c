// SPDX-License-Identifier: Apache-2.0
// A reader loads the published pointer inside rcu_read_lock(); the updater
// frees that object with no grace period, and kmalloc() hands the same
// memory out again at once, which the updater writes. The reader's late
// read through its stale pointer races with that write: the report says the
// pointer was stored before the block now there was allocated, so it is to
// an earlier block, freed and reused, and asks for a grace period
// (NO_SECTION: outside a read-side section, for the earlier block's free to
// wait until no one uses it). SYNCHRONIZE: synchronize_rcu() before the
// kfree(): silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,RCU
// RUN: env SLABSAN_OPTIONS=html_path=%t.html %expect-exit 66 %t 2>/dev/null
// RUN: FileCheck %s --check-prefix=HTML < %t.html
// RUN: %slabsan-cc -O1 -g -DNO_SECTION %s -o %t.plain
// RUN: %expect-exit 66 %t.plain 2>&1 | FileCheck %s --check-prefixes=CHECK,PLAIN
// RUN: %slabsan-cc -O1 -g -DSYNCHRONIZE %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <slabsan/slab.h>

#ifdef NO_SECTION
#define read_lock()
#define read_unlock()
#else
#define read_lock() rcu_read_lock()
#define read_unlock() rcu_read_unlock()
#endif

struct entry {
	long value;
	long spare;
};
static struct entry *current_entry;
static int loaded, reused;

static void *reader(void *arg)
{
	(void)arg;
	read_lock();
	struct entry *e = rcu_dereference(current_entry); /* LOAD */
	WRITE_ONCE(loaded, 1);
#ifndef SYNCHRONIZE
	while (!READ_ONCE(reused))
		sched_yield();
#endif
	long v = e->value; /* STALE_READ */
	read_unlock();
	return (void *)v;
}

int main(void)
{
	pthread_t t;
	struct entry *first = kmalloc(sizeof *first, GFP_KERNEL);
	first->value = 1;
	rcu_assign_pointer(current_entry, first); /* PUBLISH */
	pthread_create(&t, NULL, reader, NULL);
	while (!READ_ONCE(loaded))
		sched_yield();
	rcu_assign_pointer(current_entry, NULL);
#ifdef SYNCHRONIZE
	synchronize_rcu();
#endif
	kfree(first);
	struct entry *next = kmalloc(sizeof *next, GFP_KERNEL); /* REALLOC */
	next->value = 2; /* REUSE_WRITE */
	WRITE_ONCE(reused, 1);   /* the same memory: the model's sheaf is LIFO */
	pthread_join(t, NULL);
	kfree(next);
	return 0;
}

// CLEAN-NOT: SlabSan

// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} (struct entry::value) by thread T1{{(, inside an RCU read-side critical section)?}}:
// CHECK-NEXT: #0 reader {{.*}}stale_pointer.c:48
// CHECK-NEXT: Previous write at {{.*}} (struct entry::value) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}stale_pointer.c:68
// CHECK-NEXT: Location is heap block of size 16 at {{.*}} (offset 0) allocated by main thread (T0):
// CHECK: #{{[0-9]+}} main {{.*}}stale_pointer.c:67
// CHECK-NEXT: The pointer reached thread T1 through 'current_entry'
// CHECK-NEXT: Published by main thread (T0) with a release atomic store:
// CHECK-NEXT: #0 main {{.*}}stale_pointer.c:58
// CHECK-NEXT: Obtained by thread T1 with an acquire atomic load:
// CHECK-NEXT: #0 reader {{.*}}stale_pointer.c:42
// CHECK-NEXT: But main thread (T0) stored it at stale_pointer.c:58 before it allocated this
// CHECK-NEXT: block: it points to an earlier block at this address, which was freed, and its
// CHECK-NEXT: memory handed out again, while thread T1 still used it.
// RCU-NEXT: Fix: free the earlier block after a grace period (kfree_rcu(), call_rcu(), or
// PLAIN-NEXT: Fix: free the earlier block only when no other thread can still use it (a
// CHECK: SUMMARY: SlabSan: data race {{.*}}stale_pointer.c:48 in reader
// CHECK-NOT: WARNING: SlabSan
// The hand-off synchronized (an acquire load of a release store): drawn as
// happens-before, publish before the write it does not cover; and the block
// now at the address was allocated after that store (of the earlier block's
// pointer), so main's lane runs publish, allocation, write.
// HTML-DAG: <g class="edge po" data-from="f1-e3" data-to="f1-e2">
// HTML-DAG: <g class="edge po" data-from="f1-e2" data-to="f1-e1">
// HTML: <g class="edge sync" data-from="f1-e3" data-to="f1-e4">
