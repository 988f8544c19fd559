// The report of a free without acquire names the load the freeing thread
// got the pointer from. A load from inside the block itself (an empty
// list's head pointing to itself, liburcu's wfcqueue) returns the block's
// address too, but the thread had that address already: the pointer came
// through 'mailbox'. Before, the report named the block's own field.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct list {
	_Atomic(struct list *) next; /* points to itself when empty */
	long payload;
};

static _Atomic(struct list *) mailbox;

static void *receiver(void *arg)
{
	struct list *l;
	while (!(l = atomic_load_explicit(&mailbox, memory_order_relaxed))) /* OBTAIN */
		;
	if (atomic_load_explicit(&l->next, memory_order_relaxed) == l) /* SELF */
		free(l); /* FREE */
	return arg;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, receiver, NULL);
	struct list *l = malloc(sizeof *l);
	l->payload = 1;
	atomic_store_explicit(&l->next, l, memory_order_relaxed);
	atomic_store_explicit(&mailbox, l, memory_order_relaxed); /* PUBLISH */
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 16 at {{.*}} by thread T1:
// CHECK-NEXT: #0 receiver {{.*}}handoff_self_pointer.c:24
// CHECK: The pointer reached thread T1 through 'mailbox'
// CHECK-NEXT: Published by main thread (T0) with a relaxed atomic store:
// CHECK-NEXT: #0 main {{.*}}handoff_self_pointer.c:35
// CHECK-NEXT: Obtained by thread T1 with a relaxed atomic load:
// CHECK-NEXT: #0 receiver {{.*}}handoff_self_pointer.c:21
