/* SPDX-License-Identifier: Apache-2.0 */
/* Vector clocks. Each entry holds two epochs of one thread: up to `w` its
 * writes are ordered before us, up to `r` its reads are. They differ only
 * after smp_wmb(), which releases a thread's earlier writes but not its
 * earlier reads (LKMM); everywhere else w == r. */
#ifndef SLABSAN_CLOCK_H
#define SLABSAN_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct sl_thread;
struct sl_vc_entry { uint32_t w, r; };
/* Stored as two lanes: w always, r only once some entry's r differs from
 * its w ("split": only smp_wmb() does that). A C11 program's joins and
 * copies then move 4 bytes per thread, not 8: with 256 threads the join of
 * every mutex acquire was a fifth of the time. */
struct sl_vclock {
	uint32_t size;              /* entries in use; missing ones are 0 */
	uint32_t cap;
	uint32_t *w;
	uint32_t *r;                /* storage, NULL until first split */
	bool split;                 /* r[] holds the read lane; else r == w */
};

/* One lane of tid's entry: up to which of its writes (or reads) c covers. */
static inline uint32_t sl_vclock_lane(const struct sl_vclock *c, uint32_t tid, bool write)
{
	if (tid >= c->size)
		return 0;
	return !write && c->split ? c->r[tid] : c->w[tid];
}
static inline struct sl_vc_entry sl_vclock_get(const struct sl_vclock *c, uint32_t tid)
{
	return (struct sl_vc_entry){sl_vclock_lane(c, tid, true), sl_vclock_lane(c, tid, false)};
}
static inline bool sl_vclock_empty(const struct sl_vclock *c) { return c->size == 0; }

void sl_vclock_set_slow(struct sl_vclock *c, uint32_t tid, struct sl_vc_entry v);
static inline void sl_vclock_set(struct sl_vclock *c, uint32_t tid, struct sl_vc_entry v)
{
	if (__builtin_expect(tid < c->size && !c->split && v.w == v.r, 1))
		c->w[tid] = v.w;
	else
		sl_vclock_set_slow(c, tid, v);
}
/* Every acquire joins a clock and every release copies one: a few
 * threads' clocks, the usual case, inline; longer ones, a dst too short
 * and read lanes out of line (clock.c). */
#define SL_VCLOCK_SHORT 8u
void sl_vclock_join_out(struct sl_vclock *dst, const struct sl_vclock *src);
void sl_vclock_copy_out(struct sl_vclock *dst, const struct sl_vclock *src);

static inline void sl_vclock_join(struct sl_vclock *dst, const struct sl_vclock *src)
{
	uint32_t n = src->size;
	if (__builtin_expect(n > SL_VCLOCK_SHORT || n > dst->size || src->split || dst->split, 0)) {
		sl_vclock_join_out(dst, src);
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		if (src->w[i] > dst->w[i])
			dst->w[i] = src->w[i];
}

static inline void sl_vclock_copy(struct sl_vclock *dst, const struct sl_vclock *src)
{
	uint32_t n = src->size;
	if (__builtin_expect(n > SL_VCLOCK_SHORT || n > dst->cap || src->split, 0)) {
		sl_vclock_copy_out(dst, src);
		return;
	}
	dst->size = n;
	dst->split = false;
	for (uint32_t i = 0; i < n; i++)
		dst->w[i] = src->w[i];
}
void sl_vclock_clear(struct sl_vclock *c);
void sl_vclock_destroy(struct sl_vclock *c);

#endif
