// SPDX-License-Identifier: Apache-2.0
/* The heap's small blocks (layout: span.h). Why our own: glibc gives a
 * 16-byte object a 32-byte chunk, and every 16 bytes of heap cost 32 of
 * shadow, so packed blocks with 16-byte records in a side array take 64
 * bytes per 16-byte object where glibc's chunk, its shadow and the
 * metadata in the header's shadow took 96 (docs/performance.md).
 *
 * Fresh blocks: each thread carves its own run of a span, so that what
 * one thread allocates in a row lies in a row, as in glibc's per-thread
 * arenas. A thread's first run of a class is FIRST_RUN bytes, each next
 * one twice the last up to MAX_RUN: 256 threads that allocate a little
 * each then share a span, whose shadow the first of them made dense
 * (shadow.c) with 64 KiB runs from the start (threads/256 full: 153 MiB
 * against glibc's 84, when each thread's run filled a state page of
 * 16 spans). Blocks come out in address order, for the same
 * reason: a list built by malloc, and its shadow, then stream through
 * memory for the hardware prefetcher (live/1e7, medians of 5: 3.8 s with
 * one shared run handed out in batches of 32, descending, against glibc's
 * 3.5; 2.9 s with a run per thread, in order, against glibc's 3.3).
 *
 * Free blocks: a thread keeps up to two batches per class in an array, not
 * in a list threaded through them: a block leaves the quarantine long
 * after its free, and a link word in it would be one more cache miss per
 * free. Beyond that a batch moves to the class's central list, and there
 * it is threaded through its blocks after all (nodes of our own cost 8
 * bytes per free block: 150 MiB of live/1e7 once its consumer thread had
 * freed its half). A thread that runs out of blocks takes a whole chain
 * from the central list (one pointer under the lock) and pops it a block
 * at a time, reading a link in a line malloc's caller is about to touch
 * anyway; freed memory is reused before fresh memory is carved. Memory
 * goes back to the system only at exit, as with ThreadSanitizer's
 * allocator: the quarantine is what holds freed memory back, and it is
 * bounded. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "span.h"

#define BATCH SL_SPAN_BATCH
#define FIRST_RUN (4u << 10)
#define MAX_RUN (64u << 10)
_Static_assert(FIRST_RUN << 4 == MAX_RUN, "a thread's runs double four times");
#define LEFTOVER_RUNS 8u

struct sl_spans sl_spans = {.base = (uintptr_t)0 - SL_SPAN_REGION};

/* A free block on a chain: the next block of its chain and, in a chain's
 * first block, the next chain of the central list. Every block has room:
 * the smallest class is 16 bytes. Both are stored XORed with link_key
 * (as glibc's safe-linking does), so that a pointer the program writes
 * into a freed block after the quarantine let it go does not read back as
 * a plausible link, and hand a live block out twice. */
struct chain_link {
	uintptr_t next_block, next_chain;
};
static uintptr_t link_key;

/* Per class, under span_lock. */
static struct {
	uintptr_t chains;                             /* chains of free blocks */
	struct sl_span_run span;                      /* the rest of its newest span */
	struct sl_span_run leftover[LEFTOVER_RUNS];   /* runs of threads that are gone */
	uint32_t leftovers;
} central[SL_SPAN_CLASSES];
static _Atomic uint32_t spans_used;
static bool region_unavailable;
SL_GLOBAL_LOCK(span_lock);

/* (read outside the lock by checked_link) */
static uint32_t spans_used_now(void)
{
	return atomic_load_explicit(&spans_used, memory_order_relaxed);
}

static size_t class_size(unsigned c) { return (size_t)(c + 1) << 4; }
static struct chain_link *link_of(uintptr_t block) { return (struct chain_link *)block; }

