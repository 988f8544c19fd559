// SPDX-License-Identifier: Apache-2.0
/* Atomic operations and fences, C11 exactly (DESIGN.md's table):
 *   release store      the location's clock becomes the thread's clock
 *   relaxed store      ends the release sequence: the location keeps only the
 *                      clock of the thread's last release fence, if any
 *   release RMW        joins the thread's clock into the location's
 *   relaxed RMW        continues the release sequence (clock kept)
 *   acquire load/RMW   joins the location's clock into the thread's
 *   relaxed load/RMW   joins it into pending_acquire, for a later acquire fence
 *   release fence      later relaxed stores and RMWs carry the clock it saw
 *   acquire fence      joins pending_acquire
 * The runtime performs the memory operation itself, under the location's
 * lock, so that a value and the clock that travels with it are one step. */
#include <string.h>

#include "history.h"
#include "report.h"
#include "sync.h"

static bool is_acquire(uint32_t order)
{
	return order == SLABSAN_CONSUME || order == SLABSAN_ACQUIRE ||
	       order == SLABSAN_ACQ_REL || order == SLABSAN_SEQ_CST;
}

static bool is_release(uint32_t order)
{
	return order == SLABSAN_RELEASE || order == SLABSAN_ACQ_REL ||
	       order == SLABSAN_SEQ_CST;
}

/* ---- the memory operations, by size */

static SL_ALWAYS_INLINE uint64_t load_n(void *a, uint32_t size)
{
	switch (size) {
	case 1: return __atomic_load_n((uint8_t *)a, __ATOMIC_SEQ_CST);
	case 2: return __atomic_load_n((uint16_t *)a, __ATOMIC_SEQ_CST);
	case 4: return __atomic_load_n((uint32_t *)a, __ATOMIC_SEQ_CST);
	default: return __atomic_load_n((uint64_t *)a, __ATOMIC_SEQ_CST);
	}
}

#define STORE_SIZED(a, v, size, mo)						\
	do {									\
		switch (size) {							\
		case 1: __atomic_store_n((uint8_t *)(a), (uint8_t)(v), mo); break; \
		case 2: __atomic_store_n((uint16_t *)(a), (uint16_t)(v), mo); break; \
		case 4: __atomic_store_n((uint32_t *)(a), (uint32_t)(v), mo); break; \
		default: __atomic_store_n((uint64_t *)(a), (v), mo); break;	\
		}								\
	} while (0)

/* The program's order, at least release: the seqlock-style readers of
 * load_without_lock rely on the store being ordered after the lock taken
 * before it. A seq_cst store is a locked xchg on x86; a release store, the
 * common publication, is a plain one. */
static void store_n(void *a, uint64_t v, uint32_t size, uint32_t order)
{
	if (order == SLABSAN_SEQ_CST)
		STORE_SIZED(a, v, size, __ATOMIC_SEQ_CST);
	else
		STORE_SIZED(a, v, size, __ATOMIC_RELEASE);
}

