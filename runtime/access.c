// SPDX-License-Identifier: Apache-2.0
/* The per-access check: the fast path every instrumented load and store takes.
 * It compares the access with the granule's slots (shadow.h), reports what is
 * unordered, and records the access. No lock, no allocation. */
#include "history.h"
#include "report.h"
#include "shadow.h"

/* Does thr's own clock order the earlier access in w0 before its current
 * one? FastTrack's epoch test, and nearly always the whole answer. */
static SL_ALWAYS_INLINE bool ordered_by_clock(const struct sl_thread *thr, uint64_t w0)
{
	return sl_w0_epoch(w0) <= sl_vclock_lane(&thr->clock, sl_w0_tid(w0), sl_w0_write(w0));
}

/* Is the earlier access recorded in w0 ordered before thr's current access?
 * Writes are checked against thr->clock; reads also against what smp_rmb()
 * ordered for later reads only (read_extra). */
static SL_ALWAYS_INLINE bool ordered_before(const struct sl_thread *thr, uint64_t w0,
					    bool is_write)
{
	if (sl_likely(ordered_by_clock(thr, w0)))
		return true;
	uint32_t tid = sl_w0_tid(w0), epoch = sl_w0_epoch(w0);
	bool write = sl_w0_write(w0);
	if (thr->dependency_depth && epoch <= sl_vclock_lane(&thr->dependency_extra, tid, write))
		return true;
	return !is_write && !sl_vclock_empty(&thr->read_extra) &&
	       epoch <= sl_vclock_lane(&thr->read_extra, tid, write);
}

/* memory_model=lkmm: an access through a pointer that a marked load
 * returned is address-dependent on that load, which the kernel's model
 * orders like an acquire for this access. The pointer is recognized by
 * value: the access falls within a small window above it. Slow path only:
 * asked when the access would otherwise be reported. */
#define SL_DEPENDENCY_WINDOW 256
static SL_COLD bool ordered_by_dependency(struct sl_thread *thr, uintptr_t addr, uint64_t w0)
{
	if (sl_opt.memory_model != SL_MM_LKMM)
		return false;
	uintptr_t lo = addr >= SL_DEPENDENCY_WINDOW ? addr - SL_DEPENDENCY_WINDOW + 1 : 0;
	const struct sl_recent_load *r = sl_recent_load_of(thr, lo, addr + 1);
	if (!r)
		return false;
	return sl_w0_epoch(w0) <= sl_vclock_lane(&r->dependency, sl_w0_tid(w0), sl_w0_write(w0));
}

/* memory_model=lkmm: a marked store this thread learned of through an
 * A-cumulative release (cumulativity.c). Slow path only. */
static SL_COLD bool ordered_cumulatively(const struct sl_thread *thr, uintptr_t addr, uint64_t w0)
{
	return sl_opt.memory_model == SL_MM_LKMM && sl_w0_marked(w0) && sl_w0_write(w0) &&
	       sl_cumul_orders(thr, addr, w0);
}

/* Do the accesses prev and cur conflict? Tested on the words in place,
 * without extracting fields: this runs for every slot of every full check. */
static SL_ALWAYS_INLINE bool conflicts(uint64_t prev, uint64_t cur)
{
	if (!(prev & cur & SL_W0_BYTES))
		return false;
	if (!((prev | cur) & SL_W0_WRITE))
		return false;                  /* two reads */
	if (sl_unlikely((prev | cur) & SL_W0_ASSERT))
		return true;                   /* an assertion excludes marked accesses too */
	return !(prev & cur & SL_W0_MARKED); /* marked vs marked never races */
}

/* Does our own earlier access in this same epoch cover the new one? It
 * does when it touched at least these bytes and conflicts with at least as
 * much: a write covers a read, a plain access a marked one, an assertion a
 * plain one. Then the new access can add no report and need not be kept.
 * All of it is one test of the bits where prev and cur differ, d = prev ^
 * cur, under a mask that depends on cur alone:
 *   - who and when (bits from SL_W0_EPOCH_SHIFT up) must not differ;
 *   - no byte, write or assertion bit of cur that prev lacks: such a bit
 *     is set in cur and in d;
 *   - prev not marked where cur is plain: for a plain cur, the marked bit
 *     of d is prev's. */
