// SPDX-License-Identifier: Apache-2.0
/* Heap tracking: the malloc family (interposed; blocks of up to 256 bytes
 * come from our own size classes, span.c, bigger or more aligned ones from
 * glibc) and custom allocators announced with slabsan_malloclike/freelike.
 *
 * Every block from the malloc family has a record: who allocated it, when,
 * and from where (rec_of, block_record.h). The shadow state byte of the
 * user pointer's granule says whether a block starts there, so free() of
 * a stack or interior pointer is recognized without touching it. Freed
 * blocks wait in a quarantine before their allocator may reuse them, so a
 * late access still hits the "freed" shadow and becomes a use-after-free
 * report.
 *
 * A free is the end of every earlier access: it must be ordered after the
 * allocation and after every other thread's write (else "free without
 * acquire") and read (else "data race" with the free as second access). */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block_record.h"
#include "history.h"
#include "report.h"
#include "shadow.h"
#include "span.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

#define HEADER sizeof(struct sl_block_meta)
_Static_assert(HEADER == 32, "a header keeps 16-byte alignment");

/* Where a glibc block's metadata lives (a span block's is in its span's
 * records, span.h). When plain accesses are checked the shadow is dense
 * over the heap, and the granule just below the user pointer (glibc's
 * chunk header, which no program access touches) has its 32 bytes of
 * slots to spare: the metadata fills them (its first word is the slot
 * marker, shadow.h), and glibc is asked for no more than the size rounded
 * up to 16, so that the granule stays outside the previous block. A block
 * then costs no heap header and one granule of shadow more than its own,
 * not a 32-byte header and its two granules. In focused programs (records tracked, shadow.h) only
 * state bytes are touched per granule, so a 32-byte header before the user
 * pointer holds it instead.
 * The block's state bit SL_GRANULE_META_BELOW says which: a process
 * switches once, when the first module that checks plain accesses starts. */
static bool meta_in_shadow(void)
{
	return !sl_records_tracked();
}

/* A block's first granule in the shadow. malloc and free look it up once
 * for the several things they do there (each lookup is a dependent load
 * through the first level). */
struct block_shadow {
	struct sl_chunk *c;
	uint32_t x;
};

static SL_ALWAYS_INLINE struct block_shadow block_shadow(uintptr_t user)
{
	return (struct block_shadow){sl_shadow_chunk(user), sl_granule_index(user)};
}

static SL_ALWAYS_INLINE _Atomic uint8_t *state_byte(struct block_shadow at)
{
	return &at.c->state[at.x];
}

/* The state byte of the granule at p if a block can start at p, else 0:
 * every block starts 16-byte aligned, at its granule's first byte, so a
 * pointer 8 bytes into a block shares its granule but is not its start. */
static SL_ALWAYS_INLINE uint8_t state_at(struct block_shadow at, uintptr_t p)
{
	if (p & (SL_GRANULE - 1))
		return 0;
	return atomic_load_explicit(state_byte(at), memory_order_relaxed);
}

/* state_at() for a pointer whose shadow is not looked up yet: a misaligned
 * one (no block starts there) maps no shadow chunk. */
static uint8_t block_state(uintptr_t p)
{
	return p & (SL_GRANULE - 1) ? 0 : state_at(block_shadow(p), p);
}

static SL_ALWAYS_INLINE struct sl_granule_shadow *granule_below(struct block_shadow at, uintptr_t user)
{
	if (sl_likely(at.x > 0))
		return &at.c->granule[at.x - 1];
	return &block_shadow(user - SL_GRANULE).c->granule[SL_CHUNK_GRANULES - 1];
}

/* The record of the block at user (block_record.h): a span block's in its
 * span, a glibc block's below it or in its header, as its state says. */
static SL_ALWAYS_INLINE struct block_rec rec_at(struct block_shadow at, uintptr_t user,
						uint8_t state)
{
	if (sl_span_owns(user))
		return (struct block_rec){.packed = sl_span_record(user)};
	return (struct block_rec){.wide = state & SL_GRANULE_META_BELOW
					  ? &granule_below(at, user)->meta
					  : (struct sl_block_meta *)(user - HEADER)};
}

static struct block_rec rec_of(uintptr_t user, uint8_t state)
{
	return rec_at(block_shadow(user), user, state);
}

void *sl_real_malloc(size_t size) { return __libc_malloc(size); }
void sl_real_free(void *p) { __libc_free(p); }

static bool starts_block(uint8_t state)
{
	return state & (SL_GRANULE_BLOCK_START | SL_GRANULE_FREED_START);
}

static size_t block_size(uintptr_t user)
{
	return rec_size(rec_of(user, block_state(user)));
}

/* ---- allocation */

static SL_ALWAYS_INLINE void note_alloc(struct block_rec r, uint32_t offset, size_t size,
					uintptr_t pc)
{
	struct sl_thread *thr = sl_cur_thread;
	if (!thr || thr->in_runtime) {
		rec_note_alloc(r, offset, size, TID_UNKNOWN, 0, 0);
		return;
	}
	thr->in_runtime = true;
	sl_stack_id stack = sl_stack_here(thr, pc);
	sl_runtime_section_end(thr);
	rec_note_alloc(r, offset, size, thr->tid, thr->epoch, stack);
}

_Static_assert(SL_GRANULE <= 16, "every block starts at a granule's first byte");

