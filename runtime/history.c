// SPDX-License-Identifier: Apache-2.0
/* Each thread id's rings of records (history.h). */
#include <string.h>

#include "history.h"
#include "shadow.h"

static uint64_t recent_mask;   /* history_size rounded up to a power of two, - 1 */
static struct sl_history *_Atomic histories[SL_MAX_THREADS];

const _Atomic uint64_t sl_history_fence_slot;

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
 * holds as w0 (or one it joined)? A record never moves to another slot
 * and only its thread's own access of the same kind replaces it, so who,
 * when and kind decide; the bytes are left out, since a record grows as
 * accesses join it and may give some up to a block freed beside it
 * (sl_granule_forget). */
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

/* An entry is rewritten by its owner alone (sl_history_put empties its
 * word first): one read by another thread counts only if its word is the
 * same after its slot and site word were read. */
static bool each_in_ring(const struct sl_history_ring *r, uint64_t entries, bool positions,
			 sl_history_visit *visit, void *ctx)
{
	uint64_t next = atomic_load_explicit(&r->next, memory_order_acquire);
	for (uint64_t n = next; n > 0 && next - n < entries; n--) {
		const struct sl_history_entry *e = &r->entry[(n - 1) & r->mask];
		uint64_t w0 = atomic_load_explicit(&e->w0, memory_order_acquire);
		const _Atomic uint64_t *slot = atomic_load_explicit(&e->slot, memory_order_relaxed);
		uint64_t w1 = atomic_load_explicit(&e->w1, memory_order_relaxed);
		atomic_thread_fence(memory_order_acquire);
		if (w0 && w0 == atomic_load_explicit(&e->w0, memory_order_relaxed) &&
		    visit(ctx, slot, w0, w1, positions ? n - 1 : 0))
			return true;
	}
	return false;
}

bool sl_history_each_own(const struct sl_history *h, sl_history_visit *visit, void *ctx)
{
	/* the recent ring's oldest batch may already be on its way to the kept one */
	return h && (each_in_ring(&h->recent, h->recent.mask + 1, true, visit, ctx) ||
		     each_in_ring(&h->kept, h->kept.mask + 1, false, visit, ctx));
}

bool sl_history_each_of(uint32_t tid, sl_history_visit *visit, void *ctx)
{
	return tid < SL_MAX_THREADS &&
	       sl_history_each_own(atomic_load_explicit(&histories[tid], memory_order_acquire),
				   visit, ctx);
}

uint64_t sl_history_fence_from(uint32_t tid, uint64_t from, bool writes, uint64_t *w1)
{
	const struct sl_history *h = tid < SL_MAX_THREADS ?
		atomic_load_explicit(&histories[tid], memory_order_acquire) : NULL;
	if (!h)
		return 0;
	const struct sl_history_ring *r = &h->recent;
	uint64_t next = atomic_load_explicit(&r->next, memory_order_acquire);
	uint64_t oldest = next > r->mask + 1 ? next - (r->mask + 1) : 0;
	for (uint64_t n = from > oldest ? from : oldest; n < next; n++) {
		const struct sl_history_entry *e = &r->entry[n & r->mask];
		uint64_t w0 = atomic_load_explicit(&e->w0, memory_order_acquire);
		if (!w0 || atomic_load_explicit(&e->slot, memory_order_relaxed) !=
				   &sl_history_fence_slot ||
		    (writes && !(w0 & SL_FENCE_ORDERS_WRITES)))
			continue;
		*w1 = atomic_load_explicit(&e->w1, memory_order_relaxed);
		atomic_thread_fence(memory_order_acquire);
		if (atomic_load_explicit(&e->w0, memory_order_relaxed) == w0)
			return w0;
	}
	return 0;
}

/* A search for the access that touched one byte of a record. A record
 * joined from several accesses (access.c, joins_own) has one entry per
 * access, each with the bytes joined so far, so going back in time its
 * entries' bytes shrink: the access wanted is the oldest entry that still
 * has the byte, and touched what the entry before it lacked. */
struct record_walk {
	uint64_t w0, want;
	const _Atomic uint64_t *slot;
	uint64_t chain;         /* bytes of the last entry of the record met */
	uint64_t w1;            /* its site word; 0: none met yet */
	bool done;              /* an entry before the wanted access was met */
};

/* Meet one entry, e0 and w1 as read from it. */
static void walk_meet(struct record_walk *w, uint64_t e0, uint64_t w1)
{
	uint64_t bytes = e0 & SL_W0_BYTES;
	if ((bytes & ~w->chain) || !(bytes & w->want)) {
		/* not this record's: an earlier one in the slot; or its access
		 * before the wanted one, which added what this one lacks */
		if (w->w1 && !(bytes & ~w->chain))
			w->w0 &= ~bytes;
		w->done = true;
		return;
	}
	w->chain = bytes;
	w->w0 = (w->w0 & ~SL_W0_BYTES) | bytes;
	w->w1 = w1;
}

