// SPDX-License-Identifier: Apache-2.0
/* Per-CPU sheaves (mm/slub.c, 7.0): each thread is a CPU with one sheaf of
 * free objects per cache, used with plain accesses as the kernel does under
 * local_trylock(). No barn, no spare sheaf: a full sheaf flushes half. */
#include <stdlib.h>
#include <string.h>

#include "slub.h"

/* Objects of one slab sit in several CPUs' sheaves at once, which is how two
 * CPUs come to use one slab's metadata concurrently.
 *
 * The model should not order threads the kernel would not: a CPU's sheaf is
 * listed on its cache's node under list_lock once, at its first use of the
 * cache, and nothing else is shared between CPUs. A thread's exit flushes
 * nothing (a kernel task's exit does not flush its CPU's sheaves either):
 * its objects wait in its sheaves until kmem_cache_destroy(). Flushing them
 * at exit would order the thread's whole life before whichever CPU next
 * takes list_lock, and hide users' races. */

struct slab_sheaf {
	struct list_head list;   /* n->sheaves, under n->list_lock */
	unsigned int size;
	void *objects[SHEAF_CAPACITY];
};

/* this_cpu_ptr(s->cpu_sheaves)->main, by cache id */
static _Thread_local struct slab_sheaf *pcs[SLAB_MAX_CACHES];

/* Send the n oldest objects back to their slabs (sheaf_flush_main). */
static void sheaf_flush(struct kmem_cache *s, struct slab_sheaf *sheaf, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		void *obj = sheaf->objects[i];
		__slab_free(s, virt_to_slab(obj), obj, obj, 1);
	}
	sheaf->size -= n;
	memmove(sheaf->objects, sheaf->objects + n, sheaf->size * sizeof(void *));
}

/* A CPU's first use of a cache: every kernel CPU has its sheaves from the
 * cache's creation; here one is made on first use and listed under
 * list_lock, where kmem_cache_destroy() will find it. */
static struct slab_sheaf *cpu_sheaf(struct kmem_cache *s)
{
	struct slab_sheaf *sheaf = pcs[s->id];
	if (sheaf)
		return sheaf;
	sheaf = calloc(1, sizeof(*sheaf));
	if (!sheaf)
		return NULL;
	spin_lock(&s->node.list_lock);
	list_add(&sheaf->list, &s->node.sheaves);
	spin_unlock(&s->node.list_lock);
	return pcs[s->id] = sheaf;
}

/* alloc_from_pcs(): pop from this CPU's sheaf; refill it when empty. */
void *alloc_from_pcs(struct kmem_cache *s)
{
	struct slab_sheaf *sheaf = cpu_sheaf(s);
	if (!sheaf)
		return NULL;
	if (sheaf->size == 0)
		sheaf->size = refill_objects(s, sheaf->objects, SHEAF_CAPACITY);
	return sheaf->size ? sheaf->objects[--sheaf->size] : NULL;
}

/* free_to_pcs(): push onto this CPU's sheaf, whoever allocated the object. */
void free_to_pcs(struct kmem_cache *s, void *obj)
{
	struct slab_sheaf *sheaf = cpu_sheaf(s);
	if (!sheaf) {
		__slab_free(s, virt_to_slab(obj), obj, obj, 1);
		return;
	}
	if (sheaf->size == SHEAF_CAPACITY)
		sheaf_flush(s, sheaf, SHEAF_CAPACITY / 2);
	sheaf->objects[sheaf->size++] = obj;
}

/* flush_all_cpus_locked() for kmem_cache_destroy(), slab_mutex held. Every
 * use of the cache happened before, so other CPUs' sheaves are quiet. */
void flush_all_sheaves(struct kmem_cache *s)
{
	struct list_head sheaves;
	INIT_LIST_HEAD(&sheaves);
	spin_lock(&s->node.list_lock);
	list_splice_init(&s->node.sheaves, &sheaves);
	spin_unlock(&s->node.list_lock);
	while (!list_empty(&sheaves)) {
		struct slab_sheaf *sheaf = container_of(sheaves.next, struct slab_sheaf, list);
		list_del(&sheaf->list);
		sheaf_flush(s, sheaf, sheaf->size);
		free(sheaf);
	}
}
