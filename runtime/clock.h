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
struct sl_vclock {
	uint32_t size;              /* entries in use; missing ones are 0 */
	uint32_t cap;
	struct sl_vc_entry *e;
};

static inline struct sl_vc_entry sl_vclock_get(const struct sl_vclock *c, uint32_t tid)
{
	struct sl_vc_entry none = {0, 0};
	return tid < c->size ? c->e[tid] : none;
}
static inline bool sl_vclock_empty(const struct sl_vclock *c) { return c->size == 0; }

void sl_vclock_set_slow(struct sl_vclock *c, uint32_t tid, struct sl_vc_entry v);
static inline void sl_vclock_set(struct sl_vclock *c, uint32_t tid, struct sl_vc_entry v)
{
	if (__builtin_expect(tid < c->size, 1))
		c->e[tid] = v;
	else
		sl_vclock_set_slow(c, tid, v);
}
void sl_vclock_join(struct sl_vclock *dst, const struct sl_vclock *src);
void sl_vclock_copy(struct sl_vclock *dst, const struct sl_vclock *src);
void sl_vclock_clear(struct sl_vclock *c);
void sl_vclock_destroy(struct sl_vclock *c);

#endif
