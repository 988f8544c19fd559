/* SPDX-License-Identifier: Apache-2.0 */
/* Shadow memory: for every 16-byte granule of application memory, four
 * access slots and one state byte.
 *
 *   application address  a  (47-bit user space)
 *   level 1: sl_shadow_l1[a >> 20]      one pointer per MiB, reserved up front
 *   level 2: chunk, mapped on first touch, for granule g = (a >> 4) & 0xffff:
 *              granule[g]    word0[4] who/when/what of up to four accesses 32 B
 *              state[g]      SL_GRANULE_* bits                        1 B
 *              sync[g]       sync objects in the granule (sync.c)     8 B
 *
 * A slot is one word, word0[i]: who accessed (tid + 1, 13 bits; 0 = empty
 * slot), when (the thread's epoch, 32 bits), which bytes (a 16-bit mask)
 * and how (write, marked, assert). Where the access came from (site and
 * stack) is not in the shadow: the recording thread's history keeps it
 * (history.h), which halved the shadow (the line was 64 bytes per granule
 * with a site word per slot). Slots are read and written with relaxed
 * atomics and no lock.
 *
 * Why 16 bytes and not ThreadSanitizer's 8: with 8-byte slots, 8-byte
 * granules cost 4x the heap in shadow and a 16-byte heap object two
 * shadow lines per visit. 16-byte granules halve both (live/1e7: 5.5 ->
 * 3.1 GiB, 13 -> 4.8 s, when slots still had site words) and lose no
 * report of the test suite; the four slots are shared by a granule's two
 * words. malloc's blocks start 16-byte aligned, so a granule never holds
 * two of them; a custom allocator's smaller objects can share one
 * (heap.c checks a free against its own bytes only).
 */
#ifndef SLABSAN_SHADOW_H
#define SLABSAN_SHADOW_H

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

#define SL_GRANULE 16u
#define SL_GRANULE_SHIFT 4u
#define SL_SLOTS 4u
#define SL_CHUNK_SHIFT 20u
#define SL_CHUNK_GRANULES ((1u << SL_CHUNK_SHIFT) / SL_GRANULE)
#define SL_APP_BITS 47u
/* Loops over a granule's slots: unrolled, they are the check's fast path. */
#define SL_UNROLL _Pragma("GCC unroll 4")

/* word0 layout */
#define SL_W0_MARKED (1ull << 0)      /* atomic, READ_ONCE/WRITE_ONCE, volatile */
#define SL_W0_WRITE (1ull << 1)
#define SL_W0_ASSERT (1ull << 2)      /* ASSERT_EXCLUSIVE_*: marked accesses conflict too */
#define SL_W0_MASK_SHIFT 3
#define SL_W0_BYTES (0xffffull << SL_W0_MASK_SHIFT) /* the byte mask, in place */
#define SL_W0_EPOCH_SHIFT 19
#define SL_W0_TID_SHIFT 51
#define SL_FREED_TID 0x1fffu          /* tid field of a freed granule's slot 0 */
#define SL_META_TID 0x1ffeu           /* ... of a granule that holds a block's metadata (heap.c) */

_Static_assert(SL_MAX_THREADS < SL_META_TID, "thread ids must not collide with the markers");
_Static_assert(SL_W0_EPOCH_SHIFT + 32 == SL_W0_TID_SHIFT, "epoch is 32 bits");


/* state bits of a granule */
#define SL_GRANULE_BLOCK_START 1u     /* a live heap block's user pointer */
#define SL_GRANULE_FREED_START 2u     /* a freed (quarantined) block's user pointer */
#define SL_GRANULE_SYNC 4u            /* some sync object lives in this granule */
#define SL_GRANULE_RECORDED 8u        /* records tracked: a slot may be in use */
#define SL_GRANULE_FREED 16u          /* records tracked: in a quarantined freed block */
#define SL_GRANULE_META_BELOW 32u     /* with BLOCK/FREED_START: the block's metadata is
				       * in the shadow of the granule below (heap.c) */

