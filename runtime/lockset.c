// SPDX-License-Identifier: Apache-2.0
/* Each thread id's tree of lock sets and its log of them (lockset.h). */
#include <string.h>

#include "lockset.h"
#include "sync.h"

/* A set: its parent with one more lock on top. Written once, before any log
 * word names it, so a reader that found it through the log reads it whole. */
struct lock_node {
	uint32_t parent;
	uint32_t depth;       /* locks in the set */
	uintptr_t addr;
	uint32_t stack;
	uint32_t last_child;  /* the owner's: the set it last took a lock on top of this one for */
};

struct sl_lock_tree {
	_Atomic uint64_t next;               /* log words written so far; only the owner writes */
	uint32_t nodes;                      /* in use; node 0 is the empty set */
	/* A full tree starts again (restart): the log's words before valid_from
	 * name sets of an earlier generation. */
	_Atomic uint32_t generation;
	_Atomic uint64_t valid_from;
	_Atomic uint64_t log[SL_LOCK_LOG];   /* from epoch << 32 | node */
	struct lock_node node[SL_LOCK_NODES];
	/* the owner's index of nodes by (parent, addr, stack), looked in when a
	 * node's last child is not the one; 0: an empty slot */
	uint32_t index[2 * SL_LOCK_NODES];
	/* The owner's room for a set's locks while it builds another set from
	 * them: up to SL_LOCK_NODES of them, too many for the stack of a
	 * PTHREAD_STACK_MIN thread (16 KiB), whose out-of-order unlock
	 * overflowed it. Two, since putting `moved` back may restart the tree,
	 * which keeps its set in `kept`. Touched only as far as used. */
	struct sl_held_lock moved[SL_LOCK_NODES];
	struct sl_held_lock kept[SL_LOCK_NODES];
};

static struct sl_lock_tree *_Atomic trees[SL_MAX_THREADS];

/* Thread id tid's tree, reserved on first use: a thread that never locks
 * touches a page of it. */
static struct sl_lock_tree *tree_of(uint32_t tid)
{
	struct sl_lock_tree *t = atomic_load_explicit(&trees[tid], memory_order_acquire);
	if (t)
		return t;
	t = sl_mmap_reserve(sizeof *t);
	t->nodes = 1;
	struct sl_lock_tree *expected = NULL;
	if (!atomic_compare_exchange_strong(&trees[tid], &expected, t))
		sl_die("thread id %u got two lock trees", tid);
	return t;
}

static uint32_t add_child(struct sl_lock_tree *t, uint32_t parent, uintptr_t addr, uint32_t stack,
			  uint32_t slot);

/* The set `parent` plus the lock at addr taken by stack, made if new (and
 * with it, rarely, a new generation of the tree); SL_LOCKSET_UNKNOWN when
 * the set would have more locks than the tree has nodes. */
static SL_ALWAYS_INLINE uint32_t child(struct sl_lock_tree *t, uint32_t parent, uintptr_t addr,
				       uint32_t stack)
{
	/* a loop takes the same lock at the same call on the same set */
	uint32_t last = t->node[parent].last_child;
	if (sl_likely(last) && t->node[last].addr == addr && t->node[last].stack == stack)
		return last;
	/* else (a lock of many, say a stripe of a table) the index */
	const uint32_t mask = 2 * SL_LOCK_NODES - 1;
	uint64_t h = ((uint64_t)parent * 0x9e3779b97f4a7c15ull) ^ (addr * 0xff51afd7ed558ccdull) ^ stack;
	for (uint32_t slot = (uint32_t)(h ^ h >> 29) & mask;; slot = (slot + 1) & mask) {
		uint32_t k = t->index[slot];
		if (!k)   /* the index is twice the nodes: an empty slot comes */
			return add_child(t, parent, addr, stack, slot);
		const struct lock_node *n = &t->node[k];
		if (n->parent == parent && n->addr == addr && n->stack == stack)
			return t->node[parent].last_child = k;
	}
}

/* The locks of set `from` above its ancestor set `to`, the last taken
 * first, into path; returns how many. */
static uint32_t path_of(const struct sl_lock_tree *t, uint32_t from, uint32_t to,
			struct sl_held_lock *path)
{
	uint32_t n = 0;
	for (; from != to; from = t->node[from].parent)
		path[n++] = (struct sl_held_lock){t->node[from].addr, t->node[from].stack};
	return n;
}