static SL_ALWAYS_INLINE uint64_t covered_if_same(uint64_t cur)
{
	const uint64_t stronger = SL_W0_WRITE | SL_W0_ASSERT | SL_W0_BYTES;
	return ~((1ull << SL_W0_EPOCH_SHIFT) - 1) | (cur & stronger) | (~cur & SL_W0_MARKED);
}

/* The fast path of every check: the access repeats one this thread made
 * in this epoch (a loop over an array, a spin on a flag), found in one
 * pass over the granule's line with no clock lookup. Lock-heavy code
 * releases between most accesses, so nothing matches there: the test per
 * slot is an XOR and an AND, no more than comparing who and when alone. */
static SL_ALWAYS_INLINE bool repeats_own_access(const struct sl_granule_shadow *gs, uint64_t cur)
{
	uint64_t must_match = covered_if_same(cur);
	SL_UNROLL
	for (unsigned i = 0; i < SL_SLOTS; i++) {
		uint64_t prev = atomic_load_explicit(&gs->word0[i], memory_order_relaxed);
		if (sl_unlikely(!((prev ^ cur) & must_match)))
			return true;
	}
	return false;
}

/* A slot whose record another slot's stands in for, as cur does in
 * victim_slot: the same thread's access of the same kind, to no byte the
 * other lacks, in no later epoch. Whatever races with such a record races
 * with the other too (not ordered after the earlier epoch, it is not
 * after the later one), so it gives way first and no race is lost. Such
 * records pile up where a thread writes a granule's two fields every
 * epoch: a record per epoch (the first field's write cannot replace last
 * epoch's record of both), the old ones left behind. Before this rule,
 * rule 1 below gave away the newest of them and kept the old ones, and a
 * race with the newest went unreported (tests/runtime/victim_newest_write.c);
 * on kmem_cache, 13% of checks found their granule full, 5% since. */
static SL_ALWAYS_INLINE int dominated_slot(const uint64_t seen[SL_SLOTS])
{
	const uint64_t kind = SL_W0_MARKED | SL_W0_WRITE | SL_W0_ASSERT;
	SL_UNROLL
	for (unsigned i = 0; i < SL_SLOTS; i++)
		SL_UNROLL
		for (unsigned j = i + 1; j < SL_SLOTS; j++) {
			uint64_t a = seen[i], b = seen[j], d = a ^ b;
			if ((d >> SL_W0_TID_SHIFT) || (d & kind))
				continue;       /* another thread's, or another kind */
			uint32_t ea = sl_w0_epoch(a), eb = sl_w0_epoch(b);
			if (ea <= eb && !(a & ~b & SL_W0_BYTES))
				return (int)i;
			if (eb <= ea && !(b & ~a & SL_W0_BYTES))
				return (int)j;
		}
	return -1;
}

/* All slots are taken: which one gives way? Best an earlier access that cur
 * can stand in for: ordered before cur, to no byte cur does not touch, and
 * no stronger in conflict (a write stands in for a read, not the reverse;
 * marked for marked, plain for plain). A later access racing with it races
 * with cur too (it is not ordered after cur either, or it would be after
 * it), so no race is lost, only which of the two a report names; FastTrack
 * drops ordered writes the same way. Next a record another slot's stands
 * in for (dominated_slot), which loses nothing either. Otherwise
 * something is lost, and the order below keeps what most later accesses
 * could race with:
 *   1. an access ordered before cur (history this thread has synchronized
 *      with, rather than an access still concurrent with it: evicting by
 *      position made a granule shared by two small objects forget the one
 *      write a free was unordered with, slub/put_pid.c), not one of this
 *      thread's in this epoch (those let its next accesses take the
 *      same-epoch shortcut: hash_table ran 26% fewer instructions once
 *      they stayed), a read first;
 *   2. any access ordered before cur;
 *   3. a concurrent read rather than a concurrent write, which conflicts
 *      with every later access, not only with writes (slub/obj_exts_stride.c
 *      lost the plain write of `stride` to a concurrent marked read of
 *      `obj_exts` about 1 run in 60 under load: victim_keeps_write.c);
 *   4. a slot by position.
 * Within each, a marked access before a plain one: it conflicts with plain
 * accesses only. Marked before plain, in 3 and then in 1, keeps the seed's
 * story (seed_replay unfixed) from losing its race: CPU Y's READ_ONCE of
 * obj_exts took CPU X's plain read of the stride, and X's next read of the
 * stride took X's stride write, the first slot ordered before it, just
 * before Y read the stride (1 run in 40 under load, 0 in 800 since;
 * tests/runtime/victim_marked_read.c, victim_own_write.c, which also
 * checks reads before writes in 1). */
