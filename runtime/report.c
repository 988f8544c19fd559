// SPDX-License-Identifier: Apache-2.0
/* The reports about memory (report.h): a data race, a free without
 * acquire, a use after free, a free racing with a read, a double or
 * invalid free. Each names the two accesses with their stacks, the block
 * and who allocated it, then the missing edge (report_edge.c) or the locks
 * (report_locks.c) that explain it; report_writer.c writes the text. */
#include <stdio.h>

#include "report_internal.h"
#include "shadow.h"

/* The place first reported racing with the access at place `key`, in
 * either role (0: none yet). A race whose earlier access has left its
 * thread's history (history.h) is most likely that same pair again, and a
 * second report without the earlier stack would repeat the first, worse
 * (mimalloc's real-world race: 6 of 1150 occurrences). Both places of a
 * reported pair learn their partner: the same race seen the other way
 * round, the write second and its read lost, was a report of its own
 * (tests/runtime/history_partner.c). Under the report lock. */
#define FIRST_PARTNER_SLOTS 1024u
static uint64_t first_partner_key[FIRST_PARTNER_SLOTS], first_partner[FIRST_PARTNER_SLOTS];

static uint64_t *first_partner_of(uint64_t key)
{
	uint64_t h = key * 0x9e3779b97f4a7c15ull;
	for (unsigned i = 0; i < FIRST_PARTNER_SLOTS; i++) {
		unsigned idx = (unsigned)((h >> 40) + i) % FIRST_PARTNER_SLOTS;
		if (first_partner_key[idx] == key || !first_partner_key[idx]) {
			first_partner_key[idx] = key;
			return &first_partner[idx];
		}
	}
	return NULL;   /* full: an unknown earlier access stays a report of its own */
}

/* The pair cur_key, prev_key was met: each is the other's first partner
 * unless it has one. */
static void meet_partners(uint64_t cur_key, uint64_t prev_key)
{
	uint64_t *p = first_partner_of(cur_key);
	if (p && !*p)
		*p = prev_key;
	p = first_partner_of(prev_key);
	if (p && !*p)
		*p = cur_key;
}

struct race_report {
	struct sl_thread *thr;
	uintptr_t addr;
	size_t size;
	uint64_t cur_w0;
	slabsan_site_t site;
	uint64_t prev_w0;
	uint64_t prev_w1;
};