/* Under span_lock: the region and its records, at the first small block. */
static bool reserve_region(void)
{
	if (region_unavailable)
		return false;
	if (atomic_load_explicit(&sl_spans.base, memory_order_relaxed) != (uintptr_t)0 - SL_SPAN_REGION)
		return true;
	size_t records = SL_SPAN_COUNT << SL_SPAN_RECORDS_SHIFT;
	void *p = sl_raw_mmap(NULL, SL_SPAN_REGION + records, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
	if (p == MAP_FAILED) {
		region_unavailable = true;   /* glibc serves every block */
		sl_note_once("cannot reserve %llu GiB of address space for small heap blocks "
			     "(%s); glibc's malloc serves them, with more memory per block",
			     (unsigned long long)(SL_SPAN_REGION + records) >> 30, strerror(errno));
		return false;
	}
	for (unsigned c = 0; c < SL_SPAN_CLASSES; c++)
		sl_spans.reciprocal[c] = ((1ull << SL_SPAN_RECIPROCAL_SHIFT) + class_size(c) - 1) /
					 class_size(c);
	sl_spans.records = (uintptr_t)p + SL_SPAN_REGION;
	/* (where ASLR put the stack and the region: not secret, just not a
	 * value a program would store) */
	link_key = ((uintptr_t)&p ^ (uintptr_t)p << 7) * 0x9e3779b97f4a7c15ull;
	atomic_store_explicit(&sl_spans.base, (uintptr_t)p, memory_order_release);
	return true;
}

/* Under span_lock: the class's current span has room, a new one if need
 * be. False when the region is used up. */
static bool span_has_room(unsigned c)
{
	struct sl_span_run *span = &central[c].span;
	if (span->next < span->end)
		return true;
	uint32_t s = spans_used_now();
	if (!reserve_region())
		return false;
	if (s == SL_SPAN_COUNT) {
		sl_note_once("the %llu GiB region for small heap blocks is used up; glibc's "
			     "malloc serves further ones", (unsigned long long)SL_SPAN_REGION >> 30);
		return false;
	}
	atomic_store_explicit(&sl_spans.size_class[s], (uint8_t)c, memory_order_relaxed);
	atomic_store_explicit(&spans_used, s + 1, memory_order_relaxed);
	size_t size = class_size(c);
	span->next = atomic_load_explicit(&sl_spans.base, memory_order_relaxed) +
		     ((uintptr_t)s << SL_SPAN_SHIFT);
	span->end = span->next + ((1u << SL_SPAN_SHIFT) / size) * size;
	return true;
}

/* Up to `want` blocks of `size` from r into out[], highest first (arrays
 * pop from the top, so they come out in address order). */
static uint32_t carve(struct sl_span_run *r, size_t size, uintptr_t *out, uint32_t want)
{
	size_t left = (r->end - r->next) / size;
	uint32_t n = left < want ? (uint32_t)left : want;
	for (uint32_t i = 0; i < n; i++)
		out[n - 1 - i] = r->next + i * size;
	r->next += n * size;
	return n;
}

/* Under span_lock: a new run for m, a gone thread's first. */
static bool new_run(unsigned c, struct sl_span_magazine *m)
{
	struct sl_span_run *r = &m->run;
	if (central[c].leftovers) {
		*r = central[c].leftover[--central[c].leftovers];
		return true;
	}
	if (!span_has_room(c))
		return false;
	struct sl_span_run *span = &central[c].span;
	size_t bytes = m->runs < 4 ? FIRST_RUN << m->runs++ : MAX_RUN;
	bytes = bytes < class_size(c) ? class_size(c) : bytes / class_size(c) * class_size(c);
	r->next = span->next;
	r->end = span->end - span->next > bytes ? span->next + bytes : span->end;
	span->next = r->end;
	return true;
}

/* thr's magazine of class c, made at its first use (NULL: no thread) */
static struct sl_span_magazine *magazine(struct sl_thread *thr, unsigned c)
{
	if (!thr)
		return NULL;
	if (sl_unlikely(!thr->span_magazine[c]))
		thr->span_magazine[c] = sl_alloc(sizeof *thr->span_magazine[c]);
	return thr->span_magazine[c];
}

/* A link read from a free block: 0, or a block of class c. Anything else
 * was written after the free by a program the quarantine no longer
 * watched (quarantine_size_mb=0, or long after): the rest of that chain or
 * list is dropped, not followed, and its blocks stay unused. */
static uintptr_t checked_link(unsigned c, uintptr_t stored)
{
	uintptr_t link = stored ^ link_key;
	if (!link)
		return 0;
	uintptr_t offset = link - atomic_load_explicit(&sl_spans.base, memory_order_relaxed);
	if (offset >= SL_SPAN_REGION || offset >> SL_SPAN_SHIFT >= spans_used_now() ||
	    sl_span_class_at(offset) != c)
		return 0;
	return link;
}

/* The first block of a chain; *chain becomes the others. */
static uintptr_t pop_chain(unsigned c, uintptr_t *chain)
{
	uintptr_t block = *chain;
	*chain = checked_link(c, link_of(block)->next_block);
	return block;
}

/* Under span_lock: the chain from `first` onto class c's central list. */
static void push_chain(unsigned c, uintptr_t first)
{
	link_of(first)->next_chain = central[c].chains ^ link_key;
	central[c].chains = first;
}

/* Under span_lock: the central list's next chain, or 0. */
static uintptr_t take_chain(unsigned c)
{
	uintptr_t chain = central[c].chains;
	if (chain)
		central[c].chains = checked_link(c, link_of(chain)->next_chain);
	return chain;
}

/* Thread the n blocks into a chain; returns its first block. */
static uintptr_t make_chain(const uintptr_t *block, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		link_of(block[i])->next_block = (i + 1 < n ? block[i + 1] : 0) ^ link_key;
	return block[0];
}

/* A block for a caller with no thread (yet): one at a time, under the lock. */
static void *alloc_without_thread(unsigned c)
{
	uintptr_t block = 0;
	sl_spin_lock(&span_lock);
	uintptr_t chain = take_chain(c);
	if (chain) {
		block = pop_chain(c, &chain);
		if (chain)
			push_chain(c, chain);
	} else if (span_has_room(c)) {
		carve(&central[c].span, class_size(c), &block, 1);
	}
	sl_spin_unlock(&span_lock);
	return (void *)block;
}

/* m's array is empty: a block from its chain, else the central list's next
 * chain, else a batch from its run (a new run if that is used up). */
static void *refill(struct sl_span_magazine *m, unsigned c)
{
	if (m->chain)
		return (void *)pop_chain(c, &m->chain);
	sl_spin_lock(&span_lock);
	m->chain = take_chain(c);
	bool fresh = m->chain || m->run.next < m->run.end || new_run(c, m);
	sl_spin_unlock(&span_lock);
	if (m->chain)
		return (void *)pop_chain(c, &m->chain);
	if (!fresh)
		return NULL;
	m->n = carve(&m->run, class_size(c), m->block, BATCH);
	return (void *)m->block[--m->n];
}

/* sl_span_alloc() found no block in thr's array of class c (or no array,
 * or no thread). */
void *sl_span_alloc_slow(struct sl_thread *thr, unsigned c)
{
	struct sl_span_magazine *m = magazine(thr, c);
	return m ? refill(m, c) : alloc_without_thread(c);
}

/* m (NULL: no thread) has no room for p: a batch of m's (threaded outside
 * the lock) or p alone goes to the central list. */
static void spill(struct sl_span_magazine *m, unsigned c, uintptr_t p)
{
	uintptr_t first = p;
	if (m) {
		m->n -= BATCH;
		first = make_chain(&m->block[m->n], BATCH);
		m->block[m->n++] = p;
	} else {
		link_of(p)->next_block = link_key;   /* 0, encoded */
	}
	sl_spin_lock(&span_lock);
	push_chain(c, first);
	sl_spin_unlock(&span_lock);
}

/* sl_span_free() found thr's array of class c full (or none, or no
 * thread). */
void sl_span_free_slow(struct sl_thread *thr, unsigned c, uintptr_t p)
{
	struct sl_span_magazine *m = magazine(thr, c);
	if (m && m->n < 2 * BATCH) {   /* the array was just made */
		m->block[m->n++] = p;
		return;
	}
	spill(m, c, p);
}

/* Everything the gone thread kept goes central; a run when there is room
 * for it (else its untouched rest stays unused: address space only). */
void sl_span_thread_gone(struct sl_thread *gone)
{
	for (unsigned c = 0; c < SL_SPAN_CLASSES; c++) {
		struct sl_span_magazine *m = gone->span_magazine[c];
		if (!m)
			continue;
		uintptr_t array = m->n ? make_chain(m->block, m->n) : 0;
		sl_spin_lock(&span_lock);
		if (array)
			push_chain(c, array);
		if (m->chain)
			push_chain(c, m->chain);
		if (m->run.next < m->run.end && central[c].leftovers < LEFTOVER_RUNS)
			central[c].leftover[central[c].leftovers++] = m->run;
		sl_spin_unlock(&span_lock);
		sl_free(m, sizeof *m);
		gone->span_magazine[c] = NULL;
	}
}