static SL_ALWAYS_INLINE int victim_slot(const struct sl_thread *thr, const uint64_t seen[SL_SLOTS],
					unsigned ordered, unsigned unknown, uintptr_t addr,
					uint64_t cur)
{
	bool is_write = cur & SL_W0_WRITE;
	/* cur stands in for prev when prev has no byte or write bit that cur
	 * lacks (where cur lacks one, a difference is prev's) and the same
	 * marked and assertion bits */
	uint64_t stand_in = (~cur & (SL_W0_BYTES | SL_W0_WRITE)) | SL_W0_MARKED | SL_W0_ASSERT;
	/* slots holding a read; a marked access; not ours from this epoch */
	unsigned reads = 0, marked = 0, old = 0;
	SL_UNROLL
	for (unsigned i = 0; i < SL_SLOTS; i++) {
		uint64_t prev = seen[i];
		if ((unknown & (1u << i)) && ordered_before(thr, prev, is_write))
			ordered |= 1u << i;
		if ((ordered & (1u << i)) && !((prev ^ cur) & stand_in))
			return (int)i;
		reads |= (unsigned)!sl_w0_write(prev) << i;
		marked |= (unsigned)sl_w0_marked(prev) << i;
		old |= (unsigned)((prev ^ cur) >> SL_W0_EPOCH_SHIFT != 0) << i;
	}
	int dominated = dominated_slot(seen);
	if (dominated >= 0)
		return dominated;
	unsigned pick = ordered & old & reads;
	if (!pick)
		pick = ordered & old;
	if (!pick)
		pick = ordered;
	if (!pick)
		pick = ~ordered & reads;
	if (!pick)
		return (int)(thr->epoch + (uint32_t)(addr >> SL_GRANULE_SHIFT)) % SL_SLOTS;
	/* within a rule, a marked access before a plain one: it conflicts
	 * with plain accesses only */
	return __builtin_ctz((pick & marked) ? pick & marked : pick);
}

/* Report the race of the access cur with prev, an earlier record in
 * `slot`: the access behind it that touched the first byte both touch,
 * its site and stack from its thread's history (history.h), or left out
 * when that has moved on. */
static SL_COLD void report_slot(struct sl_thread *thr, uintptr_t addr, size_t size, uint64_t cur,
				slabsan_site_t site, const _Atomic uint64_t *slot, uint64_t prev)
{
	struct sl_history_access a = sl_history_find(thr, prev, slot,
						     sl_w0_lowest_byte(prev & cur & SL_W0_BYTES));
	sl_report_race(thr, addr, size, cur, site, a.w0, a.w1);
}

/* Are prev and cur both reads or both writes, marked alike, asserting alike? */
static SL_ALWAYS_INLINE bool same_kind(uint64_t prev, uint64_t cur)
{
	return !((prev ^ cur) & (SL_W0_MARKED | SL_W0_ASSERT | SL_W0_WRITE));
}

/* May cur, our own access, take the slot of our earlier access prev? When
 * it is of the same kind and touches all of prev's bytes: then it stands
 * in for prev, as in victim_slot. A write no longer takes its own read's
 * slot: in a read-then-write loop the next epoch's read found only the
 * write, which it cannot replace, and took an empty slot or a victim every
 * other epoch (threads/2: 3.5% fewer instructions without). */
static SL_ALWAYS_INLINE bool replaces_own(uint64_t prev, uint64_t cur)
{
	return same_kind(prev, cur) && !(prev & ~cur & SL_W0_BYTES);
}

/* Failing that, may cur take prev's slot when the granule has no empty
 * one? When both are reads of the same kind and prev read all of cur's
 * bytes (prev a record joined from several accesses, joins_own): prev's
 * other bytes are given up, as victim_slot gives up a read ordered before
 * cur first. Not while a slot is empty: a thread that writes two fields
 * and then one of them again would lose the other's write
 * (tests/runtime/partial_rewrite.c). Without this, the granule of two
 * fields read in every epoch chose a victim on every access once full
 * (mutex_queue: 5% more instructions). Writes are left to victim_slot,
 * which keeps writes longer; narrowing them too counted the same. */
