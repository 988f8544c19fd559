// SPDX-License-Identifier: Apache-2.0
/* The locks the two accesses of a report held (lockset.h): each named M0,
 * M1, ... with where it is and who took it, and the fix they point to:
 * the lock one side forgot, or the one both hold only shared. */
#include <stdio.h>

#include "report_internal.h"
#include "shadow.h"

/* Locks a report names, M0 first, in the order it mentions them; each with
 * the thread and stack that took it for the access that mentioned it first. */
#define LOCKS_NAMED 8u
static struct { uintptr_t addr; sl_stack_id stack; uint32_t tid; } locks_named[LOCKS_NAMED];
static unsigned nlocks_named, nlocks_described;

void sl_report_locks_forget(void)
{
	nlocks_named = nlocks_described = 0;
}

/* A lock's number in the report (LOCKS_NAMED when out of numbers). */
static unsigned lock_number(const struct sl_held_lock *l, uint32_t tid)
{
	uintptr_t addr = l->addr & ~SL_LOCK_SHARED;
	unsigned i = 0;
	while (i < nlocks_named && locks_named[i].addr != addr)
		i++;
	if (i == nlocks_named && i < LOCKS_NAMED) {
		locks_named[i].addr = addr;
		locks_named[i].stack = l->stack;
		locks_named[i].tid = tid;
		nlocks_named++;
	}
	return i;
}

/* The locks of s that it names (the rest it only counts). */
static uint32_t locks_listed(const struct sl_lockset *s)
{
	uint32_t n = 0;
	while (n < s->n && n < SL_LOCKS_NAMED && s->lock[n].addr)
		n++;
	return n;
}

/* "lock M0", "locks M0 and M1 (shared)": a set's locks by their numbers,
 * numbering the new ones as taken by thread tid. */
static void lock_names(char *out, size_t size, const struct sl_lockset *s, uint32_t tid)
{
	uint32_t listed = locks_listed(s), more = s->n - listed;
	size_t len = (size_t)snprintf(out, size, "lock%s", s->n > 1 ? "s" : "");
	for (uint32_t i = 0; i < listed && len < size; i++) {
		const char *sep = i == 0 ? " " : i + 1 == listed && !more ? " and " : ", ";
		unsigned m = lock_number(&s->lock[i], tid);
		const char *shared = s->lock[i].addr & SL_LOCK_SHARED ? " (shared)" : "";
		len += (size_t)(m < LOCKS_NAMED ? snprintf(out + len, size - len, "%sM%u%s", sep, m, shared)
						: snprintf(out + len, size - len, "%s%p%s", sep,
							   (void *)(s->lock[i].addr & ~SL_LOCK_SHARED), shared));
	}
	if (more && len < size)
		snprintf(out + len, size - len, " and %u more", more);
}

/* What an access's heading adds about its locks: ", holding locks M0 and
 * M1 (shared)", ", inside an RCU read-side critical section", nothing when
 * it held none, or that they are unknown. */
void sl_report_holding_phrase(char *out, size_t size, const struct sl_lockset *s, bool known,
			      uint32_t tid)
{
	char names[128] = "";
	out[0] = '\0';
	if (!known) {
		snprintf(out, size, ", its locks unknown");
		return;
	}
	if (s->n)
		lock_names(names, sizeof names, s, tid);
	snprintf(out, size, "%s%s%s", s->n ? ", holding " : "", names,
		 s->rcu_reader ? ", inside an RCU read-side critical section" : "");
}

/* Each lock named: where it is, who took it and where. */
void sl_report_locks(void)
{
	for (unsigned i = nlocks_described; i < nlocks_named; i++, nlocks_described++) {
		char who[32], where[256];
		uintptr_t addr = locks_named[i].addr;
		struct sl_heap_block b;
		sl_report_thread_name(who, sizeof who, locks_named[i].tid);
		if (sl_heap_find(addr, &b))
			snprintf(where, sizeof where, "in heap block of size %zu at %p (offset %zu)",
				 b.size, (void *)b.user, (size_t)(addr - b.user));
		else if (!sl_report_describe_non_heap(addr, true, where, sizeof where))
			snprintf(where, sizeof where, "at %p", (void *)addr);
		sl_report_section("lock", locks_named[i].tid, "Lock M%u is %s, taken by %s at",
				  i, where, who);
		sl_report_stack(0, locks_named[i].stack);
	}
}

/* Does s hold the lock at addr, and how? 0: no, 1: shared, 2: exclusive. */
static int holds(const struct sl_lockset *s, uintptr_t addr)
{
	for (uint32_t i = 0; i < locks_listed(s); i++)
		if ((s->lock[i].addr & ~SL_LOCK_SHARED) == addr)
			return s->lock[i].addr & SL_LOCK_SHARED ? 1 : 2;
	return 0;
}

/* The free that is the current access: named "free", at the first frame
 * its report printed (sl_report_summary_where), which a free has instead
 * of a site. */