/* The block at user (its record where rec_at() finds it, given
 * meta_bit) is live from now on. */
static SL_ALWAYS_INLINE void *track_block(uintptr_t user, size_t size, uint32_t lead,
					  uint8_t meta_bit, uintptr_t pc)
{
	struct block_shadow at = block_shadow(user);
	/* Only the user's granules (the block owns the slack of its last
	 * one): nothing instrumented touches the metadata, so stale slots
	 * there can neither be checked nor reported. */
	sl_shadow_clear_granules(at.c, user, (size + SL_GRANULE - 1) & ~(size_t)(SL_GRANULE - 1));
	note_alloc(rec_at(at, user, meta_bit), lead, size, pc);
	sl_shadow_block_bits(state_byte(at), SL_GRANULE_BLOCK_START | meta_bit, 0);
	sl_shadow_note_block(at.c, user, size);
	return (void *)user;
}

/* A new block. zeroed (calloc): our own small blocks are cleared here; a
 * glibc block comes from glibc's calloc, which clears only what it must (a
 * chunk it maps for the block alone is fresh from the kernel: clearing it
 * again made a big table the program touches here and there resident
 * whole) and knows about MALLOC_PERTURB_. */
static void *alloc_block(size_t align, size_t size, uintptr_t pc, bool zeroed)
{
	if (align < 16)
		align = 16;
	sl_init_memory();
	if (align == 16 && size <= SL_SPAN_MAX_SIZE && sl_opt.small_block_spans) {
		void *p = sl_span_alloc(sl_cur_thread, size);
		if (sl_likely(p != NULL)) {
			if (zeroed)
				memset(p, 0, size);
			return track_block((uintptr_t)p, size, 0, 0, pc);
		}
	}
	bool in_shadow = meta_in_shadow();
	/* (align is a power of two, so a multiple of HEADER or a divisor) */
	size_t lead = in_shadow ? 0 : align > HEADER ? align : HEADER;
	if (size > SIZE_MAX - lead - 64) {
		errno = ENOMEM;
		return NULL;
	}
	size_t request = in_shadow ? (size + 15 + !size) & ~(size_t)15 : lead + size;
	char *base = align != 16 ? __libc_memalign(align, request)
		     : zeroed ? __libc_calloc(1, request) : __libc_malloc(request);
	if (!base)
		return NULL;
	return track_block((uintptr_t)base + lead, size, (uint32_t)lead,
			   in_shadow ? SL_GRANULE_META_BELOW : 0, pc);
}

static void *alloc_aligned(size_t align, size_t size, uintptr_t pc)
{
	return alloc_block(align, size, pc, false);
}

/* ---- release to the allocator, through the quarantine */

/* Each thread keeps its own quarantine, so frees never contend on a lock.
 * The budget (quarantine_size_mb, and QUARANTINE_TOTAL blocks) is shared out
 * among the running threads, so 256 threads hold no more freed memory than
 * a few (each keeps at least QUARANTINE_MIN_SLOTS blocks). The ring is sized
 * to the thread's share: one array of the largest share for every thread
 * was 64 KiB each (the runtime's allocator zeroes what it hands out), 16 MiB
 * of threads/256's 40-60. Eviction leaves the "freed" shadow in place: the
 * next malloc of this memory resets it anyway, and nothing instrumented
 * touches glibc's chunk headers. */
#define QUARANTINE_MAX_SLOTS 4096u
#define QUARANTINE_MIN_SLOTS 256u
#define QUARANTINE_TOTAL 65536u
#define PREFETCH_AHEAD 4u

/* A small block's record and state byte, looked up for the prefetch
 * PREFETCH_AHEAD frees before its eviction, kept for the eviction: a span
 * block's are fixed by its address, so the lookup is done once. Kept per
 * ring position near the head, not per ring entry: entries carrying them
 * cost threads/256 3 MiB (docs/performance.md, hot spot 3). */
struct found_block {
	uintptr_t user;               /* 0: none */
	struct sl_span_record *rec;
	_Atomic uint8_t *state;
};
#define FOUND_SLOTS 8u            /* a power of two above PREFETCH_AHEAD */

struct sl_quarantine {
	uint32_t head, count;
	size_t bytes;
	/* this thread's share, computed when the number of running threads
	 * changes (two divisions per free were 5% of a free) */
	uint32_t share_of, slots;
	size_t limit;
	uint32_t cap;             /* ring entries: a power of two, >= slots */
	uintptr_t *block;
	struct found_block found[FOUND_SLOTS];   /* by ring position */
};

/* quarantine_size_mb in bytes: the budget all threads share. */
static size_t quarantine_budget(void)
{
	return (size_t)sl_opt.quarantine_size_mb << 20;
}

/* The block goes back to the allocator it came from, given its record and
 * state byte. Returns its size: an eviction needs it, and the metadata is
 * cold by then, so it is looked up once. */
static SL_ALWAYS_INLINE size_t release_found(uintptr_t user, struct block_rec r,
					     _Atomic uint8_t *state)
{
	size_t size = rec_size(r);
	sl_shadow_block_bits(state, 0, SL_GRANULE_BLOCK_START | SL_GRANULE_FREED_START |
					SL_GRANULE_META_BELOW);
	uint64_t head = rec_forget(r);
	if (r.packed)
		sl_span_free(sl_cur_thread, user);
	else
		__libc_free((char *)user - meta_offset(head));
	return size;
}