static uint32_t epoch_at(const struct sl_history_ring *r, uint64_t n)
{
	return sl_w0_epoch(atomic_load_explicit(&r->entry[n & r->mask].w0,
						memory_order_relaxed));
}

/* Compare the entry at n with the record walked; false once the walk
 * must end (an entry of an older epoch, or one its owner rewrote). */
static bool walk_entry(const struct sl_history_ring *r, uint64_t n, uint32_t epoch,
		       struct record_walk *w)
{
	struct sl_history_entry *e = &r->entry[n & r->mask];
	uint64_t e0 = atomic_load_explicit(&e->w0, memory_order_acquire);
	if (e0 && sl_w0_epoch(e0) < epoch)
		return false;
	if (!same_record(e0, w->w0) || atomic_load_explicit(&e->slot, memory_order_relaxed) != w->slot)
		return true;
	uint64_t w1 = atomic_load_explicit(&e->w1, memory_order_relaxed);
	atomic_thread_fence(memory_order_acquire);
	/* rewritten meanwhile: its owner lapped us */
	if (atomic_load_explicit(&e->w0, memory_order_relaxed) != e0)
		w->done = true;
	else
		walk_meet(w, e0, w1);
	return !w->done;
}

/* The first entry of ring r in [lo, hi) whose epoch is at least epoch. */
static uint64_t first_at_least(const struct sl_history_ring *r, uint64_t lo, uint64_t hi,
			       uint32_t epoch)
{
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (epoch_at(r, mid) < epoch)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* One epoch's entries [first, end) of one ring, chained by slot: a racing
 * loop over a buffer another thread filled in one epoch (a memset, a
 * read()) looks up thousands of that epoch's entries, and a scan of the
 * epoch per lookup made a 1 MiB memcmp's check take 5 s. Built by the
 * first lookup in an epoch longer than EPOCH_SCAN entries, extended as its
 * owner appends to it. Positions are absolute, so an entry the owner has
 * rewritten since is told apart as the scan tells it (walk_entry). */
#define EPOCH_SCAN 256u
struct sl_epoch_index {
	const struct sl_history_ring *ring;
	uint32_t epoch;
	uint64_t first, end;
	uint32_t cap;              /* positions the index holds; buckets: 2 * cap */
	uint32_t *newest;          /* per bucket: 1 + its newest position - first; 0: none */
	uint32_t *older;           /* per position: the next older one of its bucket, alike */
};

static uint32_t bucket_of(const struct sl_epoch_index *x, const void *slot)
{
	return (uint32_t)(((uintptr_t)slot * 0x9e3779b97f4a7c15ull) >> 32) & (2 * x->cap - 1);
}

static void index_drop(struct sl_epoch_index *x)
{
	sl_free(x->newest, 2 * x->cap * sizeof *x->newest);
	sl_free(x->older, x->cap * sizeof *x->older);
	sl_free(x, sizeof *x);
}

/* mine's index of ring r's epoch over [first, end), made or extended. */
static struct sl_epoch_index *epoch_index(struct sl_history *mine, int kind,
					  const struct sl_history_ring *r, uint32_t epoch,
					  uint64_t first, uint64_t end)
{
	struct sl_epoch_index *x = mine->epoch_index[kind];
	if (x && (x->ring != r || x->epoch != epoch || x->first != first || x->end > end ||
		  end - first > x->cap)) {
		index_drop(x);
		x = NULL;
	}
	if (!x) {
		uint32_t cap = EPOCH_SCAN;
		while (cap < end - first)
			cap *= 2;
		x = sl_alloc(sizeof *x);
		*x = (struct sl_epoch_index){r, epoch, first, first, cap,
					     sl_alloc(2 * cap * sizeof *x->newest),
					     sl_alloc(cap * sizeof *x->older)};
		memset(x->newest, 0, 2 * cap * sizeof *x->newest);
		mine->epoch_index[kind] = x;
	}
	for (; x->end < end; x->end++) {
		const void *slot = atomic_load_explicit(&r->entry[x->end & r->mask].slot,
							memory_order_relaxed);
		uint32_t b = bucket_of(x, slot), at = (uint32_t)(x->end - first);
		x->older[at] = x->newest[b];
		x->newest[b] = at + 1;
	}
	return x;
}

/* Walk ring r's entries of the record, newest first.
 * A thread's epochs only grow, so each ring is in epoch order: a binary
 * search finds the record's epoch, and only that epoch's entries are
 * compared (a racing loop looks up every element it touches: a linear
 * search made ck's epoch test run 2000 times longer); in a long epoch,
 * only those of the record's slot (sl_epoch_index). An entry the owner is
 * rewriting meanwhile ends the walk. */
static void ring_walk(struct sl_history *mine, int kind, const struct sl_history_ring *r,
		      struct record_walk *w)
{
	uint64_t next = atomic_load_explicit(&r->next, memory_order_acquire);
	uint64_t oldest = next > r->mask + 1 ? next - (r->mask + 1) : 0;
	uint32_t epoch = sl_w0_epoch(w->w0);
	uint64_t end = first_at_least(r, oldest, next, epoch + 1);
	uint64_t first = first_at_least(r, oldest, end, epoch);
	if (end - first <= EPOCH_SCAN) {
		for (uint64_t n = end; n-- > oldest && walk_entry(r, n, epoch, w);)
			;
		return;
	}
	struct sl_epoch_index *x = epoch_index(mine, kind, r, epoch, first, end);
	for (uint32_t p = x->newest[bucket_of(x, w->slot)]; p; p = x->older[p - 1])
		if (!walk_entry(r, first + p - 1, epoch, w))
			return;
}

/* The first or last entry of h's rings that notes record w0 (any bytes)
 * for one of the n slots, as an order key: the kept ring's entries are
 * older than the recent ring's (keep_live moves them in order), and each
 * ring is in order of position. UINT64_MAX: none. A walk of w0's epoch;
 * reports only. */
#define NO_POSITION UINT64_MAX
static uint64_t position_of(const struct sl_history *h, uint64_t w0,
			    const _Atomic uint64_t *const *slots, unsigned n, bool last)
{
	const struct sl_history_ring *rings[2] = {&h->kept, &h->recent};
	uint64_t found = NO_POSITION;
	uint32_t epoch = sl_w0_epoch(w0);
	for (unsigned k = 0; k < 2; k++) {
		const struct sl_history_ring *r = rings[k];
		uint64_t next = atomic_load_explicit(&r->next, memory_order_acquire);
		uint64_t oldest = next > r->mask + 1 ? next - (r->mask + 1) : 0;
		uint64_t end = first_at_least(r, oldest, next, epoch + 1);
		for (uint64_t at = first_at_least(r, oldest, end, epoch); at < end; at++) {
			const struct sl_history_entry *e = &r->entry[at & r->mask];
			if (!same_record(atomic_load_explicit(&e->w0, memory_order_acquire), w0))
				continue;
			const _Atomic uint64_t *slot = atomic_load_explicit(&e->slot,
									    memory_order_relaxed);
			for (unsigned i = 0; i < n; i++) {
				if (slot != slots[i])
					continue;
				found = (uint64_t)k << 62 | at;
				if (!last)
					return found;
			}
		}
	}
	return found;
}

bool sl_history_all_before(uint64_t a_w0, const _Atomic uint64_t *a_slots, uint64_t b_w0,
			   const _Atomic uint64_t *b_slots)
{
	uint32_t tid = sl_w0_tid(a_w0);
	const struct sl_history *h = tid < SL_MAX_THREADS ?
		atomic_load_explicit(&histories[tid], memory_order_acquire) : NULL;
	if (!h || sl_w0_tid(b_w0) != tid)
		return false;
	const _Atomic uint64_t *a[SL_SLOTS], *b[SL_SLOTS];
	for (unsigned i = 0; i < SL_SLOTS; i++) {
		a[i] = &a_slots[i];
		b[i] = &b_slots[i];
	}
	uint64_t a_last = position_of(h, a_w0, a, SL_SLOTS, true);
	uint64_t b_first = position_of(h, b_w0, b, SL_SLOTS, false);
	return a_last != NO_POSITION && b_first != NO_POSITION && a_last < b_first;
}

/* The recent ring holds a record's newer entries, the kept ring its older
 * ones (sl_history_keep_live moves them in order). */
static struct sl_history_access search(struct sl_history *mine, uint64_t w0,
				       const _Atomic uint64_t *slot, uint64_t want)
{
	struct record_walk w = {.w0 = w0, .want = want, .slot = slot, .chain = SL_W0_BYTES};
	uint32_t tid = sl_w0_tid(w0);
	struct sl_history *h = tid < SL_MAX_THREADS ?
		atomic_load_explicit(&histories[tid], memory_order_acquire) : NULL;
	if (h) {
		ring_walk(mine, 0, &h->recent, &w);
		if (!w.done)
			ring_walk(mine, 1, &h->kept, &w);
	}
	if (!w.w1)       /* history moved on: name the byte asked about */
		w.w0 = (w0 & ~SL_W0_BYTES) | want;
	return (struct sl_history_access){w.w0, w.w1};
}

struct sl_history_access sl_history_find(const struct sl_thread *thr, uint64_t w0,
					 const _Atomic uint64_t *slot, uint64_t want)
{
	uint64_t key = (w0 ^ want) ^ (uintptr_t)slot * 0x9e3779b97f4a7c15ull;
	struct sl_history_found *f = &thr->history->found[(key >> 40) % SL_HISTORY_FOUND];
	if (f->w0 != w0 || f->want != want || f->slot != slot)
		*f = (struct sl_history_found){w0, want, slot, search(thr->history, w0, slot, want)};
	return f->access;
}