void sl_report_free_side(struct lock_side *side, const struct sl_lockset *locks)
{
	*side = (struct lock_side){locks, "free", "", true, true};
	sl_report_summary_where(side->at, sizeof side->at);
}

void sl_report_race_side(struct lock_side *side, const struct sl_lockset *locks, uint64_t w0,
			 uint32_t site)
{
	side->locks = locks;
	side->what = sl_report_access_of(w0, site, false);
	side->writes = sl_w0_write(w0);
	side->frees = false;
	side->tid = sl_w0_tid(w0);
	side->at[0] = 0;   /* an earlier access its thread's history lost */
	if (sl_site_get(site))
		sl_report_site_where(site, side->at, sizeof side->at);
}

/* "write at wrong_lock.c:23", or for an access whose site is lost "write
 * (its site is no longer kept)", as the sentences below name a side. */
static void side_named(const struct lock_side *side, char *out, size_t size)
{
	if (side->at[0])
		snprintf(out, size, "%s at %s", side->what, side->at);
	else
		snprintf(out, size, "%s (its site is no longer kept)", side->what);
}

/* The heap block or global addr lies in, as its start and "heap block" or
 * "global 'acct'"; false for other memory. */
static bool enclosing_object(uintptr_t addr, uintptr_t *start, char *name, size_t size)
{
	struct sl_heap_block b;
	char var[128];
	size_t offset, bytes;
	if (sl_heap_find(addr, &b)) {
		*start = b.user;
		snprintf(name, size, "heap block");
	} else if (sl_symbolize_global(addr, var, sizeof var, &offset, &bytes) && bytes) {
		*start = addr - offset;
		snprintf(name, size, "global '%s'", var);
	} else {
		return false;
	}
	return true;
}

/* The one lock of s that lies in the same heap block or global as the raced
 * memory: most likely a member of the struct it guards (acct.lock beside
 * acct.balance), so the lock the other side forgot. Its number, and the
 * container's name in `where`; -1 when none does, or more than one. */
static int lock_beside(const struct sl_lockset *s, uintptr_t memory, char *where, size_t size)
{
	uintptr_t start, lock_start;
	char name[160];
	if (!enclosing_object(memory, &start, where, size))
		return -1;
	int found = -1;
	for (uint32_t i = 0; i < locks_listed(s); i++) {
		uintptr_t addr = s->lock[i].addr & ~SL_LOCK_SHARED;
		if (!enclosing_object(addr, &lock_start, name, sizeof name) || lock_start != start)
			continue;
		if (found >= 0)
			return -1;
		found = (int)lock_number(&s->lock[i], 0);
	}
	return found;
}

/* What the side without the lock should do: "M0 lies in the same global
 * 'acct' as this memory, so it likely guards it: take it" when one of s's
 * locks lies there (lock_beside; returns true, a sentence of its own),
 * else "if M0 guards this memory, take it", or for a set of several "if
 * one of them guards this memory, take that one". */
static bool guard_phrase(char *out, size_t size, const struct sl_lockset *s, uintptr_t memory)
{
	char where[160];
	int beside = lock_beside(s, memory, where, sizeof where);
	if (beside >= 0)
		snprintf(out, size, "M%d lies in the same %s as this memory, so it likely guards "
			 "it: take it", beside, where);
	else if (s->n == 1)
		snprintf(out, size, "if M%u guards this memory, take it", lock_number(&s->lock[0], 0));
	else
		snprintf(out, size, "if one of them guards this memory, take that one");
	return beside >= 0;
}

/* The earlier access was inside an RCU read-side critical section, which
 * keeps out no writer and no free (the current access, which writes or
 * frees): only a grace period waits for it. Where it began, and the fix:
 * wait for a grace period, or update a copy. */
static void explain_grace_period(const struct lock_side *cur_side,
				 const struct lock_side *prev_side)
{
	char cur[192], prev[192], who[32];
	side_named(cur_side, cur, sizeof cur);
	side_named(prev_side, prev, sizeof prev);
	sl_report_thread_name(who, sizeof who, prev_side->tid);
	sl_report_section("lock", prev_side->tid,
			  "The %s's RCU read-side critical section was entered by %s at",
			  prev_side->what, who);
	sl_report_stack(0, prev_side->locks->rcu_stack);
	void (*say)(const char *, ...) = sl_report_has_fix() ? sl_report_note : sl_report_fix;
	if (cur_side->frees) {
		sl_report_note("The previous %s was inside an RCU read-side critical section, "
		    "which keeps out no free: only a grace period waits for it, and nothing "
		    "made the free wait for one.\n", prev);
		say("free the block after a grace period: kfree_rcu() or call_rcu() instead of "
		    "the free, or synchronize_rcu() between unpublishing the block "
		    "(rcu_assign_pointer()) and the free.\n");
	} else {
		sl_report_note("The previous %s was inside an RCU read-side critical section, "
		    "which keeps out no writer: the %s changes memory a reader may still be "
		    "reading.\n", prev, cur);
		say("update a copy and publish it with rcu_assign_pointer() (the old one freed "
		    "after a grace period), or wait for one with synchronize_rcu() before the "
		    "%s.\n", cur);
	}
}