/* release_found(), looking up the record and state byte */
static SL_ALWAYS_INLINE size_t release_block(uintptr_t user)
{
	struct block_shadow at = block_shadow(user);
	return release_found(user, rec_at(at, user, state_at(at, user)), state_byte(at));
}

static SL_ALWAYS_INLINE uintptr_t *ring_at(const struct sl_quarantine *q, uint32_t i)
{
	return &q->block[(q->head + i) & (q->cap - 1)];
}

static SL_ALWAYS_INLINE void evict_oldest(struct sl_quarantine *q)
{
	uint32_t at = q->head;
	uintptr_t old = q->block[at];
	struct found_block *f = &q->found[at & (FOUND_SLOTS - 1)];
	q->head = (at + 1) & (q->cap - 1);
	q->count--;
	if (f->user == old) {
		f->user = 0;
		q->bytes -= release_found(old, (struct block_rec){.packed = f->rec}, f->state);
	} else {
		q->bytes -= release_block(old);
	}
}

/* A new share: the ring takes cap entries, keeping the newest blocks
 * that fit, oldest first. */
static void resize_ring(struct sl_quarantine *q, uint32_t cap)
{
	while (q->count >= cap)
		evict_oldest(q);     /* room for the block being put, too */
	uintptr_t *ring = sl_alloc(cap * sizeof *ring);
	for (uint32_t i = 0; i < q->count; i++)
		ring[i] = *ring_at(q, i);
	sl_free(q->block, q->cap * sizeof *q->block);
	q->block = ring;
	q->cap = cap;
	q->head = 0;
}

static SL_NOINLINE void quarantine_reshare(struct sl_quarantine *q, uint32_t running)
{
	q->share_of = running;
	uint32_t slots = running ? QUARANTINE_TOTAL / running : QUARANTINE_MAX_SLOTS;
	q->slots = slots < QUARANTINE_MIN_SLOTS ? QUARANTINE_MIN_SLOTS
		 : slots > QUARANTINE_MAX_SLOTS ? QUARANTINE_MAX_SLOTS : slots;
	q->limit = running > 1 ? quarantine_budget() / running : quarantine_budget();
	/* a power of two, at least slots: the ring holds up to slots - 1
	 * blocks between frees and the one being put */
	uint32_t cap = 1u << (32 - __builtin_clz(q->slots - 1));
	if (cap != q->cap)
		resize_ring(q, cap);
}

static SL_ALWAYS_INLINE void quarantine_share(struct sl_quarantine *q)
{
	uint32_t running = atomic_load_explicit(&sl_threads_running, memory_order_relaxed);
	if (sl_unlikely(running != q->share_of))
		quarantine_reshare(q, running);
}

/* A block bigger than the whole budget goes straight back (glibc unmaps
 * it): poisoning its shadow would only cost memory. */
static bool fits_quarantine(size_t size)
{
	return size <= quarantine_budget();
}

/* user: a freed block that fits_quarantine() */
static SL_ALWAYS_INLINE void quarantine_put(struct sl_thread *thr, uintptr_t user, size_t size)
{
	struct sl_quarantine *q = thr->quarantine;
	if (!q) {
		q = thr->quarantine = sl_alloc(sizeof *q);
		q->share_of = UINT32_MAX;
	}
	quarantine_share(q);
	*ring_at(q, q->count++) = user;
	q->bytes += size;
	while (q->count > 1 && (q->bytes > q->limit || q->count >= q->slots))
		evict_oldest(q);
	/* An eviction touches metadata and a state byte that went cold while
	 * the block waited (cache misses that dominated free with many
	 * threads): start loading them PREFETCH_AHEAD frees before. */
	if (q->count > PREFETCH_AHEAD) {
		uint32_t ahead = (q->head + PREFETCH_AHEAD) & (q->cap - 1);
		uintptr_t next = q->block[ahead];
		struct block_shadow at = block_shadow(next);
		struct block_rec r = rec_at(at, next, meta_in_shadow() ? SL_GRANULE_META_BELOW : 0);
		__builtin_prefetch(rec_address(r), 1);
		__builtin_prefetch(state_byte(at), 1);
		if (r.packed)
			q->found[ahead & (FOUND_SLOTS - 1)] =
				(struct found_block){next, r.packed, state_byte(at)};
	}
}

/* A thread is gone: its quarantined blocks pass to the thread that joined
 * it (so a use after that free is still caught there), or back to the
 * allocator. Its cached free small blocks go back to the central lists. */
void sl_heap_thread_gone(struct sl_thread *gone, struct sl_thread *heir)
{
	struct sl_quarantine *q = gone->quarantine;
	if (q) {
		for (uint32_t i = 0; i < q->count; i++) {
			uintptr_t user = *ring_at(q, i);
			if (heir)
				quarantine_put(heir, user, block_size(user));
			else
				release_block(user);
		}
		sl_free(q->block, q->cap * sizeof *q->block);
		sl_free(q, sizeof *q);
		gone->quarantine = NULL;
	}
	sl_span_thread_gone(gone);
}

/* ---- the free check */

/* Is the earlier event (tid, epoch) ordered before the free? `dep` is the
 * extra knowledge an address dependency brings under memory_model=lkmm.
 * Inline: a free asks it for every slot of every granule of the block, and
 * the first test nearly always answers. */
