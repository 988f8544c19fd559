// SPDX-License-Identifier: Apache-2.0
/* Cache lifetime (mm/slab_common.c): kmem_cache_create/destroy under
 * slab_mutex, cache geometry, and which rc1 variant of the obj_exts/stride
 * code the model runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slub.h"

pthread_mutex_t slab_mutex = PTHREAD_MUTEX_INITIALIZER;
/* Ids are never reused: a destroyed cache's slot in a CPU's sheaf table is
 * then never looked at again, so the owning thread need not be told. */
static unsigned int next_cache_id;

/* ---- variant selection */

static const char *const variant_names[] = {
	[SLABSAN_SLUB_UNFIXED] = "unfixed",
	[SLABSAN_SLUB_FIX1] = "fix1",
	[SLABSAN_SLUB_FIX2] = "fix2",
};
static int variant = -1;   /* not chosen yet: SLABSAN_SLUB_VARIANT decides */

static void variant_from_env(void)
{
	const char *env = getenv("SLABSAN_SLUB_VARIANT");
	int v = SLABSAN_SLUB_FIX2;
	if (env && *env) {
		for (v = 0; v < 3 && strcmp(env, variant_names[v]); v++)
			;
		if (v == 3) {
			fprintf(stderr, "slabsan slub: SLABSAN_SLUB_VARIANT='%s' is not unfixed, "
					"fix1 or fix2\n", env);
			exit(2);
		}
	}
	/* An explicit slabsan_slub_set_variant() wins over the environment. */
	cmpxchg_relaxed(&variant, -1, v);
}

void slabsan_slub_set_variant(enum slabsan_slub_variant v)
{
	WRITE_ONCE(variant, (int)v);
}

enum slabsan_slub_variant slabsan_slub_variant(void)
{
	int v = READ_ONCE(variant);
	if (v < 0) {
		slab_boot();
		v = READ_ONCE(variant);
	}
	return (enum slabsan_slub_variant)v;
}

const char *slabsan_slub_variant_name(enum slabsan_slub_variant v)
{
	return (unsigned int)v < 3 ? variant_names[v] : "?";
}

bool slub_variant_is(enum slabsan_slub_variant v)
{
	return slabsan_slub_variant() == v;
}

/* ---- boot: kmem_cache_init() runs from a constructor, so every thread
 * the program creates already sees its work; the pthread_once covers an
 * allocation from an earlier constructor. */

static int slab_state;   /* 1: up */
static pthread_once_t boot_once = PTHREAD_ONCE_INIT;

static void kmem_cache_init(void)
{
	variant_from_env();
	pthread_mutex_lock(&slab_mutex);
	create_kmalloc_caches();
	pthread_mutex_unlock(&slab_mutex);
	WRITE_ONCE(slab_state, 1);
}

void slab_boot(void)
{
	if (!READ_ONCE(slab_state))
		pthread_once(&boot_once, kmem_cache_init);
}

__attribute__((constructor)) static void slab_boot_early(void)
{
	slab_boot();
}

/* ---- caches */

static unsigned int round_up(unsigned int x, unsigned int a) { return (x + a - 1) / a * a; }

/* calculate_sizes(): the free pointer goes at offset 0 unless a constructor
 * owns the object's contents, then after the object. Callers hold
 * slab_mutex. */
struct kmem_cache *create_cache(const char *name, unsigned int size, unsigned int align,
				slab_flags_t flags, void (*ctor)(void *))
{
	if (next_cache_id >= SLAB_MAX_CACHES || size == 0 || size > SLAB_SIZE / 2 ||
	    (align & (align - 1)))
		return NULL;
	struct kmem_cache *s = calloc(1, sizeof(*s));
	if (!s || !(s->name = strdup(name))) {
		free(s);
		return NULL;
	}
	if (align < sizeof(void *))
		align = sizeof(void *);
	if ((flags & SLAB_HWCACHE_ALIGN) && align < 64)
		align = 64;
	s->object_size = size;
	s->align = align;
	s->flags = flags;
	s->ctor = ctor;
	s->size = round_up(size, sizeof(unsigned int));
	if (ctor) {
		s->offset = s->size;
		s->size += sizeof(unsigned int);
	}
	s->size = round_up(s->size, align);
	s->first_offset = round_up(sizeof(struct slab), align);
	s->objects = (SLAB_SIZE - s->first_offset) / s->size;
	s->id = next_cache_id++;
	spin_lock_init(&s->node.list_lock);
	INIT_LIST_HEAD(&s->node.partial);
	INIT_LIST_HEAD(&s->node.sheaves);
	return s;
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	slab_boot();
	pthread_mutex_lock(&slab_mutex);
	struct kmem_cache *s = create_cache(name, size, align, flags, ctor);
	pthread_mutex_unlock(&slab_mutex);
	if (!s)
		fprintf(stderr, "kmem_cache_create(%s) failed: size %u align %u (at most %u "
				"bytes, %u caches)\n", name, size, align, (unsigned int)SLAB_SIZE / 2,
			SLAB_MAX_CACHES);
	return s;
}

/* As in the kernel, every use of the cache must happen before this call;
 * the caller's objects must all have been freed, or queued by kfree_rcu(). */
void kmem_cache_destroy(struct kmem_cache *s)
{
	if (!s)
		return;
	rcu_barrier();   /* kvfree_rcu_barrier() */
	pthread_mutex_lock(&slab_mutex);
	flush_all_sheaves(s);
	__kmem_cache_shutdown(s);
	pthread_mutex_unlock(&slab_mutex);
	free(s->name);
	free(s);
}