static void write_race(void *args)
{
	const struct race_report *r = args;
	uint32_t prev_site = (uint32_t)(r->prev_w1 >> 32);
	uint32_t cur_site = r->site ? r->site->id : 0;
	sl_stack_id cur_stack = sl_stack_of_access(r->thr);
	/* Sites name instrumented accesses; an assertion has none, so its
	 * place is its stack. */
	uint64_t cur_key = cur_site ? cur_site : sl_report_top_pc(cur_stack);
	uint64_t prev_key = prev_site ? prev_site : sl_report_top_pc((sl_stack_id)r->prev_w1);
	if (!r->prev_w1) {
		uint64_t *first = first_partner_of(cur_key);
		if (first)
			prev_key = *first;
	} else {
		meet_partners(cur_key, prev_key);
	}
	const char *kind = (r->cur_w0 | r->prev_w0) & SL_W0_ASSERT ? "assert: race" : "data race";
	/* one report per pair of places, whichever thread came second */
	if (!sl_report_seen_before(1, cur_key < prev_key ? cur_key : prev_key,
				   cur_key < prev_key ? prev_key : cur_key)) {
		char who[32], field[160], holding[160];
		uint32_t ptid = sl_w0_tid(r->prev_w0);
		struct sl_lockset cur_locks, prev_locks;
		bool cur_locks_known = sl_lockset_now(r->thr, &cur_locks);
		bool prev_locks_known = sl_lockset_at(ptid, sl_w0_epoch(r->prev_w0), &prev_locks);
		sl_report_begin(kind, r->thr);
		sl_report_thread_name(who, sizeof who, r->thr->tid);
		sl_report_field_note(cur_site, field, sizeof field);
		sl_report_holding_phrase(holding, sizeof holding, &cur_locks, cur_locks_known,
					 r->thr->tid);
		sl_report_access_section("access", r->thr->tid, cur_site,
					 "%s of size %zu at %p%s by %s%s",
					 sl_report_access_of(r->cur_w0, cur_site, true), r->size,
					 (void *)r->addr, field, who, holding);
		sl_report_stack(cur_site, cur_stack);
		sl_report_mention_thread(ptid);
		sl_report_thread_name(who, sizeof who, ptid);
		sl_report_field_note(prev_site, field, sizeof field);
		sl_report_holding_phrase(holding, sizeof holding, &prev_locks, prev_locks_known,
					 ptid);
		sl_report_access_section("previous", ptid, prev_site, "Previous %s at %p%s by %s%s",
					 sl_report_access_of(r->prev_w0, prev_site, false),
					 (void *)sl_w0_first_byte(r->prev_w0, r->addr), field, who,
					 holding);
		sl_report_recorded_stack(r->prev_w1);
		sl_report_location(r->addr);
		sl_report_locks();
		/* an assertion explains its race as locks do: only the owner
		 * may write, ordered or not */
		sl_report_explain_missing_edge(r->thr, r->addr, r->cur_w0, cur_site, r->prev_w0,
					       prev_site,
					       ((r->cur_w0 | r->prev_w0) & SL_W0_ASSERT) ||
					       either_held_lock(&cur_locks, cur_locks_known,
								&prev_locks, prev_locks_known));
		if (cur_locks_known && prev_locks_known) {
			struct lock_side cur_side, prev_side;
			sl_report_race_side(&cur_side, &cur_locks, r->cur_w0, cur_site);
			sl_report_race_side(&prev_side, &prev_locks, r->prev_w0, prev_site);
			sl_report_explain_locks(&cur_side, &prev_side, r->addr);
		}
		sl_report_end(kind);
	}
}

void sl_report_race(struct sl_thread *thr, uintptr_t addr, size_t size, uint64_t cur_w0,
		    slabsan_site_t site, uint64_t prev_w0, uint64_t prev_w1)
{
	struct race_report args = {thr, addr, size, cur_w0, site, prev_w0, prev_w1};
	if (should_report(thr))
		sl_report_run(thr, write_race, &args);
}

/* A section "<heading> <thread>" naming the thread that allocated b, and
 * the allocation's stack. */
static void allocation_section(const char *role, const struct sl_heap_block *b,
			       const char *heading)
{
	char who[32];
	sl_report_thread_name(who, sizeof who, b->alloc_tid);
	sl_report_mention_thread(b->alloc_tid);
	sl_report_section(role, b->alloc_tid, "%s %s", heading, who);
	sl_report_stack(0, b->alloc_stack);
}

struct use_after_free_report {
	struct sl_thread *thr;
	uintptr_t addr;
	size_t size;
	bool is_write;
	bool is_marked;
	slabsan_site_t site;
	uint64_t free_w1;
};