static SL_ALWAYS_INLINE bool ordered(const struct sl_thread *thr, const struct sl_vclock *dep,
				     uint32_t tid, uint32_t epoch, bool write)
{
	/* smp_rmb() before the free (kfree_skb's "refcount is 1; smp_rmb();
	 * free"): the free's own reads of the object and its metadata are
	 * ordered, and its writes follow by control dependency (read_extra). */
	return epoch <= sl_vclock_lane(&thr->clock, tid, write) ||
	       epoch <= sl_vclock_lane(&thr->read_extra, tid, write) ||
	       epoch <= sl_vclock_lane(dep, tid, write);
}

/* Under LKMM, freeing a pointer that was itself read by a marked load is
 * ordered after what that load would have acquired: every access of the
 * free is address-dependent on it (SLUB-NOTES: kfree -> virt_to_slab). */
static const struct sl_vclock *dependency_of(struct sl_thread *thr, uintptr_t user)
{
	static const struct sl_vclock none;
	if (sl_opt.memory_model != SL_MM_LKMM)
		return &none;
	const struct sl_recent_load *r = sl_recent_load_of(thr, user, user + 1);
	return r ? &r->dependency : &none;
}

/* Under LKMM, everything the freeing function does next (kfree reading
 * the slab's metadata) is address-dependent on the freed pointer too: keep
 * the dependency's knowledge until that function returns. */
static void extend_dependency(struct sl_thread *thr, uintptr_t user)
{
	const struct sl_vclock *dep = dependency_of(thr, user);
	if (sl_vclock_empty(dep))
		return;
	sl_vclock_copy(&thr->dependency_extra, dep);
	thr->dependency_depth = thr->depth;
}

/* The first unordered write and read the free found, for its report. */
struct unordered_slots {
	uint64_t write_w0, write_w1, read_w0, read_w1;
	uintptr_t write_addr, read_addr;
};

/* Keep the unordered record w0 of slot i if it is the first write or read
 * by address: the access behind it (history.h) that touched its first
 * byte in the block (`mine`: a record may join accesses to two blocks
 * sharing the granule). Out of line: only a free that reports comes here. */
static SL_NOINLINE void keep_unordered(const struct sl_thread *thr, struct sl_granule_shadow *gs,
				       unsigned i, uint64_t w0, uintptr_t g, uint16_t mine,
				       struct unordered_slots *u)
{
	/* the lowest-addressed, as granules are walked upward */
	uint64_t in_block = w0 & (uint64_t)mine << SL_W0_MASK_SHIFT;
	struct sl_history_access a = sl_history_find(thr, w0, &gs->word0[i],
						     sl_w0_lowest_byte(in_block));
	w0 = a.w0;
	uint64_t w1 = a.w1;
	uintptr_t at = sl_w0_first_byte(w0, g);
	if (sl_w0_write(w0) && (!u->write_w0 || at < u->write_addr))
		u->write_w0 = w0, u->write_w1 = w1, u->write_addr = at;
	else if (!sl_w0_write(w0) && (!u->read_w0 || at < u->read_addr))
		u->read_w0 = w0, u->read_w1 = w1, u->read_addr = at;
}

/* Check one granule's slots against the free of the block's bytes `mine`
 * in it (a granule may hold the ends of two blocks of a custom allocator),
 * keeping the first unordered write and read by address. Inline, with the
 * keeping out of line: a free of a 2 MiB table checks 131072 granules, and
 * the call per granule was a fifth of the pass (hash_table: 2.3% fewer
 * instructions). `known` (if not NULL) holds, per slot, the last word
 * found ordered: an array filled in one epoch leaves the same words
 * granule after granule, and the answer depends on the word alone while
 * the free runs (hash_table: 1.9% fewer instructions). */
static SL_ALWAYS_INLINE void check_slots(const struct sl_thread *thr, const struct sl_vclock *dep,
					 struct sl_granule_shadow *gs, uintptr_t g, uint16_t mine,
					 uint64_t known[SL_SLOTS], struct unordered_slots *u)
{
	SL_UNROLL
	for (unsigned i = 0; i < SL_SLOTS; i++) {
		uint64_t w0 = atomic_load_explicit(&gs->word0[i], memory_order_relaxed);
		if (!w0 || (known && w0 == known[i]) || !(sl_w0_mask(w0) & mine) ||
		    sl_w0_is_marker(w0) || sl_w0_tid(w0) == thr->tid)
			continue;
		if (ordered(thr, dep, sl_w0_tid(w0), sl_w0_epoch(w0), sl_w0_write(w0))) {
			if (known)
				known[i] = w0;
		} else {
			keep_unordered(thr, gs, i, w0, g, mine, u);
		}
	}
}

/* After the check, when records are tracked (shadow.h): forget the block's
 * bytes' records and, if `poison`, mark the granule freed in its state byte.
 * Most granules have a zero state byte, so a plain store does. */
