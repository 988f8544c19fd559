/* SPDX-License-Identifier: Apache-2.0 */
/* Where recorded accesses came from: each thread's history of the records
 * it made, so that a report can name the site and stack of the earlier
 * access a slot holds.
 *
 * A slot (shadow.h) is one word: who, when, which bytes, how. Its site and
 * stack used to sit beside it in the shadow line, which made the line 64
 * bytes per 16-byte granule; ThreadSanitizer instead replays a trace of
 * every access. SlabSan keeps the middle way: every record a thread makes
 * (not every access: a repeat within an epoch records nothing) also goes
 * into its ring of recent records with its slot and site word, and a
 * report looks the slot's word up there, newest first.
 *
 * Most records die young: the thread's next access to the granule in a
 * later epoch, or a free, replaces them in the shadow. The few that stay
 * are the ones a report most needs long after (a slab's stride written
 * once at set-up, a page flag set by its owner). So before the recent ring
 * overwrites a batch of entries, it looks each up in the shadow, and moves
 * the ones still there to a second ring, of records kept. A record that
 * has left both is reported without its stack, as ThreadSanitizer does
 * when its trace has moved on.
 *
 * The rings belong to the thread id, not the thread: a thread that reuses
 * an id continues its epochs (thread.c), so (word, slot) still names one
 * access, and the rings of 10^4 short-lived threads cost no more than
 * those of the threads alive at once. */
#ifndef SLABSAN_HISTORY_H
#define SLABSAN_HISTORY_H

#include <stdatomic.h>
#include <stdint.h>

#include "internal.h"

struct sl_history_entry {
	_Atomic uint64_t w0;          /* the slot word recorded; 0 while rewritten */
	/* The slot it went into. A record never moves to another slot, so
	 * keeping one reads this slot alone, and a report's lookup compares it. */
	const _Atomic uint64_t *_Atomic slot;
	_Atomic uint64_t w1;          /* site id << 32 | stack id */
};

struct sl_history_ring {
	_Atomic uint64_t next;        /* entries written so far; only the owner writes */
	uint64_t mask;                /* entries - 1, a power of two minus one */
	struct sl_history_entry *entry;
};

/* An earlier access as a report names it: its record narrowed to the
 * bytes that access touched (a record may join several, access.c), and its
 * site word, 0 when its thread's history no longer holds it. */
struct sl_history_access {
	uint64_t w0, w1;
};

/* A lookup this thread made (sl_history_find): a racing loop reports the
 * same earlier access again and again, and reports are deduplicated by
 * its site, so each repeat would search the rings whole. */
struct sl_history_found {
	uint64_t w0, want;
	const _Atomic uint64_t *slot;
	struct sl_history_access access;
};
#define SL_HISTORY_FOUND 64u

struct sl_epoch_index;                /* history.c */
struct sl_history {
	struct sl_history_ring recent;    /* every record */
	struct sl_history_ring kept;      /* records still in the shadow when recent moved on */
	struct sl_history_found found[SL_HISTORY_FOUND];  /* the owner's lookups */
	/* the owner's index of one long epoch per ring (history.c) */
	struct sl_epoch_index *epoch_index[2];
};

/* The kept ring has SL_HISTORY_KEPT times as many entries as the recent
 * one (history_size): most records die young, so it fills slowly, and
 * what it holds is what reports need. */
#define SL_HISTORY_KEPT 8u
/* Recent entries checked for keeping at a time: their shadow lines are
 * prefetched together, so their misses overlap. */
#define SL_HISTORY_BATCH 64u

void sl_history_init(void);     /* after the options */

/* The rings of thread id tid, mapped on its first use (pages are touched
 * as records fill them). */
struct sl_history *sl_history_of(uint32_t tid);

void sl_history_keep_live(struct sl_history *h, uint64_t from);

/* Append to ring r. The entry is emptied first, so a reader that meets it
 * half rewritten sees its word change and ignores it (sl_history_find). */