/* Has any module registered a plain-access site (sites.c), i.e. does some
 * code check plain accesses? Until one does (a program built in focused
 * mode), slots are rare: only atomics, volatiles and metadata take them.
 * Then "records are tracked": a granule's state byte says whether its slots
 * may be in use (SL_GRANULE_RECORDED), so malloc and free touch the slots
 * of only those granules, and a freed block is marked in its state bytes
 * (SL_GRANULE_FREED) instead of slot by slot: 1 byte per granule, not 64.
 * Set once, never cleared; memory freed before then keeps its state-byte
 * marks, which the next malloc of it clears like any other. */
extern atomic_bool sl_plain_checked;
static SL_ALWAYS_INLINE bool sl_records_tracked(void)
{
	return !atomic_load_explicit(&sl_plain_checked, memory_order_relaxed);
}

/* Who allocated a heap block, when and from where, its size and state
 * (heap.c): in the shadow of the granule below the block, or in a header
 * before it. In the shadow it fills the granule's four slots, so its first
 * word is also the slot marker that accesses skip (sl_w0_meta()). */
struct sl_block_meta {
	_Atomic uint64_t head;      /* sl_w0_meta() | offset << 16 | state (heap.c) */
	uint16_t alloc_tid, free_tid;
	uint32_t alloc_epoch;
	uint64_t size;
	sl_stack_id alloc_stack, free_stack;
};

/* A granule's four slots. The granule below a heap block may hold the
 * block's metadata instead (word0[0] is then its head, heap.c). Two
 * granules share a cache line. */
struct sl_granule_shadow {
	union {
		_Atomic uint64_t word0[SL_SLOTS];
		struct sl_block_meta meta;
	};
} __attribute__((aligned(32)));
_Static_assert(sizeof(struct sl_block_meta) == 8 * SL_SLOTS, "metadata fills the slots");

struct sl_chunk {
	struct sl_granule_shadow granule[SL_CHUNK_GRANULES];
	_Atomic uint8_t state[SL_CHUNK_GRANULES];
	/* the sync objects living in this granule (sync.c); touched only
	 * where the program synchronizes, so it costs little RSS */
	struct sl_sync *_Atomic sync[SL_CHUNK_GRANULES];
	/* density (shadow.c): which 4 KiB pages of state[] hold a block start,
	 * and whether the granule array has been given huge pages */
	_Atomic uint32_t block_pages;
	atomic_bool dense;
	uintptr_t base;            /* the application address of granule[0] */
};

extern struct sl_chunk *_Atomic *sl_shadow_l1;
struct sl_chunk *sl_shadow_chunk_slow(uintptr_t addr);
/* The application address of the first byte record w0 holds in `slot`, a
 * slot of some granule's shadow (reports: a history entry names a slot,
 * not an address). */
uintptr_t sl_shadow_slot_addr(const _Atomic uint64_t *slot, uint64_t w0);

static SL_ALWAYS_INLINE struct sl_chunk *sl_shadow_chunk_if_mapped(uintptr_t addr)
{
	return atomic_load_explicit(&sl_shadow_l1[(addr >> SL_CHUNK_SHIFT) &
		((1ull << (SL_APP_BITS - SL_CHUNK_SHIFT)) - 1)], memory_order_acquire);
}
static SL_ALWAYS_INLINE struct sl_chunk *sl_shadow_chunk(uintptr_t addr)
{
	struct sl_chunk *c = sl_shadow_chunk_if_mapped(addr);
	return sl_likely(c != NULL) ? c : sl_shadow_chunk_slow(addr);
}
/* Walking a range's shadow: granule addresses from a, skipping every MiB
 * whose shadow was never mapped (nothing was recorded there, and touching
 * it would map it). Returns end when nothing is left. */
