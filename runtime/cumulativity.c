// SPDX-License-Identifier: Apache-2.0
/* memory_model=lkmm: A-cumulativity. In the kernel's model a release store
 * (smp_store_release, a release RMW) orders before its readers not only what
 * its own thread did before it, but also each store that thread *read*
 * before it (cumul-fence: "rfe? ; po-rel"):
 *
 *   P0: WRITE_ONCE(*x, 1)   P1: r = READ_ONCE(*x)      P2: smp_load_acquire(y)
 *                               smp_store_release(y, 1)    *x = 3   (no race)
 *
 * A clock cannot carry that: giving P1 P0's epoch would order everything P0
 * did before its store too, hiding real races. So each thread keeps a short
 * list of other threads' marked stores it read (location, thread, epoch);
 * a release copies the list to the location, an acquire merges it back,
 * and the race check accepts a marked write that is on the list. The lists
 * are bounded: the oldest entries go first, which can only cost a report
 * that a longer list would have suppressed, never hide one. */
#include "shadow.h"

/* Did the slot w0 recorded for an access at addr write the byte at
 * `stored` (the location a remembered store wrote)? Matching the whole
 * granule instead would let a store read at x order a write of its
 * neighbour z (litmus C-S+o-mb-o+o-ctl-p with x and z in one granule). */
static bool slot_covers(uint64_t w0, uintptr_t addr, uintptr_t stored)
{
	return (addr & ~(uintptr_t)(SL_GRANULE - 1)) == (stored & ~(uintptr_t)(SL_GRANULE - 1)) &&
	       (sl_w0_mask(w0) >> (stored & (SL_GRANULE - 1)) & 1);
}

static void remember(struct sl_thread *thr, struct sl_store_ref ref)
{
	for (uint32_t i = 0; i < SL_CUMUL_THREAD; i++) {
		struct sl_store_ref *e = &thr->cumul[i];
		if (e->epoch && e->tid == ref.tid && e->addr == ref.addr) {
			if (ref.epoch > e->epoch)
				e->epoch = ref.epoch;
			return;
		}
	}
	thr->cumul[thr->cumul_next++ % SL_CUMUL_THREAD] = ref;
}

/* A marked load of addr read the location's last store. */
void sl_cumul_read(struct sl_thread *thr, const struct sl_sync *s, uintptr_t addr)
{
	if (s->store_epoch && s->store_tid != thr->tid)
		remember(thr, (struct sl_store_ref){addr, s->store_tid, s->store_epoch});
}

/* A release to s carries the thread's most recent reads. */
void sl_cumul_release(const struct sl_thread *thr, struct sl_sync *s)
{
	for (uint32_t i = 0; i < SL_CUMUL_SYNC; i++)
		s->cumul[i] = thr->cumul[(thr->cumul_next - 1 - i) % SL_CUMUL_THREAD];
}

void sl_cumul_acquire(struct sl_thread *thr, const struct sl_sync *s)
{
	for (uint32_t i = 0; i < SL_CUMUL_SYNC; i++)
		if (s->cumul[i].epoch && s->cumul[i].tid != thr->tid)
			remember(thr, s->cumul[i]);
}

/* Is the marked write w0 at addr one of the stores this thread knows? */
bool sl_cumul_orders(const struct sl_thread *thr, uintptr_t addr, uint64_t w0)
{
	uint32_t tid = sl_w0_tid(w0), epoch = sl_w0_epoch(w0);
	for (uint32_t i = 0; i < SL_CUMUL_THREAD; i++) {
		const struct sl_store_ref *e = &thr->cumul[i];
		if (e->epoch && e->tid == tid && slot_covers(w0, addr, e->addr) && epoch <= e->epoch)
			return true;
	}
	return false;
}
