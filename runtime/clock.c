// SPDX-License-Identifier: Apache-2.0
/* Vector clock arithmetic. Clocks grow to the highest thread id they have
 * heard of; their storage comes from the runtime's own allocator. */
#include <string.h>

#include "internal.h"

static void reserve(struct sl_vclock *c, uint32_t size)
{
	if (size <= c->cap)
		return;
	uint32_t cap = c->cap ? c->cap : 8;
	while (cap < size)
		cap *= 2;
	struct sl_vc_entry *e = sl_alloc(cap * sizeof *e);
	if (c->size)
		memcpy(e, c->e, c->size * sizeof *e);
	if (c->e)
		sl_free(c->e, c->cap * sizeof *e);
	c->e = e;
	c->cap = cap;
}

static void grow(struct sl_vclock *c, uint32_t size)
{
	if (size <= c->size)
		return;
	reserve(c, size);
	memset(c->e + c->size, 0, (size - c->size) * sizeof *c->e);
	c->size = size;
}

void sl_vclock_set_slow(struct sl_vclock *c, uint32_t tid, struct sl_vc_entry v)
{
	grow(c, tid + 1);
	c->e[tid] = v;
}

/* GCC vectorizes loops only at -O3; clang does at -O2 and knows no
 * optimize attribute (it would warn and ignore it). */
#if defined(__GNUC__) && !defined(__clang__)
#define VECTORIZED __attribute__((optimize("O3")))
#else
#define VECTORIZED
#endif

/* With many threads every acquire joins a long clock: the per-lane max over
 * both halves of each entry is written without branches so that the
 * compiler turns it into vector code. */
VECTORIZED
void sl_vclock_join(struct sl_vclock *dst, const struct sl_vclock *src)
{
	if (src->size == 0)
		return;
	if (sl_unlikely(src->size > dst->size))
		grow(dst, src->size);
	_Static_assert(sizeof(struct sl_vc_entry) == 2 * sizeof(uint32_t), "two lanes per entry");
	uint32_t *restrict d = (uint32_t *)dst->e;
	const uint32_t *restrict s = (const uint32_t *)src->e;
	for (uint32_t i = 0, n = 2 * src->size; i < n; i++)
		d[i] = s[i] > d[i] ? s[i] : d[i];
}

void sl_vclock_copy(struct sl_vclock *dst, const struct sl_vclock *src)
{
	reserve(dst, src->size);
	if (src->size)
		memcpy(dst->e, src->e, src->size * sizeof *src->e);
	dst->size = src->size;
}

void sl_vclock_clear(struct sl_vclock *c)
{
	c->size = 0;
}

void sl_vclock_destroy(struct sl_vclock *c)
{
	if (c->e)
		sl_free(c->e, c->cap * sizeof *c->e);
	c->e = NULL;
	c->size = c->cap = 0;
}
