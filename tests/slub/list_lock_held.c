// SPDX-License-Identifier: Apache-2.0
// A node's partial count is allocator metadata guarded by its list_lock (a
// spinlock_t of <slabsan/lkmm.h>, which tells the runtime when it is held).
// One thread updates it under the lock, another reads it without: the race
// report names the lock the write held, where it was taken, and that the
// read should take it too. Focused mode checks __slabsan_meta fields and
// reports the same. Taking the lock for the read is silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g %s -o %t.focused
// RUN: %expect-exit 66 %t.focused 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DLOCKED_READ %s -o %t.locked
// RUN: %expect-exit 0 %t.locked 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <slabsan/lkmm.h>

struct kmem_cache_node {
	spinlock_t list_lock;
	unsigned long nr_partial __slabsan_meta;   /* guarded by list_lock */
};

static struct kmem_cache_node node = {__SPIN_LOCK_UNLOCKED(node.list_lock), 0};
static int updated;      /* READ_ONCE/WRITE_ONCE: real-time order, no edge */
unsigned long seen;

static void *shrinker(void *arg)
{
	(void)arg;
	while (!READ_ONCE(updated))
		sched_yield();
#ifdef LOCKED_READ
	spin_lock(&node.list_lock);
#endif
	seen = node.nr_partial; /* READ */
#ifdef LOCKED_READ
	spin_unlock(&node.list_lock);
#endif
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, shrinker, NULL);
	spin_lock(&node.list_lock); /* LOCK */
	node.nr_partial++; /* WRITE */
	spin_unlock(&node.list_lock);
	WRITE_ONCE(updated, 1);
	pthread_join(t, NULL);
	return 0;
}

// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} (struct kmem_cache_node::nr_partial) by thread T1:
// CHECK-NEXT: #0 shrinker {{.*}}list_lock_held.c:35
// CHECK-NEXT: Previous write at {{.*}} (struct kmem_cache_node::nr_partial) by main thread (T0), holding lock M0:
// CHECK-NEXT: #0 main {{.*}}list_lock_held.c:47
// CHECK-NEXT: Location is global 'node'
// CHECK-NEXT: Lock M0 is in global 'node' ({{.*}}), taken by main thread (T0) at:
// CHECK-NEXT: #0 spin_lock {{.*}}lkmm.h
// CHECK-NEXT: #1 main {{.*}}list_lock_held.c:46
// CHECK-NEXT: Fix: The previous write at list_lock_held.c:47 held lock M0, this read holds
// CHECK-NEXT: no lock. M0 lies in the same global 'node' as this memory, so it likely guards
// CHECK-NEXT: it: take it around the read at list_lock_held.c:35 too.
// CHECK-NOT: WARNING: SlabSan

// CLEAN-NOT: WARNING: SlabSan
