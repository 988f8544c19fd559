// SPDX-License-Identifier: Apache-2.0
/* Shadow memory mapping and bulk operations (layout: shadow.h). */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shadow.h"

struct sl_chunk *_Atomic *sl_shadow_l1;
static uintptr_t page_size;

void sl_shadow_init(void)
{
	page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
	size_t entries = (size_t)1 << (SL_APP_BITS - SL_CHUNK_SHIFT);
	sl_shadow_l1 = sl_mmap_reserve(entries * sizeof *sl_shadow_l1);
}

/* Huge pages for the granule array: dense shadow is walked with one TLB
 * entry per 2 MiB instead of a miss per access (live/1e6 ran 40% longer on
 * 4 KiB pages), but sparse shadow pays 2 MiB of RSS for every 2 MiB range
 * it touches at all: glibc gives each thread's arena its own region, so
 * threads/8 needed 44 MiB with huge pages everywhere and 21 MiB without.
 * So a chunk gets huge pages once it is known to be dense: a block of
 * SL_DENSE_BLOCK bytes or more, but not over DENSE_BLOCK_MAX, lies in it,
 * or block starts sit in
 * DENSE_PAGES of its state pages (3/4 of its MiB holds heap blocks), or
 * the chunk just below it is dense when it is mapped (heaps grow upward).
 * The state bytes and sync lists keep small pages. Chunks are aligned to
 * 2 MiB so that the kernel can use huge pages for them at all. */
#define HUGE_PAGE (2ul << 20)
/* A bigger block is not taken for dense: a table of that size is often
 * used sparsely (a 1 GiB calloc read every MiB touched 2 GiB of huge
 * shadow pages, ThreadSanitizer's 4 KiB shadow pages 4 MiB), and walking
 * one whole costs TLB misses, not memory. */
#define DENSE_BLOCK_MAX (64ul << 20)
#define DENSE_PAGES (SL_CHUNK_GRANULES / 4096 * 3 / 4)
_Static_assert(SL_CHUNK_GRANULES / 4096 <= 32, "one bit per state page");

static void make_dense(struct sl_chunk *c)
{
	/* Tracked records (focused mode) touch a granule only where an atomic
	 * or metadata access recorded: a huge page there is 2 MiB of RSS for a
	 * few slots (sqlite's threadtest3, focused: 31 of its 61 MiB). */
	if (sl_records_tracked())
		return;
	if (!atomic_load_explicit(&c->dense, memory_order_relaxed) &&
	    !atomic_exchange_explicit(&c->dense, true, memory_order_relaxed))
		madvise(c->granule, sizeof c->granule, MADV_HUGEPAGE);
}