static SL_ALWAYS_INLINE void retire_tracked(struct sl_chunk *c, uint32_t x, uint8_t st, uint16_t mine,
			   bool poison)
{
	if ((st & SL_GRANULE_RECORDED) && !sl_granule_forget(&c->granule[x], mine))
		atomic_fetch_and_explicit(&c->state[x], (uint8_t)~SL_GRANULE_RECORDED,
					  memory_order_relaxed);
	if (!poison)
		return;
	if (st == 0)
		atomic_store_explicit(&c->state[x], SL_GRANULE_FREED, memory_order_relaxed);
	else
		atomic_fetch_or_explicit(&c->state[x], SL_GRANULE_FREED, memory_order_relaxed);
}

/* One free's pass over its block's shadow (free_shadow_pass). */
struct free_pass {
	const struct sl_thread *thr;
	const struct sl_vclock *dep;
	uintptr_t user, end;
	bool tracked, poison;
	uint64_t freed_w0, first_freed_w0;   /* the first names the free's stack */
	struct unordered_slots u;
};

/* The granules from g to stop, all in chunk c; `known` as check_slots
 * takes it, or NULL for a block of one granule (nothing to remember). */
static SL_ALWAYS_INLINE void free_pass_chunk(struct free_pass *f, struct sl_chunk *c, uintptr_t g,
					     uintptr_t stop, uint64_t *known)
{
	for (uint32_t x = sl_granule_index(g); g < stop; g += SL_GRANULE, x++) {
		uint8_t st = atomic_load_explicit(&c->state[x], memory_order_relaxed);
		uint16_t mine = sl_granule_bytes(g, f->user, f->end);
		if (!f->tracked || (st & SL_GRANULE_RECORDED))
			check_slots(f->thr, f->dep, &c->granule[x], g, mine, known, &f->u);
		if (sl_unlikely(st & SL_GRANULE_SYNC))
			sl_sync_remove_range(g, SL_GRANULE);
		if (f->tracked)
			retire_tracked(c, x, st, mine, f->poison);
		else if (f->poison)
			sl_granule_mark_freed(&c->granule[x],
					      g == f->user ? f->first_freed_w0 : f->freed_w0);
	}
}

/* Focused mode's usual free: no granule of the block (n granules from x,
 * one chunk) has records or sync objects, so all the pass would do is mark
 * the state bytes freed if `poison`, and nothing if not. */
static SL_ALWAYS_INLINE bool retire_quiet_block(struct sl_chunk *c, uint32_t x, uint32_t n,
						bool poison)
{
	if (!sl_granules_quiet(c, x, n, 0))
		return false;
	if (poison)
		for (uint32_t i = 0; i < n; i++)
			atomic_store_explicit(&c->state[x + i], SL_GRANULE_FREED, memory_order_relaxed);
	return true;
}

/* What a free found: unordered with the allocation or a write, a free
 * without acquire; else unordered with a read, a race. */
static void report_free(struct sl_thread *thr, const struct sl_heap_block *b,
			sl_stack_id free_stack, bool alloc_unordered,
			const struct unordered_slots *u)
{
	if (thr->ignore_depth)
		return;
	if (alloc_unordered || u->write_w0)
		sl_report_free_without_acquire(thr, b, free_stack, alloc_unordered,
					       u->write_w0, u->write_w1, u->write_addr);
	else if (u->read_w0)
		sl_report_free_race(thr, b, free_stack, u->read_w0, u->read_w1, u->read_addr);
}

/* The free is the end of every access the block's shadow recorded. One pass
 * checks each against the free (keeping the first unordered write and read
 * for the report), retires the granule's sync objects and, if `poison`,
 * leaves the "freed" marker that turns later accesses into use-after-free
 * reports; a block that is not poisoned is cleared instead. With tracked
 * records only the granules whose state byte says so have slots to visit. */
static SL_NOINLINE void free_shadow_pass(struct sl_thread *thr, const struct sl_heap_block *b,
					 const struct sl_vclock *dep, struct sl_chunk *c,
					 bool one_chunk, bool alloc_unordered,
					 sl_stack_id free_stack, bool poison, bool pool_block)
{
	uintptr_t g = b->user & ~(uintptr_t)(SL_GRANULE - 1), end = b->user + b->size;
	bool tracked = sl_records_tracked();
	struct free_pass f = {
		.thr = thr, .dep = dep, .user = b->user, .end = end,
		.tracked = tracked, .poison = poison,
		.freed_w0 = sl_w0_freed(0), .first_freed_w0 = sl_w0_freed(free_stack),
	};
	if (one_chunk && end - g <= SL_GRANULE) {
		free_pass_chunk(&f, c, g, end, NULL);    /* most blocks: one granule */
	} else {
		uint64_t known[SL_SLOTS] = {0};
		if (one_chunk) {
			free_pass_chunk(&f, c, g, end, known);
		} else {
			for (g = sl_shadow_skip_unmapped(g, end); g < end;
			     g = sl_shadow_skip_unmapped(g, end)) {
				uintptr_t chunk_end = (g | ((1ul << SL_CHUNK_SHIFT) - 1)) + 1;
				uintptr_t stop = end < chunk_end ? end : chunk_end;
				free_pass_chunk(&f, sl_shadow_chunk_if_mapped(g), g, stop, known);
				g = stop;
			}
		}
	}
	if (!poison && !tracked) {
		if (pool_block)
			sl_shadow_clear_reused(b->user, b->size);
		else
			sl_shadow_clear(b->user, b->size);
	}
	report_free(thr, b, free_stack, alloc_unordered, &f.u);
}

