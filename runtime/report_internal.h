/* SPDX-License-Identifier: Apache-2.0 */
/* The pieces the report files share, all used under the report lock:
 *   report_writer.c  one report's text and finding: headings, stacks, prose
 *                    filled for the terminal, how accesses and places are
 *                    named; the findings so far and their duplicates
 *   report_edge.c    the missing happens-before edge: which store and load
 *                    carried the pointer or flag, and which half fails
 *   report_locks.c   the locks the two accesses held, and the fix they point to
 *   report.c         the reports about memory (report.h), report_signal.c
 *                    those about signals
 *   report_stack.c   the stack a report runs on */
#ifndef SLABSAN_REPORT_INTERNAL_H
#define SLABSAN_REPORT_INTERNAL_H

#include "lockset.h"
#include "report.h"

/* ---- report_writer.c: the report being written */

/* Take the report lock as the running thread thr (whose own accesses stop
 * counting meanwhile); returns what sl_report_unlock restores. */
bool sl_report_lock(struct sl_thread *thr);
void sl_report_unlock(struct sl_thread *thr, bool was_in_runtime);
#define LOCKED_REPORT(thr) bool was_in_runtime = sl_report_lock(thr)
#define UNLOCK_REPORT(thr) sl_report_unlock(thr, was_in_runtime)
/* report_stack.c: write(args) under the report lock, on a stack of the
 * runtime's when thr's has too little left for a report; sl_report_write
 * the same with the lock already held (thr NULL: where it is). */
void sl_report_run(struct sl_thread *thr, void (*write)(void *), void *args);
void sl_report_write(struct sl_thread *thr, void (*write)(void *), void *args);
/* Has the stack thr runs on too little left for a report (thr NULL: no)? */
bool sl_report_stack_short(const struct sl_thread *thr);
/* At exit or a deadly signal: wait for another thread's report, but not
 * for ever; false when the lock was not taken (then no unlock). */
bool sl_report_lock_for_exit(void);
void sl_report_unlock_for_exit(void);

/* Accesses inside data_race() (__slabsan_ignore_begin/end) are not reported. */
static inline bool should_report(const struct sl_thread *thr)
{
	return thr->ignore_depth == 0;
}

/* Was this (kind, place, place) reported before? Then its finding counts
 * one more occurrence; else it is the report about to be written. */
bool sl_report_seen_before(unsigned kind, uint64_t a, uint64_t b);
/* The heading line, and the end: threads, SUMMARY, written in one write(). */
void sl_report_begin(const char *kind, struct sl_thread *thr);
void sl_report_end(const char *kind);
#define DEADLY_SIGNAL "deadly signal"

