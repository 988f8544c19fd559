// SPDX-License-Identifier: Apache-2.0
/* Synchronization objects: the clock a mutex, an atomic location, a condvar
 * or a semaphore carries from its releasers to its acquirers, found by
 * address. Buckets have their own spinlock; an object's clock is guarded by
 * the object's lock (callers hold it around sl_acquire/sl_release). Objects
 * die with their memory: free() and munmap-like paths call
 * sl_sync_remove_range, found cheaply through the shadow's SYNC bit. */
#include "shadow.h"

#define SYNC_BUCKETS (1u << 20)

struct bucket {
	sl_spinlock lock;
	struct sl_sync *head;
};
static struct bucket *buckets;

void sl_sync_init(void)
{
	buckets = sl_mmap_reserve(SYNC_BUCKETS * sizeof *buckets);
}

static struct bucket *bucket_of(uintptr_t addr)
{
	uint64_t h = (uint64_t)addr * 0x9e3779b97f4a7c15ull;
	return &buckets[h >> (64 - 20)];
}

struct sl_sync *sl_sync_get(uintptr_t addr, bool create)
{
	struct bucket *b = bucket_of(addr);
	sl_spin_lock(&b->lock);
	struct sl_sync *s = b->head;
	while (s && s->addr != addr)
		s = s->next;
	if (!s && create) {
		s = sl_alloc(sizeof *s);
		s->addr = addr;
		s->writer_tid = -1;
		s->next = b->head;
		b->head = s;
		atomic_fetch_or_explicit(sl_shadow_state(addr), SL_GRANULE_SYNC,
					 memory_order_relaxed);
	}
	sl_spin_unlock(&b->lock);
	return s;
}

static void remove_one(uintptr_t addr)
{
	struct bucket *b = bucket_of(addr);
	sl_spin_lock(&b->lock);
	for (struct sl_sync **p = &b->head; *p; p = &(*p)->next) {
		if ((*p)->addr != addr)
			continue;
		struct sl_sync *s = *p;
		*p = s->next;
		sl_vclock_destroy(&s->clock);
		sl_vclock_destroy(&s->read_clock);
		sl_free(s, sizeof *s);
		break;
	}
	sl_spin_unlock(&b->lock);
}

void sl_sync_remove_range(uintptr_t addr, size_t size)
{
	uintptr_t end = addr + size;
	for (uintptr_t g = sl_shadow_skip_unmapped(addr & ~(uintptr_t)(SL_GRANULE - 1), end);
	     g < end; g = sl_shadow_skip_unmapped(g + SL_GRANULE, end)) {
		_Atomic uint8_t *state = sl_shadow_state(g);
		if (!(atomic_load_explicit(state, memory_order_relaxed) & SL_GRANULE_SYNC))
			continue;
		for (unsigned i = 0; i < SL_GRANULE; i++)
			remove_one(g + i);
		atomic_fetch_and_explicit(state, (uint8_t)~SL_GRANULE_SYNC, memory_order_relaxed);
	}
}

void sl_acquire(struct sl_thread *thr, struct sl_sync *s)
{
	sl_vclock_join(&thr->clock, &s->clock);
}

void sl_release(struct sl_thread *thr, struct sl_sync *s)
{
	sl_vclock_join(&s->clock, &thr->clock);
	sl_thread_release(thr);
}

void sl_release_store(struct sl_thread *thr, struct sl_sync *s)
{
	sl_vclock_copy(&s->clock, &thr->clock);
	sl_thread_release(thr);
}

/* fork() child: the threads that held these locks do not exist here. */
void sl_sync_after_fork_child(void)
{
	for (uint32_t i = 0; i < SYNC_BUCKETS; i++) {
		struct bucket *b = &buckets[i];
		if (!b->head && !atomic_load_explicit(&b->lock.locked, memory_order_relaxed))
			continue;
		atomic_store_explicit(&b->lock.locked, 0, memory_order_relaxed);
		for (struct sl_sync *s = b->head; s; s = s->next)
			atomic_store_explicit(&s->lock.locked, 0, memory_order_relaxed);
	}
}
