/* SPDX-License-Identifier: Apache-2.0 */
/* The userspace SLUB model's internal structures (mm/slab.h in the kernel).
 * One NUMA node; each thread is a CPU; a 64 KiB aligned block is a slab
 * "page" with struct slab at its start. SLUB-NOTES.md section 3 is the
 * design; comments name the kernel function each piece stands for. */
#ifndef SLABSAN_ALLOCATOR_SLUB_H
#define SLABSAN_ALLOCATOR_SLUB_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <slabsan/slab.h>

#define SLAB_SHIFT 16
#define SLAB_SIZE (1ul << SLAB_SHIFT)
#define SLAB_MAX_CACHES 256         /* cache ids index every CPU's sheaf table */
#define SHEAF_CAPACITY 32
#define FREELIST_END 0xffffffffu    /* an empty freelist, as an object index */

/* struct page's page_type, as far as kfree() needs it */
#define PGTY_SLAB 0xf5u
#define PGTY_LARGE_KMALLOC 0xf6u

struct list_head {
	struct list_head *next, *prev;
};

static inline void INIT_LIST_HEAD(struct list_head *h) { h->next = h->prev = h; }
static inline bool list_empty(const struct list_head *h) { return h->next == h; }
static inline void list_add(struct list_head *n, struct list_head *h)
{
	n->next = h->next;
	n->prev = h;
	h->next->prev = n;
	h->next = n;
}
static inline void list_del(struct list_head *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = n;
}
#define container_of(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))

/* struct slab overlays the slab's first bytes, as it overlays struct page.
 * The fields SLUB reads from other CPUs are __slabsan_meta, so a report
 * names them ("struct slab::stride"). */
struct slab {
	unsigned int page_type;
	struct kmem_cache *slab_cache __slabsan_meta;  /* plain, set before publication */
	struct list_head slab_list;                    /* n->partial, under n->list_lock */
	bool on_partial;                               /* the SL_partial bit, under list_lock */
	/* freelist (an object index) and counters (inuse) in one word, so one
	 * cmpxchg moves both: the kernel's freelist/counters double word. */
	uint64_t fc __slabsan_meta;
	/* the slabobj_ext vector | MEMCG_DATA_OBJEXTS; READ_ONCE, cmpxchg */
	unsigned long obj_exts __slabsan_meta;
	unsigned int stride __slabsan_meta;            /* bytes between exts; plain */
};

/* Where KASAN would (un)poison: the object becomes the user's, or stops
 * being theirs. slabsan_malloclike/freelike's entry points, called from a
 * macro so that a report's top frame is the allocator function itself. */
#define slabsan_slab_alloc(obj, size)					\
	do {								\
		if (__slabsan_malloclike)				\
			__slabsan_malloclike(obj, size);		\
	} while (0)
#define slabsan_slab_free(obj)						\
	do {								\
		if (__slabsan_freelike)					\
			__slabsan_freelike(obj);			\
	} while (0)

static inline uint64_t fc_make(unsigned int freelist, unsigned int inuse)
{
	return (uint64_t)inuse << 32 | freelist;
}
static inline unsigned int fc_freelist(uint64_t fc) { return (unsigned int)fc; }
static inline unsigned int fc_inuse(uint64_t fc) { return (unsigned int)(fc >> 32); }

/* virt_to_slab(): the kernel's linear map arithmetic, here an alignment. */
static inline struct slab *virt_to_slab(const void *p)
{
	return (struct slab *)((uintptr_t)p & ~(SLAB_SIZE - 1));
}

struct kmem_cache_node {
	spinlock_t list_lock;
	struct list_head partial;
	unsigned long nr_partial;
	struct list_head sheaves;   /* every CPU's sheaf of this cache */
	atomic_t nr_slabs;
};

struct kmem_cache {
	char *name;
	unsigned int object_size;   /* what the creator asked for */
	unsigned int size;          /* object plus free pointer, aligned */
	unsigned int align;
	unsigned int offset;        /* free pointer's place in an object */
	unsigned int first_offset;  /* object 0, after struct slab */
	unsigned int objects;       /* per slab */
	unsigned int id;            /* index into every CPU's sheaves */
	slab_flags_t flags;
	void (*ctor)(void *);
	struct kmem_cache_node node;
	struct list_head list;      /* slab_caches, under slab_mutex */
};

static inline void *slab_object(const struct kmem_cache *s, struct slab *slab, unsigned int i)
{
	return (char *)slab + s->first_offset + (size_t)i * s->size;
}

static inline unsigned int obj_to_index(const struct kmem_cache *s, const struct slab *slab,
					const void *obj)
{
	return (unsigned int)(((const char *)obj - (const char *)slab - s->first_offset) / s->size);
}

/* slab_common.c */
extern pthread_mutex_t slab_mutex;
void slab_boot(void);   /* kmem_cache_init(), once, normally before main() */
bool slub_variant_is(enum slabsan_slub_variant v);
struct kmem_cache *create_cache(const char *name, unsigned int size, unsigned int align,
				slab_flags_t flags, void (*ctor)(void *));

/* slub.c */
void *slab_alloc(struct kmem_cache *s, gfp_t flags, size_t orig_size);
void slab_free(struct kmem_cache *s, struct slab *slab, void *obj);
unsigned int refill_objects(struct kmem_cache *s, void **p, unsigned int max);
void __slab_free(struct kmem_cache *s, struct slab *slab, void *head, void *tail,
		 unsigned int cnt);
void __kmem_cache_shutdown(struct kmem_cache *s);

/* sheaves.c */
void *alloc_from_pcs(struct kmem_cache *s);
void free_to_pcs(struct kmem_cache *s, void *obj);
void flush_all_sheaves(struct kmem_cache *s);

/* kmalloc.c */
void create_kmalloc_caches(void);

/* memcg.c */
void alloc_slab_obj_exts_early(struct kmem_cache *s, struct slab *slab);
void free_slab_obj_exts(struct slab *slab);
void memcg_slab_post_alloc_hook(struct kmem_cache *s, gfp_t flags, void *obj);
void memcg_slab_free_hook(struct kmem_cache *s, struct slab *slab, void *obj);

#endif
