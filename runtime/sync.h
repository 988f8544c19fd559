/* SPDX-License-Identifier: Apache-2.0 */
/* The usual paths of synchronization objects (sync.c has the rest): every
 * lock, unlock, atomic store and acquiring load of the program comes
 * through here, so they are inline in their callers. Out of line, the
 * lookup, the join and copy, the epoch step and the unlock were a call
 * each: 8 calls per lock-and-unlock of a mutex. */
#ifndef SLABSAN_SYNC_H
#define SLABSAN_SYNC_H

#include "shadow.h"

/* s->addr is addr's object in the list (sync.c: objects are type-stable,
 * so a walker may meet one just retired and only finds the wrong address) */
static SL_ALWAYS_INLINE struct sl_sync *sl_sync_in_list(struct sl_sync *_Atomic *list,
							uintptr_t addr)
{
	struct sl_sync *s = atomic_load_explicit(list, memory_order_acquire);
	while (s && atomic_load_explicit(&s->addr, memory_order_relaxed) != addr)
		s = atomic_load_explicit(&s->next, memory_order_acquire);
	return s;
}

struct sl_sync *sl_sync_lock_slow(uintptr_t addr);

/* The object at addr if it exists, unlocked (its fields may change under
 * the reader), without mapping shadow for it. */
static SL_ALWAYS_INLINE struct sl_sync *sl_sync_lookup(uintptr_t addr)
{
	struct sl_chunk *c = sl_shadow_chunk_if_mapped(addr);
	return c ? sl_sync_in_list(&c->sync[sl_granule_index(addr)], addr) : NULL;
}

/* The object at addr, made if needed, locked, given what a lookup found
 * (s, or NULL). The usual case, an object that exists and an uncontended
 * lock, is the inline part. */
static SL_ALWAYS_INLINE struct sl_sync *sl_sync_lock_found(uintptr_t addr, struct sl_sync *s)
{
	if (sl_likely(s != NULL) && sl_likely(sl_spin_trylock(&s->lock))) {
		if (sl_likely(atomic_load_explicit(&s->addr, memory_order_relaxed) == addr))
			return s;
		sl_spin_unlock(&s->lock);     /* retired under us: look again */
	}
	return sl_sync_lock_slow(addr);
}

/* The object at addr, made if needed, locked. */
static SL_ALWAYS_INLINE struct sl_sync *sl_sync_lock(uintptr_t addr)
{
	return sl_sync_lock_found(addr, sl_sync_lookup(addr));
}

/* Every change of s under its lock is seen by lock-free readers
 * (atomic.c) as a new version. */
static SL_ALWAYS_INLINE void sl_sync_bump_version(struct sl_sync *s)
{
	atomic_store_explicit(&s->version,
			      atomic_load_explicit(&s->version, memory_order_relaxed) + 1,
			      memory_order_relaxed);
}

static SL_ALWAYS_INLINE void sl_sync_unlock(struct sl_sync *s)
{
	sl_sync_bump_version(s);          /* published by the unlock's release */
	sl_spin_unlock(&s->lock);
}

/* The end of a runtime section whose last step is s's unlock: the section
 * ends first, under the lock, where a signal still waits, and the unlock's
 * leave runs what waited (sl_runtime_section_end after the unlock would
 * test for it a second time, on every lock and atomic). */
static SL_ALWAYS_INLINE void sl_sync_unlock_ending_section(struct sl_thread *thr,
							    struct sl_sync *s)
{
	*(volatile bool *)&thr->in_runtime = false;
	sl_sync_unlock(s);
}

/* The object at addr, or NULL, found without its lock: for readers that
 * validate what they read against s->version (atomic.c). */
static SL_ALWAYS_INLINE struct sl_sync *sl_sync_find(uintptr_t addr)
{
	return sl_sync_in_list(sl_shadow_sync_list(addr), addr);
}