static SL_ALWAYS_INLINE bool narrows_own(uint64_t prev, uint64_t cur)
{
	return !(cur & SL_W0_WRITE) && same_kind(prev, cur) && !(cur & ~prev & SL_W0_BYTES);
}

/* Record cur in slot i of gs, which the check saw holding over (0: empty),
 * and its site and stack in thr's history. An empty slot is taken only with
 * a compare-exchange: two threads recording at the same instant could both
 * pick it and one entry would vanish (tests/runtime/volatile.c lost its race
 * that way under load). Returns false when another thread took it first:
 * the caller checks again, now seeing the other's entry, and never
 * overwrites it (falling through to a replacement lost the other thread's
 * record: runtime/refcount_fix_hint.c missed its report ~1 run in 100 when
 * both owners decremented at once). Replacing a non-empty slot stays a
 * plain store: a lock on every access cost 15-25% of hash_table
 * (docs/performance.md); a thread that claims the slot in between loses its
 * entry, as two records at the same instant can anyway. The history is
 * written first, so a report that finds the slot finds its site. */
static SL_ALWAYS_INLINE bool record_in_slot(struct sl_thread *thr, struct sl_granule_shadow *gs,
					    int i, uint64_t over, uint64_t cur, slabsan_site_t site)
{
	sl_history_note(thr->history, &gs->word0[i], cur, sl_w1_make(site ? site->id : 0,
							 sl_stack_of_access(thr)));
	if (over == 0) {
		uint64_t empty = 0;
		return atomic_compare_exchange_strong_explicit(&gs->word0[i], &empty, cur,
							       memory_order_release,
							       memory_order_relaxed);
	}
	atomic_store_explicit(&gs->word0[i], cur, memory_order_release);
	return true;
}

/* May cur join our earlier access prev, one record for the bytes of both?
 * When only the bytes differ: same thread, epoch and kind. Filling a
 * fresh object's fields then takes one empty slot per granule, not one
 * per field, each with a compare-exchange (docs/design.md, joined
 * records; the history tells the accesses apart for reports). */
static SL_ALWAYS_INLINE bool joins_own(uint64_t prev, uint64_t cur)
{
	return !((prev ^ cur) & ~SL_W0_BYTES);
}

/* The state byte of granule x of chunk c when records are tracked
 * (shadow.h), else NULL; and what it holds now (0 without one). */
static SL_ALWAYS_INLINE _Atomic uint8_t *tracked_state(struct sl_chunk *c, uint32_t x)
{
	return sl_records_tracked() ? &c->state[x] : NULL;
}

static SL_ALWAYS_INLINE uint8_t state_now(_Atomic uint8_t *state)
{
	return state ? atomic_load_explicit(state, memory_order_relaxed) : 0;
}

/* A tracked granule (shadow.h) says in its state byte that its slots may
 * be in use before any is taken. */
static SL_ALWAYS_INLINE void mark_recorded(_Atomic uint8_t *state, uint8_t seen)
{
	if (state && !(seen & SL_GRANULE_RECORDED))
		atomic_fetch_or_explicit(state, SL_GRANULE_RECORDED, memory_order_relaxed);
}

/* What a check learns from a granule's slots, to choose the one cur takes. */
struct slot_scan {
	uint64_t seen[SL_SLOTS];  /* the slots as the check read them */
	unsigned ordered;         /* slots known to be ordered before cur */
	unsigned unknown;         /* slots not asked: no conflict with cur */
	int at;                   /* the slot cur takes; -1: none chosen yet */
	uint64_t over;            /* what that slot held; 0: empty */
	uint64_t joined;          /* bytes of our record in it that cur joins */
	int narrow_at;            /* our record cur may narrow (narrows_own); -1: none */
};

/* seen[] is filled by the scan itself (not zeroed first: 1% of a check). */
static SL_ALWAYS_INLINE void start_scan(struct slot_scan *s)
{
	s->ordered = s->unknown = 0;
	s->at = -1;
	s->over = 0;
	s->joined = 0;
	s->narrow_at = -1;
}

/* Read slot i into the scan and settle what both checks settle alike: an
 * empty slot (cur may take the first such) or our own earlier access
 * (ordered before cur; cur takes its slot rather than an empty one when
 * replaces_own). Returns the slot's word when the caller must judge it,
 * another thread's access or a marker, else 0. */