static inline uintptr_t sl_shadow_skip_unmapped(uintptr_t a, uintptr_t end)
{
	while (a < end && !sl_shadow_chunk_if_mapped(a))
		a = ((a >> SL_CHUNK_SHIFT) + 1) << SL_CHUNK_SHIFT;
	return a;
}

static SL_ALWAYS_INLINE uint32_t sl_granule_index(uintptr_t addr)
{
	return (uint32_t)((addr >> SL_GRANULE_SHIFT) & (SL_CHUNK_GRANULES - 1));
}
/* The bytes of granule g that [lo, hi) covers, as a slot's byte mask. */
static SL_ALWAYS_INLINE uint16_t sl_granule_bytes(uintptr_t g, uintptr_t lo, uintptr_t hi)
{
	unsigned from = lo > g ? (unsigned)(lo - g) : 0;
	unsigned to = hi < g + SL_GRANULE ? (unsigned)(hi - g) : SL_GRANULE;
	return (uint16_t)(((1u << to) - 1) & ~((1u << from) - 1));
}
static SL_ALWAYS_INLINE _Atomic uint8_t *sl_shadow_state(uintptr_t addr)
{
	return &sl_shadow_chunk(addr)->state[sl_granule_index(addr)];
}

/* Change bits of a block's granule that only malloc and free of that block
 * change (SL_GRANULE_BLOCK_START, FREED_START): a load and a store, not a
 * locked RMW. Neighbouring blocks of other threads share the state line, and
 * the locked RMW in malloc was 14% of full threads/32. Another thread's
 * concurrent change of the same byte (a sync bit, a record bit) is lost only
 * if it uses the block while it is allocated or freed: a bug reported anyway. */
static SL_ALWAYS_INLINE void sl_shadow_block_bits(_Atomic uint8_t *st, uint8_t set, uint8_t clear)
{
	uint8_t v = atomic_load_explicit(st, memory_order_relaxed);
	atomic_store_explicit(st, (uint8_t)((v & ~clear) | set), memory_order_relaxed);
}

static SL_ALWAYS_INLINE struct sl_sync *_Atomic *sl_shadow_sync_list(uintptr_t addr)
{
	return &sl_shadow_chunk(addr)->sync[sl_granule_index(addr)];
}

/* word0's who and when; an access ORs in its byte mask and kind. Each
 * thread keeps its own ready (sl_thread.w0_who_when). */
static inline uint64_t sl_w0_who_when(uint32_t tid, uint32_t epoch)
{
	return ((uint64_t)(tid + 1) << SL_W0_TID_SHIFT) | ((uint64_t)epoch << SL_W0_EPOCH_SHIFT);
}
static inline uint32_t sl_w0_tid(uint64_t w) { return (uint32_t)(w >> SL_W0_TID_SHIFT) - 1; }
static inline uint32_t sl_w0_raw_tid(uint64_t w) { return (uint32_t)(w >> SL_W0_TID_SHIFT); }
static inline uint32_t sl_w0_epoch(uint64_t w) { return (uint32_t)(w >> SL_W0_EPOCH_SHIFT); }
static inline uint16_t sl_w0_mask(uint64_t w) { return (uint16_t)(w >> SL_W0_MASK_SHIFT); }
static inline bool sl_w0_write(uint64_t w) { return w & SL_W0_WRITE; }
static inline uint64_t sl_w0_with_mask(uint64_t w, uint16_t mask)
{
	return (w & ~SL_W0_BYTES) | (uint64_t)mask << SL_W0_MASK_SHIFT;
}
static inline bool sl_w0_marked(uint64_t w) { return w & SL_W0_MARKED; }
static inline bool sl_w0_assert(uint64_t w) { return w & SL_W0_ASSERT; }
/* The byte at addr, as a mask in place (SL_W0_BYTES bits) of its granule's slots. */
static inline uint64_t sl_w0_byte_at(uintptr_t addr)
{
	return 1ull << (SL_W0_MASK_SHIFT + (addr & (SL_GRANULE - 1)));
}
/* The lowest byte of a byte mask in place (SL_W0_BYTES bits), as a mask. */
static inline uint64_t sl_w0_lowest_byte(uint64_t bytes) { return bytes & -bytes; }
/* The first byte the access a slot records touched, given any address in
 * its granule: reports name the previous access by it. */
