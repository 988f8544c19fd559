// SPDX-License-Identifier: Apache-2.0
// A pointer handed over through a field of another heap block (a list
// node's next) has no variable name to give: the report says which member
// (where the pass can tell), where in which block, allocated where, so the
// reader can tell the list head from the node.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DFIXED %s -o %t.fixed && %expect-exit 0 %t.fixed 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#ifdef FIXED
#define TAKE_ORDER memory_order_acquire
#else
#define TAKE_ORDER memory_order_relaxed
#endif

struct node {
	long value;
	_Atomic(struct node *) next;
};
static struct node *head;

static void *consumer(void *arg)
{
	struct node *n;
	(void)arg;
	while (!(n = atomic_load_explicit(&head->next, TAKE_ORDER))) /* LOAD */
		sched_yield();
	long value = n->value; /* READ */
	free(n);
	return (void *)value;
}

int main(void)
{
	head = calloc(1, sizeof *head); /* HEAD */
	pthread_t t;
	pthread_create(&t, NULL, consumer, NULL);
	struct node *n = malloc(sizeof *n);
	n->value = 3; /* WRITE */
	atomic_store_explicit(&head->next, n, memory_order_release); /* STORE */
	pthread_join(t, NULL);
	free(head);
	return 0;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} (struct node::value) by thread T1:
// CHECK-NEXT: #0 consumer {{.*}}handoff_through_block.c:31
// CHECK-NEXT: Previous write at {{.*}} (struct node::value) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}handoff_through_block.c:42
// CHECK: The pointer reached thread T1 through 0x{{[0-9a-f]+}} (struct node::next,
// CHECK-NEXT: offset 8 in the heap block of size 16 allocated at
// CHECK-NEXT: handoff_through_block.c:38):
// CHECK-NEXT: Published by main thread (T0) with a release atomic store:
// CHECK-NEXT: #0 main {{.*}}handoff_through_block.c:43
// CHECK-NEXT: Obtained by thread T1 with a relaxed atomic load:
// CHECK-NEXT: #0 consumer {{.*}}handoff_through_block.c:29