/* Set `set` with the n locks of path (path_of's order) taken on top of it
 * again, in t; each step may restart t, which keeps the set built so far. */
static uint32_t put_back(struct sl_lock_tree *t, uint32_t set, const struct sl_held_lock *path,
			 uint32_t n)
{
	while (n-- && set != SL_LOCKSET_UNKNOWN)
		set = child(t, set, path[n].addr, path[n].stack);
	return set;
}

/* The tree is full (a thread that locks many objects' own mutexes): it
 * starts again with set k alone, whose node in the new tree it returns.
 * Readers that meet the new generation give up (sl_lockset_at). */
static SL_COLD uint32_t restart(struct sl_lock_tree *t, uint32_t k)
{
	uint32_t depth = path_of(t, k, 0, t->kept);
	atomic_fetch_add_explicit(&t->generation, 1, memory_order_acq_rel);
	atomic_store_explicit(&t->valid_from, atomic_load_explicit(&t->next, memory_order_relaxed),
			      memory_order_release);
	memset(t->index, 0, sizeof t->index);
	t->node[0].last_child = 0;
	t->nodes = 1;
	return put_back(t, 0, t->kept, depth);
}

/* child()'s new node, in the index's empty slot `slot`. */
static SL_NOINLINE uint32_t add_child(struct sl_lock_tree *t, uint32_t parent, uintptr_t addr,
				      uint32_t stack, uint32_t slot)
{
	if (t->nodes == SL_LOCK_NODES) {
		if (t->node[parent].depth + 1 >= SL_LOCK_NODES)
			return SL_LOCKSET_UNKNOWN;   /* more locks held than nodes */
		return child(t, restart(t, parent), addr, stack);
	}
	uint32_t k = t->nodes++;
	t->node[k] = (struct lock_node){parent, t->node[parent].depth + 1, addr, stack, 0};
	t->index[slot] = k;
	return t->node[parent].last_child = k;
}

/* The thread's set from its epoch on is its current one. */
static SL_ALWAYS_INLINE void log_set(struct sl_thread *thr)
{
	struct sl_lock_tree *t = thr->lock_tree;
	uint64_t n = atomic_load_explicit(&t->next, memory_order_relaxed);
	uint64_t word = (uint64_t)thr->epoch << 32 | thr->lockset;
	atomic_store_explicit(&t->log[n % SL_LOCK_LOG], word, memory_order_release);
	atomic_store_explicit(&t->next, n + 1, memory_order_release);
}

void sl_lockset_locked(struct sl_thread *thr, uintptr_t addr, uintptr_t pc)
{
	sl_thread_next_epoch(thr);
	thr->locks_held++;
	if (thr->lockset != SL_LOCKSET_UNKNOWN)
		thr->lockset = child(thr->lock_tree, thr->lockset, addr,
				     pc ? sl_stack_here(thr, pc) : 0);
	log_set(thr);
}

/* Set `from` with the lock of its node k taken out: the locks above k put
 * back, in order, on the set below k. */
static uint32_t without(struct sl_lock_tree *t, uint32_t from, uint32_t k)
{
	uint32_t n = path_of(t, from, k, t->moved);
	return put_back(t, t->node[k].parent, t->moved, n);
}

void sl_lockset_unlocked(struct sl_thread *thr, uintptr_t addr)
{
	struct sl_lock_tree *t = thr->lock_tree;
	uint32_t cur = thr->lockset;
	if (!thr->locks_held)
		return;                       /* not held */
	if (cur == SL_LOCKSET_UNKNOWN) {  /* held, we assume */
		if (--thr->locks_held == 0)
			thr->lockset = 0;
		log_set(thr);
		return;
	}
	uint32_t k = cur;
	while (k && t->node[k].addr != addr)   /* the last taken is the usual one */
		k = t->node[k].parent;
	if (!k)
		return;                       /* not held */
	thr->locks_held--;
	thr->lockset = k == cur ? t->node[k].parent : without(t, cur, k);
	log_set(thr);
}

