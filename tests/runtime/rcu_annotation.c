// An RCU of the program's own, annotated with slabsan_rcu_read_lock() and
// slabsan_rcu_read_unlock(): a reader reads the published object inside a
// read-side section and stays there until the updater, having seen it read
// (a relaxed flag, which orders nothing), frees the object (the default)
// or writes it in place (IN_PLACE). Both reports say the read was inside
// an RCU read-side critical section and where it began, and ask for a
// grace period (or, for the write, a copy). GRACE_PERIOD: the updater
// waits for the reader to leave its section (an acquire of its release
// store), as a grace period does: silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,FREE
// RUN: env SLABSAN_OPTIONS=json_path=%t.json %expect-exit 66 %t 2>/dev/null
// RUN: python3 %S/../output/Inputs/check-json.py %t.json | FileCheck %s --check-prefix=JSON
// RUN: %slabsan-cc -O1 -g -DIN_PLACE %s -o %t.write
// RUN: %expect-exit 66 %t.write 2>&1 | FileCheck %s --check-prefixes=CHECK,WRITE
// RUN: %slabsan-cc -O1 -g -DGRACE_PERIOD %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <slabsan/slabsan.h>

struct config {
	int timeout;
};
static struct config *_Atomic current;
static atomic_int has_read, go_on, left_section;

static void *reader(void *arg)
{
	(void)arg;
	slabsan_rcu_read_lock(); /* ENTER */
	struct config *c = atomic_load_explicit(&current, memory_order_acquire);
	int timeout = c->timeout; /* READ */
	atomic_store_explicit(&has_read, 1, memory_order_relaxed);
	while (!atomic_load_explicit(&go_on, memory_order_relaxed))
		sched_yield();
	slabsan_rcu_read_unlock();
	atomic_store_explicit(&left_section, 1, memory_order_release);
	return (void *)(long)timeout;
}

int main(void)
{
	pthread_t t;
	struct config *c = malloc(sizeof *c);
	c->timeout = 5;
	atomic_store_explicit(&current, c, memory_order_release);
	pthread_create(&t, NULL, reader, NULL);
	while (!atomic_load_explicit(&has_read, memory_order_relaxed))
		sched_yield();
#ifdef GRACE_PERIOD
	atomic_store_explicit(&go_on, 1, memory_order_relaxed);
	while (!atomic_load_explicit(&left_section, memory_order_acquire))
		sched_yield();
#endif
#ifdef IN_PLACE
	c->timeout = 7; /* WRITE */
#else
	free(c); /* FREE */
#endif
	atomic_store_explicit(&go_on, 1, memory_order_relaxed);
	pthread_join(t, NULL);
#ifdef IN_PLACE
	free(c);
#endif
	return 0;
}

// CLEAN-NOT: SlabSan

// CHECK: WARNING: SlabSan: data race
// FREE-NEXT: Free of heap block of size 4 at {{.*}} by main thread (T0):
// FREE-NEXT: #0 main {{.*}}rcu_annotation.c:61
// WRITE-NEXT: Write of size 4 at {{.*}} (struct config::timeout) by main thread (T0):
// WRITE-NEXT: #0 main {{.*}}rcu_annotation.c:59
// CHECK-NEXT: Previous read at {{.*}} by thread T1, inside an RCU read-side critical section:
// CHECK-NEXT: #0 reader {{.*}}rcu_annotation.c:35
// CHECK: The read's RCU read-side critical section was entered by thread T1 at:
// CHECK-NEXT: #0 reader {{.*}}rcu_annotation.c:33
// CHECK-NEXT: The previous read at rcu_annotation.c:35 was inside an RCU read-side critical
// FREE-NEXT: section, which keeps out no free: only a grace period waits for it, and
// FREE-NEXT: nothing made the free wait for one.
// FREE-NEXT: Fix: free the block after a grace period: kfree_rcu() or call_rcu() instead of
// WRITE-NEXT: section, which keeps out no writer: the write at rcu_annotation.c:59 changes
// WRITE-NEXT: memory a reader may still be reading.
// WRITE-NEXT: Fix: update a copy and publish it with rcu_assign_pointer() (the old one freed
// WRITE-NEXT: after a grace period), or wait for one with synchronize_rcu() before the write
// WRITE-NEXT: at rcu_annotation.c:59.
// FREE: SUMMARY: SlabSan: data race {{.*}}rcu_annotation.c:61 in main
// WRITE: SUMMARY: SlabSan: data race {{.*}}rcu_annotation.c:59 in main
// CHECK-NOT: WARNING: SlabSan
// JSON: event previous T1 reader {{.*}}rcu_annotation.c:35 member struct config::timeout
// JSON: event lock T1 reader {{.*}}rcu_annotation.c:33
// JSON: explanation: The previous read at rcu_annotation.c:35 was inside an RCU read-side critical section