#define RMW_CASES(T, ST)							\
	{									\
		T *p = a, x = (T)v, old = __atomic_load_n(p, __ATOMIC_SEQ_CST), new; \
		for (;;) {							\
			switch (op) {						\
			case SLABSAN_RMW_XCHG: new = x; break;			\
			case SLABSAN_RMW_ADD: new = old + x; break;		\
			case SLABSAN_RMW_SUB: new = old - x; break;		\
			case SLABSAN_RMW_AND: new = old & x; break;		\
			case SLABSAN_RMW_OR: new = old | x; break;		\
			case SLABSAN_RMW_XOR: new = old ^ x; break;		\
			case SLABSAN_RMW_NAND: new = ~(old & x); break;		\
			case SLABSAN_RMW_MAX: new = (ST)old > (ST)x ? old : x; break; \
			case SLABSAN_RMW_MIN: new = (ST)old < (ST)x ? old : x; break; \
			case SLABSAN_RMW_UMAX: new = old > x ? old : x; break;	\
			default: new = old < x ? old : x; break;		\
			}							\
			if (__atomic_compare_exchange_n(p, &old, new, false,	\
							__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) \
				return old;					\
		}								\
	}

static uint64_t rmw_n(void *a, uint64_t v, uint32_t size, uint32_t op)
{
	switch (size) {
	case 1: RMW_CASES(uint8_t, int8_t)
	case 2: RMW_CASES(uint16_t, int16_t)
	case 4: RMW_CASES(uint32_t, int32_t)
	default: RMW_CASES(uint64_t, int64_t)
	}
}

static uint64_t cmpxchg_n(void *a, uint64_t expected, uint64_t desired, uint32_t size)
{
	switch (size) {
	case 1: { uint8_t e = (uint8_t)expected;
		__atomic_compare_exchange_n((uint8_t *)a, &e, (uint8_t)desired, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); return e; }
	case 2: { uint16_t e = (uint16_t)expected;
		__atomic_compare_exchange_n((uint16_t *)a, &e, (uint16_t)desired, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); return e; }
	case 4: { uint32_t e = (uint32_t)expected;
		__atomic_compare_exchange_n((uint32_t *)a, &e, (uint32_t)desired, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); return e; }
	default: { uint64_t e = expected;
		__atomic_compare_exchange_n((uint64_t *)a, &e, desired, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); return e; }
	}
}

/* ---- clock effects; the location's lock is held */

/* Does thr's clock already cover the location's? Then a load acquires
 * nothing: not now, and (relaxed) not at a later acquire fence either,
 * since the thread's clock only grows until then. */
static SL_ALWAYS_INLINE bool covers(const struct sl_thread *thr, const struct sl_sync *s)
{
	return __atomic_load_n(&s->covered_by, __ATOMIC_RELAXED) == thr->serial;
}

static SL_ALWAYS_INLINE bool acquires_nothing(const struct sl_thread *thr,
					      const struct sl_sync *s, uint32_t order)
{
	return covers(thr, s) ||
	       (!is_acquire(order) && __atomic_load_n(&s->clock.size, __ATOMIC_RELAXED) == 0);
}

static void on_load(struct sl_thread *thr, struct sl_sync *s, uint32_t order)
{
	if (is_acquire(order))
		sl_acquire(thr, s);
	else if (!acquires_nothing(thr, s, order))
		sl_vclock_join(&thr->pending_acquire, &s->clock);
	if (sl_opt.memory_model == SL_MM_LKMM) {
		if (is_acquire(order))
			sl_cumul_acquire(thr, s);
		sl_cumul_read(thr, s, atomic_load_explicit(&s->addr, memory_order_relaxed));
	}
}

static void note_store(struct sl_thread *thr, struct sl_sync *s, uint32_t order,
		       slabsan_site_t site)
{
	s->store_site = site ? site->id : 0;
	s->store_order = order;
	s->store_tid = thr->tid;
	s->store_stack = sl_stack_of_access(thr);
	s->store_epoch = thr->epoch;
	s->store_fence = is_release(order) ? (struct sl_vc_entry){0, 0} : thr->fence_release_own;
}

static void on_store(struct sl_thread *thr, struct sl_sync *s, uint32_t order)
{
	if (is_release(order)) {
		sl_release_store(thr, s);
	} else {
		if (thr->has_fence_release)
			sl_vclock_copy(&s->clock, &thr->fence_release);
		else
			sl_vclock_clear(&s->clock);
		s->covered_by = 0;
	}
	/* memory_model=lkmm: a marked store may carry a value its thread read
	 * with a marked load (a data dependency), and the kernel's model orders
	 * what that load saw before the store's readers. Carry it. */
	if (sl_opt.memory_model == SL_MM_LKMM) {
		if (is_release(order)) {
			sl_cumul_release(thr, s);
		} else {
			sl_vclock_join(&s->clock, &thr->pending_acquire);
			s->covered_by = 0;
			memset(s->cumul, 0, sizeof s->cumul);
		}
	}
}

static void on_rmw(struct sl_thread *thr, struct sl_sync *s, uint32_t order)
{
	on_load(thr, s, order);
	if (is_release(order) && sl_opt.memory_model == SL_MM_LKMM)
		sl_cumul_release(thr, s);
	if (is_release(order)) {
		sl_release(thr, s);
	} else if (thr->has_fence_release) {
		sl_vclock_join(&s->clock, &thr->fence_release);
		s->covered_by = 0;
	}
}

/* Is the load the same as one of the last two noted: the same value from
 * the same store at the same place, as a spin on locations nobody changes
 * makes (a ring's spin loads its own index and the other side's)? Then
 * the entry it would write is there already (its stack aside: the site is
 * the same), and a free's search finds it as before; it moves to this
 * load's history position, so a fence before it is not taken for one
 * after it. */
static SL_ALWAYS_INLINE bool noted_again(struct sl_thread *thr,
					    const struct sl_store_origin *from, uintptr_t addr,
					    uint64_t value, uint32_t order, enum sl_load_kind kind,
					    slabsan_site_t site)
{
	uint32_t load_site = site ? site->id : 0;
	for (uint32_t back = 1; back <= 2 && back <= thr->recent_next; back++) {
		struct sl_recent_load *r =
			&thr->recent[(thr->recent_next - back) % SL_RECENT_LOADS];
		if (r->value == (uintptr_t)value && r->addr == addr &&
		    r->load_site == load_site && r->load_order == order && r->load_kind == kind &&
		    r->store_tid == from->tid && r->store_site == from->site &&
		    r->store_stack == from->stack && r->store_order == from->order &&
		    r->store_epoch == from->epoch && sl_vclock_empty(&r->dependency)) {
			r->history_at = sl_history_position(thr->history);
			return true;
		}
	}
	return false;
}

/* Only loads that may have fetched a pointer are noted (note_load): a
 * caller tests this before it reads the store's origin. A value below
 * 4 MiB is a count or an index, not a pointer: Linux maps nothing there
 * unless asked (mmap_min_addr is 64 KiB, and a program not built as PIE
 * is linked at 4 MiB), and a ring's indexes were most of the notes. */
#define SL_LOWEST_POINTER (4ull << 20)
static SL_ALWAYS_INLINE bool may_be_pointer(uint32_t size, uint64_t value)
{
	return size == sizeof(void *) &&
	       value - SL_LOWEST_POINTER < (1ull << SL_APP_BITS) - SL_LOWEST_POINTER;
}

/* Is this load worth noting (note_load)? A pointer's is: a free may ask
 * how the pointer arrived. Any other value's only as a race's missing edge
 * (report_edge.c: a flag another thread stored after its access): a store by
 * another thread that this load does not acquire. A ring's loads of its
 * own index, or of the other side's with acquire, are neither. */
static SL_ALWAYS_INLINE bool worth_noting(const struct sl_thread *thr, uint32_t size,
					  uint64_t value, uint32_t store_tid, uint32_t store_order,
					  uint32_t store_epoch, uint32_t order)
{
	return may_be_pointer(size, value) ||
	       (store_epoch && store_tid != thr->tid &&
		!(is_release(store_order) && is_acquire(order)));
}

/* The value a note keeps: a pointer, or 0. */
static SL_ALWAYS_INLINE uint64_t noted_value(uint32_t size, uint64_t value)
{
	return may_be_pointer(size, value) ? value : 0;
}

/* Remember values this thread loaded, and who stored them, so a free
 * without acquire can say how a pointer arrived and a race which flag it
 * waited for; a value that is not a pointer is kept as 0, which no lookup
 * by address matches. lkmm_clock (memory_model=lkmm only) is what the load
 * would have acquired. */
static SL_NOINLINE void note_load(struct sl_thread *thr, struct sl_store_origin from,
				  const struct sl_vclock *lkmm_clock, uintptr_t addr,
				  uint64_t value, uint32_t order, enum sl_load_kind kind,
				  slabsan_site_t site)
{
	struct sl_recent_load *r = &thr->recent[thr->recent_next++ % SL_RECENT_LOADS];
	struct sl_vclock dependency = r->dependency;   /* keep its storage */
	*r = (struct sl_recent_load){
		.value = (uintptr_t)value, .addr = addr,
		.load_site = site ? site->id : 0, .load_order = order, .load_kind = kind,
		.load_stack = sl_stack_of_access(thr),
		.store_site = from.site, .store_order = from.order,
		.store_tid = from.tid, .store_stack = from.stack,
		.store_epoch = from.epoch, .store_fence = from.fence,
		.history_at = sl_history_position(thr->history),
		.dependency = dependency,
	};
	if (lkmm_clock)
		sl_vclock_copy(&r->dependency, lkmm_clock);
	else
		sl_vclock_clear(&r->dependency);
}

static void note_load_locked(struct sl_thread *thr, const struct sl_sync *s, uintptr_t addr,
			     uint64_t value, uint32_t size, uint32_t order,
			     enum sl_load_kind kind, slabsan_site_t site)
{
	/* (the lock is held: the origin's fields are read only if needed) */
	if (!worth_noting(thr, size, value, s->store_tid, s->store_order, s->store_epoch, order))
		return;
	struct sl_store_origin from = sl_sync_store_origin(s);
	const struct sl_vclock *lkmm_clock = sl_opt.memory_model == SL_MM_LKMM ? &s->clock : NULL;
	value = noted_value(size, value);
	if (lkmm_clock || !noted_again(thr, &from, addr, value, order, kind, site))
		note_load(thr, from, lkmm_clock, addr, value, order, kind, site);
}

const struct sl_recent_load *sl_recent_load_from_outside(struct sl_thread *thr, uintptr_t lo,
							  uintptr_t hi, uintptr_t skip_lo,
							  uintptr_t skip_hi)
{
	for (uint32_t i = 1; i <= SL_RECENT_LOADS; i++) {
		const struct sl_recent_load *r =
			&thr->recent[(thr->recent_next - i) % SL_RECENT_LOADS];
		if (r->value >= lo && r->value < hi && !(r->addr >= skip_lo && r->addr < skip_hi))
			return r;
	}
	return NULL;
}

const struct sl_recent_load *sl_recent_load_of(struct sl_thread *thr, uintptr_t lo,
					       uintptr_t hi)
{
	return sl_recent_load_from_outside(thr, lo, hi, 0, 0);
}

/* ---- entry points (abi.h) */

/* The program's thread, unless the runtime itself is running. */
#define ENTER_THREAD(thr)						\
	struct sl_thread *thr = sl_thread();				\
	if (sl_unlikely(thr->in_runtime))				\
		goto untracked;						\
	sl_schedule_point()
/* ENTER_THREAD, then check the access as a marked one. */
#define CHECK_ATOMIC(thr, addr, size, is_write, site)			\
	ENTER_THREAD(thr);						\
	sl_access(thr, (uintptr_t)(addr), size, is_write, true, site)
/* The runtime runs from here, holding the location's lock (s). */
#define LOCK_LOCATION(thr, addr)					\
	thr->in_runtime = true;						\
	struct sl_sync *s = sl_sync_lock((uintptr_t)(addr))
#define ENTER_ATOMIC(thr, addr, size, is_write, site)			\
	CHECK_ATOMIC(thr, addr, size, is_write, site);			\
	LOCK_LOCATION(thr, addr)

#define LEAVE_ATOMIC(thr)			\
	sl_sync_unlock_ending_section(thr, s)

/* An acquire load that found no object read a value no release stored.
 * If another thread stored it (its marked write is in the location's
 * shadow: a relaxed store, WRITE_ONCE), the load is noted with that
 * store's thread and epoch, so that a race after it can name the pair as
 * its missing edge (report_edge.c finds the store's site and stack through
 * the record). In a correct program an acquire load reads a release
 * store, so this costs it nothing; relaxed loads are left out (sqlite's
 * WAL index loads relaxed what it stored relaxed, every hash slot). */
static SL_NOINLINE void note_unreleased_store(struct sl_thread *thr, uintptr_t addr,
					      uint32_t order, slabsan_site_t site)
{
	uint64_t w0 = sl_write_by_other(addr, thr->tid, true);
	if (!w0)
		return;
	struct sl_store_origin from = {
		.order = SLABSAN_RELAXED, .tid = sl_w0_tid(w0), .epoch = sl_w0_epoch(w0),
	};
	if (!noted_again(thr, &from, addr, 0, order, SL_LOAD_ATOMIC, site))
		note_load(thr, from, NULL, addr, 0, order, SL_LOAD_ATOMIC, site);
}

/* A location no release ever stored to has no object: nothing to acquire,
 * and none is made for it (sqlite's WAL index loads every slot of its hash
 * table, and an object per slot took hundreds of MiB). A store that made
 * one made it, under its lock, before it stored the value (store_n is a
 * release), so a load that still finds none after reading the value read
 * a value no release stored. */
static bool load_unsynchronized(struct sl_thread *thr, void *addr, uint32_t size,
				uint32_t order, slabsan_site_t site, uint64_t *value)
{
	uint64_t v = load_n(addr, size);
	if (sl_sync_find((uintptr_t)addr))
		return false;
	if (may_be_pointer(size, v))      /* no store origin: a pointer's note only */
		note_load(thr, (struct sl_store_origin){0}, NULL, (uintptr_t)addr, v, order,
			  SL_LOAD_ATOMIC, site);
	else if (is_acquire(order))
		note_unreleased_store(thr, (uintptr_t)addr, order, site);
	*value = v;
	return true;
}

/* A load that acquires nothing (acquires_nothing: a spin on a flag, a
 * reload of a pointer the thread published itself) needs no lock: like a
 * seqlock reader, it reads the location's object and the value, then
 * checks that no lock holder changed either in between (every unlock
 * bumps s->version; every store through the runtime holds the lock), else
 * the caller does it again under the lock. An acquire load and a fence
 * would each have found nothing to join, so skipping the join is exact.
 * mutex_queue-like programs never come here; ring_alloc's spins do. Its
 * helpers are inline and a repeated load notes nothing (noted_again):
 * a spin's load counted 343 instructions, now 243. */
static bool load_without_lock(struct sl_thread *thr, void *addr, uint32_t size,
			      uint32_t order, slabsan_site_t site, uint64_t *value)
{
	if (sl_opt.memory_model == SL_MM_LKMM)
		return false;            /* every marked load feeds cumulativity */
	struct sl_sync *s = sl_sync_find((uintptr_t)addr);
	if (!s)
		return load_unsynchronized(thr, addr, size, order, site, value);
	uint32_t version = atomic_load_explicit(&s->version, memory_order_acquire);
	if (atomic_load_explicit(&s->lock.locked, memory_order_acquire) ||
	    !acquires_nothing(thr, s, order))
		return false;
	/* (only a pointer's load is noted here, and only a noted one needs its
	 * store's origin) */
	struct sl_store_origin from = size == sizeof(void *) ? sl_sync_store_origin(s)
							   : (struct sl_store_origin){0};
	uint64_t v = load_n(addr, size);
	/* A store we read was made under the lock, after the lock was taken:
	 * the seq_cst load saw it, so these see the lock or the new version. */
	if (atomic_load_explicit(&s->lock.locked, memory_order_acquire) ||
	    atomic_load_explicit(&s->version, memory_order_relaxed) != version ||
	    atomic_load_explicit(&s->addr, memory_order_relaxed) != (uintptr_t)addr)
		return false;
	/* Only a pointer's: a load this path takes acquires nothing new, so
	 * it is a flag's missing edge only if the store did not release, and
	 * asking would cost every spin on a ring's index. */
	if (may_be_pointer(size, v) &&
	    !noted_again(thr, &from, (uintptr_t)addr, v, order, SL_LOAD_ATOMIC, site))
		note_load(thr, from, NULL, (uintptr_t)addr, v, order, SL_LOAD_ATOMIC, site);
	*value = v;
	return true;
}

SL_EXPORT uint64_t __slabsan_atomic_load(void *addr, uint32_t size, uint32_t order,
					 slabsan_site_t site)
{
	CHECK_ATOMIC(thr, addr, size, false, site);
	thr->in_runtime = true;
	uint64_t v;
	sl_runtime_enter();
	bool done = load_without_lock(thr, addr, size, order, site, &v);
	sl_runtime_leave();
	if (!done) {
		struct sl_sync *s = sl_sync_lock((uintptr_t)addr);
		v = load_n(addr, size);
		on_load(thr, s, order);
		note_load_locked(thr, s, (uintptr_t)addr, v, size, order, SL_LOAD_ATOMIC, site);
		sl_sync_unlock(s);
	}
	sl_runtime_section_end(thr);
	return v;
untracked:
	return load_n(addr, size);
}

/* A relaxed store needs the location's object only to end a release
 * sequence it holds, to carry a release fence's clock, or to say who
 * stored a pointer: a location with no object and a store of none of
 * those makes none (a counter, a hash slot, a volatile long the pass
 * hands over). A release store that makes one meanwhile may then keep a
 * clock our store should have ended: an edge too many, never a false
 * report. */
static bool store_may_skip_object(const struct sl_thread *thr, uint64_t value, uint32_t size,
				  uint32_t order)
{
	return !is_release(order) && !thr->has_fence_release && !may_be_pointer(size, value) &&
	       sl_opt.memory_model != SL_MM_LKMM;
}

SL_EXPORT void __slabsan_atomic_store(void *addr, uint64_t value, uint32_t size,
				      uint32_t order, slabsan_site_t site)
{
	CHECK_ATOMIC(thr, addr, size, true, site);
	struct sl_sync *found = NULL;   /* looked up once, then locked */
	if (store_may_skip_object(thr, value, size, order)) {
		found = sl_sync_find((uintptr_t)addr);
		if (!found) {
			store_n(addr, value, size, order);
			return;
		}
	}
	thr->in_runtime = true;
	struct sl_sync *s = sl_sync_lock_found((uintptr_t)addr,
					       found ? found : sl_sync_lookup((uintptr_t)addr));
	note_store(thr, s, order, site);
	on_store(thr, s, order);
	store_n(addr, value, size, order);
	LEAVE_ATOMIC(thr);
	return;
untracked:
	store_n(addr, value, size, order);
}

SL_EXPORT uint64_t __slabsan_atomic_rmw(void *addr, uint64_t value, uint32_t size,
					uint32_t op, uint32_t order, slabsan_site_t site)
{
	ENTER_ATOMIC(thr, addr, size, true, site);
	uint64_t old = rmw_n(addr, value, size, op);
	note_load_locked(thr, s, (uintptr_t)addr, old, size, order, SL_LOAD_RMW, site);
	note_store(thr, s, order, site);
	on_rmw(thr, s, order);
	LEAVE_ATOMIC(thr);
	return old;
untracked:
	return rmw_n(addr, value, size, op);
}

SL_EXPORT uint64_t __slabsan_atomic_cmpxchg(void *addr, uint64_t expected, uint64_t desired,
					    uint32_t size, uint32_t success_order,
					    uint32_t failure_order, slabsan_site_t site)
{
	/* Checked once, under the lock, as what it turned out to be: a write
	 * if it stored (which conflicts with all a load would), else a load,
	 * as C11 makes a failed compare-exchange. Checking a load first and
	 * then the write cost a successful one two checks and two records
	 * (kmem_cache: 1% of the checks that miss the same-epoch shortcut). */
	ENTER_THREAD(thr);
	LOCK_LOCATION(thr, addr);
	uint64_t mask = size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
	uint64_t old = cmpxchg_n(addr, expected, desired, size);
	bool stored = (old & mask) == (expected & mask);
	/* recorded before on_rmw's release moves the epoch on, so the
	 * readers of that release see the write ordered */
	sl_access(thr, (uintptr_t)addr, size, stored, true, site);
	if (stored) {
		note_load_locked(thr, s, (uintptr_t)addr, old, size, success_order, SL_LOAD_RMW,
				 site);
		note_store(thr, s, success_order, site);
		on_rmw(thr, s, success_order);
	} else {   /* a failed compare-exchange is only a load */
		on_load(thr, s, failure_order);
		note_load_locked(thr, s, (uintptr_t)addr, old, size, failure_order,
				 SL_LOAD_FAILED_CAS, site);
	}
	LEAVE_ATOMIC(thr);
	return old;
untracked:
	return cmpxchg_n(addr, expected, desired, size);
}

/* An acquire fence or smp_rmb() follows the loads noted so far: a report
 * must not call them relaxed, and may name the fence that made one
 * acquire (report_edge.c). Its entry in the history (history.h) costs a
 * fence what a recorded access costs. */
static void note_acquire_fence(struct sl_thread *thr, uint64_t kind, uint64_t w1)
{
	sl_history_note(thr->history, &sl_history_fence_slot,
			sl_w0_who_when(thr->tid, thr->epoch) | kind, w1);
	thr->acquire_fence_at = sl_history_position(thr->history);
}

static void fence_acquire(struct sl_thread *thr, slabsan_site_t site)
{
	note_acquire_fence(thr, SL_FENCE_ORDERS_WRITES,
			   sl_w1_make(site ? site->id : 0, sl_stack_of_access(thr)));
	sl_vclock_join(&thr->clock, &thr->pending_acquire);
	sl_vclock_clear(&thr->pending_acquire);
}

/* thr->fence_release is the clock of its latest release fence: later
 * relaxed stores carry it, and their origins its own entry (note_store). */
static void fence_release_taken(struct sl_thread *thr)
{
	thr->has_fence_release = true;
	thr->fence_release_own = sl_vclock_get(&thr->fence_release, thr->tid);
}

static void fence_release(struct sl_thread *thr)
{
	sl_vclock_copy(&thr->fence_release, &thr->clock);
	fence_release_taken(thr);
	sl_thread_release(thr);
}

/* An atomic the pass left as it is (abi.h) runs under its location's
 * lock, as the runtime's own do, so that a thread that sees its value and
 * then acquires the location finds its record and its release made (a
 * compare-exchange's write, recorded after it outside the lock, raced with
 * such a thread's read). */
SL_EXPORT void __slabsan_atomic_edge_before(void *addr)
{
	ENTER_THREAD(thr);
	LOCK_LOCATION(thr, addr);
	thr->edge_sync = s;
untracked:
	return;
}

SL_EXPORT void __slabsan_atomic_edge_after(void *addr, size_t size, uint32_t order,
					   uint32_t kind, slabsan_site_t site)
{
	struct sl_thread *thr = sl_thread();
	struct sl_sync *s = thr->edge_sync;
	if (!s)                 /* the runtime was running at edge_before */
		return;
	thr->edge_sync = NULL;
	if (size)
		sl_access(thr, (uintptr_t)addr, size, kind != SLABSAN_EDGE_LOAD, true, site);
	if (kind == SLABSAN_EDGE_LOAD) {
		on_load(thr, s, order);
	} else {
		note_store(thr, s, order, site);
		if (kind == SLABSAN_EDGE_STORE)
			on_store(thr, s, order);
		else
			on_rmw(thr, s, order);
	}
	LEAVE_ATOMIC(thr);
}

SL_EXPORT void __slabsan_atomic_fence(uint32_t order, slabsan_site_t site)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	struct sl_thread *thr = sl_thread();
	if (thr->in_runtime || order == SLABSAN_RELAXED)
		return;
	thr->in_runtime = true;
	if (is_acquire(order))
		fence_acquire(thr, site);
	if (is_release(order))
		fence_release(thr);
	sl_runtime_section_end(thr);
}