/* The fix the locks point to, for the race on `memory`. Two accesses under
 * one lock held exclusively by both are ordered, so a race under locks
 * means they hold none in common, or only shared (then the write must take
 * it exclusively); a lock only one side holds is the likely guard the
 * other forgot, the more so when it lies beside the memory (lock_beside). */
void sl_report_explain_locks(const struct lock_side *cur_side, const struct lock_side *prev_side,
			     uintptr_t memory)
{
	const struct sl_lockset *mine = cur_side->locks, *theirs = prev_side->locks;
	if (theirs->rcu_reader && cur_side->writes) {
		explain_grace_period(cur_side, prev_side);
		return;
	}
	if (!mine->n && !theirs->n)
		return;
	char text[1400] = "";
	const char *cur_what = cur_side->what, *prev_what = prev_side->what;
	char cur[192], prev[192];
	side_named(cur_side, cur, sizeof cur);
	side_named(prev_side, prev, sizeof prev);
	for (unsigned i = 0; i < nlocks_named && !text[0]; i++) {
		int c = holds(mine, locks_named[i].addr), p = holds(theirs, locks_named[i].addr);
		if (!c || !p)
			continue;
		/* the one to change: a write holding it shared, else a holder of it shared */
		bool prev_changes = p == 1 && (prev_side->writes || c != 1 || !cur_side->writes);
		snprintf(text, sizeof text,
			 "Both accesses hold lock M%u, but %s, which does not keep "
			 "out a write: take it exclusively for the %s.\n",
			 i, c == 1 && p == 1 ? "only shared" : "one only shared",
			 prev_changes ? prev : cur);
	}
	char names[192], guard[320];
	if (!text[0] && (!mine->n || !theirs->n)) {   /* one side holds locks */
		const struct sl_lockset *held = mine->n ? mine : theirs;
		lock_names(names, sizeof names, held, 0);
		const char *then = guard_phrase(guard, sizeof guard, held, memory) ? "." : ":";
		if (!mine->n)
			snprintf(text, sizeof text,
				 "The previous %s held %s, this %s holds no lock%s "
				 "%s around the %s too.\n",
				 prev, names, cur_what, then, guard, cur);
		else
			snprintf(text, sizeof text,
				 "This %s holds %s, the previous %s held no lock%s "
				 "%s around that %s too.\n",
				 cur_what, names, prev, then, guard, prev_what);
	} else if (!text[0]) {
		/* the lock beside the memory, if one side holds one, for the other */
		bool cur_lacks = true;
		int beside = lock_beside(theirs, memory, names, sizeof names);
		if (beside < 0) {
			cur_lacks = false;
			beside = lock_beside(mine, memory, names, sizeof names);
		}
		if (beside >= 0)
			snprintf(text, sizeof text,
				 "The two accesses hold no lock in common, and M%d lies in the same "
				 "%s as this memory, so it likely guards it: take it for the %s "
				 "too.\n", beside, names, cur_lacks ? cur : prev);
		else if (prev_side->at[0])
			snprintf(text, sizeof text,
				 "The two accesses hold no lock in common: take the one that "
				 "guards this memory at both %s and %s.\n", cur_side->at,
				 prev_side->at);
		else
			snprintf(text, sizeof text,
				 "The two accesses hold no lock in common: take the one that "
				 "guards this memory for both the %s and the previous %s.\n",
				 cur, prev);
	}
	if (sl_report_has_fix())
		sl_report_note("%s", text);
	else
		sl_report_fix("%s", text);
}

/* Does s hold a lock that `other` does not hold exclusively? */
static bool holds_beyond(const struct sl_lockset *s, const struct sl_lockset *other)
{
	for (uint32_t i = 0; i < locks_listed(s); i++)
		if (holds(other, s->lock[i].addr & ~SL_LOCK_SHARED) != 2)
			return true;
	return false;
}

void sl_report_plain_handoff_fix(const struct sl_lockset *store_locks, const char *store_at,
				 uint32_t store_tid, const struct sl_lockset *load_locks,
				 const char *load_at, uint32_t load_tid)
{
	char names[192];
	/* the side that held a lock shows which lock guards the variable */
	if (store_locks && holds_beyond(store_locks, load_locks)) {
		lock_names(names, sizeof names, store_locks, store_tid);
		sl_report_fix("take %s around the load at %s too, as the store at %s does.\n",
			      names, load_at, store_at);
	} else if (load_locks && holds_beyond(load_locks, store_locks)) {
		lock_names(names, sizeof names, load_locks, load_tid);
		sl_report_fix("take %s around the store at %s too, as the load at %s does.\n",
			      names, store_at, load_at);
	} else {
		sl_report_fix("make the store at %s a release store (smp_store_release()) and "
			      "the load at %s an acquire load (smp_load_acquire()), or take one "
			      "lock around both.\n", store_at, load_at);
	}
}
