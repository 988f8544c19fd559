/* SPDX-License-Identifier: Apache-2.0 */
/* Where recorded accesses came from: each thread's history of the records
 * it made, so that a report can name the site and stack of the earlier
 * access a slot holds.
 *
 * A slot (shadow.h) is one word: who, when, which bytes, how. Its site and
 * stack used to sit beside it in the shadow line, which made the line 64
 * bytes per 16-byte granule; ThreadSanitizer instead replays a trace of
 * every access. SlabSan keeps the middle way: every record a thread makes
 * (not every access: a repeat within an epoch records nothing) also goes
 * into a ring of the thread's last history_size records, with its granule
 * and its site word. A report looks the slot's word up there, newest
 * first. A record older than the ring is reported without its stack, as
 * ThreadSanitizer does when its trace has moved on.
 *
 * The ring belongs to the thread id, not the thread: a thread that reuses
 * an id continues its epochs (thread.c), so (word, granule) still names one
 * access, and the rings of 10^4 short-lived threads cost no more than
 * those of the threads alive at once. */
#ifndef SLABSAN_HISTORY_H
#define SLABSAN_HISTORY_H

#include <stdatomic.h>
#include <stdint.h>

#include "internal.h"

struct sl_history_entry {
	_Atomic uint64_t w0;          /* the slot word recorded; 0 while rewritten */
	_Atomic uint64_t granule;     /* the granule's address */
	_Atomic uint64_t w1;          /* site id << 32 | stack id */
};

struct sl_history {
	_Atomic uint64_t next;        /* records made so far; only the owner writes */
	struct sl_history_entry entry[];
};

extern uint64_t sl_history_mask;  /* entries per ring - 1 */

void sl_history_init(void);     /* after the options */

/* The ring of thread id tid, mapped on its first use (pages are touched as
 * records fill them). */
struct sl_history *sl_history_of(uint32_t tid);

/* thr made the record w0 in the granule at `granule`, from site word w1.
 * The entry is emptied first, so a reader that meets it half rewritten
 * sees its word change and ignores it (sl_history_find). */
static SL_ALWAYS_INLINE void sl_history_note(struct sl_history *h, uintptr_t granule,
					     uint64_t w0, uint64_t w1)
{
	uint64_t n = atomic_load_explicit(&h->next, memory_order_relaxed);
	struct sl_history_entry *e = &h->entry[n & sl_history_mask];
	atomic_store_explicit(&e->w0, 0, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	atomic_store_explicit(&e->granule, granule, memory_order_relaxed);
	atomic_store_explicit(&e->w1, w1, memory_order_relaxed);
	atomic_store_explicit(&e->w0, w0, memory_order_release);
	atomic_store_explicit(&h->next, n + 1, memory_order_relaxed);
}

/* The site word of the record w0 (a slot's word, read from the shadow of
 * the granule at `granule`), or 0 when its thread's ring no longer holds
 * it. Reports only. */
uint64_t sl_history_find(uint64_t w0, uintptr_t granule);

#endif
