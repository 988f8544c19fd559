// SPDX-License-Identifier: Apache-2.0
/* Each thread id's rings of records (history.h). */
#include "history.h"
#include "shadow.h"

static uint64_t recent_mask;   /* history_size rounded up to a power of two, - 1 */
static struct sl_history *_Atomic histories[SL_MAX_THREADS];

void sl_history_init(void)
{
	uint64_t n = 1;
	while (n < (uint64_t)sl_opt.history_size)
		n <<= 1;
	recent_mask = n - 1;
}

struct sl_history *sl_history_of(uint32_t tid)
{
	struct sl_history *h = atomic_load_explicit(&histories[tid], memory_order_acquire);
	if (h)
		return h;
	/* reserved, not touched: a thread that records little costs little */
	size_t recent = (recent_mask + 1) * sizeof(struct sl_history_entry);
	char *mem = sl_mmap_reserve(sizeof *h + (1 + SL_HISTORY_KEPT) * recent);
	h = (struct sl_history *)mem;
	h->recent.mask = recent_mask;
	h->recent.entry = (struct sl_history_entry *)(mem + sizeof *h);
	h->kept.mask = (recent_mask + 1) * SL_HISTORY_KEPT - 1;
	h->kept.entry = (struct sl_history_entry *)(mem + sizeof *h + recent);
	struct sl_history *expected = NULL;
	if (!atomic_compare_exchange_strong(&histories[tid], &expected, h))
		sl_die("thread id %u got two histories", tid);
	return h;
}

/* Does entry word e, noted for a slot, record the access that slot now
 * holds as w0? A record never moves to another slot and only a thread's
 * own access of the same bytes replaces it, so who, when and kind decide;
 * the bytes are left out, since the slot may have given some up to a
 * block freed beside it (sl_granule_forget). */
static bool same_record(uint64_t e, uint64_t w0)
{
	return e && !((e ^ w0) & ~SL_W0_BYTES);
}

/* Recent entries [from, from + SL_HISTORY_BATCH) are about to be
 * overwritten: those whose record is still in its slot move to the kept
 * ring. Only the owner writes its rings, so relaxed reads of them
 * suffice. Shadow chunks are never unmapped, so a slot stays readable. */
void sl_history_keep_live(struct sl_history *h, uint64_t from)
{
	struct sl_history_entry *batch = &h->recent.entry[from & h->recent.mask];
	for (unsigned i = 0; i < SL_HISTORY_BATCH; i++)
		__builtin_prefetch(atomic_load_explicit(&batch[i].slot, memory_order_relaxed));
	uint64_t kept = atomic_load_explicit(&h->kept.next, memory_order_relaxed);
	for (unsigned i = 0; i < SL_HISTORY_BATCH; i++) {
		uint64_t e = atomic_load_explicit(&batch[i].w0, memory_order_relaxed);
		const _Atomic uint64_t *slot = atomic_load_explicit(&batch[i].slot,
								    memory_order_relaxed);
		if (same_record(e, atomic_load_explicit(slot, memory_order_relaxed)))
			sl_history_put(&h->kept, kept++, slot, e,
				       atomic_load_explicit(&batch[i].w1, memory_order_relaxed));
	}
}

static uint32_t epoch_at(const struct sl_history_ring *r, uint64_t n)
{
	return sl_w0_epoch(atomic_load_explicit(&r->entry[n & r->mask].w0,
						memory_order_relaxed));
}

/* The newest entry of ring r that records w0 in `slot`.
 * A thread's epochs only grow, so each ring is in epoch order: a binary
 * search finds the end of w0's epoch, and only that epoch's entries are
 * compared (a racing loop looks up every element it touches: a linear
 * search made ck's epoch test run 2000 times longer). An entry the owner
 * is rewriting meanwhile can only make the search miss. */
static uint64_t ring_find(const struct sl_history_ring *r, uint64_t w0,
			  const _Atomic uint64_t *slot)
{
	uint64_t next = atomic_load_explicit(&r->next, memory_order_acquire);
	uint64_t oldest = next > r->mask + 1 ? next - (r->mask + 1) : 0;
	uint32_t epoch = sl_w0_epoch(w0);
	uint64_t lo = oldest, hi = next;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (epoch_at(r, mid) <= epoch)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (uint64_t n = lo; n-- > oldest;) {
		struct sl_history_entry *e = &r->entry[n & r->mask];
		uint64_t e0 = atomic_load_explicit(&e->w0, memory_order_acquire);
		if (e0 && sl_w0_epoch(e0) < epoch)
			break;
		if (!same_record(e0, w0) || atomic_load_explicit(&e->slot, memory_order_relaxed) != slot)
			continue;
		uint64_t w1 = atomic_load_explicit(&e->w1, memory_order_relaxed);
		atomic_thread_fence(memory_order_acquire);
		/* rewritten meanwhile: its owner lapped us */
		if (atomic_load_explicit(&e->w0, memory_order_relaxed) != e0)
			return 0;
		return w1;
	}
	return 0;
}

static uint64_t search(uint64_t w0, const _Atomic uint64_t *slot)
{
	uint32_t tid = sl_w0_tid(w0);
	if (tid >= SL_MAX_THREADS)
		return 0;
	struct sl_history *h = atomic_load_explicit(&histories[tid], memory_order_acquire);
	if (!h)
		return 0;
	uint64_t w1 = ring_find(&h->recent, w0, slot);
	return w1 ? w1 : ring_find(&h->kept, w0, slot);
}

uint64_t sl_history_find(const struct sl_thread *thr, uint64_t w0, const _Atomic uint64_t *slot)
{
	uint64_t key = w0 ^ (uintptr_t)slot * 0x9e3779b97f4a7c15ull;
	struct sl_history_found *f = &thr->history->found[(key >> 40) % SL_HISTORY_FOUND];
	if (f->w0 != w0 || f->slot != slot)
		*f = (struct sl_history_found){w0, slot, search(w0, slot)};
	return f->w1;
}
