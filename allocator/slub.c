// SPDX-License-Identifier: Apache-2.0
/* Slabs and the node partial list (mm/slub.c): allocate_slab(), the refill
 * slow path, __slab_free()'s cmpxchg on freelist+counters, and the
 * kmem_cache alloc/free entry points with their hooks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slub.h"

/* What orders what (SLUB-NOTES section 1): a slab is initialised with plain
 * stores while private and published by add_partial() under n->list_lock;
 * objects go back by cmpxchg on slab->fc, which the next refill's cmpxchg
 * acquires. So a free always happens before the object's next allocation,
 * but nothing here orders an allocation on one CPU before a kfree() on
 * another: that is the user's job. */

/* ---- free pointers: the next free object's index, kept in the free object */

static unsigned int get_freepointer(const struct kmem_cache *s, void *obj)
{
	return *(unsigned int *)((char *)obj + s->offset);
}

static void set_freepointer(const struct kmem_cache *s, void *obj, unsigned int next)
{
	*(unsigned int *)((char *)obj + s->offset) = next;
}

/* ---- the node partial list; n->list_lock held */

static void add_partial(struct kmem_cache_node *n, struct slab *slab)
{
	list_add(&slab->slab_list, &n->partial);
	slab->on_partial = true;
	n->nr_partial++;
}

static void remove_partial(struct kmem_cache_node *n, struct slab *slab)
{
	list_del(&slab->slab_list);
	slab->on_partial = false;
	n->nr_partial--;
}

/* ---- slab pages */

/* allocate_slab(): a new slab, private to this CPU, so plain stores. It
 * becomes visible through add_partial() or through an object handed out. */
static struct slab *allocate_slab(struct kmem_cache *s)
{
	struct slab *slab = aligned_alloc(SLAB_SIZE, SLAB_SIZE);
	if (!slab)
		return NULL;
	slab->page_type = PGTY_SLAB;
	slab->slab_cache = s; /* SLAB_CACHE_INIT */
	INIT_LIST_HEAD(&slab->slab_list);
	slab->on_partial = false;
	alloc_slab_obj_exts_early(s, slab);
	for (unsigned int i = 0; i < s->objects; i++) {
		void *obj = slab_object(s, slab, i);
		if (s->ctor)
			s->ctor(obj);
		set_freepointer(s, obj, i + 1 < s->objects ? i + 1 : FREELIST_END);
	}
	slab->fc = fc_make(0, 0);
	atomic_inc(&s->node.nr_slabs);
	return slab;
}

static void free_slab(struct slab *slab)
{
	free_slab_obj_exts(slab);
	free(slab);
}

/* ---- allocation slow path */

/* get_freelist_nofreeze(): take every free object of a slab in one cmpxchg,
 * racing only with __slab_free() pushing objects back. */
static unsigned int get_freelist(struct kmem_cache *s, struct slab *slab)
{
	uint64_t old = READ_ONCE(slab->fc);
	while (!try_cmpxchg(&slab->fc, &old, fc_make(FREELIST_END, s->objects)))
		;
	return fc_freelist(old);
}

/* Pop objects off a private chain into p[]; returns the rest of the chain. */
static unsigned int take_chain(struct kmem_cache *s, struct slab *slab, unsigned int idx,
			       void **p, unsigned int *got, unsigned int max)
{
	while (*got < max && idx != FREELIST_END) {
		void *obj = slab_object(s, slab, idx);
		p[(*got)++] = obj;
		idx = get_freepointer(s, obj);
	}
	return idx;
}

/* Give a private chain of free objects back to its slab. */
static void return_chain(struct kmem_cache *s, struct slab *slab, unsigned int idx)
{
	void *head = slab_object(s, slab, idx), *tail = head;
	unsigned int cnt = 1, next;
	while ((next = get_freepointer(s, tail)) != FREELIST_END) {
		tail = slab_object(s, slab, next);
		cnt++;
	}
	__slab_free(s, slab, head, tail, cnt);
}

/* refill_objects(): fill p[] with up to max objects, first from the node's
 * partial slabs (get_partial_node_bulk), then from a new slab
 * (alloc_from_new_slab). Returns how many. */
