// SPDX-License-Identifier: Apache-2.0
/* Vector clock arithmetic. Clocks grow to the highest thread id they have
 * heard of; their storage comes from the runtime's own allocator. */
#include <string.h>

#include "internal.h"

static uint32_t *lane_realloc(uint32_t *old, uint32_t old_cap, uint32_t cap, uint32_t keep)
{
	uint32_t *lane = sl_alloc(cap * sizeof *lane);
	if (keep)
		memcpy(lane, old, keep * sizeof *lane);
	if (old)
		sl_free(old, old_cap * sizeof *old);
	return lane;
}

static SL_NOINLINE void reserve_more(struct sl_vclock *c, uint32_t size)
{
	uint32_t cap = c->cap ? c->cap : 8;
	while (cap < size)
		cap *= 2;
	c->w = lane_realloc(c->w, c->cap, cap, c->size);
	if (c->r || c->split)
		c->r = lane_realloc(c->r, c->cap, cap, c->split ? c->size : 0);
	c->cap = cap;
}

static SL_ALWAYS_INLINE void reserve(struct sl_vclock *c, uint32_t size)
{
	if (sl_unlikely(size > c->cap))
		reserve_more(c, size);
}

static void grow(struct sl_vclock *c, uint32_t size)
{
	if (size <= c->size)
		return;
	reserve(c, size);
	memset(c->w + c->size, 0, (size - c->size) * sizeof *c->w);
	if (c->split)
		memset(c->r + c->size, 0, (size - c->size) * sizeof *c->r);
	c->size = size;
}

/* Give c its own read lane, equal to the write lane so far. */
static void split(struct sl_vclock *c)
{
	if (c->split)
		return;
	if (!c->r && c->cap)
		c->r = sl_alloc(c->cap * sizeof *c->r);
	if (c->size)
		memcpy(c->r, c->w, c->size * sizeof *c->r);
	c->split = true;
}

void sl_vclock_set_slow(struct sl_vclock *c, uint32_t tid, struct sl_vc_entry v)
{
	grow(c, tid + 1);
	if (v.r != v.w)
		split(c);
	c->w[tid] = v.w;
	if (c->split)
		c->r[tid] = v.r;
}

/* GCC vectorizes loops only at -O3; clang does at -O2 and knows no
 * optimize attribute (it would warn and ignore it). */
#if defined(__GNUC__) && !defined(__clang__)
#define VECTORIZED __attribute__((optimize("O3")))
#else
#define VECTORIZED
#endif

static VECTORIZED void join_long_lane(uint32_t *restrict d, const uint32_t *restrict s,
				      uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		d[i] = s[i] > d[i] ? s[i] : d[i];
}

/* With many threads every acquire joins a long clock: the per-lane max is
 * written without branches so that the compiler turns it into vector code.
 * (A few threads' clocks are shorter than the vector loop's set-up.) */
static void join_lane(uint32_t *restrict d, const uint32_t *restrict s, uint32_t n)
{
	if (n > SL_VCLOCK_SHORT) {
		join_long_lane(d, s, n);
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		if (s[i] > d[i])
			d[i] = s[i];
}

/* Any join: a long clock, a dst to lengthen, read lanes. */
void sl_vclock_join_out(struct sl_vclock *dst, const struct sl_vclock *src)
{
	if (src->size > dst->size)
		grow(dst, src->size);
	if (src->split)
		split(dst);
	join_lane(dst->w, src->w, src->size);
	if (dst->split)
		join_lane(dst->r, src->split ? src->r : src->w, src->size);
}

/* Any copy: a long clock, more room, a read lane. */
void sl_vclock_copy_out(struct sl_vclock *dst, const struct sl_vclock *src)
{
	reserve(dst, src->size);
	dst->size = src->size;
	dst->split = false;
	if (src->size)
		memcpy(dst->w, src->w, src->size * sizeof *src->w);
	if (src->split) {
		split(dst);
		memcpy(dst->r, src->r, src->size * sizeof *src->r);
	}
}

void sl_vclock_clear(struct sl_vclock *c)
{
	c->size = 0;
	c->split = false;
}

void sl_vclock_destroy(struct sl_vclock *c)
{
	if (c->w)
		sl_free(c->w, c->cap * sizeof *c->w);
	if (c->r)
		sl_free(c->r, c->cap * sizeof *c->r);
	c->w = c->r = NULL;
	c->size = c->cap = 0;
	c->split = false;
}
