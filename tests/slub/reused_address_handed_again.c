// SPDX-License-Identifier: Apache-2.0
// Not a stale pointer: the reader loaded a pointer to a kmalloc object, the
// updater freed it and got the same memory back from kmalloc(), then handed
// the new object over again under a mutex (a plain variable, which no note
// shows) and wrote it once more after the unlock. The race of that last
// write with the reader's read is reported, but the reader acquired the new
// allocation through the mutex, so the report must not call its pointer
// stale (the old load's store came before the allocation, as a stale
// pointer's does).
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <slabsan/slab.h>

struct entry {
	long value;
	long spare;
};
static struct entry *current_entry;
static pthread_mutex_t handover_lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *handed;   /* under handover_lock */
static int loaded, written;

static void *reader(void *arg)
{
	(void)arg;
	struct entry *old = rcu_dereference(current_entry);
	WRITE_ONCE(loaded, old != NULL);
	struct entry *e = NULL;
	while (!e) {
		pthread_mutex_lock(&handover_lock);
		e = handed;
		pthread_mutex_unlock(&handover_lock);
	}
	while (!READ_ONCE(written))
		sched_yield();
	return (void *)e->value; /* READ */
}

int main(void)
{
	pthread_t t;
	struct entry *first = kmalloc(sizeof *first, GFP_KERNEL);
	first->value = 1;
	rcu_assign_pointer(current_entry, first);
	pthread_create(&t, NULL, reader, NULL);
	while (!READ_ONCE(loaded))
		sched_yield();
	rcu_assign_pointer(current_entry, NULL);
	kfree(first);
	struct entry *next = kmalloc(sizeof *next, GFP_KERNEL);
	pthread_mutex_lock(&handover_lock);
	handed = next;
	pthread_mutex_unlock(&handover_lock);
	next->value = 2; /* WRITE */
	WRITE_ONCE(written, 1);   /* next == first: the model's sheaf is LIFO */
	pthread_join(t, NULL);
	kfree(next);
	return 0;
}

// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 {{.*}} by thread T1:
// CHECK-NEXT: #0 reader {{.*}}reused_address_handed_again.c:38
// CHECK-NEXT: Previous write {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}reused_address_handed_again.c:56
// CHECK-NOT: stored it at
// CHECK: SUMMARY: SlabSan: data race
