// SPDX-License-Identifier: Apache-2.0
// The seed's race (SLUB-NOTES section 3): thread X attaches a slab's obj_exts
// vector lazily (a __GFP_ACCOUNT allocation from a cache without
// SLAB_ACCOUNT, like an xarray node) while thread Y frees another object of
// the same slab, correctly handed over to it. rc1 ("unfixed") stores the
// stride plainly before cmpxchg(obj_exts), and Y's free hook reads it plainly
// after READ_ONCE(obj_exts): a data race on struct slab::stride. Fix 1
// (smp_wmb/smp_rmb) and Fix 2 (stride set before the slab is published,
// the default) are silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: env SLABSAN_SLUB_VARIANT=unfixed %expect-exit 66 %t 2>&1 \
// RUN:   | %S/Inputs/check-lines %src/allocator/memcg.c -- FileCheck %s
// RUN: env SLABSAN_SLUB_VARIANT=fix1 %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: env SLABSAN_SLUB_VARIANT=fix2 %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// The variant chosen by slabsan_slub_set_variant() instead; a bad name:
// RUN: %slabsan-cc -O1 -g -DSET_UNFIXED %s -o %t.api
// RUN: %expect-exit 66 %t.api 2>&1 | %S/Inputs/check-lines %src/allocator/memcg.c -- FileCheck %s
// RUN: env SLABSAN_SLUB_VARIANT=fix3 %expect-exit 2 %t 2>&1 | FileCheck %s --check-prefix=BAD-NAME
#include <pthread.h>
#include <sched.h>
#include <slabsan/slab.h>

static struct kmem_cache *xa_cache;
static void *handed;   /* X -> Y with release/acquire: a correct hand-off */
static int vec_ready;  /* X -> Y relaxed: forces the interleaving, orders nothing */

static void *thread_x(void *arg)
{
	(void)arg;
	/* A new slab: X's sheaf takes 32 of its objects, the rest go on the
	 * partial list. Both objects come from that slab. */
	void *mine = kmem_cache_alloc(xa_cache, GFP_KERNEL);
	void *theirs = kmem_cache_alloc(xa_cache, GFP_KERNEL);
	smp_store_release(&handed, theirs);
	/* No vector yet: alloc_slab_obj_exts() attaches one. */
	void *charged = kmem_cache_alloc(xa_cache, GFP_KERNEL_ACCOUNT); /* X_ACCOUNT */
	WRITE_ONCE(vec_ready, 1);
	kmem_cache_free(xa_cache, charged);
	kmem_cache_free(xa_cache, mine);
	return NULL;
}

static void *thread_y(void *arg)
{
	void *obj;
	(void)arg;
	while (!(obj = smp_load_acquire(&handed)))
		sched_yield();
	while (!READ_ONCE(vec_ready))
		sched_yield();
	/* memcg_slab_free_hook() sees the vector and reads the stride. */
	kmem_cache_free(xa_cache, obj); /* Y_FREE */
	return NULL;
}

int main(void)
{
	pthread_t x, y;
#ifdef SET_UNFIXED
	slabsan_slub_set_variant(SLABSAN_SLUB_UNFIXED);
#endif
	xa_cache = kmem_cache_create("xa_node", 576, 0, 0, NULL);
	pthread_create(&x, NULL, thread_x, NULL);
	pthread_create(&y, NULL, thread_y, NULL);
	pthread_join(x, NULL);
	pthread_join(y, NULL);
	kmem_cache_destroy(xa_cache);
	return slabsan_slub_charged_objects() == 0 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// BAD-NAME: SLABSAN_SLUB_VARIANT='fix3' is not unfixed, fix1 or fix2
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 4 at 0x{{[0-9a-f]+}} (struct slab::stride) by thread T2:
// CHECK-NEXT: #0 slab_get_stride {{.*}}allocator/memcg.c:[[STRIDE_LOAD]]
// CHECK: memcg_slab_free_hook {{.*}}allocator/memcg.c
// CHECK: #{{[0-9]+}} thread_y {{.*}}obj_exts_stride.c:53
// CHECK-NEXT: Previous write at 0x{{[0-9a-f]+}} (struct slab::stride) by thread T1:
// CHECK-NEXT: #0 slab_set_stride {{.*}}allocator/memcg.c:[[STRIDE_STORE]]
// CHECK-NEXT: #1 alloc_slab_obj_exts {{.*}}allocator/memcg.c:[[LAZY_STRIDE]]
// CHECK: #{{[0-9]+}} thread_x {{.*}}obj_exts_stride.c:37
// The missing edge is the obj_exts pair, not the object's hand-off:
// CHECK: After its write, thread T1 stored to 0x{{[0-9a-f]+}} (struct slab::obj_exts,
// CHECK-NEXT: offset {{[0-9]+}} in the same heap block), and thread T2 loaded the value before the
// CHECK-NEXT: read at memcg.c:[[STRIDE_LOAD]]:
// CHECK-NEXT: Published by thread T1 with an acq_rel atomic read-modify-write:
// CHECK-NEXT: #0 alloc_slab_obj_exts {{.*}}allocator/memcg.c:[[OBJ_EXTS_PUBLISH]]
// CHECK: Obtained by thread T2 with a relaxed atomic load:
// CHECK-NEXT: #0 slab_obj_exts {{.*}}allocator/memcg.c:[[OBJ_EXTS_LOAD]]
// CHECK: Missing edge: the read-modify-write at memcg.c:[[OBJ_EXTS_PUBLISH]] releases, but the load at
// CHECK-NEXT: memcg.c:[[OBJ_EXTS_LOAD]] is relaxed and does not acquire.
// CHECK-NEXT: Fix: make the load at memcg.c:[[OBJ_EXTS_LOAD]] memory_order_acquire (smp_load_acquire()), or
// CHECK-NEXT: put an acquire fence (smp_rmb() / atomic_thread_fence(memory_order_acquire))
// CHECK-NEXT: between it and the read at memcg.c:[[STRIDE_LOAD]].
// CHECK: SUMMARY: SlabSan: data race {{.*}}allocator/memcg.c:[[STRIDE_LOAD]] in slab_get_stride
// CHECK-NOT: WARNING: SlabSan