static inline uintptr_t sl_w0_first_byte(uint64_t w, uintptr_t in_granule)
{
	return (in_granule & ~(uintptr_t)(SL_GRANULE - 1)) + (uintptr_t)__builtin_ctz(sl_w0_mask(w));
}
static inline uint64_t sl_w1_make(uint32_t site, sl_stack_id stack)
{
	return ((uint64_t)site << 32) | stack;
}

/* A freed granule: slot 0 says so, the other slots are empty. The block's
 * first granule also names the free's stack, in the epoch bits (and says
 * so with the MARKED bit), for a use after free to print. */
static inline uint64_t sl_w0_freed(sl_stack_id free_stack)
{
	return (uint64_t)SL_FREED_TID << SL_W0_TID_SHIFT | SL_W0_BYTES | SL_W0_WRITE |
	       (free_stack ? (uint64_t)free_stack << SL_W0_EPOCH_SHIFT | SL_W0_MARKED : 0);
}
static inline sl_stack_id sl_w0_freed_stack(uint64_t w)
{
	return w & SL_W0_MARKED ? sl_w0_epoch(w) : 0;
}
/* Word 0 of the granule below a heap block whose metadata lives in that
 * granule's slots (heap.c), with bits below SL_W0_EPOCH_SHIFT + 32 free
 * for the metadata's own use: no access conflicts with it or records
 * itself there. Only a program that overruns the previous block gets there. */
static inline uint64_t sl_w0_meta(void) { return (uint64_t)SL_META_TID << SL_W0_TID_SHIFT; }
static inline bool sl_w0_is_marker(uint64_t w) { return sl_w0_raw_tid(w) >= SL_META_TID; }
/* The record of a write of the byte at addr by a thread other than tid,
 * marked (an atomic store, WRITE_ONCE) or plain as asked, or 0: who stored
 * the value a load read, where no sync object says (atomic.c,
 * note_unreleased_store), or a plain read (a pointer handed over through a
 * plain variable, report_edge.c). */
static inline uint64_t sl_write_by_other(uintptr_t addr, uint32_t tid, bool marked)
{
	struct sl_chunk *c = sl_shadow_chunk_if_mapped(addr);
	if (!c)
		return 0;
	struct sl_granule_shadow *gs = &c->granule[sl_granule_index(addr)];
	uint64_t byte = sl_w0_byte_at(addr);
	for (unsigned i = 0; i < SL_SLOTS; i++) {
		uint64_t w = atomic_load_explicit(&gs->word0[i], memory_order_relaxed);
		if ((w & (SL_W0_MARKED | SL_W0_WRITE | SL_W0_ASSERT | byte)) ==
			    ((marked ? SL_W0_MARKED : 0) | SL_W0_WRITE | byte) &&
		    !sl_w0_is_marker(w) && sl_w0_tid(w) != tid)
			return w;
	}
	return 0;
}

static SL_ALWAYS_INLINE void sl_granule_mark_freed(struct sl_granule_shadow *gs, uint64_t freed_w0)
{
	atomic_store_explicit(&gs->word0[0], freed_w0, memory_order_relaxed);
	for (unsigned i = 1; i < SL_SLOTS; i++)
		atomic_store_explicit(&gs->word0[i], 0, memory_order_relaxed);
}

/* A heap block [user, user+size) was allocated: the shadow learns how
 * densely the heap fills its MiB (huge pages, shadow.c). Every malloc
 * asks, and nearly always its page of state bytes is known already. */
