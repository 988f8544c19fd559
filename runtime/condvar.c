// SPDX-License-Identifier: Apache-2.0
/* Condition variables (POSIX and C11): which edges a wait and a signal add.
 *
 * POSIX counts a signal or broadcast among the calls that synchronize
 * memory, so a signal releases to the waiter it wakes. But a woken waiter
 * returns only after taking its mutex back, and when the signaller holds
 * that mutex, its unlock releases everything the signal would have, and
 * more: the signal's own release is then redundant (ThreadSanitizer never
 * makes one). The usual queue signals under its mutex, once per item on
 * each side, so leaving it out there takes a release, a clock copy and an
 * epoch off every handoff; a signal sent without the mutex keeps it.
 *
 * So each condvar's sync object remembers the mutex its last waiter
 * passed, and each mutex's the thread holding it (posix.c). */
#include "sync.h"

/* A wait gives m up and takes it back: an unlock's edges before it and a
 * lock's after, with the holder. m stays in the thread's held set
 * throughout, since the thread accesses nothing while it waits (a signal
 * handler that runs meanwhile is said to hold m), so a report names the
 * call that took m first, and the critical section it returns to is not
 * lengthened by the set's change. */

/* Before the real wait gives m up: what the waiter did is released to
 * the mutex, and c learns which mutex its waiters hold (looked up without
 * the lock first: a queue's waits pass the same one every time). */
void sl_cond_before_wait(const void *c, const void *m)
{
	sl_mutex_unlock_before(m);
	struct sl_thread *thr = sl_thread();
	if (thr->in_runtime)
		return;
	struct sl_sync *s = sl_sync_lookup((uintptr_t)c);
	if (s && atomic_load_explicit(&s->cond_mutex, memory_order_relaxed) == (uintptr_t)m)
		return;
	thr->in_runtime = true;
	s = sl_sync_lock((uintptr_t)c);
	atomic_store_explicit(&s->cond_mutex, (uintptr_t)m, memory_order_relaxed);
	sl_sync_unlock(s);
	sl_runtime_section_end(thr);
}

/* After the real wait took m back (a lock); woken: it returned 0 (not a timeout),
 * so a signal may have released to c. */
void sl_cond_after_wait(const void *c, const void *m, bool woken)
{
	sl_mutex_lock_after(m, true);
	if (woken)
		sl_acquire_at(c);
}

/* A wait cancelled while blocked took m back (SL_COND_WAIT). */
void sl_cond_wait_cancelled(void *m)
{
	sl_mutex_lock_after(m, true);
}

/* Does the thread hold the mutex c's last waiter held? Read without locks:
 * the mutex's holder is our own serial only if we wrote it and have not
 * unlocked since. A waiter with another mutex at the same time as one
 * with this one is undefined behaviour (POSIX); one with another mutex
 * after them is woken without this release, which only matters to a
 * program whose data the signal alone orders. */
static bool holds_waiters_mutex(const struct sl_thread *thr, const void *c)
{
	struct sl_sync *s = sl_sync_lookup((uintptr_t)c);
	uintptr_t m = s ? atomic_load_explicit(&s->cond_mutex, memory_order_relaxed) : 0;
	struct sl_sync *ms = m ? sl_sync_lookup(m) : NULL;
	return ms && atomic_load_explicit(&ms->holder, memory_order_relaxed) == thr->serial;
}

/* A signal or broadcast on c: a release unless the thread holds the
 * waiters' mutex. */
void sl_cond_signalling(const void *c)
{
	if (!holds_waiters_mutex(sl_thread(), c))
		sl_release_at(c);
}
