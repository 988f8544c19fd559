/* SPDX-License-Identifier: Apache-2.0 */
/* A heap block's record (heap.c): who allocated it, when and from where,
 * its size and state, and who freed it, from where. Two formats:
 *
 *   wide    struct sl_block_meta (shadow.h), 32 bytes: glibc's blocks (in
 *           the shadow below the block, or a header before it) and custom
 *           allocators' blocks (heap.c's side table)
 *   packed  struct sl_span_record (span.h), 16 bytes: span blocks, in their
 *           span's records. A 16-byte object costs 64 bytes with it (the
 *           object, its shadow, the record) where a wide record made 80.
 *
 * packed: head = state (2 bits) | size (9) << 2 | alloc tid (13) << 11 |
 *                free tid (13) << 24
 *         when = alloc stack << 32 | alloc epoch, and after the free the
 *                free's stack in place of the epoch: only the free's own
 *                check reads the epoch, before it writes the stack.
 *
 * A struct block_rec names a record of either format; the rec_ functions
 * read and write both, so heap.c does not ask which. */
#ifndef SLABSAN_BLOCK_RECORD_H
#define SLABSAN_BLOCK_RECORD_H

#include "span.h"

/* wide: the state and the offset of the user pointer into glibc's block
 * share the first word, under the slot marker (shadow.h):
 * head = sl_w0_meta() | offset << 16 | state. */
#define HEADER_LIVE 0x10c8u
#define HEADER_FREED 0xf4eeu
#define TID_UNKNOWN 0xffffu     /* allocated before SlabSan knew the thread */

static inline uint64_t meta_head(uint32_t offset, uint16_t state)
{
	return sl_w0_meta() | (uint64_t)offset << 16 | state;
}
static inline uint32_t meta_offset(uint64_t head) { return (uint32_t)(head >> 16); }
static inline uint16_t head_state(uint64_t head) { return (uint16_t)head; }
static inline uint64_t with_state(uint64_t head, uint16_t state)
{
	return meta_head(meta_offset(head), state);
}
static inline uint16_t meta_state(const struct sl_block_meta *m)
{
	return head_state(atomic_load_explicit(&m->head, memory_order_relaxed));
}
/* Change a block's state where no other thread can (eviction, or under
 * the custom table's lock), with a relaxed store: a plain assignment to the
 * atomic was a locked xchg, a full barrier that was a quarter of free's
 * time. Returns the head before. */
static inline uint64_t set_meta_state(struct sl_block_meta *m, uint16_t state)
{
	uint64_t head = atomic_load_explicit(&m->head, memory_order_relaxed);
	atomic_store_explicit(&m->head, with_state(head, state), memory_order_relaxed);
	return head;
}

static inline void describe_meta(uintptr_t user, const struct sl_block_meta *m,
				 struct sl_heap_block *out)
{
	*out = (struct sl_heap_block){
		.user = user, .size = m->size, .alloc_tid = m->alloc_tid,
		.free_tid = m->free_tid, .alloc_stack = m->alloc_stack,
		.free_stack = m->free_stack, .alloc_epoch = m->alloc_epoch,
		.freed = meta_state(m) != HEADER_LIVE,
	};
}

/* packed */
#define PACKED_LIVE 1u
#define PACKED_FREED 2u
#define PACKED_TID_UNKNOWN 0x1fffu
_Static_assert(SL_MAX_THREADS < PACKED_TID_UNKNOWN, "a thread id fits 13 bits");
_Static_assert(SL_SPAN_MAX_SIZE < 512, "a span block's size fits 9 bits");

static inline uint64_t packed_tid(uint16_t tid)
{
	return tid == TID_UNKNOWN ? PACKED_TID_UNKNOWN : tid;
}
static inline uint16_t unpacked_tid(uint64_t bits)
{
	bits &= 0x1fff;
	return bits == PACKED_TID_UNKNOWN ? TID_UNKNOWN : (uint16_t)bits;
}
static inline uint64_t packed_head(unsigned state, size_t size, uint16_t alloc_tid,
				   uint16_t free_tid)
{
	return state | size << 2 | packed_tid(alloc_tid) << 11 | packed_tid(free_tid) << 24;
}
static inline unsigned packed_state(uint64_t head) { return head & 3; }
static inline size_t packed_size(uint64_t head) { return (head >> 2) & 0x1ff; }
static inline uint16_t packed_alloc_tid(uint64_t head) { return unpacked_tid(head >> 11); }
static inline uint16_t packed_free_tid(uint64_t head) { return unpacked_tid(head >> 24); }

/* ---- either */

struct block_rec {
	struct sl_block_meta *wide;       /* exactly one is set */
	struct sl_span_record *packed;
};

/* The block is live from now on, allocated by tid at epoch from stack;
 * offset: of the user pointer into glibc's block (wide only). */