static SL_ALWAYS_INLINE uint64_t scan_slot(struct slot_scan *s, struct sl_granule_shadow *gs,
					   unsigned i, uint64_t cur)
{
	uint64_t prev = s->seen[i] = atomic_load_explicit(&gs->word0[i], memory_order_relaxed);
	if (prev == 0) {
		if (s->at < 0)
			s->at = (int)i;
		return 0;
	}
	if ((prev >> SL_W0_TID_SHIFT) != (cur >> SL_W0_TID_SHIFT))
		return prev;
	s->ordered |= 1u << i;
	if (replaces_own(prev, cur))
		s->at = (int)i, s->over = prev, s->joined = 0;
	else if (joins_own(prev, cur))
		s->at = (int)i, s->over = prev, s->joined = prev & SL_W0_BYTES;
	else if (narrows_own(prev, cur))
		s->narrow_at = (int)i;
	return 0;
}

/* Has the scan settled cur's slot without evicting anyone? An empty or
 * own slot, else a record of ours cur narrows (narrows_own), which it
 * then takes. Its word is read again rather than kept from the scan,
 * which cost every check a register: a record of ours changes only when
 * another thread replaces it or a free empties it, and cur's store would
 * overwrite either (record_in_slot: an emptied slot is then taken with a
 * compare-exchange). False when some slot must give way (victim_slot). */
static SL_ALWAYS_INLINE bool settled_without_victim(struct slot_scan *s,
						    const struct sl_granule_shadow *gs)
{
	if (s->at < 0 && s->narrow_at >= 0) {
		s->at = s->narrow_at;
		s->over = atomic_load_explicit(&gs->word0[s->at], memory_order_relaxed);
	}
	return s->at >= 0;
}

/* No empty or own slot to take: one gives way, a record of ours cur
 * narrows if there is one, else victim_slot's choice. */
static SL_ALWAYS_INLINE void choose_victim(const struct sl_thread *thr, struct slot_scan *s,
					  const struct sl_granule_shadow *gs, uintptr_t addr,
					  uint64_t cur)
{
	if (!settled_without_victim(s, gs)) {
		s->at = victim_slot(thr, s->seen, s->ordered, s->unknown, addr, cur);
		s->over = s->seen[s->at];
	}
}

/* The full check of cur, one mask of bytes within the granule at addr (of
 * chunk c), when the common case below did not settle it: a marker, a
 * slot that may race, a lost compare-exchange. Reports what is unordered
 * and records cur. */
static SL_NOINLINE void access_granule_full(struct sl_thread *thr, struct sl_chunk *c,
					    uintptr_t addr, size_t size, uint64_t cur,
					    slabsan_site_t site)
{
	uint32_t x = sl_granule_index(addr);
	struct sl_granule_shadow *gs = &c->granule[x];
	bool is_write = cur & SL_W0_WRITE, is_marked = cur & SL_W0_MARKED;
	unsigned tries = 0;
	/* Tracked records (shadow.h): a freed block is marked in the state
	 * byte, and a slot is taken only after the state byte says so. */
	_Atomic uint8_t *state = tracked_state(c, x);
	if (sl_unlikely(state_now(state) & SL_GRANULE_FREED)) {
		sl_report_use_after_free(thr, addr, size, is_write, is_marked, site, 0);
		return;
	}
again:;
	struct slot_scan s;
	start_scan(&s);
	SL_UNROLL
	for (unsigned i = 0; i < SL_SLOTS; i++) {
		uint64_t prev = scan_slot(&s, gs, i, cur);
		if (!prev)
			continue;
		if (sl_unlikely(sl_w0_is_marker(prev))) {
			if (sl_w0_raw_tid(prev) == SL_META_TID)
				return;        /* a block's metadata: not program memory */
			sl_report_use_after_free(thr, addr, size, is_write, is_marked, site,
						 sl_w1_make(0, sl_w0_freed_stack(prev)));
			return;
		}
		if (!conflicts(prev, cur)) {
			s.unknown |= 1u << i;
			continue;
		}
		if (ordered_before(thr, prev, is_write) || ordered_by_dependency(thr, addr, prev) ||
		    ordered_cumulatively(thr, addr, prev)) {
			s.ordered |= 1u << i;
			continue;
		}
		if (thr->ignore_depth == 0)
			report_slot(thr, addr, size, cur, site, &gs->word0[i], prev);
	}
	choose_victim(thr, &s, gs, addr, cur);
	mark_recorded(state, state_now(state));
	if (!record_in_slot(thr, gs, s.at, s.over, cur | s.joined, site) && ++tries <= 2)
		goto again;
	/* a record that lost the empty slot three times is dropped */
}

