/* SPDX-License-Identifier: Apache-2.0 */
/* The locks a thread holds, so that a race report can say which locks each
 * of its two accesses held ("holding lock M0"): the evidence that a field
 * guarded by one lock was reached under another, or under none.
 *
 * The current access's locks are its thread's set now. An earlier access
 * is known only by its record (thread id and epoch), so each thread id
 * keeps a log of its set's changes by epoch, and taking a lock starts an
 * epoch, as releasing one does (sync.h): then every epoch has one set, and
 * the set an earlier access held is the one the log's last change at or
 * before its record's epoch made.
 *
 * A thread uses few distinct sets, so each is a node of a per-id tree (a
 * lock taken, with the stack that took it, on top of its parent set), made
 * once, and a log entry is one word: epoch and node. A lock and its unlock
 * write two words; the log keeps the last SL_LOCK_LOG changes, about half
 * as many critical sections. A full tree starts again (lockset.c). A record
 * older than the log or the restart has its locks reported as unknown. */
#ifndef SLABSAN_LOCKSET_H
#define SLABSAN_LOCKSET_H

#include <stdbool.h>
#include <stdint.h>

struct sl_thread;
struct sl_lock_tree;

#define SL_LOCK_NODES 1024u   /* distinct sets a thread id keeps, the empty one too */
#define SL_LOCK_LOG 4096u     /* set changes a thread id's log keeps, a power of two */
#define SL_LOCKS_NAMED 8u     /* locks of a set a report names, the first taken */

/* Set in a lock's address: held shared (an rwlock's read lock). */
#define SL_LOCK_SHARED ((uintptr_t)1)
/* A thread's set when it holds more locks than its id's tree has nodes:
 * counted, not named. */
#define SL_LOCKSET_UNKNOWN UINT32_MAX

struct sl_held_lock {
	uintptr_t addr;       /* | SL_LOCK_SHARED */
	uint32_t stack;       /* sl_stack_id of the call that took it; 0: unknown */
};

/* An RCU read-side critical section (slabsan_rcu_read_lock()) is held as a
 * shared lock at this address: reports tell it from the locks, since it
 * keeps out no writer and no free, only a grace period waits for it. */
extern const char sl_rcu_read_side;
#define SL_RCU_READ_SIDE ((uintptr_t)&sl_rcu_read_side)

/* A set as reports see it: n locks, the first SL_LOCKS_NAMED of them (the
 * first taken first) named, and whether the thread was inside an RCU
 * read-side critical section (not one of the n), entered by rcu_stack. */
struct sl_lockset {
	uint32_t n;
	struct sl_held_lock lock[SL_LOCKS_NAMED];
	bool rcu_reader;
	uint32_t rcu_stack;
};

/* The calling thread took the lock at addr (a mutex, a rwlock either way, a
 * spinlock) from the call returning to pc (0: unknown), whose stack the
 * set keeps. It starts an epoch. */
void sl_lockset_locked(struct sl_thread *thr, uintptr_t addr, uintptr_t pc);
/* ... and gave it up; called after the unlock's release, whose epoch the
 * smaller set begins with. A lock it does not hold (taken inside the
 * runtime, or never) changes nothing. */
void sl_lockset_unlocked(struct sl_thread *thr, uintptr_t addr);
/* A thread starts, or goes on under a new id (sl_thread_renew), at its
 * epoch: its id's tree and log learn the set it holds from then on. */
void sl_lockset_thread_at(struct sl_thread *thr);

/* The locks the calling thread holds, into out; false when its id's tree
 * overflowed (then out->n is right, but nothing is named). */
bool sl_lockset_now(const struct sl_thread *thr, struct sl_lockset *out);
/* The locks thread id tid held in its epoch `epoch`, into out; false when
 * its log no longer reaches back that far. Reports only. */
bool sl_lockset_at(uint32_t tid, uint32_t epoch, struct sl_lockset *out);

#endif