static void write_use_after_free(void *args)
{
	const struct use_after_free_report *r = args;
	struct sl_heap_block b;
	bool found = sl_heap_find(r->addr, &b);
	uint32_t cur_site = r->site ? r->site->id : 0;
	if (!sl_report_seen_before(2, cur_site, found ? b.user : 0)) {
		char who[32], field[160];
		sl_report_begin("use after free", r->thr);
		sl_report_thread_name(who, sizeof who, r->thr->tid);
		sl_report_field_note(cur_site, field, sizeof field);
		sl_report_access_section("access", r->thr->tid, cur_site,
					 "%s of size %zu at %p%s by %s",
					 sl_report_access_what(r->is_write, r->is_marked, cur_site,
							       true),
					 r->size, (void *)r->addr, field, who);
		sl_report_stack(cur_site, sl_stack_of_access(r->thr));
		if (found) {
			sl_report_thread_name(who, sizeof who, b.free_tid);
			sl_report_mention_thread(b.free_tid);
			sl_report_section("free", b.free_tid,
					  "Freed heap block of size %zu at %p (offset %zu), freed by %s",
					  b.size, (void *)b.user, (size_t)(r->addr - b.user), who);
			sl_report_stack(0, b.free_stack);
			allocation_section("allocation", &b, "Allocated by");
		} else if (r->free_w1) {
			sl_report_section("free", 0xffff, "Freed at");
			sl_report_stack(0, (sl_stack_id)r->free_w1);
		} else {
			sl_report_section("free", 0xffff, "Freed earlier (the block has left the "
					  "quarantine and its free's stack with it)");
		}
		sl_report_end("use after free");
	}
}

void sl_report_use_after_free(struct sl_thread *thr, uintptr_t addr, size_t size,
			      bool is_write, bool is_marked, slabsan_site_t site,
			      uint64_t free_w1)
{
	struct use_after_free_report args = {thr, addr, size, is_write, is_marked, site, free_w1};
	if (should_report(thr))
		sl_report_run(thr, write_use_after_free, &args);
}

/* The key a free's reports are told apart by: where it was called. A
 * pool's free function (kfree()) is shared by all the program's frees of
 * its blocks, so its caller goes into the key as well; a free libc makes
 * for the program (in fclose(), in realloc()), its whole stack. */
static uint64_t free_key(const struct sl_heap_block *b, sl_stack_id free_stack)
{
	const struct sl_stack *s = sl_stack_get(free_stack);
	uint64_t key = s && s->depth ? s->pc[0] : 0;
	if (b->custom && s && s->depth > 1)
		key ^= (uint64_t)s->pc[1] * 0x9e3779b97f4a7c15ull;
	if (s && s->depth && !sl_pc_in_instrumented_code(s->pc[0]))
		key ^= (uint64_t)free_stack << 32;
	return key;
}

/* The stack of a free of b: for a pool's block, one that begins in the
 * pool's free function, whose caller the SUMMARY names. */
static void free_stack_of(const struct sl_heap_block *b, sl_stack_id free_stack)
{
	if (b->custom)
		sl_report_summary_names_caller();
	sl_report_stack(0, free_stack);
}

/* The free's heading, with what the thread's locks add to it
 * (sl_report_holding_phrase). */
static void print_free_header(struct sl_thread *thr, const struct sl_heap_block *b,
			      sl_stack_id free_stack, const char *holding)
{
	char who[32];
	sl_report_thread_name(who, sizeof who, thr->tid);
	sl_report_show_block(b->user);
	sl_report_section("free", thr->tid, "Free of heap block of size %zu at %p by %s%s",
			  b->size, (void *)b->user, who, holding);
	free_stack_of(b, free_stack);
}

struct free_race_report {
	struct sl_thread *thr;
	const struct sl_heap_block *b;
	sl_stack_id free_stack;
	uint64_t prev_w0;
	uint64_t prev_w1;
	uintptr_t prev_addr;
};