#define SL_DENSE_BLOCK (256ul << 10)
void sl_shadow_note_block_slow(struct sl_chunk *c, uintptr_t user, size_t size);
static SL_ALWAYS_INLINE uint32_t sl_state_page_bit(uintptr_t user)
{
	return 1u << (sl_granule_index(user) >> 12);
}
static SL_ALWAYS_INLINE void sl_shadow_note_block(struct sl_chunk *c, uintptr_t user, size_t size)
{
	if (sl_likely(size < SL_DENSE_BLOCK &&
		      (atomic_load_explicit(&c->block_pages, memory_order_relaxed) &
		       sl_state_page_bit(user))))
		return;
	sl_shadow_note_block_slow(c, user, size);
}
void sl_shadow_init(void);
void sl_stack_init(void);
void sl_posix_init(void);
void sl_mmap_init(void);
void sl_c11threads_init(void);
/* Forget every access to [addr, addr+size): the memory is new to its user.
 * Byte-exact: a granule it covers in part keeps its other bytes' records. */
void sl_shadow_clear(uintptr_t addr, size_t size);
/* The same for memory its allocator hands out again at once (a custom
 * pool's block): zeroed in place. Giving big ranges' pages back, as
 * sl_shadow_clear does, would only fault them in again, and each madvise
 * interrupts every other thread's CPU to flush its TLB. */
void sl_shadow_clear_reused(uintptr_t addr, size_t size);
void sl_shadow_clear_granules_slow(struct sl_chunk *c, uintptr_t addr, size_t size);

/* Do granules [first, first + count) of chunk c carry no state bit but
 * those in `ignore`? Focused mode's usual block carries none (no records,
 * no sync objects), and its malloc and free then have nothing to visit. */
static SL_ALWAYS_INLINE bool sl_granules_quiet(const struct sl_chunk *c, uint32_t first,
					       uint32_t count, uint8_t ignore)
{
	const _Atomic uint8_t *state = &c->state[first];
	for (uint32_t i = 0; i < count; i++)
		if (atomic_load_explicit(&state[i], memory_order_relaxed) & ~ignore)
			return false;
	return true;
}

/* The state bytes of granules [first, first + count) of chunk c, and with
 * tracked records the slots those bytes say are in use: keep sync bits
 * (their owners clear them), drop the others. Most bytes are zero or, in
 * focused mode, say "freed". A plain store is enough: nothing else may
 * change these bytes while their memory is being cleared, unless the
 * program uses memory it is (re)allocating, which is reported anyway (a
 * locked AND here was one per focused malloc). */
static SL_ALWAYS_INLINE void sl_shadow_clear_states(struct sl_chunk *c, uint32_t first,
						    uint32_t count, bool tracked)
{
	_Atomic uint8_t *state = &c->state[first];
	for (uint32_t i = 0; i < count; i++) {
		uint8_t st = atomic_load_explicit(&state[i], memory_order_relaxed);
		if (!(st & ~SL_GRANULE_SYNC))
			continue;
		if (sl_unlikely(tracked && (st & SL_GRANULE_RECORDED)))
			memset(&c->granule[first + i], 0, sizeof c->granule[first + i]);
		atomic_store_explicit(&state[i], st & SL_GRANULE_SYNC, memory_order_relaxed);
	}
}

/* sl_shadow_clear of whole granules from addr (a new heap block), whose
 * chunk c the caller has already looked up. Focused mode's usual block,
 * in one chunk, clears its state bytes here without a call. */
static SL_ALWAYS_INLINE void sl_shadow_clear_granules(struct sl_chunk *c, uintptr_t addr, size_t size)
{
	uint32_t first = sl_granule_index(addr);
	if (sl_records_tracked() && size / SL_GRANULE <= SL_CHUNK_GRANULES - first)
		sl_shadow_clear_states(c, first, (uint32_t)(size / SL_GRANULE), true);
	else
		sl_shadow_clear_granules_slow(c, addr, size);
}

/* Forget the records of `bytes` in one granule's slots; a slot that also
 * covers other bytes keeps them. Returns whether any slot is left. */
bool sl_granule_forget(struct sl_granule_shadow *gs, uint16_t bytes);

#endif