static SL_ALWAYS_INLINE void sl_history_put(struct sl_history_ring *r, uint64_t n,
					    const _Atomic uint64_t *slot, uint64_t w0,
					    uint64_t w1)
{
	struct sl_history_entry *e = &r->entry[n & r->mask];
	atomic_store_explicit(&e->w0, 0, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	atomic_store_explicit(&e->slot, slot, memory_order_relaxed);
	atomic_store_explicit(&e->w1, w1, memory_order_relaxed);
	atomic_store_explicit(&e->w0, w0, memory_order_release);
	atomic_store_explicit(&r->next, n + 1, memory_order_relaxed);
}

/* A thread made the record w0 in the shadow slot `slot`, from site word
 * w1. Every SL_HISTORY_BATCH records, once the ring has wrapped, the batch
 * about to be overwritten is sifted for records to keep. */
static SL_ALWAYS_INLINE void sl_history_note(struct sl_history *h, const _Atomic uint64_t *slot,
					     uint64_t w0, uint64_t w1)
{
	uint64_t n = atomic_load_explicit(&h->recent.next, memory_order_relaxed);
	if (sl_unlikely(!(n & (SL_HISTORY_BATCH - 1))) && n > h->recent.mask)
		sl_history_keep_live(h, n);
	sl_history_put(&h->recent, n, slot, w0, w1);
}

/* An acquire fence is an entry too, noted for this slot, which no record
 * is ever in: no lookup by slot meets it and keep_live never keeps it, so
 * it lives in the recent ring only. A report walking a thread's entries
 * tells by it whether a relaxed load it finds was followed by a fence
 * before a later access (report_edge.c). w0 is the thread and epoch, with
 * SL_FENCE_ORDERS_WRITES for a full acquire fence (smp_rmb() orders later
 * reads only); w1 the fence's site word, or with SL_FENCE_AT_PC the pc
 * of its call (smp_rmb(), an inline of lkmm.h, has no site, and a stack
 * of its own would cost every smp_rmb() a depot lookup). */
extern const _Atomic uint64_t sl_history_fence_slot;
#define SL_FENCE_ORDERS_WRITES SL_W0_WRITE
#define SL_FENCE_AT_PC SL_W0_ASSERT
static inline bool sl_history_is_fence(const _Atomic uint64_t *slot)
{
	return slot == &sl_history_fence_slot;
}

/* The first acquire fence thread tid noted at position `from` of its
 * recent ring or later (as an entry's `at`, or sl_history_position before
 * a later entry), one that orders later writes too if writes: its w0, and
 * its w1 in *w1; 0 if none. Reports only. */
uint64_t sl_history_fence_from(uint32_t tid, uint64_t from, bool writes, uint64_t *w1);

/* The access behind the record w0, read from the shadow slot `slot`, that
 * touched the byte `want` (one bit of SL_W0_BYTES, in place). Reports
 * only; thr is the thread asking. */
struct sl_history_access sl_history_find(const struct sl_thread *thr, uint64_t w0,
					 const _Atomic uint64_t *slot, uint64_t want);

/* How many records h has noted (0 for none): a position in its thread's
 * program order, as the entries' own. */
static inline uint64_t sl_history_position(const struct sl_history *h)
{
	return h ? atomic_load_explicit(&h->recent.next, memory_order_relaxed) : 0;
}

/* The entries of h, newest first (the recent ring, then the kept one),
 * for its owner only, until visit returns true: a report that looks for
 * what its own thread did before, by kind of record rather than by slot.
 * `at` is the entry's position (sl_history_position when it was noted),
 * 0 in the kept ring, which does not keep it. True if visit did. */
typedef bool sl_history_visit(void *ctx, const _Atomic uint64_t *slot, uint64_t w0, uint64_t w1,
			      uint64_t at);
bool sl_history_each_own(const struct sl_history *h, sl_history_visit *visit, void *ctx);
/* The same walk of thread id tid's rings, which their owner may be
 * writing meanwhile: an entry rewritten under the walk is skipped. */
bool sl_history_each_of(uint32_t tid, sl_history_visit *visit, void *ctx);

/* Did thread tid (a's) make every access of its record a_w0, noted for
 * one of a_slots[0..SL_SLOTS) (its granule's: the record need not be
 * there any more, a free clears it), before the first of its record b_w0
 * (the same epoch), noted for one of b_slots[0..SL_SLOTS)? For a report
 * that must tell the order of two accesses of one epoch; false when
 * either has left the history. */
bool sl_history_all_before(uint64_t a_w0, const _Atomic uint64_t *a_slots, uint64_t b_w0,
			   const _Atomic uint64_t *b_slots);

#endif