/* How the common check judges a slot's word prev that is neither empty
 * nor ours: in no conflict with cur (order not asked), ordered before it
 * by our clock, or anything else (a marker, a possible race), which only
 * the full check settles. */
enum common_verdict { NEEDS_FULL_CHECK, NO_CONFLICT, ORDERED };

static SL_ALWAYS_INLINE enum common_verdict judge_other(const struct sl_thread *thr,
							uint64_t prev, uint64_t cur)
{
	if (sl_unlikely(sl_w0_is_marker(prev)))
		return NEEDS_FULL_CHECK;
	if (!conflicts(prev, cur))
		return NO_CONFLICT;
	return sl_likely(ordered_by_clock(thr, prev)) ? ORDERED : NEEDS_FULL_CHECK;
}

/* The common check below found no slot to take: every one is in use and
 * cur replaces none. Which one gives way (victim_slot) needs every slot's
 * word, which that check does not keep (its spills cost more than this
 * second pass), so the words are read again and judged as the common
 * check judged them; anything it would not settle (a race, a marker, a
 * slot emptied meanwhile) goes to the full check, which starts over (and
 * cost these checks, 5% of kmem_cache's, more than the rest of them). */
static SL_NOINLINE void record_over_victim(struct sl_thread *thr, struct sl_chunk *c,
					   uintptr_t addr, size_t size, uint64_t cur,
					   slabsan_site_t site)
{
	uint32_t x = sl_granule_index(addr);
	struct sl_granule_shadow *gs = &c->granule[x];
	uint64_t seen[SL_SLOTS];
	unsigned ordered = 0, unknown = 0;
	SL_UNROLL
	for (unsigned i = 0; i < SL_SLOTS; i++) {
		uint64_t prev = seen[i] = atomic_load_explicit(&gs->word0[i], memory_order_relaxed);
		if (!((prev ^ cur) >> SL_W0_TID_SHIFT)) {
			ordered |= 1u << i;       /* our own */
			continue;
		}
		if (prev == 0)
			goto full;                /* emptied meanwhile */
		enum common_verdict v = judge_other(thr, prev, cur);
		if (v == NO_CONFLICT)
			unknown |= 1u << i;
		else if (v == ORDERED)
			ordered |= 1u << i;
		else
			goto full;
	}
	int at = victim_slot(thr, seen, ordered, unknown, addr, cur);
	_Atomic uint8_t *state = tracked_state(c, x);
	mark_recorded(state, state_now(state));
	/* a replacement, not an empty slot taken: a plain store, which cannot fail */
	record_in_slot(thr, gs, at, seen[at], cur, site);
	return;
full:
	access_granule_full(thr, c, addr, size, cur, site);
}

/* The check of cur after the fast path found no access of ours covering it,
 * in its common case: every slot is empty, ours, in no conflict with cur, or
 * ordered before it by our clock (ordered_by_clock). Anything else goes
 * to access_granule_full, which starts over. Split from it because the full
 * check's many live values kept the compiler spilling on every call: 186
 * instructions per check on live_objects, and most checks of hash_table and
 * live_objects take this path (a first touch in an epoch). */
static void access_granule(struct sl_thread *thr, struct sl_chunk *c, uintptr_t addr,
			   size_t size, uint64_t cur, slabsan_site_t site)
{
	uint32_t x = sl_granule_index(addr);
	struct sl_granule_shadow *gs = &c->granule[x];
	struct slot_scan s;
	start_scan(&s);
	_Atomic uint8_t *state = tracked_state(c, x);
	uint8_t st = state_now(state);
	if (sl_unlikely(st & SL_GRANULE_FREED))
		goto full;
	SL_UNROLL
	for (unsigned i = 0; i < SL_SLOTS; i++) {
		uint64_t prev = scan_slot(&s, gs, i, cur);
		if (!prev)
			continue;
		enum common_verdict v = judge_other(thr, prev, cur);
		if (v == NO_CONFLICT)
			s.unknown |= 1u << i;
		else if (sl_likely(v == ORDERED))
			s.ordered |= 1u << i;
		else
			goto full;
	}
	/* Choosing a victim needs every slot's word, which this check does
	 * not keep: the array's spills cost more than a second pass in the
	 * rare granule that needs one (record_over_victim). */
	if (sl_unlikely(!settled_without_victim(&s, gs))) {
		record_over_victim(thr, c, addr, size, cur, site);
		return;
	}
	mark_recorded(state, st);
	if (sl_likely(record_in_slot(thr, gs, s.at, s.over, cur | s.joined, site)))
		return;
full:
	access_granule_full(thr, c, addr, size, cur, site);
}

