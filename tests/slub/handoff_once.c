// SPDX-License-Identifier: Apache-2.0
// The seed's contract, with Fix 2 (the default): a producer kmalloc()s and
// fills an object and publishes it with WRITE_ONCE; a consumer picks it up
// with READ_ONCE and kfree()s it. Nothing orders the allocation and the
// fill before the free: "free without acquire", naming the WRITE_ONCE and
// the READ_ONCE. kfree() then reads the slab's metadata, which the producer
// wrote when it created the slab: data races on struct slab::slab_cache and
// struct slab::obj_exts. smp_store_release/smp_load_acquire: silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | %S/Inputs/check-lines %src/allocator/kmalloc.c %src/allocator/memcg.c %src/allocator/slub.c -- FileCheck %s
// RUN: %slabsan-cc -O1 -g -DRELEASE_ACQUIRE %s -o %t.good
// RUN: %expect-exit 0 %t.good 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
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
	struct msg *m = kmalloc(sizeof(*m), GFP_KERNEL); /* ALLOC */
	m->id = 42; /* FILL */
#ifdef RELEASE_ACQUIRE
	smp_store_release(&mailbox, m);
#else
	WRITE_ONCE(mailbox, m); /* PUBLISH */
#endif
	return NULL;
}

static void *consumer(void *arg)
{
	struct msg *m;
	(void)arg;
#ifdef RELEASE_ACQUIRE
	while (!(m = smp_load_acquire(&mailbox)))
#else
	while (!(m = READ_ONCE(mailbox))) /* OBTAIN */
#endif
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
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: free without acquire (pid={{[0-9]+}})
// CHECK-NEXT: Free of heap block of size 56 at 0x{{[0-9a-f]+}} by thread T2:
// CHECK-NEXT: #0 kfree {{.*}}allocator/kmalloc.c:[[KFREE_USER]]
// CHECK-NEXT: #1 consumer {{.*}}handoff_once.c:46
// CHECK-NEXT: is not ordered after its allocation by thread T1:
// CHECK-NEXT: #0 slab_post_alloc_hook {{.*}}allocator/slub.c
// CHECK: #{{[0-9]+}} producer {{.*}}handoff_once.c:26
// CHECK-NEXT: nor after this write at 0x{{[0-9a-f]+}} (offset 0, struct msg::id) by thread T1:
// CHECK-NEXT: #0 producer {{.*}}handoff_once.c:27
// CHECK: Published by thread T1 with a relaxed atomic store:
// CHECK-NEXT: #0 producer {{.*}}handoff_once.c:31
// CHECK-NEXT: Obtained by thread T2 with a relaxed atomic load:
// CHECK-NEXT: #0 consumer {{.*}}handoff_once.c:43
// CHECK: Fix: make the store at {{.*}}handoff_once.c:31 memory_order_release
// CHECK-NEXT: (smp_store_release()) and the load at {{.*}}handoff_once.c:43 memory_order_acquire
// CHECK-NEXT: (smp_load_acquire()).
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}handoff_once.c:46 in consumer
// The allocator's own metadata, written when the producer created the slab:
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} (struct slab::slab_cache) by thread T2:
// CHECK-NEXT: #0 kfree {{.*}}allocator/kmalloc.c:[[KFREE_SLAB_CACHE]]
// CHECK-NEXT: #1 consumer {{.*}}handoff_once.c:46
// CHECK-NEXT: Previous write at 0x{{[0-9a-f]+}} (struct slab::slab_cache) by thread T1:
// CHECK-NEXT: #0 allocate_slab {{.*}}allocator/slub.c:[[SLAB_CACHE_INIT]]
// CHECK: #{{[0-9]+}} producer {{.*}}handoff_once.c:26
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Atomic read of size 8 at 0x{{[0-9a-f]+}} (struct slab::obj_exts) by thread T2:
// CHECK-NEXT: #0 slab_obj_exts {{.*}}allocator/memcg.c:[[OBJ_EXTS_LOAD]]
// CHECK: #{{[0-9]+}} consumer {{.*}}handoff_once.c:46
// CHECK-NEXT: Previous write at 0x{{[0-9a-f]+}} (struct slab::obj_exts) by thread T1:
// CHECK-NEXT: #0 alloc_slab_obj_exts_early {{.*}}allocator/memcg.c:[[OBJ_EXTS_INIT]]
// CHECK-NOT: WARNING: SlabSan
