// SPDX-License-Identifier: Apache-2.0
// The consumer half of the seed's contract: the producer publishes with
// smp_store_release(), but the consumer loads the pointer with READ_ONCE()
// and kfree()s it. Under the default memory_model=strict (the slab contract:
// the freeing CPU must have acquired) this is a free without acquire whose
// fix is the load; the allocator's metadata reads in kfree() race too.
// (Under memory_model=lkmm the address dependency orders it:
// release_then_once_lkmm.c.)
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | %S/Inputs/check-lines %src/allocator/kmalloc.c -- FileCheck %s
// RUN: env SLABSAN_OPTIONS=memory_model=strict %expect-exit 66 %t 2>&1 \
// RUN:   | %S/Inputs/check-lines %src/allocator/kmalloc.c -- FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <slabsan/slab.h>

struct msg {
	long id;
	char payload[48];
};
static struct msg *mailbox;

static void *producer(void *arg)
{
	(void)arg;
	struct msg *m = kmalloc(sizeof(*m), GFP_KERNEL);
	m->id = 42;
	smp_store_release(&mailbox, m); /* PUBLISH */
	return NULL;
}

static void *consumer(void *arg)
{
	struct msg *m;
	(void)arg;
	while (!(m = READ_ONCE(mailbox))) /* OBTAIN */
		sched_yield();
	kfree(m); /* FREE */
	return NULL;
}

int main(void)
{
	pthread_t p, c;
	pthread_create(&p, NULL, producer, NULL);
	pthread_create(&c, NULL, consumer, NULL);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: free without acquire (pid={{[0-9]+}})
// CHECK-NEXT: Free of heap block of size 56 at 0x{{[0-9a-f]+}} by thread T2:
// CHECK-NEXT: #0 kfree {{.*}}allocator/kmalloc.c:[[KFREE_USER]]
// CHECK-NEXT: #1 consumer {{.*}}release_then_once.c:38
// CHECK: Published by thread T1 with a release atomic store:
// CHECK-NEXT: #0 producer {{.*}}release_then_once.c:28
// CHECK-NEXT: Obtained by thread T2 with a relaxed atomic load:
// CHECK-NEXT: #0 consumer {{.*}}release_then_once.c:36
// CHECK-NEXT: Missing edge: the store at {{.*}}release_then_once.c:28 releases, but the load at
// CHECK-NEXT: {{.*}}release_then_once.c:36 is relaxed
// CHECK: Fix: make the load at {{.*}}release_then_once.c:36 memory_order_acquire
// CHECK-NEXT: (smp_load_acquire())
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}release_then_once.c:38 in consumer
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} (struct slab::slab_cache) by thread T2:
