// SPDX-License-Identifier: Apache-2.0
// A reader reads two fields through a stale pointer (the object freed with
// no grace period and its memory handed out again at once), and each read
// races with the new owner's write of that field. Both races have the one
// cause, the early free of the earlier block: the second report says it is
// a consequence of the first, as reports of one missing edge do.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: env SLABSAN_OPTIONS=json_path=%t.json %expect-exit 66 %t 2>/dev/null
// RUN: python3 %S/../output/Inputs/check-json.py %t.json | FileCheck %s --check-prefix=JSON
#include <pthread.h>
#include <sched.h>
#include <slabsan/slab.h>

struct entry {
	long value;
	long spare;
};
static struct entry *current_entry;
static int loaded, reused;

static void *reader(void *arg)
{
	(void)arg;
	rcu_read_lock();
	struct entry *e = rcu_dereference(current_entry);
	WRITE_ONCE(loaded, 1);
	while (!READ_ONCE(reused))
		sched_yield();
	long v = e->value + e->spare;
	rcu_read_unlock();
	return (void *)v;
}

int main(void)
{
	pthread_t t;
	struct entry *first = kmalloc(sizeof *first, GFP_KERNEL);
	first->value = 1;
	first->spare = 1;
	rcu_assign_pointer(current_entry, first);
	pthread_create(&t, NULL, reader, NULL);
	while (!READ_ONCE(loaded))
		sched_yield();
	rcu_assign_pointer(current_entry, NULL);
	kfree(first);
	struct entry *next = kmalloc(sizeof *next, GFP_KERNEL);
	next->value = 2;
	next->spare = 2;
	WRITE_ONCE(reused, 1);   /* the same memory: the model's sheaf is LIFO */
	pthread_join(t, NULL);
	kfree(next);
	return 0;
}

// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} (struct entry::value) by thread T1, inside an RCU read-side critical section:
// CHECK: But main thread (T0) stored it at stale_pointer_fields.c:41 before it
// CHECK-NOT: Same stale pointer
// CHECK: SUMMARY: SlabSan: data race {{.*}}stale_pointer_fields.c:30 in reader
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} (struct entry::spare) by thread T1, inside an RCU read-side critical section:
// CHECK: But main thread (T0) stored it at stale_pointer_fields.c:41 before it
// CHECK: Same stale pointer as SlabSan finding #1 (data race): a consequence of it.
// CHECK: SUMMARY: SlabSan: data race {{.*}}stale_pointer_fields.c:30 in reader
// CHECK-NOT: WARNING: SlabSan
// JSON: finding 1: data race at reader {{.*}}stale_pointer_fields.c:30 (x1){{$}}
// JSON: finding 2: data race at reader {{.*}}stale_pointer_fields.c:30 (x1) consequence of 1