void sl_lockset_thread_at(struct sl_thread *thr)
{
	struct sl_lock_tree *old = thr->lock_tree, *t = tree_of(thr->tid);
	thr->lock_tree = t;
	if (old && old != t && thr->lockset && thr->lockset != SL_LOCKSET_UNKNOWN) {
		/* a new id goes on holding the same locks: the same set in its tree */
		uint32_t n = path_of(old, thr->lockset, 0, t->moved);
		thr->lockset = put_back(t, 0, t->moved, n);
	}
	uint64_t n = atomic_load_explicit(&t->next, memory_order_relaxed);
	/* the id's last user may have ended holding a lock */
	if (thr->lockset ||
	    (n && (uint32_t)atomic_load_explicit(&t->log[(n - 1) % SL_LOCK_LOG],
						  memory_order_relaxed)))
		log_set(thr);
}

/* The set of node k of t into out; false if it is not known. A reader in
 * another thread may meet nodes a restart is rewriting (and then a
 * generation it did not start in): the walk is bounded by the depth. */
static bool set_of(const struct sl_lock_tree *t, uint32_t k, struct sl_lockset *out)
{
	*out = (struct sl_lockset){0};
	if (k >= SL_LOCK_NODES)
		return false;
	out->n = t->node[k].depth;
	for (uint32_t steps = 0; k && k < SL_LOCK_NODES && steps < SL_LOCK_NODES; steps++) {
		uint32_t d = t->node[k].depth;
		if (d >= 1 && d <= SL_LOCKS_NAMED)
			out->lock[d - 1] = (struct sl_held_lock){t->node[k].addr, t->node[k].stack};
		k = t->node[k].parent;
	}
	return true;
}

const char sl_rcu_read_side;

/* Out's RCU read-side section, if it is among its locks, taken out of them
 * into out->rcu_reader. */
static void separate_rcu_section(struct sl_lockset *out)
{
	uint32_t listed = out->n < SL_LOCKS_NAMED ? out->n : SL_LOCKS_NAMED;
	for (uint32_t i = 0; i < listed; i++) {
		if ((out->lock[i].addr & ~SL_LOCK_SHARED) != SL_RCU_READ_SIDE)
			continue;
		out->rcu_reader = true;
		out->rcu_stack = out->lock[i].stack;
		memmove(&out->lock[i], &out->lock[i + 1], (listed - i - 1) * sizeof out->lock[0]);
		out->lock[listed - 1] = (struct sl_held_lock){0};
		out->n--;
		return;
	}
}

bool sl_lockset_now(const struct sl_thread *thr, struct sl_lockset *out)
{
	*out = (struct sl_lockset){0};
	bool known = thr->lock_tree && set_of(thr->lock_tree, thr->lockset, out);
	out->n = thr->locks_held;
	separate_rcu_section(out);
	return known;
}

bool sl_lockset_at(uint32_t tid, uint32_t epoch, struct sl_lockset *out)
{
	const struct sl_lock_tree *t = atomic_load_explicit(&trees[tid], memory_order_acquire);
	*out = (struct sl_lockset){0};
	if (!t)
		return true;                    /* the id never held a lock */
	uint32_t generation = atomic_load_explicit(&t->generation, memory_order_acquire);
	uint64_t valid_from = atomic_load_explicit(&t->valid_from, memory_order_acquire);
	uint64_t next = atomic_load_explicit(&t->next, memory_order_acquire);
	uint64_t first = next > SL_LOCK_LOG ? next - SL_LOCK_LOG + 1 : 0;   /* +1: may be rewritten */
	/* the last word from at or before epoch: epochs rise along the log */
	uint64_t lo = first, hi = next;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		uint64_t w = atomic_load_explicit(&t->log[mid % SL_LOCK_LOG], memory_order_acquire);
		if ((uint32_t)(w >> 32) <= epoch)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == first)
		return first == 0;              /* before the first lock: none held */
	uint64_t w = atomic_load_explicit(&t->log[(lo - 1) % SL_LOCK_LOG], memory_order_acquire);
	/* the owner may have gone round the log meanwhile */
	if ((uint32_t)(w >> 32) > epoch || lo - 1 < valid_from ||
	    atomic_load_explicit(&t->next, memory_order_acquire) - (lo - 1) >= SL_LOCK_LOG)
		return false;
	bool known = set_of(t, (uint32_t)w, out);
	atomic_thread_fence(memory_order_acquire);
	separate_rcu_section(out);
	return known && atomic_load_explicit(&t->generation, memory_order_relaxed) == generation;
}
