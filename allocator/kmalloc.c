// SPDX-License-Identifier: Apache-2.0
/* kmalloc() and kfree() (mm/slab_common.c, mm/slub.c): size classes over
 * kmem caches, kmalloc-cg-* for __GFP_ACCOUNT, and "large" allocations that
 * bypass the caches as they bypass them for the page allocator. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slub.h"

#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((uintptr_t)(x) <= (uintptr_t)ZERO_SIZE_PTR)

static const unsigned int kmalloc_sizes[] = {8,   16,  32,   64,   96,   128, 192,
					     256, 512, 1024, 2048, 4096, 8192};
#define NR_KMALLOC_SIZES (sizeof(kmalloc_sizes) / sizeof(kmalloc_sizes[0]))

enum kmalloc_cache_type { KMALLOC_NORMAL, KMALLOC_CGROUP, NR_KMALLOC_TYPES };
static struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][NR_KMALLOC_SIZES];

/* At boot, slab_mutex held. Power-of-two sizes are naturally aligned, which
 * kmalloc() guarantees. kmalloc-cg-* are SLAB_ACCOUNT: their slabs get the
 * obj_exts vector early, before anyone else can see them. */
void create_kmalloc_caches(void)
{
	for (int type = 0; type < NR_KMALLOC_TYPES; type++) {
		for (unsigned int i = 0; i < NR_KMALLOC_SIZES; i++) {
			unsigned int size = kmalloc_sizes[i];
			char name[32];
			snprintf(name, sizeof(name), "kmalloc-%s%u",
				 type == KMALLOC_CGROUP ? "cg-" : "", size);
			kmalloc_caches[type][i] = create_cache(
				name, size, (size & (size - 1)) ? 8 : size,
				type == KMALLOC_CGROUP ? SLAB_ACCOUNT : 0, NULL);
			if (!kmalloc_caches[type][i])
				abort();
		}
	}
}

/* kmalloc_slab(): the smallest class that fits. */
static struct kmem_cache *kmalloc_slab(size_t size, gfp_t flags)
{
	unsigned int i = 0;
	while (kmalloc_sizes[i] < size)
		i++;
	return kmalloc_caches[(flags & __GFP_ACCOUNT) ? KMALLOC_CGROUP : KMALLOC_NORMAL][i];
}

/* The object of a large allocation starts after the header, cache-aligned. */
#define LARGE_OFFSET ((sizeof(struct slab) + 63) & ~(size_t)63)

/* ___kmalloc_large_node(): pages of its own, marked so kfree() knows. Not
 * charged to a cgroup here (the kernel charges the folio). */
static void *kmalloc_large(size_t size, gfp_t flags)
{
	size_t bytes = (LARGE_OFFSET + size + SLAB_SIZE - 1) & ~(SLAB_SIZE - 1);
	if (size > SIZE_MAX / 2)
		return NULL;
	struct slab *slab = aligned_alloc(SLAB_SIZE, bytes);
	if (!slab)
		return NULL;
	slab->page_type = PGTY_LARGE_KMALLOC;
	slab->slab_cache = NULL;
	void *obj = (char *)slab + LARGE_OFFSET;
	slabsan_malloclike(obj, size);
	if (flags & __GFP_ZERO)
		memset(obj, 0, size);
	return obj;
}

/* free_large_kmalloc(): the user's free was checked in kfree(); giving the
 * pages back must not report it a second time. */
static void free_large_kmalloc(struct slab *slab)
{
	if (__slabsan_ignore_begin)
		__slabsan_ignore_begin();
	free(slab);
	if (__slabsan_ignore_end)
		__slabsan_ignore_end();
}

void *kmalloc(size_t size, gfp_t flags)
{
	slab_boot();
	if (size == 0)
		return ZERO_SIZE_PTR;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(size, flags);
	return slab_alloc(kmalloc_slab(size, flags), flags, size);
}

void kfree(const void *x)
{
	if (ZERO_OR_NULL_PTR(x))
		return;
	void *obj = (void *)x;
	/* The user's free: checked here, where it happens, like free(). */
	slabsan_freelike(obj); /* KFREE_USER */
	struct slab *slab = virt_to_slab(obj);
	/* page_slab() reads the page type under data_race(). */
	unsigned int type = data_race(slab->page_type);
	if (type == PGTY_LARGE_KMALLOC) {
		free_large_kmalloc(slab);
		return;
	}
	if (type != PGTY_SLAB) {
		fprintf(stderr, "kfree(%p): not a slab object; leaked\n", x);
		return;
	}
	slab_free(slab->slab_cache, slab, obj); /* KFREE_SLAB_CACHE */
}