void sl_report_put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A heading with a stack to follow: "  text:" */
void sl_report_section(const char *role, uint32_t tid, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A section of an access from site_id, whose event also keeps the struct
 * member the access reached (the machine outputs, suppressions by member). */
void sl_report_access_section(const char *role, uint32_t tid, uint32_t site_id,
			      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A section of a store or load that carries (or misses) an edge: publish,
 * consume, a relay's release and acquire. Its event keeps the memory order
 * and whether the fence its text names adds to it (the machine outputs). */
void sl_report_order_section(const char *role, uint32_t tid, const char *order, bool fenced,
			     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The explanation and the fix, one paragraph each (line breaks in fmt do
 * not matter): filled to the terminal's width, kept whole in the finding. */
void sl_report_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sl_report_fix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool sl_report_has_fix(void);
/* The store and load whose missing edge this report shows: later reports
 * of the same edge are its consequences. */
void sl_report_set_cause(const char *cause, uint64_t key);

/* Stacks: a site, its inlining chain, then the shadow stack; the one an
 * earlier access's history kept (0: not kept); return addresses. */
void sl_report_stack(uint32_t site_id, sl_stack_id stack);
void sl_report_recorded_stack(uint64_t w1);
void sl_report_pcs(const uintptr_t *pc, uint32_t depth);
uintptr_t sl_report_top_pc(sl_stack_id id);
/* "file.c:12" of the first program frame the report printed. */
void sl_report_summary_where(char *out, size_t size);
/* The next stack's top frame is a pool's free function (kfree(),
 * kmem_cache_free()), as a free interceptor is for free(): the SUMMARY line
 * names its caller, the program's free, when the stack has one. */
void sl_report_summary_names_caller(void);

/* How a report names things: threads (each named one gets its creation
 * shown at the end), accesses, sites, files, memory. */
void sl_report_thread_name(char *out, size_t size, uint32_t tid);
void sl_report_mention_thread(uint32_t tid);
const char *sl_report_access_what(bool is_write, bool is_marked, uint32_t site_id, bool capital);
const char *sl_report_access_of(uint64_t w0, uint32_t site_id, bool capital);
/* The struct member site_id's access reached ("struct slab::stride"), ""
 * when the pass could not name it; field_note makes it " (...)". */
const char *sl_report_field_of(uint32_t site_id);
void sl_report_field_note(uint32_t site_id, char *out, size_t size);
/* "offset 16, struct order::price": where in its block site_id's access was. */
void sl_report_offset_note(size_t offset, uint32_t site_id, char *out, size_t size);
void sl_report_site_where(uint32_t site_id, char *out, size_t size);
/* "file.c:12": where the return address pc is (a stack's top pc), or
 * past_inlines the function it is in (the line of the call an inline
 * helper made: smp_rmb() is one of lkmm.h); false if unknown. */
bool sl_report_pc_where(uintptr_t pc, bool past_inlines, char *out, size_t size);
const char *sl_report_basename(const char *path);
bool sl_report_describe_non_heap(uintptr_t addr, bool within, char *out, size_t size);
/* "Location is heap block ..." with its allocation, or a note naming a
 * stack or global. */
void sl_report_location(uintptr_t addr);
/* The heap block (user address) the report has shown, freed or as the
 * location: a later mention says "the same heap block". */
void sl_report_show_block(uintptr_t user);
uintptr_t sl_report_shown_block(void);

/* ---- report_edge.c: the missing edge */

/* What a store and the load that read its value were to order: the
 * pointer to a block the load fetched, or an access the storing thread made
 * before the store (a flag, a pointer into other memory). */
struct edge_subject {
	bool pointer;
	/* not a pointer: the storing thread's access ("its write") and this
	 * thread's after the load ("the read at f.c:78") */
	const char *before, *then;
	/* the load was found by its record, which does not say which store's
	 * value it read (relaxed_flag_load) */
	bool value_unknown;
	/* the store was a relay's, which acquired `before` from its thread:
	 * the release it acquired, and its load (report_edge.c) */
	const struct sl_recent_load *relay_link;
	uint64_t before_w0;     /* the record of `before` (a relay's: its acquire load) */
	bool then_writes;       /* `then` is a write, which smp_rmb() does not order */
};

/* A free's edge subject: `before` (an access of the record w0) before the
 * free. */
static inline struct edge_subject before_the_free(const char *before, uint64_t w0)
{
	return (struct edge_subject){.before = before, .then = "the free", .before_w0 = w0};
}

/* The load that brought the block's pointer to thr, or NULL. */
const struct sl_recent_load *sl_report_load_of_block(struct sl_thread *thr,
						     const struct sl_heap_block *b);
/* The flag thr waited for: a store after the subject's `before` (at
 * prev_addr), read by a load that does not order it. Not `handoff`, the
 * block's own pointer. False when thr's loads show none. */
bool sl_report_explain_later_store(struct sl_thread *thr, const struct edge_subject *subject,
				   uintptr_t prev_addr, const struct sl_recent_load *handoff,
				   bool explained_otherwise);
/* How the pointer to a block reached thr through the load r, and what
 * would order the access unordered_w0 (0: the allocation alone). */
void sl_report_explain_handoff(struct sl_thread *thr, const struct sl_recent_load *r,
			       uint64_t unordered_w0, bool then_writes);
/* A free's block b came through no atomic load SlabSan saw. */
void sl_report_explain_unseen_handoff(struct sl_thread *thr, const struct sl_heap_block *b,
				      bool alloc_ordered, uint64_t write_w0, uint64_t write_w1);
/* The edge a race misses: the flag waited for, else the block's hand-off. */
void sl_report_explain_missing_edge(struct sl_thread *thr, uintptr_t addr, uint64_t cur_w0,
				    uint32_t cur_site, uint64_t prev_w0, uint32_t prev_site,
				    bool explained_otherwise);

/* ---- report_locks.c: the locks the two accesses held (lockset.h) */

/* One access of a race, as sl_report_explain_locks() names it: "write"
 * and where. */
struct lock_side {
	const struct sl_lockset *locks;
	const char *what;
	char at[128];
	bool writes;
	bool frees;
	uint32_t tid;
};

/* Did either access of a report (a: the current one, b: the earlier) hold a
 * lock, or the earlier sit inside an RCU read-side section (sets not known
 * count as none)? Then the locks or a grace period explain it
 * (sl_report_explain_locks), and a flag
 * found only by its records (relaxed_flag_load) is not offered as well: a
 * relaxed "done" flag beside a forgotten lock is a signal, not the
 * program's hand-off. */
static inline bool either_held_lock(const struct sl_lockset *a, bool a_known,
				    const struct sl_lockset *b, bool b_known)
{
	return (a_known && a->n) || (b_known && (b->n || b->rcu_reader));
}

/* A new report names no lock yet. */
void sl_report_locks_forget(void);
/* ", holding locks M0 and M1 (shared)" for an access's heading. */
void sl_report_holding_phrase(char *out, size_t size, const struct sl_lockset *s, bool known,
			      uint32_t tid);
/* Each lock named and not yet described: where it is, who took it and
 * where (an explanation may name one after the accesses' headings did). */
void sl_report_locks(void);
void sl_report_free_side(struct lock_side *side, const struct sl_lockset *locks);
void sl_report_race_side(struct lock_side *side, const struct sl_lockset *locks, uint64_t w0,
			 uint32_t site);
/* The fix the locks point to, for the race on (or the free of) `memory`. */
void sl_report_explain_locks(const struct lock_side *cur_side, const struct lock_side *prev_side,
			     uintptr_t memory);
/* The fix for a pointer handed over through a plain variable: stored at
 * store_at by thread store_tid holding store_locks, loaded at load_at by
 * load_tid holding load_locks (NULL: the sets are unknown). */
void sl_report_plain_handoff_fix(const struct sl_lockset *store_locks, const char *store_at,
				 uint32_t store_tid, const struct sl_lockset *load_locks,
				 const char *load_at, uint32_t load_tid);

#endif
