/* SPDX-License-Identifier: Apache-2.0 */
/* The userspace SLUB model's internal structures (mm/slab.h): one NUMA node,
 * each thread a CPU, a 64 KiB aligned block a slab with struct slab at its
 * start. Design: SLUB-NOTES.md section 3; comments name kernel counterparts. */
#ifndef SLABSAN_ALLOCATOR_SLUB_H
#define SLABSAN_ALLOCATOR_SLUB_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <slabsan/slab.h>

/* An all-caps comment such as STRIDE_STORE marks a line that tests name in
 * their expected reports (tests/slub/Inputs/check-lines); keep it on the
 * line when the code moves. */

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
/* Move every entry of list to the front of head; list ends up empty. */
static inline void list_splice_init(struct list_head *list, struct list_head *head)
{
	if (list_empty(list))
		return;
	struct list_head *first = list->next, *last = list->prev, *at = head->next;
	first->prev = head;
	head->next = first;
	last->next = at;
	at->prev = last;
	INIT_LIST_HEAD(list);
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