/* smp_wmb(): like a release fence for the thread's earlier writes only.
 * Later relaxed stores carry the thread's clock, but its own entry says its
 * reads are released only up to the last full release (reads_released). */
SL_EXPORT void __slabsan_smp_wmb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	struct sl_thread *thr = sl_thread();
	if (thr->in_runtime)
		return;
	thr->in_runtime = true;
	sl_vclock_copy(&thr->fence_release, &thr->clock);
	sl_vclock_set(&thr->fence_release, thr->tid,
		      (struct sl_vc_entry){thr->epoch, thr->reads_released});
	fence_release_taken(thr);
	uint32_t reads_released = thr->reads_released, tid = thr->tid;
	sl_thread_release(thr);
	if (thr->tid == tid)    /* else a new id (sl_thread_renew), with no reads yet */
		thr->reads_released = reads_released;
	sl_runtime_section_end(thr);
}

/* smp_rmb(): like an acquire fence for the thread's later reads only: what
 * earlier relaxed loads saw orders later reads, not later writes. */
SL_EXPORT void __slabsan_smp_rmb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	struct sl_thread *thr = sl_thread();
	if (thr->in_runtime)
		return;
	thr->in_runtime = true;
	note_acquire_fence(thr, SL_FENCE_AT_PC, (uintptr_t)__builtin_return_address(0));
	if (!sl_vclock_empty(&thr->pending_acquire))
		sl_vclock_join(&thr->read_extra, &thr->pending_acquire);
	sl_runtime_section_end(thr);
}

/* Volatile accesses are marked like READ_ONCE/WRITE_ONCE; the instruction
 * itself stays in the program, so only the shadow is updated here. */
SL_EXPORT void __slabsan_volatile_read(void *addr, size_t size, slabsan_site_t site)
{
	struct sl_thread *thr = sl_thread();
	if (!thr->in_runtime)
		sl_access(thr, (uintptr_t)addr, size, false, true, site);
}

SL_EXPORT void __slabsan_volatile_write(void *addr, size_t size, slabsan_site_t site)
{
	struct sl_thread *thr = sl_thread();
	if (!thr->in_runtime)
		sl_access(thr, (uintptr_t)addr, size, true, true, site);
}
