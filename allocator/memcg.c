// SPDX-License-Identifier: Apache-2.0
/* Per-object memcg metadata (mm/slub.c, mm/memcontrol.c, v7.0-rc1): the
 * obj_exts vector, its stride, the charge hooks. The seed's race lives here:
 * alloc_slab_obj_exts() and slab_get_stride() carry the three variants. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "slub.h"

#define MEMCG_DATA_OBJEXTS 1ul
#define OBJEXTS_FLAGS_MASK 7ul

struct obj_cgroup {
	atomic_t refcnt;           /* a percpu_ref in the kernel */
	atomic_t nr_charged_bytes; /* page_counter + per-CPU stock in the kernel */
};

struct slabobj_ext {
	struct obj_cgroup *objcg;
	unsigned long codetag;     /* allocation profiling; unused here */
};

/* The one cgroup every thread here belongs to; its base reference stays. */
static struct obj_cgroup root_objcg = {ATOMIC_INIT(1), ATOMIC_INIT(0)};

static struct obj_cgroup *current_obj_cgroup(void) { return &root_objcg; }

/* percpu_ref_get/put in percpu mode are this_cpu_add/sub: no ordering across
 * CPUs, hence relaxed. Dropping the base reference means a put reached the
 * wrong objcg through a wrong slabobj_ext (report [1] of the seed). */
static void obj_cgroup_get(struct obj_cgroup *objcg) { atomic_inc(&objcg->refcnt); }

static void obj_cgroup_put(struct obj_cgroup *objcg)
{
	if (atomic_fetch_sub_relaxed(1, &objcg->refcnt) <= 1) {
		fprintf(stderr, "obj_cgroup_put: reference count underflow\n");
		abort();
	}
}

static void obj_cgroup_charge(struct obj_cgroup *objcg, unsigned int size)
{
	atomic_add((int)size, &objcg->nr_charged_bytes);
}

/* An uncharge of more than was charged is report [2] of the seed. */
static void obj_cgroup_uncharge(struct obj_cgroup *objcg, unsigned int size)
{
	if (atomic_fetch_sub_relaxed((int)size, &objcg->nr_charged_bytes) < (int)size)
		fprintf(stderr, "WARNING: page_counter underflow\n");
}

long slabsan_slub_charged_objects(void)
{
	return atomic_read(&root_objcg.refcnt) - 1;
}

/* ---- obj_exts and stride */

static unsigned long slab_obj_exts(struct slab *slab)
{
	return READ_ONCE(slab->obj_exts) & ~OBJEXTS_FLAGS_MASK; /* OBJ_EXTS_LOAD */
}

/* Plain, as in rc1. */
static void slab_set_stride(struct slab *slab, unsigned int stride)
{
	slab->stride = stride; /* STRIDE_STORE */
}

/* Plain, and not address-dependent on the obj_exts load: the bug. Fix 1
 * pairs this smp_rmb() with the smp_wmb() in alloc_slab_obj_exts(). */
static unsigned int slab_get_stride(struct slab *slab)
{
	if (slub_variant_is(SLABSAN_SLUB_FIX1))
		smp_rmb();
	return slab->stride; /* STRIDE_LOAD */
}

static struct slabobj_ext *slab_obj_ext(struct slab *slab, unsigned long obj_exts,
					unsigned int index)
{
	return (struct slabobj_ext *)(obj_exts + (unsigned long)slab_get_stride(slab) * index);
}

/* alloc_slab_obj_exts(): attach a vector. For a new slab (account_slab())
 * nobody else can see the slab yet. Otherwise other CPUs may be using the
 * slab right now, and rc1 publishes the vector with cmpxchg() after a plain
 * stride store: a reader that sees the vector may still see the old stride. */
static int alloc_slab_obj_exts(struct slab *slab, struct kmem_cache *s, bool new_slab)
{
	/* kcalloc() in the kernel; libc here, so the model does not recurse */
	struct slabobj_ext *vec = calloc(s->objects, sizeof(*vec));
	if (!vec)
		return -ENOMEM;
	unsigned long new_exts = (unsigned long)vec | MEMCG_DATA_OBJEXTS, old_exts;
	if (new_slab) {
		slab->obj_exts = new_exts;
		slab_set_stride(slab, sizeof(struct slabobj_ext));
		return 0;
	}
	do {
		old_exts = READ_ONCE(slab->obj_exts);
		if (!slub_variant_is(SLABSAN_SLUB_FIX2)) {
			slab_set_stride(slab, sizeof(struct slabobj_ext)); /* LAZY_STRIDE */
			if (slub_variant_is(SLABSAN_SLUB_FIX1))
				smp_wmb();
		}
		if (old_exts & ~OBJEXTS_FLAGS_MASK) {
			free(vec);   /* another CPU attached one first */
			return 0;
		}
	} while (cmpxchg(&slab->obj_exts, old_exts, new_exts) != old_exts); /* OBJ_EXTS_PUBLISH */
	return 0;
}

/* alloc_slab_obj_exts_early(), from allocate_slab(): the slab is private.
 * Fix 2 (e9217ca77dc3) sets the stride here, so every CPU that later
 * reaches the slab (partial list lock, or an object handed over with a
 * release) sees it. rc1 left it to whoever attached the vector. */
void alloc_slab_obj_exts_early(struct kmem_cache *s, struct slab *slab)
{
	slab->obj_exts = 0; /* OBJ_EXTS_INIT */
	slab_set_stride(slab, slub_variant_is(SLABSAN_SLUB_FIX2) ? sizeof(struct slabobj_ext) : 0);
	if (s->flags & SLAB_ACCOUNT)
		alloc_slab_obj_exts(slab, s, true);
}

void free_slab_obj_exts(struct slab *slab)
{
	free((void *)(slab->obj_exts & ~OBJEXTS_FLAGS_MASK));
	slab->obj_exts = 0;
}

/* ---- hooks */

/* __memcg_slab_post_alloc_hook(): on the allocating CPU. A __GFP_ACCOUNT
 * allocation from a cache without SLAB_ACCOUNT (an xarray node, say) may
 * find a slab without a vector and attach one lazily. */
void memcg_slab_post_alloc_hook(struct kmem_cache *s, gfp_t flags, void *obj)
{
	if (!(flags & __GFP_ACCOUNT) && !(s->flags & SLAB_ACCOUNT))
		return;
	struct slab *slab = virt_to_slab(obj);
	unsigned long obj_exts = slab_obj_exts(slab);
	if (!obj_exts) {
		if (alloc_slab_obj_exts(slab, s, false))
			return;   /* the kernel lets the allocation through uncharged */
		obj_exts = slab_obj_exts(slab);
	}
	struct obj_cgroup *objcg = current_obj_cgroup();
	obj_cgroup_charge(objcg, s->size);
	obj_cgroup_get(objcg);
	slab_obj_ext(slab, obj_exts, obj_to_index(s, slab, obj))->objcg = objcg;
}

/* memcg_slab_free_hook(): on the freeing CPU, before the object reaches a
 * sheaf. With a wrong stride this clears and puts another object's objcg. */
void memcg_slab_free_hook(struct kmem_cache *s, struct slab *slab, void *obj)
{
	unsigned long obj_exts = slab_obj_exts(slab);
	if (!obj_exts)
		return;
	struct slabobj_ext *ext = slab_obj_ext(slab, obj_exts, obj_to_index(s, slab, obj));
	struct obj_cgroup *objcg = ext->objcg;
	if (!objcg)
		return;
	ext->objcg = NULL;
	obj_cgroup_uncharge(objcg, s->size);
	obj_cgroup_put(objcg);
}