static void write_free_race(void *args)
{
	const struct free_race_report *r = args;
	if (!sl_report_seen_before(3, free_key(r->b, r->free_stack), r->prev_w1 >> 32)) {
		char who[32], holding[160];
		uint32_t ptid = sl_w0_tid(r->prev_w0), prev_site = (uint32_t)(r->prev_w1 >> 32);
		struct sl_lockset cur_locks, prev_locks;
		bool cur_locks_known = sl_lockset_now(r->thr, &cur_locks);
		bool prev_locks_known = sl_lockset_at(ptid, sl_w0_epoch(r->prev_w0), &prev_locks);
		sl_report_begin("data race", r->thr);
		sl_report_holding_phrase(holding, sizeof holding, &cur_locks, cur_locks_known,
					 r->thr->tid);
		print_free_header(r->thr, r->b, r->free_stack, holding);
		struct lock_side cur_side;
		sl_report_free_side(&cur_side, &cur_locks);
		sl_report_mention_thread(ptid);
		sl_report_thread_name(who, sizeof who, ptid);
		sl_report_holding_phrase(holding, sizeof holding, &prev_locks, prev_locks_known,
					 ptid);
		char where[200];
		sl_report_offset_note(r->prev_addr - r->b->user, prev_site, where, sizeof where);
		sl_report_access_section("previous", ptid, prev_site,
					 "Previous %s at %p (%s) by %s%s",
					 sl_report_access_what(false, sl_w0_marked(r->prev_w0), prev_site,
							       false),
					 (void *)r->prev_addr, where, who, holding);
		sl_report_recorded_stack(r->prev_w1);
		allocation_section("allocation", r->b, "Heap block allocated by");
		sl_report_locks();
		struct edge_subject subject = before_the_free("its read", r->prev_w0);
		sl_report_explain_later_store(r->thr, &subject, r->prev_addr,
					      sl_report_load_of_block(r->thr, r->b),
					      either_held_lock(&cur_locks, cur_locks_known,
							       &prev_locks, prev_locks_known));
		if (cur_locks_known && prev_locks_known) {
			struct lock_side prev_side;
			sl_report_race_side(&prev_side, &prev_locks, r->prev_w0 & ~SL_W0_WRITE,
					    prev_site);
			sl_report_explain_locks(&cur_side, &prev_side, r->prev_addr);
		}
		sl_report_end("data race");
	}
}

void sl_report_free_race(struct sl_thread *thr, const struct sl_heap_block *b,
			 sl_stack_id free_stack, uint64_t prev_w0, uint64_t prev_w1,
			 uintptr_t prev_addr)
{
	struct free_race_report args = {thr, b, free_stack, prev_w0, prev_w1, prev_addr};
	sl_report_run(thr, write_free_race, &args);
}

/* The allocation a free without acquire is not ordered after, told apart
 * by its whole stack: its top frame is the same for every caller of
 * kmalloc() (inside the allocator) and of strdup() (inside libc). Apart
 * from the write's site ids by the top bit. */
static uint64_t allocation_key(const struct sl_heap_block *b)
{
	return 1ull << 63 | b->alloc_stack;
}

/* A block code SlabSan did not instrument both allocated and freed (the
 * malloc and free calls at the top of the two stacks), and no instrumented
 * code wrote: what orders the two is that code's own synchronization,
 * which SlabSan sees no more than its accesses (ThreadSanitizer does not
 * see either). glibc's getaddrinfo frees another thread's block of its
 * __check_pf cache under an internal lock (libuv's getaddrinfo_concurrent,
 * every run); the dynamic loader hands a thread's TLS vector to another
 * through glibc's stack cache (all_correct.c, 1 run in about 250). */
static bool uninstrumented_own_block(const struct sl_heap_block *b, sl_stack_id free_stack,
				     bool alloc_unordered, uint64_t write_w0)
{
	uintptr_t free_pc = sl_report_top_pc(free_stack), alloc_pc = sl_report_top_pc(b->alloc_stack);
	return alloc_unordered && !write_w0 && free_pc && alloc_pc &&
	       !sl_pc_in_instrumented_code(free_pc) && !sl_pc_in_instrumented_code(alloc_pc);
}

struct free_without_acquire_report {
	struct sl_thread *thr;
	const struct sl_heap_block *b;
	sl_stack_id free_stack;
	bool alloc_unordered;
	uint64_t write_w0;
	uint64_t write_w1;
	uintptr_t write_addr;
};