/* The free's check of its block: is the allocation ordered before it, and
 * every access its shadow recorded (free_shadow_pass)? Inline for focused
 * mode's usual free, where no granule of the block (in one chunk) has
 * records or sync objects: all there is to do is the allocation's test and
 * marking the state bytes freed. `c` is the chunk of the block's first
 * granule if the caller has it; pool_block: a custom allocator's block,
 * whose memory that allocator reuses. */
static SL_ALWAYS_INLINE void free_block_shadow(struct sl_thread *thr, const struct sl_heap_block *b,
					       struct sl_chunk *c, uint32_t alloc_epoch,
					       sl_stack_id free_stack, bool poison, bool pool_block)
{
	const struct sl_vclock *dep = dependency_of(thr, b->user);
	bool alloc_unordered = b->alloc_tid != thr->tid && b->alloc_tid != TID_UNKNOWN &&
			       !ordered(thr, dep, b->alloc_tid, alloc_epoch, true);
	uintptr_t g = b->user & ~(uintptr_t)(SL_GRANULE - 1), end = b->user + b->size;
	bool one_chunk = c && end > g && ((g ^ (end - 1)) >> SL_CHUNK_SHIFT) == 0;
	uint32_t granules = (uint32_t)((end - g + SL_GRANULE - 1) >> SL_GRANULE_SHIFT);
	if (sl_likely(one_chunk && sl_records_tracked() &&
		      retire_quiet_block(c, sl_granule_index(g), granules, poison))) {
		if (sl_unlikely(alloc_unordered))
			report_free(thr, b, free_stack, true, &(struct unordered_slots){0});
		return;
	}
	free_shadow_pass(thr, b, dep, c, one_chunk, alloc_unordered, free_stack, poison, pool_block);
}

static void free_impl(void *p, uintptr_t pc)
{
	if (!p)
		return;
	uintptr_t user = (uintptr_t)p;
	struct sl_thread *thr = sl_cur_thread;
	sl_init_memory();
	struct block_shadow at = block_shadow(user);
	uint8_t state = state_at(at, user);
	if (!sl_initialized || !thr || thr->in_runtime) {
		/* A free the runtime does not check (its own, or before start-up):
		 * give our blocks back at once, ignore anything else. */
		if (state & SL_GRANULE_BLOCK_START)
			release_block(user);
		return;
	}
	thr->in_runtime = true;
	sl_stack_id stack = sl_stack_here(thr, pc);
	struct sl_heap_block b;
	if (!starts_block(state)) {
		sl_report_invalid_free(thr, user, stack, NULL);
		sl_runtime_section_end(thr);
		return;                    /* handing it to glibc would crash it */
	}
	struct block_rec r = rec_at(at, user, state);
	uint32_t alloc_epoch;
	if (!rec_mark_freed(r, user, thr->tid, stack, &b, &alloc_epoch)) {
		rec_describe(r, user, &b);
		sl_report_double_free(thr, &b, stack);
		sl_runtime_section_end(thr);
		return;
	}
	sl_shadow_block_bits(state_byte(at), 0, SL_GRANULE_BLOCK_START);
	bool quarantined = fits_quarantine(b.size);
	free_block_shadow(thr, &b, at.c, alloc_epoch, stack, quarantined, false);
	/* (an unpoisoned block's shadow was cleared: say again where its
	 * metadata is) */
	sl_shadow_block_bits(state_byte(at), SL_GRANULE_FREED_START | (state & SL_GRANULE_META_BELOW), 0);
	if (quarantined)
		quarantine_put(thr, user, b.size);
	else
		release_found(user, r, state_byte(at));
	sl_runtime_section_end(thr);
}

/* ---- lookup for reports */

bool sl_heap_block_starts_at(uintptr_t addr)
{
	struct sl_chunk *c = sl_shadow_chunk_if_mapped(addr);
	return c && starts_block(atomic_load_explicit(&c->state[sl_granule_index(addr)],
						      memory_order_relaxed));
}

static bool custom_block_holding(uintptr_t addr, uintptr_t floor, struct sl_heap_block *out);

bool sl_heap_find(uintptr_t addr, struct sl_heap_block *out)
{
	/* Walk back to the nearest block start; reports only, so a long walk
	 * is acceptable, but bounded. */
	uintptr_t limit = addr > (64u << 20) ? addr - (64u << 20) : 0;
	for (uintptr_t g = addr & ~(uintptr_t)(SL_GRANULE - 1); g > limit; g -= SL_GRANULE) {
		uint8_t st = atomic_load_explicit(sl_shadow_state(g), memory_order_relaxed);
		if (!starts_block(st))
			continue;
		struct block_rec r = rec_of(g, st);
		size_t size = rec_size(r);
		if (addr >= g + size && !(addr == g && size == 0))
			break;
		/* a pool's object inside the block (a kmalloc object in its
		 * slab) is the block the program knows */
		if (!custom_block_holding(addr, g, out))
			rec_describe(r, g, out);
		return true;
	}
	return custom_block_holding(addr, 0, out);
}

/* ---- the interposed malloc family */

/* Each is a runtime section (signals wait until it returns: glibc's malloc
 * is no more reentrant than ours) that reports a call from a signal handler
 * (internal.h). */

SL_EXPORT void *malloc(size_t size)
{
	SL_INTERCEPTOR_SCOPE("malloc");
	return alloc_aligned(16, size, SL_CALLER);
}