/* An access within one granule of chunk c: the same-epoch shortcut, then
 * the full check. */
static SL_ALWAYS_INLINE void check_in_chunk(struct sl_thread *thr, struct sl_chunk *c,
					    uintptr_t addr, size_t size, uint64_t flags,
					    slabsan_site_t site)
{
	uint16_t mask = (uint16_t)(((1u << size) - 1) << (addr & (SL_GRANULE - 1)));
	uint64_t cur = thr->w0_who_when | ((uint64_t)mask << SL_W0_MASK_SHIFT) | flags;
	if (sl_likely(repeats_own_access(&c->granule[sl_granule_index(addr)], cur)))
		return;
	access_granule(thr, c, addr, size, cur, site);
}

/* The mapped shadow chunk of an access of 1..16 bytes within one granule,
 * the common case every entry point tests for; NULL for anything else. */
static SL_ALWAYS_INLINE struct sl_chunk *single_granule_chunk(uintptr_t addr, size_t size)
{
	struct sl_chunk *c = sl_shadow_chunk_if_mapped(addr);
	return c && (addr & (SL_GRANULE - 1)) + size <= SL_GRANULE ? c : NULL;
}

/* Atomics come here: an access within one granule whose shadow is mapped
 * goes straight to its check, as the sized entry points' do; a spin on an
 * atomic paid 60 instructions per load in the general loop below. */
void sl_access(struct sl_thread *thr, uintptr_t addr, size_t size, bool is_write,
	       bool is_marked, slabsan_site_t site)
{
	uint64_t flags = (is_write ? SL_W0_WRITE : 0) | (is_marked ? SL_W0_MARKED : 0);
	struct sl_chunk *c = size ? single_granule_chunk(addr, size) : NULL;
	if (sl_likely(c))
		check_in_chunk(thr, c, addr, size, flags, site);
	else
		sl_access_flags(thr, addr, size, flags, site);
}

void sl_access_flags(struct sl_thread *thr, uintptr_t addr, size_t size, uint64_t flags,
		     slabsan_site_t site)
{
	while (size) {
		unsigned off = addr & (SL_GRANULE - 1);
		size_t n = SL_GRANULE - off < size ? SL_GRANULE - off : size;
		check_in_chunk(thr, sl_shadow_chunk(addr), addr, n, flags, site);
		addr += n;
		size -= n;
	}
}

/* Thread and nesting checks shared by every entry point: accesses made while
 * the runtime itself runs (a signal handler, a libc callback) are not the
 * program's and are not checked. */
#define ENTER(thr)						\
	struct sl_thread *thr = sl_thread();			\
	if (sl_unlikely(thr->in_runtime))			\
		return

/* The sized entry points' way for anything unusual: a thread's first
 * access, the runtime's own accesses, an access across granules, shadow
 * not mapped yet. */
static SL_NOINLINE void check_unusual(uintptr_t addr, size_t size, uint64_t flags,
				      slabsan_site_t site)
{
	ENTER(thr);
	sl_access_flags(thr, addr, size, flags, site);
}

/* A sized access: the same-epoch shortcut inline, everything else behind a
 * tail call, so that the usual return saves and restores no register. */
static SL_ALWAYS_INLINE void check(uintptr_t addr, size_t size, uint64_t flags,
				   slabsan_site_t site)
{
	/* The program's own access follows this call; started now, its cache
	 * miss overlaps the check's miss on the shadow instead of waiting for
	 * the whole check (a prefetch never faults). */
	if (flags & SL_W0_WRITE)        /* clang takes only a constant here */
		__builtin_prefetch((const void *)addr, 1);
	else
		__builtin_prefetch((const void *)addr, 0);
	struct sl_thread *thr = sl_cur_thread;
	struct sl_chunk *c = single_granule_chunk(addr, size);
	if (sl_unlikely(!thr || thr->in_runtime || !c)) {
		check_unusual(addr, size, flags, site);
		return;
	}
	check_in_chunk(thr, c, addr, size, flags, site);
}

