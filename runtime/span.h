/* SPDX-License-Identifier: Apache-2.0 */
/* The heap's small blocks: size classes in spans of our own (span.c).
 *
 *   region   spans of 1 MiB (the shadow's chunk), each of one size class
 *            (16, 32, ... 256 bytes), blocks packed from the span's start
 *   records  beside it, 1 MiB per span: the 16-byte record of block i of
 *            span s at records + s * 1 MiB + i * 16
 *
 * heap.c asks sl_span_owns() which allocator a block came from, and finds a
 * span block's record with sl_span_record() (its format: block_record.h).
 */
#ifndef SLABSAN_SPAN_H
#define SLABSAN_SPAN_H

#include "shadow.h"

#define SL_SPAN_MAX_SIZE (SL_SPAN_CLASSES * SL_GRANULE)
#define SL_SPAN_SHIFT SL_CHUNK_SHIFT
#define SL_SPAN_REGION (16ull << 30)
#define SL_SPAN_COUNT (SL_SPAN_REGION >> SL_SPAN_SHIFT)
/* a span's records: 1 MiB / 16-byte blocks * 16 bytes */
#define SL_SPAN_RECORDS_SHIFT SL_SPAN_SHIFT
/* block index = offset * reciprocal >> 40, with reciprocal = ceil(2^40 /
 * size): exact while offset * (size - 1) < 2^40, far beyond a span */
#define SL_SPAN_RECIPROCAL_SHIFT 40

/* A span block's record (block_record.h has the fields' layout). */
struct sl_span_record {
	_Atomic uint64_t head, when;
};
_Static_assert(sizeof(struct sl_span_record) << SL_SPAN_SHIFT >> 4 ==
	       1ull << SL_SPAN_RECORDS_SHIFT, "a span of 16-byte blocks fills its records");

struct sl_spans {
	/* the region's start; until it is reserved, an address no pointer
	 * is above by less than SL_SPAN_REGION, so sl_span_owns() says no */
	_Atomic uintptr_t base;
	uintptr_t records;
	uint64_t reciprocal[SL_SPAN_CLASSES];
	_Atomic uint8_t size_class[SL_SPAN_COUNT];
};
extern struct sl_spans sl_spans;

static SL_ALWAYS_INLINE bool sl_span_owns(uintptr_t p)
{
	return p - atomic_load_explicit(&sl_spans.base, memory_order_relaxed) < SL_SPAN_REGION;
}

/* The size class of the span at offset (into the region). */
static SL_ALWAYS_INLINE unsigned sl_span_class_at(uintptr_t offset)
{
	return atomic_load_explicit(&sl_spans.size_class[offset >> SL_SPAN_SHIFT],
				    memory_order_relaxed);
}

/* p: a block start that sl_span_owns() */
static SL_ALWAYS_INLINE struct sl_span_record *sl_span_record(uintptr_t p)
{
	uintptr_t offset = p - atomic_load_explicit(&sl_spans.base, memory_order_relaxed);
	uintptr_t span = offset >> SL_SPAN_SHIFT;
	unsigned c = sl_span_class_at(offset);
	uint64_t index = ((offset & ((1ull << SL_SPAN_SHIFT) - 1)) * sl_spans.reciprocal[c]) >>
			 SL_SPAN_RECIPROCAL_SHIFT;
	return (struct sl_span_record *)(sl_spans.records + (span << SL_SPAN_RECORDS_SHIFT)) + index;
}

#define SL_SPAN_BATCH 32u

/* Fresh blocks: [next, end) of a span. */
struct sl_span_run {
	uintptr_t next, end;
};

/* A thread's blocks of one class: free ones in its array, then a chain it
 * took from the central list, then its run of fresh ones (span.c). */
struct sl_span_magazine {
	uint32_t n;
	uintptr_t chain;
	struct sl_span_run run;
	uint32_t runs;              /* taken so far: the next is bigger */
	uintptr_t block[2 * SL_SPAN_BATCH];
};

static SL_ALWAYS_INLINE unsigned sl_span_class_of(size_t size)
{
	return size ? (unsigned)((size - 1) >> SL_GRANULE_SHIFT) : 0;
}

void *sl_span_alloc_slow(struct sl_thread *thr, unsigned c);
void sl_span_free_slow(struct sl_thread *thr, unsigned c, uintptr_t p);

/* A block of size bytes (<= SL_SPAN_MAX_SIZE, 16-byte aligned), or NULL when
 * the region is used up or cannot be reserved (heap.c then asks glibc).
 * thr (NULL: none yet) keeps free blocks per class. Inline: the usual
 * malloc pops its thread's array. */
static SL_ALWAYS_INLINE void *sl_span_alloc(struct sl_thread *thr, size_t size)
{
	unsigned c = sl_span_class_of(size);
	struct sl_span_magazine *m = thr ? thr->span_magazine[c] : NULL;
	if (sl_likely(m && m->n))
		return (void *)m->block[--m->n];
	return sl_span_alloc_slow(thr, c);
}

/* p: a block of ours, back for reuse. */
static SL_ALWAYS_INLINE void sl_span_free(struct sl_thread *thr, uintptr_t p)
{
	uintptr_t offset = p - atomic_load_explicit(&sl_spans.base, memory_order_relaxed);
	unsigned c = sl_span_class_at(offset);
	struct sl_span_magazine *m = thr ? thr->span_magazine[c] : NULL;
	if (sl_likely(m && m->n < 2 * SL_SPAN_BATCH)) {
		m->block[m->n++] = p;
		return;
	}
	sl_span_free_slow(thr, c, p);
}
/* The thread's free blocks and its runs go to the central lists: when it
 * finishes (thread.c), and when it is destroyed (heap.c), for what it
 * freed after its finish. */
void sl_span_thread_gone(struct sl_thread *gone);

#endif
