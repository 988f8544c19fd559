// SPDX-License-Identifier: Apache-2.0
/* The runtime side of <slabsan/slabsan.h>: custom allocators, explicit
 * synchronization, locks of its own and ignored regions. */
#include "internal.h"

SL_EXPORT void __slabsan_malloclike(void *p, size_t size)
{
	struct sl_thread *thr = sl_thread();
	if (!p || thr->in_runtime)
		return;
	thr->in_runtime = true;
	sl_heap_malloclike(thr, p, size, SL_CALLER);
	sl_runtime_section_end(thr);
}

SL_EXPORT void __slabsan_freelike(void *p)
{
	struct sl_thread *thr = sl_thread();
	if (!p || thr->in_runtime)
		return;
	thr->in_runtime = true;
	sl_heap_freelike(thr, p, SL_CALLER);
	sl_runtime_section_end(thr);
}

SL_EXPORT void __slabsan_acquire(const volatile void *addr)
{
	sl_acquire_at((const void *)addr);
}

SL_EXPORT void __slabsan_release(const volatile void *addr)
{
	sl_release_at((const void *)addr);
}

/* A lock whose ordering its own atomics give (so no edge here): the
 * thread holds it from now on, for reports' "holding lock M0". */
SL_EXPORT void __slabsan_lock_taken(const volatile void *lock, int shared)
{
	sl_held_set_change((uintptr_t)lock | (shared ? SL_LOCK_SHARED : 0), true, SL_CALLER);
}

SL_EXPORT void __slabsan_lock_released(const volatile void *lock, int shared)
{
	sl_held_set_change((uintptr_t)lock | (shared ? SL_LOCK_SHARED : 0), false, 0);
}

/* An RCU read-side critical section of the program's RCU: held like a
 * shared lock, named apart in reports (lockset.h). Its grace periods order
 * through the RCU's own atomics. */
SL_EXPORT void __slabsan_rcu_read_lock(void)
{
	sl_held_set_change(SL_RCU_READ_SIDE | SL_LOCK_SHARED, true, SL_CALLER);
}

SL_EXPORT void __slabsan_rcu_read_unlock(void)
{
	sl_held_set_change(SL_RCU_READ_SIDE | SL_LOCK_SHARED, false, 0);
}

SL_EXPORT void __slabsan_ignore_begin(void) { sl_thread()->ignore_depth++; }

SL_EXPORT void __slabsan_ignore_end(void)
{
	struct sl_thread *thr = sl_thread();
	if (thr->ignore_depth > 0)
		thr->ignore_depth--;
}

/* The pass calls this once per function holding inline assembly it cannot
 * see into: say so once, and how to describe what the assembly does. */
SL_EXPORT void __slabsan_note_inline_asm(slabsan_site_t site)
{
	if (sl_opt.verbosity < 1 && !sl_opt.note_inline_asm)
		return;
	sl_note_once("%s (%s) contains inline assembly SlabSan cannot see into; describe "
		     "its synchronization with __slabsan_acquire()/__slabsan_release() "
		     "(<slabsan/slabsan.h>)",
		     site && site->function ? site->function : "a function",
		     site && site->file ? site->file : "no debug info");
}