SL_EXPORT void free(void *p)
{
	SL_INTERCEPTOR_SCOPE("free");
	free_impl(p, SL_CALLER);
}

SL_EXPORT void cfree(void *p)
{
	SL_INTERCEPTOR_SCOPE("cfree");
	free_impl(p, SL_CALLER);
}

SL_EXPORT void *calloc(size_t n, size_t size)
{
	SL_INTERCEPTOR_SCOPE("calloc");
	size_t total;
	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	return alloc_block(16, total, SL_CALLER, true);
}

static void *realloc_impl(void *p, size_t size, uintptr_t pc)
{
	if (!p)
		return alloc_aligned(16, size, pc);
	if (size == 0) {           /* glibc frees and returns NULL */
		free_impl(p, pc);
		return NULL;
	}
	uintptr_t user = (uintptr_t)p;
	sl_init_memory();
	uint8_t state = block_state(user);
	if (!(state & SL_GRANULE_BLOCK_START)) {
		free_impl(p, pc);          /* reports the invalid or double free */
		return NULL;
	}
	size_t old_size = rec_size(rec_of(user, state));
	void *q = alloc_aligned(16, size, pc);
	if (!q)
		return NULL;
	/* The copy reads the old block, but checking that read would only
	 * record it there to be judged by the free right after, which judges
	 * every other thread's access to the block anyway: a race with the
	 * copy is one with the free. (The records of a big block's read were
	 * twice its size in shadow: a vector doubled to 1 GiB peaked at
	 * 1.9 GiB.) */
	memcpy(q, p, old_size < size ? old_size : size);
	free_impl(p, pc);
	return q;
}

SL_EXPORT void *realloc(void *p, size_t size)
{
	SL_INTERCEPTOR_SCOPE("realloc");
	return realloc_impl(p, size, SL_CALLER);
}

SL_EXPORT void *reallocarray(void *p, size_t n, size_t size)
{
	SL_INTERCEPTOR_SCOPE("reallocarray");
	size_t total;
	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc_impl(p, total, SL_CALLER);
}

static bool power_of_two(size_t x) { return x && !(x & (x - 1)); }