static struct sl_chunk *map_chunk(uintptr_t addr)
{
	size_t size = sizeof(struct sl_chunk);
	uintptr_t raw = (uintptr_t)sl_mmap_reserve(size + HUGE_PAGE);
	uintptr_t start = (raw + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	if (start > raw)
		sl_raw_munmap((void *)raw, start - raw);
	uintptr_t end = raw + size + HUGE_PAGE, used = start + size;
	used = (used + 4095) & ~4095ul;
	if (end > used)
		sl_raw_munmap((void *)used, end - used);
	struct sl_chunk *c = (struct sl_chunk *)start;
	c->base = addr & ~((1ul << SL_CHUNK_SHIFT) - 1);
	struct sl_chunk *below = addr >= (1ul << SL_CHUNK_SHIFT) ?
		sl_shadow_chunk_if_mapped(addr - (1ul << SL_CHUNK_SHIFT)) : NULL;
	if (below && atomic_load_explicit(&below->dense, memory_order_relaxed))
		make_dense(c);
	return c;
}

/* c is the chunk of user, which the caller has at hand. */
void sl_shadow_note_block_slow(struct sl_chunk *c, uintptr_t user, size_t size)
{
	if (size >= SL_DENSE_BLOCK) {
		if (size > DENSE_BLOCK_MAX)
			return;
		for (uintptr_t a = user; a < user + size;
		     a = ((a >> SL_CHUNK_SHIFT) + 1) << SL_CHUNK_SHIFT)
			make_dense(sl_shadow_chunk(a));
		return;
	}
	uint32_t page = sl_state_page_bit(user);
	uint32_t pages = atomic_fetch_or_explicit(&c->block_pages, page, memory_order_relaxed) | page;
	if ((unsigned)__builtin_popcount(pages) >= DENSE_PAGES)
		make_dense(c);
}

/* Chunks start on a huge page and begin with their granules, which fill
 * one: a slot's chunk is its address rounded down. */
_Static_assert(sizeof(((struct sl_chunk *)0)->granule) == HUGE_PAGE, "granules fill a huge page");
uintptr_t sl_shadow_slot_addr(const _Atomic uint64_t *slot, uint64_t w0)
{
	const struct sl_chunk *c = (const struct sl_chunk *)((uintptr_t)slot & ~(HUGE_PAGE - 1));
	uintptr_t g = ((uintptr_t)slot - (uintptr_t)c->granule) / sizeof(struct sl_granule_shadow);
	return sl_w0_first_byte(w0, c->base + g * SL_GRANULE);
}

static void unmap_chunk(struct sl_chunk *c)
{
	sl_raw_munmap(c, (sizeof *c + 4095) & ~4095ul);
}

struct sl_chunk *sl_shadow_chunk_slow(uintptr_t addr)
{
	struct sl_chunk *_Atomic *entry = &sl_shadow_l1[(addr >> SL_CHUNK_SHIFT) &
		((1ull << (SL_APP_BITS - SL_CHUNK_SHIFT)) - 1)];
	struct sl_chunk *c = map_chunk(addr);
	struct sl_chunk *expected = NULL;
	if (!atomic_compare_exchange_strong(entry, &expected, c)) {
		unmap_chunk(c);               /* another thread won */
		return expected;
	}
	return c;
}

/* Shadow ranges from this size on are zeroed by giving their whole pages
 * back to the kernel, smaller ones by memset. A block's shadow is zeroed
 * when it leaves the quarantine, and the allocator usually hands the
 * block's memory out again soon, so every page given back faults in
 * again at the next access: zopfli (pigz -11), which frees and reuses
 * blocks of tens of KiB, took 153 thousand page faults with a 16 KiB
 * threshold against TSan's 36 thousand. 64 KiB of shadow (32 KiB of
 * heap) is ThreadSanitizer's choice too, and below glibc's threshold for
 * giving a freed block's own memory back. */
#define GIVE_BACK_FROM (64u << 10)

/* Zero [p, p+n) of shadow; keep_pages: in place, never given back. */
static void zero_shadow(void *p, size_t n, bool keep_pages)
{
	uintptr_t page = page_size;
	uintptr_t lo = (uintptr_t)p, hi = lo + n;
	uintptr_t plo = (lo + page - 1) & ~(page - 1), phi = hi & ~(page - 1);
	if (keep_pages || n < GIVE_BACK_FROM || plo >= phi) {
		memset(p, 0, n);
		return;
	}
	memset(p, 0, plo - lo);
	madvise((void *)plo, phi - plo, MADV_DONTNEED);
	memset((void *)phi, 0, hi - phi);
}

bool sl_granule_forget(struct sl_granule_shadow *gs, uint16_t bytes)
{
	bool left = false;
	for (unsigned i = 0; i < SL_SLOTS; i++) {
		uint64_t w0 = atomic_load_explicit(&gs->word0[i], memory_order_relaxed);
		if (!w0)
			continue;
		uint16_t mask = sl_w0_mask(w0);
		if (!sl_w0_is_marker(w0) && (mask & ~bytes)) {
			left = true;          /* another block's access: keep its bytes */
			if (mask & bytes)
				atomic_store_explicit(&gs->word0[i], sl_w0_with_mask(w0, mask & ~bytes),
						      memory_order_relaxed);
			continue;
		}
		atomic_store_explicit(&gs->word0[i], 0, memory_order_relaxed);
	}
	return left;
}

/* A granule [addr, end) covers only in part: its other bytes may belong to
 * a neighbouring object of a custom allocator, whose records stay. */
static void clear_part(uintptr_t g, uint16_t bytes, bool tracked)
{
	struct sl_chunk *c = sl_shadow_chunk_if_mapped(g);
	if (!c)
		return;
	uint32_t i = sl_granule_index(g);
	uint8_t st = atomic_load_explicit(&c->state[i], memory_order_relaxed);
	uint8_t keep = SL_GRANULE_SYNC;
	if ((!tracked || (st & SL_GRANULE_RECORDED)) && sl_granule_forget(&c->granule[i], bytes))
		keep |= SL_GRANULE_RECORDED;
	if (st & ~keep)
		atomic_fetch_and_explicit(&c->state[i], keep, memory_order_relaxed);
}

/* Granules [first, first + count) of chunk c, none shared with another
 * object. */
static void clear_in_chunk(struct sl_chunk *c, uint32_t first, uint32_t count, bool tracked,
			   bool keep_pages)
{
	if (!tracked)
		zero_shadow(&c->granule[first], count * sizeof c->granule[0], keep_pages);
	sl_shadow_clear_states(c, first, count, tracked);
}

static void clear_whole(uintptr_t a, uintptr_t end, bool tracked, bool keep_pages)
{
	while (a < end) {
		uintptr_t chunk_end = (a | ((1ul << SL_CHUNK_SHIFT) - 1)) + 1;
		uintptr_t stop = end < chunk_end ? end : chunk_end;
		struct sl_chunk *c = sl_shadow_chunk_if_mapped(a);
		if (c)                        /* else never touched: already clear */
			clear_in_chunk(c, sl_granule_index(a), (uint32_t)((stop - a) / SL_GRANULE),
				       tracked, keep_pages);
		a = stop;
	}
}

void sl_shadow_clear_granules_slow(struct sl_chunk *c, uintptr_t addr, size_t size)
{
	bool tracked = sl_records_tracked();
	uint32_t first = sl_granule_index(addr);
	if (size / SL_GRANULE <= SL_CHUNK_GRANULES - first)
		clear_in_chunk(c, first, (uint32_t)(size / SL_GRANULE), tracked, false);
	else
		clear_whole(addr, addr + size, tracked, false);
}

static void shadow_clear(uintptr_t addr, size_t size, bool keep_pages)
{
	bool tracked = sl_records_tracked();
	uintptr_t end = addr + size;
	uintptr_t lo = (addr + SL_GRANULE - 1) & ~(uintptr_t)(SL_GRANULE - 1);
	uintptr_t hi = end & ~(uintptr_t)(SL_GRANULE - 1);
	/* focused mode's usual block, in one chunk: nothing recorded or marked
	 * (sync bits stay anyway) */
	struct sl_chunk *c = sl_shadow_chunk_if_mapped(addr);
	uintptr_t first = addr & ~(uintptr_t)(SL_GRANULE - 1);
	if (tracked && c && size && ((first ^ (end - 1)) >> SL_CHUNK_SHIFT) == 0 &&
	    sl_granules_quiet(c, sl_granule_index(first),
			      (uint32_t)((end - first + SL_GRANULE - 1) >> SL_GRANULE_SHIFT),
			      SL_GRANULE_SYNC))
		return;
	if (lo > hi) {                        /* within one granule */
		clear_part(hi, sl_granule_bytes(hi, addr, end), tracked);
		return;
	}
	if (addr < lo)
		clear_part(lo - SL_GRANULE, sl_granule_bytes(lo - SL_GRANULE, addr, end), tracked);
	if (hi < end)
		clear_part(hi, sl_granule_bytes(hi, addr, end), tracked);
	clear_whole(lo, hi, tracked, keep_pages);
}

void sl_shadow_clear(uintptr_t addr, size_t size) { shadow_clear(addr, size, false); }
void sl_shadow_clear_reused(uintptr_t addr, size_t size) { shadow_clear(addr, size, true); }