/* Who stored the value a load returned, copied out of the location's
 * object (a lock-free load copies it before it validates; a report reads
 * it to complete a load found by its record). */
struct sl_store_origin {
	uint32_t site, order, tid;
	sl_stack_id stack;
	uint32_t epoch;
	struct sl_vc_entry fence;
};

static SL_ALWAYS_INLINE struct sl_store_origin sl_sync_store_origin(const struct sl_sync *s)
{
	return (struct sl_store_origin){
		.site = __atomic_load_n(&s->store_site, __ATOMIC_RELAXED),
		.order = __atomic_load_n(&s->store_order, __ATOMIC_RELAXED),
		.tid = __atomic_load_n(&s->store_tid, __ATOMIC_RELAXED),
		.stack = __atomic_load_n(&s->store_stack, __ATOMIC_RELAXED),
		.epoch = __atomic_load_n(&s->store_epoch, __ATOMIC_RELAXED),
		.fence = {__atomic_load_n(&s->store_fence.w, __ATOMIC_RELAXED),
			  __atomic_load_n(&s->store_fence.r, __ATOMIC_RELAXED)},
	};
}

/* The step to the thread's next epoch, its id having one left. */
static SL_ALWAYS_INLINE void sl_thread_step_epoch(struct sl_thread *thr)
{
	thr->epoch++;
	thr->w0_who_when = sl_w0_who_when(thr->tid, thr->epoch);
	sl_vclock_set(&thr->clock, thr->tid, (struct sl_vc_entry){thr->epoch, thr->epoch});
}

/* What the thread does next is a new epoch, with nothing published: taking
 * a lock does this (lockset.h), so that an epoch has one set of held locks. */
static SL_ALWAYS_INLINE void sl_thread_next_epoch(struct sl_thread *thr)
{
	if (sl_unlikely(thr->epoch >= sl_epoch_limit))
		sl_thread_renew(thr);
	sl_thread_step_epoch(thr);
}

/* The thread published what it did so far: what it does next is a new
 * epoch, so that an acquirer of this release is not taken to know it. A
 * thread whose id has no epoch left goes on under another
 * (sl_thread_renew). */
static SL_ALWAYS_INLINE void sl_thread_release(struct sl_thread *thr)
{
	if (sl_unlikely(thr->epoch >= sl_epoch_limit))
		sl_thread_renew(thr);
	thr->reads_released = thr->epoch;
	sl_thread_step_epoch(thr);
}

/* A thread that acquired s (or released into it last and had acquired it
 * before) already knows everything s carries: a spin on an acquire load, or
 * relocking a mutex no one else released, costs no join. Clocks only grow,
 * so the knowledge lasts until s->clock changes. s is locked. */
static SL_ALWAYS_INLINE void sl_acquire(struct sl_thread *thr, struct sl_sync *s)
{
	if (s->covered_by == thr->serial)
		return;
	sl_vclock_join(&thr->clock, &s->clock);
	s->covered_by = thr->serial;
}

/* A release that joins (a mutex's unlock, a release RMW); s is locked. */
static SL_ALWAYS_INLINE void sl_release(struct sl_thread *thr, struct sl_sync *s)
{
	/* A mutex's unlock follows its holder's lock, whose acquire left our
	 * clock covering the object's: then the join is a copy (no compare).
	 * Otherwise the old clock joined with ours is covered by ours only if
	 * ours covered the old. */
	if (s->covered_by == thr->serial) {
		sl_vclock_copy(&s->clock, &thr->clock);
	} else {
		sl_vclock_join(&s->clock, &thr->clock);
		s->covered_by = 0;
	}
	sl_thread_release(thr);
}

/* A release that assigns (a release store); s is locked. */
static SL_ALWAYS_INLINE void sl_release_store(struct sl_thread *thr, struct sl_sync *s)
{
	sl_vclock_copy(&s->clock, &thr->clock);
	s->covered_by = thr->serial;
	sl_thread_release(thr);
}

#endif