static SL_ALWAYS_INLINE void rec_note_alloc(struct block_rec r, uint32_t offset, size_t size,
					    uint16_t tid, uint32_t epoch, sl_stack_id stack)
{
	if (r.packed) {
		atomic_store_explicit(&r.packed->when, (uint64_t)stack << 32 | epoch,
				      memory_order_relaxed);
		atomic_store_explicit(&r.packed->head,
				      packed_head(PACKED_LIVE, size, tid, TID_UNKNOWN),
				      memory_order_release);
		return;
	}
	struct sl_block_meta *m = r.wide;
	m->size = size;
	m->free_tid = TID_UNKNOWN;
	m->free_stack = 0;
	m->alloc_tid = tid;
	m->alloc_epoch = epoch;
	m->alloc_stack = stack;
	atomic_store_explicit(&m->head, meta_head(offset, HEADER_LIVE), memory_order_release);
}

static inline size_t rec_size(struct block_rec r)
{
	return r.packed ? packed_size(atomic_load_explicit(&r.packed->head, memory_order_relaxed))
			: r.wide->size;
}

/* A packed record's two words, read. */
static inline void describe_packed(uintptr_t user, uint64_t head, uint64_t when,
				   struct sl_heap_block *out)
{
	bool freed = packed_state(head) != PACKED_LIVE;
	*out = (struct sl_heap_block){
		.user = user, .size = packed_size(head),
		.alloc_tid = packed_alloc_tid(head), .free_tid = packed_free_tid(head),
		.alloc_stack = (sl_stack_id)(when >> 32),
		.free_stack = freed ? (sl_stack_id)when : 0,
		.alloc_epoch = freed ? 0 : (uint32_t)when,   /* the free's stack took its place */
		.freed = freed,
	};
}

static inline void rec_describe(struct block_rec r, uintptr_t user, struct sl_heap_block *out)
{
	if (!r.packed) {
		describe_meta(user, r.wide, out);
		return;
	}
	describe_packed(user, atomic_load_explicit(&r.packed->head, memory_order_relaxed),
			atomic_load_explicit(&r.packed->when, memory_order_relaxed), out);
}

/* The free by tid from stack: false if the block was not live (a double
 * free, for the caller to describe). Else *b describes the block as
 * allocated and *alloc_epoch is the allocation's epoch. */
static SL_ALWAYS_INLINE bool rec_mark_freed(struct block_rec r, uintptr_t user, uint16_t tid,
					    sl_stack_id stack, struct sl_heap_block *b,
					    uint32_t *alloc_epoch)
{
	if (r.packed) {
		uint64_t head = atomic_load_explicit(&r.packed->head, memory_order_relaxed);
		if (packed_state(head) != PACKED_LIVE)
			return false;
		/* (free tid was unknown: its bits are all set) */
		uint64_t freed = (head ^ PACKED_LIVE ^ PACKED_FREED) &
				 ~((PACKED_TID_UNKNOWN ^ packed_tid(tid)) << 24);
		if (!atomic_compare_exchange_strong(&r.packed->head, &head, freed))
			return false;
		uint64_t when = atomic_load_explicit(&r.packed->when, memory_order_relaxed);
		*alloc_epoch = (uint32_t)when;
		/* (not describe_packed: here the free's fields are known, and
		 * decoding them cost focused frees 0.5-1%) */
		*b = (struct sl_heap_block){
			.user = user, .size = packed_size(head),
			.alloc_tid = packed_alloc_tid(head), .free_tid = TID_UNKNOWN,
			.alloc_stack = (sl_stack_id)(when >> 32), .freed = true,
		};
		atomic_store_explicit(&r.packed->when, (when & ~0xffffffffull) | stack,
				      memory_order_relaxed);
		return true;
	}
	struct sl_block_meta *m = r.wide;
	uint64_t head = atomic_load_explicit(&m->head, memory_order_relaxed);
	if (head_state(head) != HEADER_LIVE ||
	    !atomic_compare_exchange_strong(&m->head, &head, with_state(head, HEADER_FREED)))
		return false;
	describe_meta(user, m, b);
	*alloc_epoch = m->alloc_epoch;
	m->free_tid = tid;
	m->free_stack = stack;
	return true;
}

static inline const void *rec_address(struct block_rec r)
{
	return r.packed ? (const void *)r.packed : (const void *)r.wide;
}

/* The block leaves the quarantine (no other thread can reach the record
 * now): forget it. Returns the head before, for glibc's offset. */
static SL_ALWAYS_INLINE uint64_t rec_forget(struct block_rec r)
{
	if (!r.packed)
		return set_meta_state(r.wide, 0);
	uint64_t head = atomic_load_explicit(&r.packed->head, memory_order_relaxed);
	atomic_store_explicit(&r.packed->head, head & ~3ull, memory_order_relaxed);
	return head;
}

#endif
