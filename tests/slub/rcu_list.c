// SPDX-License-Identifier: Apache-2.0
// An RCU-protected list: a reader walks it under rcu_read_lock() and stays
// in its read-side section while an updater unlinks the first node. Freeing
// the node after a grace period (kfree_rcu, call_rcu, synchronize_rcu +
// kfree) is silent. kfree() right away, while the reader may still be
// reading, is a data race of the free with the reader's read, which the
// report places inside its RCU read-side section, asking for a grace period.
// RUN: %slabsan-cc -O1 -g %s -o %t.kfree_rcu && %expect-exit 0 %t.kfree_rcu 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DCALL_RCU %s -o %t.call_rcu && %expect-exit 0 %t.call_rcu 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DSYNCHRONIZE %s -o %t.sync && %expect-exit 0 %t.sync 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DNO_GRACE_PERIOD %s -o %t.bad
// RUN: %expect-exit 66 %t.bad 2>&1 | %S/Inputs/check-lines %src/allocator/kmalloc.c -- FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <slabsan/slab.h>

struct node {
	int key;
	struct node *next;
	struct rcu_head rcu;
};

static struct node *list;
static DEFINE_SPINLOCK(list_lock);
static int reader_inside, node_gone;   /* relaxed: force the interleaving */
static long sum;
static int key_after_unlink;

static void *reader(void *arg)
{
	(void)arg;
	rcu_read_lock();
	struct node *first = rcu_dereference(list);
	for (struct node *p = first; p; p = rcu_dereference(p->next))
		sum += p->key; /* READ */
	WRITE_ONCE(reader_inside, 1);
	while (!READ_ONCE(node_gone))
		sched_yield();
	/* Unlinked by now, but this section began before: still ours to read. */
	key_after_unlink = first->key;
	rcu_read_unlock();
	return NULL;
}

#ifdef CALL_RCU
static void free_node(struct rcu_head *head)
{
	kfree((char *)head - offsetof(struct node, rcu));
}
#endif

static void *updater(void *arg)
{
	(void)arg;
	while (!READ_ONCE(reader_inside))
		sched_yield();
	spin_lock(&list_lock);
	struct node *old = list;
	rcu_assign_pointer(list, old->next);
	spin_unlock(&list_lock);
#if defined(NO_GRACE_PERIOD)
	kfree(old); /* BAD_FREE */
	WRITE_ONCE(node_gone, 1);
#elif defined(SYNCHRONIZE)
	WRITE_ONCE(node_gone, 1);
	synchronize_rcu();
	kfree(old);
#elif defined(CALL_RCU)
	call_rcu(&old->rcu, free_node);
	WRITE_ONCE(node_gone, 1);
#else
	kfree_rcu(old, rcu);
	WRITE_ONCE(node_gone, 1);
#endif
	return NULL;
}

int main(void)
{
	pthread_t r, u;
	for (int key = 3; key > 0; key--) {
		struct node *n = kmalloc(sizeof(*n), GFP_KERNEL); /* ALLOC */
		n->key = key;
		n->next = list;
		list = n;
	}
	pthread_create(&r, NULL, reader, NULL);
	pthread_create(&u, NULL, updater, NULL);
	pthread_join(r, NULL);
	pthread_join(u, NULL);
	rcu_barrier();
	while (list) {
		struct node *next = list->next;
		kfree(list);
		list = next;
	}
	return sum == 6 && key_after_unlink == 1 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Free of heap block of size 40 at 0x{{[0-9a-f]+}} by thread T2:
// CHECK-NEXT: #0 kfree {{.*}}allocator/kmalloc.c:[[KFREE_USER]]
// CHECK-NEXT: #1 updater {{.*}}rcu_list.c:62
// CHECK-NEXT: Previous read at 0x{{[0-9a-f]+}} (offset 0, struct node::key) by thread T1, inside an RCU read-side critical section:
// CHECK-NEXT: #0 reader {{.*}}rcu_list.c:35
// CHECK-NEXT: Heap block allocated by main thread (T0):
// CHECK: #{{[0-9]+}} main {{.*}}rcu_list.c:82
// CHECK-NEXT: The read's RCU read-side critical section was entered by thread T1 at:
// CHECK-NEXT: #0 rcu_read_lock {{.*}}allocator/rcu.c:{{[0-9]+}}
// CHECK-NEXT: #1 reader {{.*}}rcu_list.c:32
// CHECK-NEXT: The previous read at rcu_list.c:35 was inside an RCU read-side critical
// CHECK-NEXT: section, which keeps out no free: only a grace period waits for it, and
// CHECK-NEXT: nothing made the free wait for one.
// CHECK-NEXT: Fix: free the block after a grace period: kfree_rcu() or call_rcu() instead of
// CHECK-NEXT: the free, or synchronize_rcu() between unpublishing the block
// CHECK-NEXT: (rcu_assign_pointer()) and the free.
// CHECK: SUMMARY: SlabSan: data race {{.*}}rcu_list.c:62 in updater
// CHECK-NOT: WARNING: SlabSan