static void write_free_without_acquire(void *args)
{
	const struct free_without_acquire_report *r = args;
	if (!uninstrumented_own_block(r->b, r->free_stack, r->alloc_unordered, r->write_w0) &&
	    !sl_report_seen_before(4, free_key(r->b, r->free_stack),
				   r->alloc_unordered ? allocation_key(r->b) : r->write_w1 >> 32)) {
		char who[32], holding[160];
		struct sl_lockset free_locks, write_locks;
		bool free_locks_known = sl_lockset_now(r->thr, &free_locks);
		bool write_locks_known = r->write_w0 &&
			sl_lockset_at(sl_w0_tid(r->write_w0), sl_w0_epoch(r->write_w0),
				      &write_locks);
		sl_report_begin("free without acquire", r->thr);
		sl_report_holding_phrase(holding, sizeof holding, &free_locks, free_locks_known,
					 r->thr->tid);
		print_free_header(r->thr, r->b, r->free_stack, holding);
		struct lock_side freeing;
		sl_report_free_side(&freeing, &free_locks);
		if (r->alloc_unordered) {
			allocation_section("allocation", r->b,
					   "is not ordered after its allocation by");
		}
		if (r->write_w0) {
			uint32_t wtid = sl_w0_tid(r->write_w0);
			char where[200];
			sl_report_offset_note(r->write_addr - r->b->user,
					      (uint32_t)(r->write_w1 >> 32), where, sizeof where);
			sl_report_thread_name(who, sizeof who, wtid);
			sl_report_mention_thread(wtid);
			if (write_locks_known)
				sl_report_holding_phrase(holding, sizeof holding, &write_locks,
							 true, wtid);
			else
				holding[0] = '\0';
			const char *what = sl_report_access_what(true, sl_w0_marked(r->write_w0),
								 (uint32_t)(r->write_w1 >> 32), false);
			sl_report_access_section("write", wtid, (uint32_t)(r->write_w1 >> 32),
						 "%s after this %s at %p (%s) by %s%s",
						 r->alloc_unordered ? "nor" : "is not ordered", what,
						 (void *)r->write_addr, where, who, holding);
			sl_report_recorded_stack(r->write_w1);
		}
		/* a plain write after the block reached this thread in order, or
		 * the allocating thread's whole block when no atomic load brought
		 * its pointer (it came through a variable a broken lock guarded):
		 * the flag this thread waited for, if its loads show one; else how
		 * the pointer came */
		const struct sl_recent_load *load = sl_report_load_of_block(r->thr, r->b);
		bool plain_write = r->write_w0 && !sl_w0_marked(r->write_w0);
		bool late_plain_write = plain_write && !r->alloc_unordered;
		bool allocator_wrote = plain_write && r->alloc_unordered && !load &&
				       sl_w0_tid(r->write_w0) == r->b->alloc_tid;
		struct edge_subject subject = before_the_free(
			allocator_wrote ? "its allocation and write" : "its write", r->write_w0);
		if (!((late_plain_write || allocator_wrote) &&
		      sl_report_explain_later_store(r->thr, &subject, r->write_addr, load,
						    either_held_lock(&free_locks, free_locks_known,
								     &write_locks,
								     write_locks_known)))) {
			if (load)
				sl_report_explain_handoff(r->thr, load, r->write_w0, false);
			else
				sl_report_explain_unseen_handoff(r->thr, r->b, !r->alloc_unordered,
								 r->write_w0, r->write_w1);
		}
		if (!r->alloc_unordered) {
			/* Context, not a culprit: which block, made where. */
			allocation_section("allocated", r->b, "The block was allocated by");
		}
		sl_report_locks();
		if (free_locks_known && write_locks_known && write_locks.n &&
		    !sl_w0_marked(r->write_w0)) {
			struct lock_side write_side;
			sl_report_race_side(&write_side, &write_locks, r->write_w0,
					    (uint32_t)(r->write_w1 >> 32));
			sl_report_explain_locks(&freeing, &write_side, r->write_addr);
		}
		sl_report_end("free without acquire");
	}
}

