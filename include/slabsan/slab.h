/* SPDX-License-Identifier: Apache-2.0 */
/* The userspace SLUB model's API (libslabsan_slab.a, allocator/): the kernel's
 * slab interface, so kernel-style code can be run under SlabSan as is.
 * The model itself is instrumented, so races on its metadata are reported. */
#ifndef SLABSAN_SLAB_H
#define SLABSAN_SLAB_H

#include <stddef.h>

#include <slabsan/lkmm.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- gfp flags: only what changes the model's behaviour has an effect */
typedef unsigned int gfp_t;
#define __GFP_ZERO 0x100u
#define __GFP_ACCOUNT 0x400000u      /* charge the object to the current cgroup */
#define GFP_ATOMIC 0x820u
#define GFP_KERNEL 0xcc0u
#define GFP_NOWAIT 0x800u
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)

/* ---- cache flags */
typedef unsigned int slab_flags_t;
#define SLAB_HWCACHE_ALIGN 0x2000u   /* align objects to 64 bytes */
#define SLAB_ACCOUNT 0x4000000u      /* every object is charged: obj_exts attached early */

struct kmem_cache;

/* Objects of up to 32 KiB in 64 KiB slabs. Cache ids are not reused, so a
 * process may create at most 230 caches besides the kmalloc ones. */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *s);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags);
void kmem_cache_free(struct kmem_cache *s, void *obj);
static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags)
{
	return kmem_cache_alloc(s, flags | __GFP_ZERO);
}

/* kmalloc: size classes up to 8 KiB, larger ones straight from the "page
 * allocator". __GFP_ACCOUNT selects the kmalloc-cg-* caches, as in the kernel. */
#define KMALLOC_MAX_CACHE_SIZE 8192u
void *kmalloc(size_t size, gfp_t flags);
void kfree(const void *obj);
static inline void *kzalloc(size_t size, gfp_t flags) { return kmalloc(size, flags | __GFP_ZERO); }
static inline void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;
	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kzalloc(bytes, flags);
}
/* kfree_rcu(ptr, field) comes from <slabsan/lkmm.h>. */

/* ---- which v7.0-rc1 obj_exts/stride code the model runs (see the seed
 * mail and allocator/memcg.c). Chosen by SLABSAN_SLUB_VARIANT=unfixed|fix1|fix2
 * or by this call; select it before the first allocation. */
enum slabsan_slub_variant {
	SLABSAN_SLUB_UNFIXED, /* rc1: plain stride store, then cmpxchg(obj_exts) */
	SLABSAN_SLUB_FIX1,    /* smp_wmb() after the stride store, smp_rmb() before its load */
	SLABSAN_SLUB_FIX2,    /* stride set before the slab is published (default) */
};
void slabsan_slub_set_variant(enum slabsan_slub_variant v);
enum slabsan_slub_variant slabsan_slub_variant(void);
const char *slabsan_slub_variant_name(enum slabsan_slub_variant v);

/* Live objects charged to the (single) current cgroup: its reference count
 * minus the base reference. An oracle for the accounting invariant. */
long slabsan_slub_charged_objects(void);

#ifdef __cplusplus
}
#endif
#endif