#define DEFINE_ACCESS(size)							\
	SL_EXPORT void __slabsan_read##size(void *addr, slabsan_site_t site)	\
	{									\
		check((uintptr_t)addr, size, 0, site);				\
	}									\
	SL_EXPORT void __slabsan_write##size(void *addr, slabsan_site_t site)	\
	{									\
		check((uintptr_t)addr, size, SL_W0_WRITE, site);		\
	}
DEFINE_ACCESS(1)
DEFINE_ACCESS(2)
DEFINE_ACCESS(4)
DEFINE_ACCESS(8)
DEFINE_ACCESS(16)

SL_EXPORT void __slabsan_read_range(void *addr, size_t size, slabsan_site_t site)
{
	ENTER(thr);
	sl_access(thr, (uintptr_t)addr, size, false, false, site);
}

SL_EXPORT void __slabsan_write_range(void *addr, size_t size, slabsan_site_t site)
{
	ENTER(thr);
	sl_access(thr, (uintptr_t)addr, size, true, false, site);
}

/* ASSERT_EXCLUSIVE_WRITER is recorded as an asserting read (any other
 * thread's write conflicts), ASSERT_EXCLUSIVE_ACCESS as an asserting write
 * (any access conflicts). The report's stack is the caller's. */
SL_EXPORT void __slabsan_assert_exclusive(const volatile void *addr, size_t size,
					  int writer_only)
{
	ENTER(thr);
	sl_access_by_call(thr, (uintptr_t)addr, size,
			  SL_W0_ASSERT | (writer_only ? 0 : SL_W0_WRITE),
			  (uintptr_t)__builtin_return_address(0));
}

/* A buffer a called library function (read(), memcmp()) reads or writes
 * for the program: checked where plain accesses are, as the caller's,
 * unless the runtime itself made the call or has not started. */
void sl_access_in_call(const void *buf, size_t n, bool is_write, uintptr_t caller_pc)
{
	struct sl_thread *thr = n && !sl_records_tracked() ? sl_program_thread() : NULL;
	if (thr)
		sl_access_by_call(thr, (uintptr_t)buf, n, is_write ? SL_W0_WRITE : 0, caller_pc);
}

/* An access a called function makes (an annotation, the kernel filling a
 * read() buffer): it has no site, so the slot and any report take the
 * stack of the call at caller_pc. */
void sl_access_by_call(struct sl_thread *thr, uintptr_t addr, size_t size, uint64_t flags,
		       uintptr_t caller_pc)
{
	thr->in_runtime = true;
	sl_stack_id stack = sl_stack_here(thr, caller_pc);
	sl_runtime_section_end(thr);
	sl_stack_id saved = thr->access_stack;
	thr->access_stack = stack;
	sl_access_flags(thr, addr, size, flags, NULL);
	thr->access_stack = saved;
}

SL_EXPORT void *__slabsan_memcpy(void *dst, const void *src, size_t n, slabsan_site_t site)
{
	struct sl_thread *thr = sl_thread();
	if (!thr->in_runtime && n) {
		sl_access(thr, (uintptr_t)src, n, false, false, site);
		sl_access(thr, (uintptr_t)dst, n, true, false, site);
	}
	return __builtin_memcpy(dst, src, n);
}

SL_EXPORT void *__slabsan_memmove(void *dst, const void *src, size_t n, slabsan_site_t site)
{
	struct sl_thread *thr = sl_thread();
	if (!thr->in_runtime && n) {
		sl_access(thr, (uintptr_t)src, n, false, false, site);
		sl_access(thr, (uintptr_t)dst, n, true, false, site);
	}
	return __builtin_memmove(dst, src, n);
}

SL_EXPORT void *__slabsan_memset(void *dst, int c, size_t n, slabsan_site_t site)
{
	struct sl_thread *thr = sl_thread();
	if (!thr->in_runtime && n)
		sl_access(thr, (uintptr_t)dst, n, true, false, site);
	return __builtin_memset(dst, c, n);
}