SL_EXPORT int posix_memalign(void **out, size_t align, size_t size)
{
	SL_INTERCEPTOR_SCOPE("posix_memalign");
	if (!power_of_two(align) || align % sizeof(void *))
		return EINVAL;
	void *p = alloc_aligned(align, size, SL_CALLER);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

/* aligned_alloc and memalign as the glibc we run on has them: an alignment
 * that is not a power of two is rounded up to one, not refused, so that a
 * program that gets away with it natively runs the same here. */
static void *alloc_rounding_alignment(size_t align, size_t size, uintptr_t pc)
{
	if (align > SIZE_MAX / 2 + 1) {
		errno = EINVAL;
		return NULL;
	}
	size_t rounded = 16;
	while (rounded < align)
		rounded <<= 1;
	return alloc_aligned(rounded, size, pc);
}

SL_EXPORT void *aligned_alloc(size_t align, size_t size)
{
	SL_INTERCEPTOR_SCOPE("aligned_alloc");
	return alloc_rounding_alignment(align, size, SL_CALLER);
}

SL_EXPORT void *memalign(size_t align, size_t size)
{
	SL_INTERCEPTOR_SCOPE("memalign");
	return alloc_rounding_alignment(align, size, SL_CALLER);
}

SL_EXPORT void *valloc(size_t size)
{
	SL_INTERCEPTOR_SCOPE("valloc");
	return alloc_aligned((size_t)sysconf(_SC_PAGESIZE), size, SL_CALLER);
}

SL_EXPORT void *pvalloc(size_t size)
{
	SL_INTERCEPTOR_SCOPE("pvalloc");
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (size > SIZE_MAX - (page - 1)) {
		errno = ENOMEM;                /* rounded up, it would wrap to 0 */
		return NULL;
	}
	return alloc_aligned(page, (size + page - 1) & ~(page - 1), SL_CALLER);
}

/* 0 for anything but a live block's pointer, as ThreadSanitizer answers:
 * glibc reads the chunk header before any pointer it is given, and so
 * faulted inside the runtime on a wild one. */
SL_EXPORT size_t malloc_usable_size(void *p)
{
	if (!p)
		return 0;
	sl_init_memory();
	uintptr_t user = (uintptr_t)p;
	return block_state(user) & SL_GRANULE_BLOCK_START ? block_size(user) : 0;
}

/* ---- custom allocators: blocks announced by slabsan_malloclike live in
 * the allocator's memory, so their records live in a side table. */

/* Entries stay after the free (a second free is a double free), so the
 * table holds every address a pool ever handed out: a kmem_cache stress
 * reaches 10^5. 2^16 buckets and a multiplicative hash keep chains short,
 * and each bucket holds its first entry inline: a lookup that walked from
 * a bucket pointer to a separately allocated entry missed the cache twice,
 * and one lock for the table was contended by every pool operation (the
 * two were 10% of focused kmem_cache). A stripe of buckets shares a lock. */
#define CUSTOM_BUCKET_BITS 16
#define CUSTOM_BUCKETS (1u << CUSTOM_BUCKET_BITS)
#define CUSTOM_LOCK_BITS 8
struct custom_block {
	struct custom_block *next;
	uintptr_t user;             /* 0: a bucket's unused inline entry */
	struct sl_block_meta meta;
};
static struct custom_block custom[CUSTOM_BUCKETS];
static sl_spinlock custom_lock[1u << CUSTOM_LOCK_BITS];

static uint32_t custom_bucket(uintptr_t user)
{
	return (uint32_t)((user * 0x9e3779b97f4a7c15ull) >> (64 - CUSTOM_BUCKET_BITS));
}

static sl_spinlock *custom_lock_of(uintptr_t user)
{
	return &custom_lock[custom_bucket(user) >> (CUSTOM_BUCKET_BITS - CUSTOM_LOCK_BITS)];
}

/* The entry of user (never 0); the caller holds its stripe's lock. A new
 * one if `make`, else NULL when there is none. */
static struct custom_block *custom_entry(uintptr_t user, bool make)
{
	struct custom_block *b = &custom[custom_bucket(user)];
	if (b->user == user)
		return b;
	if (!b->user) {
		if (make)
			b->user = user;
		return make ? b : NULL;
	}
	for (; b->next; b = b->next)
		if (b->next->user == user)
			return b->next;
	if (!make)
		return NULL;
	b->next = sl_alloc(sizeof *b->next);
	b->next->user = user;
	return b->next;
}

/* How far back from an address a report looks for the start of the pool
 * object holding it (kmalloc's largest small class is 8 KiB). */
#define CUSTOM_FIND_REACH (16u << 10)

/* The live custom block that holds addr, for a report: the nearest start
 * at or below addr, at most CUSTOM_FIND_REACH back and not below floor
 * (the malloc block the pool carved it from), whose live block reaches
 * addr. Pools align objects to 8 bytes at least; a freed entry (entries
 * stay) is passed over, as the memory may since hold a live object that
 * starts further back. */
static bool custom_block_holding(uintptr_t addr, uintptr_t floor, struct sl_heap_block *out)
{
	uintptr_t lowest = addr > CUSTOM_FIND_REACH ? addr - CUSTOM_FIND_REACH : 0;
	if (lowest < floor)
		lowest = floor;
	for (uintptr_t user = addr & ~(uintptr_t)7; user >= lowest && user; user -= 8) {
		sl_spinlock *lock = custom_lock_of(user);
		sl_spin_lock(lock);
		const struct custom_block *cb = custom_entry(user, false);
		bool holds = cb && meta_state(&cb->meta) == HEADER_LIVE &&
			     addr < user + (cb->meta.size ? cb->meta.size : 1);
		if (holds) {
			describe_meta(user, &cb->meta, out);
			out->custom = true;
		}
		sl_spin_unlock(lock);
		if (holds)
			return true;
	}
	return false;
}

/* fork() child: the threads that held these locks do not exist here. */
void sl_heap_after_fork_child(void)
{
	for (unsigned i = 0; i < 1u << CUSTOM_LOCK_BITS; i++)
		atomic_store_explicit(&custom_lock[i].locked, 0, memory_order_relaxed);
}

void sl_heap_malloclike(struct sl_thread *thr, void *p, size_t size, uintptr_t pc)
{
	uintptr_t user = (uintptr_t)p;
	sl_stack_id stack = sl_stack_here(thr, pc);
	sl_spinlock *lock = custom_lock_of(user);
	sl_spin_lock(lock);
	struct sl_block_meta *m = &custom_entry(user, true)->meta;
	m->size = size;
	m->alloc_tid = thr->tid;
	m->alloc_epoch = thr->epoch;
	m->alloc_stack = stack;
	m->free_tid = TID_UNKNOWN;
	m->free_stack = 0;
	atomic_store_explicit(&m->head, meta_head(0, HEADER_LIVE), memory_order_relaxed);
	sl_spin_unlock(lock);
	sl_shadow_clear_reused(user, size);
}

void sl_heap_freelike(struct sl_thread *thr, void *p, uintptr_t pc)
{
	uintptr_t user = (uintptr_t)p;
	sl_stack_id stack = sl_stack_here(thr, pc);
	struct sl_heap_block b;
	sl_spinlock *lock = custom_lock_of(user);
	sl_spin_lock(lock);
	struct custom_block *cb = custom_entry(user, false);
	struct sl_block_meta m;
	bool known = cb != NULL, live = false;
	if (known) {
		/* (the stripe lock orders frees of one block: no locked RMW) */
		live = meta_state(&cb->meta) == HEADER_LIVE;
		if (live)
			set_meta_state(&cb->meta, HEADER_FREED);
		m = cb->meta;
		if (live) {
			cb->meta.free_tid = thr->tid;
			cb->meta.free_stack = stack;
		}
	}
	sl_spin_unlock(lock);
	if (!known) {
		sl_report_invalid_free(thr, user, stack, "not announced by slabsan_malloclike()");
		return;
	}
	describe_meta(user, &m, &b);
	b.custom = true;
	if (!live) {
		sl_report_double_free(thr, &b, stack);
		return;
	}
	/* The pool's own code reuses the memory (link words), so the shadow is
	 * cleared rather than poisoned. With the chunk at hand, focused mode's
	 * usual free (no records in the block) skips the pass. */
	free_block_shadow(thr, &b, sl_shadow_chunk_if_mapped(user), m.alloc_epoch, stack,
			  false, true);
	extend_dependency(thr, user);
}