void sl_report_free_without_acquire(struct sl_thread *thr, const struct sl_heap_block *b,
				    sl_stack_id free_stack, bool alloc_unordered,
				    uint64_t write_w0, uint64_t write_w1, uintptr_t write_addr)
{
	struct free_without_acquire_report args = {thr, b, free_stack, alloc_unordered, write_w0,
						   write_w1, write_addr};
	sl_report_run(thr, write_free_without_acquire, &args);
}

struct double_free_report {
	struct sl_thread *thr;
	const struct sl_heap_block *b;
	sl_stack_id free_stack;
};

static void write_double_free(void *args)
{
	const struct double_free_report *r = args;
	if (!sl_report_seen_before(5, free_key(r->b, r->free_stack), r->b->user)) {
		char who[32];
		sl_report_begin("double free", r->thr);
		sl_report_thread_name(who, sizeof who, r->thr->tid);
		sl_report_show_block(r->b->user);
		sl_report_section("free", r->thr->tid, "Free of heap block of size %zu at %p by %s",
				  r->b->size, (void *)r->b->user, who);
		free_stack_of(r->b, r->free_stack);
		if (r->b->free_tid != 0xffff) {
			sl_report_thread_name(who, sizeof who, r->b->free_tid);
			sl_report_mention_thread(r->b->free_tid);
			sl_report_section("first-free", r->b->free_tid, "It was already freed by %s",
					  who);
			sl_report_stack(0, r->b->free_stack);
		}
		allocation_section("allocation", r->b, "Allocated by");
		sl_report_end("double free");
	}
}

void sl_report_double_free(struct sl_thread *thr, const struct sl_heap_block *b,
			   sl_stack_id free_stack)
{
	struct double_free_report args = {thr, b, free_stack};
	sl_report_run(thr, write_double_free, &args);
}

struct invalid_free_report {
	struct sl_thread *thr;
	uintptr_t addr;
	sl_stack_id free_stack;
	const char *why;
};

static void write_invalid_free(void *args)
{
	const struct invalid_free_report *r = args;
	if (!sl_report_seen_before(6, sl_report_top_pc(r->free_stack), 0)) {
		char who[32], where[256];
		struct sl_heap_block b;
		sl_report_begin("invalid free", r->thr);
		sl_report_thread_name(who, sizeof who, r->thr->tid);
		sl_report_section("free", r->thr->tid, "Free of %p by %s", (void *)r->addr, who);
		sl_report_stack(0, r->free_stack);
		if (r->why) {
			sl_report_note("The pointer was %s\n", r->why);
		} else if (sl_heap_find(r->addr, &b)) {
			sl_report_thread_name(who, sizeof who, b.alloc_tid);
			sl_report_mention_thread(b.alloc_tid);
			sl_report_section("allocation", b.alloc_tid,
					  "The pointer is %zu bytes inside a heap block of size %zu "
					  "at %p, allocated by %s",
					  (size_t)(r->addr - b.user), b.size, (void *)b.user, who);
			sl_report_stack(0, b.alloc_stack);
		} else if (sl_report_describe_non_heap(r->addr, false, where, sizeof where)) {
			sl_report_note("The pointer does not point to a heap block but into %s.\n",
				       where);
		} else {
			/* A double free whose block already left the quarantine
			 * lands here too: its metadata went back with it. */
			sl_report_note("The pointer does not point to a heap block SlabSan knows: "
				       "foreign memory, or a block freed before and already handed "
				       "back to the allocator by the quarantine "
				       "(quarantine_size_mb=%d).\n", sl_opt.quarantine_size_mb);
		}
		sl_report_end("invalid free");
	}
}

void sl_report_invalid_free(struct sl_thread *thr, uintptr_t addr, sl_stack_id free_stack,
			    const char *why)
{
	struct invalid_free_report args = {thr, addr, free_stack, why};
	sl_report_run(thr, write_invalid_free, &args);
}
