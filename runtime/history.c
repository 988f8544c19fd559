// SPDX-License-Identifier: Apache-2.0
/* Each thread id's ring of recent records (history.h). */
#include "history.h"
#include "shadow.h"

uint64_t sl_history_mask;
static struct sl_history *_Atomic rings[SL_MAX_THREADS];

void sl_history_init(void)
{
	uint64_t n = 1;
	while (n < (uint64_t)sl_opt.history_size)
		n <<= 1;
	sl_history_mask = n - 1;
}

struct sl_history *sl_history_of(uint32_t tid)
{
	struct sl_history *h = atomic_load_explicit(&rings[tid], memory_order_acquire);
	if (h)
		return h;
	/* reserved, not touched: a thread that records little costs little */
	h = sl_mmap_reserve(sizeof *h + (sl_history_mask + 1) * sizeof h->entry[0]);
	struct sl_history *expected = NULL;
	if (!atomic_compare_exchange_strong(&rings[tid], &expected, h))
		sl_die("thread id %u got two history rings", tid);
	return h;
}

/* Does entry word e record the access whose slot now reads w0? The slot
 * may since have given up some of its bytes to a block freed beside it
 * (sl_granule_forget), never gained any. */
static bool same_record(uint64_t e, uint64_t w0)
{
	return e && !((e ^ w0) & ~SL_W0_BYTES) && !(sl_w0_mask(w0) & ~sl_w0_mask(e));
}

uint64_t sl_history_find(uint64_t w0, uintptr_t granule)
{
	uint32_t tid = sl_w0_tid(w0);
	if (tid >= SL_MAX_THREADS)
		return 0;
	struct sl_history *h = atomic_load_explicit(&rings[tid], memory_order_acquire);
	if (!h)
		return 0;
	uint64_t next = atomic_load_explicit(&h->next, memory_order_acquire);
	uint64_t oldest = next > sl_history_mask + 1 ? next - (sl_history_mask + 1) : 0;
	for (uint64_t n = next; n-- > oldest;) {
		struct sl_history_entry *e = &h->entry[n & sl_history_mask];
		uint64_t e0 = atomic_load_explicit(&e->w0, memory_order_acquire);
		if (!same_record(e0, w0) ||
		    atomic_load_explicit(&e->granule, memory_order_relaxed) != granule)
			continue;
		uint64_t w1 = atomic_load_explicit(&e->w1, memory_order_relaxed);
		atomic_thread_fence(memory_order_acquire);
		/* rewritten meanwhile: its owner lapped us */
		if (atomic_load_explicit(&e->w0, memory_order_relaxed) != e0)
			return 0;
		return w1;
	}
	return 0;
}
