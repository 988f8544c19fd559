// SPDX-License-Identifier: Apache-2.0
/* Synchronization objects: the clock a mutex, an atomic location, a condvar
 * or a semaphore carries from its releasers to its acquirers, found by
 * address.
 *
 * Every atomic operation and lock operation of the program looks one up, so
 * the lookup takes no lock: the shadow keeps, per granule, a list of the
 * objects living there (usually one), walked without a lock. Objects are
 * type-stable, like SLAB_TYPESAFE_BY_RCU memory: once made they stay sync
 * objects forever, on a free list when dead. A walker that meets one just
 * retired or already reused elsewhere finds the wrong address under the
 * object's lock and looks again; nothing it reads can be unmapped.
 * Creating and retiring take a stripe lock, so one address never gets two
 * objects. Objects die with their memory: free() and munmap-like paths call
 * sl_sync_remove_range, found cheaply through the shadow's SYNC bit. */
#include <string.h>

#include "sync.h"

#define STRIPES 256u
#define OBJECTS_PER_SLAB 64u

struct sync_slab {
	struct sync_slab *next;
	struct sl_sync object[OBJECTS_PER_SLAB];
};

static sl_spinlock stripe[STRIPES];
static struct sync_slab *slabs;      /* every object ever made, for fork */
static struct sl_sync *free_objects;
SL_GLOBAL_LOCK(pool_lock);

/* All objects of one granule share a stripe: removal works per granule. */
static sl_spinlock *stripe_of(uintptr_t addr)
{
	return &stripe[((addr >> SL_GRANULE_SHIFT) * 0x9e3779b97f4a7c15ull) >> 56];
}

static struct sl_sync *new_object(void)
{
	sl_spin_lock(&pool_lock);
	if (!free_objects) {
		struct sync_slab *slab = sl_alloc(sizeof *slab);
		slab->next = slabs;
		slabs = slab;
		for (unsigned i = 0; i < OBJECTS_PER_SLAB; i++) {
			slab->object[i].free_next = free_objects;
			free_objects = &slab->object[i];
		}
	}
	struct sl_sync *s = free_objects;
	free_objects = s->free_next;
	sl_spin_unlock(&pool_lock);
	return s;
}

static SL_COLD struct sl_sync *create(struct sl_sync *_Atomic *list, uintptr_t addr)
{
	sl_spinlock *lock = stripe_of(addr);
	sl_spin_lock(lock);
	struct sl_sync *s = sl_sync_in_list(list, addr);
	if (!s) {
		s = new_object();
		/* Reset while nobody can match it: its address is still 0. */
		sl_vclock_clear(&s->clock);
		sl_vclock_clear(&s->read_clock);
		s->covered_by = 0;
		s->writer_tid = -1;
		s->store_site = s->store_order = s->store_tid = 0;
		s->store_stack = 0;
		s->store_epoch = 0;
		s->store_fence = (struct sl_vc_entry){0, 0};
		memset(s->cumul, 0, sizeof s->cumul);
		atomic_store_explicit(&s->cond_mutex, 0, memory_order_relaxed);
		atomic_store_explicit(&s->holder, 0, memory_order_relaxed);
		s->state = s->barrier_count = s->barrier_arrived = s->barrier_generation = 0;
		atomic_store_explicit(&s->next, atomic_load_explicit(list, memory_order_relaxed),
				      memory_order_relaxed);
		sl_sync_bump_version(s);
		atomic_store_explicit(&s->addr, addr, memory_order_release);
		atomic_store_explicit(list, s, memory_order_release);
		atomic_fetch_or_explicit(sl_shadow_state(addr), SL_GRANULE_SYNC,
					 memory_order_relaxed);
	}
	sl_spin_unlock(lock);
	return s;
}

struct sl_sync *sl_sync_lock_slow(uintptr_t addr)
{
	struct sl_sync *_Atomic *list = sl_shadow_sync_list(addr);
	for (;;) {
		struct sl_sync *s = sl_sync_in_list(list, addr);
		if (!s)
			s = create(list, addr);
		sl_spin_lock(&s->lock);
		if (sl_likely(atomic_load_explicit(&s->addr, memory_order_relaxed) == addr))
			return s;
		sl_spin_unlock(&s->lock);     /* retired under us: look again */
	}
}

/* Retire every object of the granule at g: unhook the list, then make each
 * object unmatchable under its own lock (so no holder is mid-operation),
 * then give it to the free list with its clocks' storage. */
static void remove_granule(uintptr_t g)
{
	struct sl_sync *_Atomic *list = sl_shadow_sync_list(g);
	sl_spinlock *lock = stripe_of(g);
	sl_spin_lock(lock);
	struct sl_sync *s = atomic_exchange_explicit(list, NULL, memory_order_acq_rel);
	while (s) {
		struct sl_sync *next = atomic_load_explicit(&s->next, memory_order_relaxed);
		sl_spin_lock(&s->lock);
		atomic_store_explicit(&s->addr, 0, memory_order_relaxed);
		sl_sync_bump_version(s);
		sl_spin_unlock(&s->lock);
		sl_spin_lock(&pool_lock);
		s->free_next = free_objects;
		free_objects = s;
		sl_spin_unlock(&pool_lock);
		s = next;
	}
	sl_spin_unlock(lock);
}

void sl_sync_remove_range(uintptr_t addr, size_t size)
{
	uintptr_t end = addr + size;
	for (uintptr_t g = sl_shadow_skip_unmapped(addr & ~(uintptr_t)(SL_GRANULE - 1), end);
	     g < end; g = sl_shadow_skip_unmapped(g + SL_GRANULE, end)) {
		_Atomic uint8_t *state = sl_shadow_state(g);
		if (!(atomic_load_explicit(state, memory_order_relaxed) & SL_GRANULE_SYNC))
			continue;
		remove_granule(g);
		atomic_fetch_and_explicit(state, (uint8_t)~SL_GRANULE_SYNC, memory_order_relaxed);
	}
}

/* fork() child: the threads that held these locks do not exist here. */
void sl_sync_after_fork_child(void)
{
	for (unsigned i = 0; i < STRIPES; i++)
		atomic_store_explicit(&stripe[i].locked, 0, memory_order_relaxed);
	for (struct sync_slab *slab = slabs; slab; slab = slab->next)
		for (unsigned i = 0; i < OBJECTS_PER_SLAB; i++)
			atomic_store_explicit(&slab->object[i].lock.locked, 0,
					      memory_order_relaxed);
}