unsigned int refill_objects(struct kmem_cache *s, void **p, unsigned int max)
{
	struct kmem_cache_node *n = &s->node;
	struct slab *rest_slab = NULL;
	unsigned int got = 0, rest = FREELIST_END;

	spin_lock(&n->list_lock);
	while (got < max && !list_empty(&n->partial)) {
		struct slab *slab = container_of(n->partial.next, struct slab, slab_list);
		remove_partial(n, slab);
		rest = take_chain(s, slab, get_freelist(s, slab), p, &got, max);
		rest_slab = slab;
	}
	spin_unlock(&n->list_lock);
	/* More than we wanted: the slab looks full now, and __slab_free()
	 * puts it back on the partial list with the remainder. */
	if (rest != FREELIST_END)
		return_chain(s, rest_slab, rest);
	if (got == max)
		return got;

	struct slab *slab = allocate_slab(s);
	if (!slab)
		return got;
	unsigned int first = got;
	rest = take_chain(s, slab, 0, p, &got, max);
	slab->fc = fc_make(rest, got - first);
	if (rest != FREELIST_END) {
		spin_lock(&n->list_lock);
		add_partial(n, slab);
		spin_unlock(&n->list_lock);
	}
	return got;
}

/* ---- free slow path */

/* __slab_free(): push the chain head..tail (cnt objects, already linked) onto
 * the slab's freelist with a cmpxchg on freelist+counters. A slab that was
 * full is on no list, so the CPU that makes it partial again takes
 * list_lock, before the cmpxchg, to add it. Empty slabs stay on the partial
 * list: this model never discards a slab before kmem_cache_destroy(). */
void __slab_free(struct kmem_cache *s, struct slab *slab, void *head, void *tail,
		 unsigned int cnt)
{
	struct kmem_cache_node *n = NULL;
	uint64_t old, new;
	do {
		if (n) {
			spin_unlock(&n->list_lock);
			n = NULL;
		}
		old = READ_ONCE(slab->fc);   /* the kernel's plain snapshot */
		set_freepointer(s, tail, fc_freelist(old));
		new = fc_make(obj_to_index(s, slab, head), fc_inuse(old) - cnt);
		if (fc_freelist(old) == FREELIST_END) {
			n = &s->node;
			spin_lock(&n->list_lock);
		}
	} while (cmpxchg(&slab->fc, old, new) != old);
	if (n) {
		if (!slab->on_partial)
			add_partial(n, slab);
		spin_unlock(&n->list_lock);
	}
}

/* ---- entry points */

/* slab_post_alloc_hook(): the object becomes the caller's. SlabSan learns of
 * it here, as KASAN would unpoison it; memcg charging comes last. */
static void slab_post_alloc_hook(struct kmem_cache *s, gfp_t flags, void *obj, size_t orig_size)
{
	slabsan_malloclike(obj, orig_size);
	if (flags & __GFP_ZERO)
		memset(obj, 0, orig_size);
	memcg_slab_post_alloc_hook(s, flags, obj);
}

/* slab_alloc_node(): 7.0 allocates from the CPU's sheaf only. */
void *slab_alloc(struct kmem_cache *s, gfp_t flags, size_t orig_size)
{
	void *obj = alloc_from_pcs(s);
	if (obj)
		slab_post_alloc_hook(s, flags, obj, orig_size);
	return obj;
}

/* slab_free(): the hooks run on the freeing CPU, then the object goes onto
 * this CPU's sheaf, whichever CPU allocated it. Callers have already told
 * SlabSan (slabsan_freelike) where the user's free happened. */
void slab_free(struct kmem_cache *s, struct slab *slab, void *obj)
{
	memcg_slab_free_hook(s, slab, obj);
	free_to_pcs(s, obj);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags)
{
	return slab_alloc(s, flags, s->object_size);
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	if (!obj)
		return;
	slabsan_freelike(obj);
	slab_free(s, virt_to_slab(obj), obj);
}

/* __kmem_cache_shutdown(): sheaves are flushed, so every free object sits on
 * a partial slab. Slabs still holding objects are reported and leaked, as
 * the kernel does. slab_mutex held. */
void __kmem_cache_shutdown(struct kmem_cache *s)
{
	struct kmem_cache_node *n = &s->node;
	int freed = 0;
	spin_lock(&n->list_lock);
	while (!list_empty(&n->partial)) {
		struct slab *slab = container_of(n->partial.next, struct slab, slab_list);
		remove_partial(n, slab);
		if (fc_inuse(READ_ONCE(slab->fc)) == 0) {
			free_slab(slab);
			freed++;
		}
	}
	spin_unlock(&n->list_lock);
	int left = atomic_read(&n->nr_slabs) - freed;
	if (left)
		fprintf(stderr, "kmem_cache_destroy %s: Slab cache still has objects "
				"(%d slabs leaked)\n", s->name, left);
}
