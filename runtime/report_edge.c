// SPDX-License-Identifier: Apache-2.0
/* The happens-before edge a report misses, the question the product
 * answers: which store published the pointer or flag and which load
 * consumed it (found among the loads atomic.c noted, else by their
 * records in a thread's history), with their memory orders, which half of
 * the edge is missing, and the smallest change that adds it. */
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "finding.h"
#include "history.h"
#include "report_internal.h"
#include "shadow.h"
#include "sync.h"

/* Not C11 orders: a volatile access (a kernel-style READ_ONCE() or
 * WRITE_ONCE()), which orders nothing, found by its record only
 * (relaxed_flag_load); a plain one, which a pointer handed over through a
 * plain variable was (sl_report_explain_plain_handoff). */
#define ORDER_VOLATILE 6u
#define ORDER_PLAIN 7u

static const char *order_name(uint32_t order)
{
	static const char *names[] = {"relaxed", "consume", "acquire", "release",
				      "acq_rel", "seq_cst", "volatile", "plain"};
	return order < sizeof names / sizeof *names ? names[order] : "?";
}

/* "a relaxed", "an acquire": the order as the report's sentences use it. */
static const char *with_article(uint32_t order)
{
	static const char *phrases[] = {"a relaxed", "a consume", "an acquire", "a release",
					"an acq_rel", "a seq_cst", "a volatile", "a plain"};
	return order < sizeof phrases / sizeof *phrases ? phrases[order] : "an unknown-order";
}

/* " atomic" for what "a relaxed atomic load" calls an atomic access */
static const char *atomic_word(uint32_t order)
{
	return order >= ORDER_VOLATILE ? "" : " atomic";
}

/* An access's order as a report names it: a volatile access (which the
 * runtime performs as a relaxed atomic, or records as a marked one) is
 * "volatile", as the program wrote it. */
static uint32_t shown_order(uint32_t order, slabsan_site_t site)
{
	return order == SLABSAN_RELAXED && site && (site->flags & SLABSAN_SITE_VOLATILE)
		       ? ORDER_VOLATILE
		       : order;
}

/* The order of a marked access known by its record only: its site's. */
static uint32_t order_of_site(slabsan_site_t site)
{
	return shown_order((site->flags & SLABSAN_SITE_ORDER_MASK) >> SLABSAN_SITE_ORDER_SHIFT,
			   site);
}

/* The order of a load found by its record at site: a compare-exchange
 * recorded as a load did not store, and had its failure order (one that
 * stored is recorded as a write, as every other read-modify-write is). */
static uint32_t load_order_of_site(slabsan_site_t site)
{
	if (!(site->flags & SLABSAN_SITE_RMW))
		return order_of_site(site);
	return shown_order((site->flags & SLABSAN_SITE_FAILURE_ORDER_MASK) >>
				   SLABSAN_SITE_FAILURE_ORDER_SHIFT,
			   site);
}

/* What made a load record at site: at a read-modify-write's site, a
 * compare-exchange that failed (as load_order_of_site says). */
static enum sl_load_kind load_kind_of_site(slabsan_site_t site)
{
	return site->flags & SLABSAN_SITE_RMW ? SL_LOAD_FAILED_CAS : SL_LOAD_ATOMIC;
}

static bool order_releases(uint32_t o) { return o >= 3 && o <= 5; }
static bool order_acquires(uint32_t o) { return o == 1 || o == 2 || o == 4 || o == 5; }

/* Does the load r acquire: by its order, or through the acquire fence a
 * report found after it (find_load_fence)? */
static bool load_acquires(const struct sl_recent_load *r)
{
	return order_acquires(r->load_order) || r->fence_w0;
}

/* Does the load r, made by thread loader, acquire, if not by its order
 * then through an acquire fence (one that orders later writes too if
 * writes) the thread made after it? The fence found is kept in r. */
static bool find_load_fence(struct sl_recent_load *r, uint32_t loader, bool writes)
{
	if (!order_acquires(r->load_order))
		r->fence_w0 = sl_history_fence_from(loader, r->history_at, writes, &r->fence_w1);
	return load_acquires(r);
}

/* ", then the acquire fence at f.c:12": the fence that made the load r
 * acquire, if any, as a report names it ("" if none). */
static void load_fence_phrase(const struct sl_recent_load *r, const char *then, char *out,
			      size_t size)
{
	char at[300] = "";
	if (r->fence_w0 & SL_FENCE_AT_PC)
		sl_report_pc_where(r->fence_w1, true, at, sizeof at);
	else
		sl_report_site_where((uint32_t)(r->fence_w1 >> 32), at, sizeof at);
	if (!r->fence_w0)
		out[0] = '\0';
	else
		snprintf(out, size, "%s%s%s%s", then,
			 r->fence_w0 & SL_FENCE_ORDERS_WRITES ? "the acquire fence" : "smp_rmb()",
			 at[0] ? " at " : "", at);
}

/* The unordered write is an atomic inside the block itself. A
 * read-modify-write there is the classic reference count whose last
 * decrement does not release, or whose final drop does not acquire; a
 * store, a flag or state word the freeing thread waited on with a load
 * that does not acquire. The hand-off of the pointer is not the issue. */
static void explain_atomic_in_block(uint64_t write_w1)
{
	char at[300];
	uint32_t site_id = (uint32_t)(write_w1 >> 32);
	sl_report_site_where(site_id, at, sizeof at);
	slabsan_site_t site = sl_site_get(site_id);
	if (site && !(site->flags & SLABSAN_SITE_RMW)) {
		sl_report_note("The unordered write is the %s store at %s, inside "
		    "the block (a flag this thread waited for?): it does not release, or the "
		    "load that saw it does not acquire.\n",
		    site->flags & SLABSAN_SITE_VOLATILE ? "volatile" : "atomic", at);
		sl_report_fix("make the store at %s release (smp_store_release(), or "
		    "atomic_store_explicit(..., memory_order_release)) and the load that waits "
		    "for it acquire (smp_load_acquire(), or memory_order_acquire).\n", at);
		return;
	}
	sl_report_note("The unordered write is the atomic %s at %s, inside "
	    "the block (a reference count?): it does not release, or this thread never "
	    "acquired what it released.\n",
	    site ? "read-modify-write" : "read-modify-write or store",
	    at);
	sl_report_fix("make the decrement at %s release (refcount_dec_and_test(), or "
	    "atomic_fetch_sub_explicit(..., memory_order_release)), and have the thread that "
	    "drops the last reference acquire before freeing "
	    "(atomic_thread_fence(memory_order_acquire) / smp_acquire__after_ctrl_dep()).\n", at);
}

/* The allocation is ordered before the free and a plain write is not: the
 * block reached the freeing thread in order (or was its own), and the
 * writer wrote it after the last release the freeing thread acquired. */
static void explain_late_write(const struct sl_thread *thr, uint64_t write_w0, uint64_t write_w1)
{
	char who[32], writer[32], at[300];
	sl_report_thread_name(who, sizeof who, thr->tid);
	sl_report_thread_name(writer, sizeof writer, sl_w0_tid(write_w0));
	sl_report_site_where((uint32_t)(write_w1 >> 32), at, sizeof at);
	if (!sl_vclock_lane(&thr->clock, sl_w0_tid(write_w0), true)) {
		sl_report_note("The allocation is ordered before this free but the write is "
		    "not: %s acquired nothing %s released (it took no lock %s unlocked, "
		    "loaded no release store of its, and did not join it).\n", who, writer,
		    writer);
		sl_report_fix("have %s acquire a release %s makes after the write at %s: "
		    "a release store it loads with an acquire load, a lock it unlocks, or "
		    "its exit by joining it.\n", who, writer, at);
		return;
	}
	sl_report_note("The allocation is ordered before this free but the write is not: %s "
	    "wrote the block after the last of its releases that %s acquired "
	    "(an unlock before its lock, a release store it loaded, an exit it joined).\n",
	    writer, who);
	sl_report_fix("move the write at %s before that release, or have %s "
	    "acquire a release %s makes after the write (join it, or a lock it unlocks later).\n",
	    at, who, writer);
}

/* Does the store r read release its thread's access before_w0 (0: an
 * access not known, for a pointer's hand-off), which it came after: a
 * release store, or a relaxed one after a release fence that came after
 * that access? smp_wmb() releases writes only (its reads lane). */
static bool store_releases(const struct sl_recent_load *r, uint64_t before_w0)
{
	if (order_releases(r->store_order))
		return true;
	uint32_t upto = sl_w0_write(before_w0) ? r->store_fence.w : r->store_fence.r;
	return before_w0 && sl_w0_tid(before_w0) == r->store_tid && sl_w0_epoch(before_w0) <= upto;
}

/* The access that loaded r's value, as the report's sentences name it. */
static const char *load_noun(const struct sl_recent_load *r)
{
	static const char *const nouns[] = {
		[SL_LOAD_ATOMIC] = "load",
		[SL_LOAD_RMW] = "read-modify-write",
		[SL_LOAD_FAILED_CAS] = "failed compare-exchange",
	};
	return nouns[r->load_kind];
}

/* "the load at X is relaxed": what the load r at load_at did not do. A
 * compare-exchange that failed loaded with its failure order, which a
 * user who wrote memory_order_acq_rel first does not think of. */
static void describe_load(const struct sl_recent_load *r, uint32_t order, const char *load_at,
			  char *out, size_t size)
{
	if (r->load_kind == SL_LOAD_FAILED_CAS)
		snprintf(out, size, "the compare-exchange at %s failed, with %s failure order,",
			 load_at, with_article(order));
	else
		snprintf(out, size, "the %s at %s is %s", load_noun(r), load_at, order_name(order));
}

/* What "make ..." asks of the load r at load_at so that it acquires. A
 * compare-exchange's failure order may be no stronger than its success
 * order (C11), so a relaxed one needs both raised. */
static void acquiring_load(const struct sl_recent_load *r, const char *load_at, char *out,
			   size_t size)
{
	slabsan_site_t site = sl_site_get(r->load_site);
	if (r->load_kind == SL_LOAD_FAILED_CAS && site && order_acquires(order_of_site(site)))
		snprintf(out, size, "the failure order of the compare-exchange at %s "
			 "memory_order_acquire", load_at);
	else if (r->load_kind == SL_LOAD_FAILED_CAS)
		snprintf(out, size, "the compare-exchange at %s memory_order_acquire (or "
			 "memory_order_acq_rel) on success and memory_order_acquire on failure",
			 load_at);
	else if (r->load_kind == SL_LOAD_RMW)
		snprintf(out, size, "the read-modify-write at %s memory_order_acquire or "
			 "memory_order_acq_rel (in the kernel, its _acquire form)", load_at);
	else
		snprintf(out, size, "the load at %s memory_order_acquire (smp_load_acquire())",
			 load_at);
}

static bool stored_by_rmw(const struct sl_recent_load *r)
{
	slabsan_site_t site = sl_site_get(r->store_site);
	return site && (site->flags & SLABSAN_SITE_RMW);
}

/* The access that stored r's value, as the report's sentences name it. */
static const char *store_noun(const struct sl_recent_load *r)
{
	return stored_by_rmw(r) ? "read-modify-write" : "store";
}

/* What "make ..." asks of the store r at store_at so that it releases. */
static void releasing_store(const struct sl_recent_load *r, const char *store_at, char *out,
			    size_t size)
{
	if (stored_by_rmw(r))
		snprintf(out, size, "the read-modify-write at %s memory_order_release or "
			 "memory_order_acq_rel (in the kernel, its _release form)", store_at);
	else
		snprintf(out, size, "the store at %s memory_order_release (smp_store_release())",
			 store_at);
}

/* The pair r, a store and the load that read it, orders less than the
 * subject needs: which side is missing its half of the edge (rel: the
 * store releases, itself or fenced by a release fence before it), and the
 * smallest change that adds it. */
static void explain_pair_edge(const struct sl_recent_load *r, const struct edge_subject *subject,
			      uint32_t store_order, uint32_t load_order, bool rel, bool fenced)
{
	char store_at[300], load_at[300];
	sl_report_site_where(r->store_site, store_at, sizeof store_at);
	sl_report_site_where(r->load_site, load_at, sizeof load_at);
	char load_is[sizeof load_at + 128], acquiring[sizeof load_at + 128];
	char releasing[sizeof store_at + 128];
	describe_load(r, load_order, load_at, load_is, sizeof load_is);
	acquiring_load(r, load_at, acquiring, sizeof acquiring);
	releasing_store(r, store_at, releasing, sizeof releasing);
	const char *stored = store_noun(r), *loaded = load_noun(r);
	char fenced_load[sizeof load_at + 64];
	load_fence_phrase(r, " through ", fenced_load, sizeof fenced_load);
	/* what the pair is to order, and where an acquire fence would go */
	const char *ordered = subject->pointer ? "what this thread does with the pointer"
					       : subject->then;
	char fence_at[380];
	snprintf(fence_at, sizeof fence_at, subject->pointer ? "after it" : "between it and %s",
		 subject->then);
	bool acq = order_acquires(load_order) || r->fence_w0;
	if (!rel && !acq) {
		unsigned volatiles = (store_order == ORDER_VOLATILE) +
				     (load_order == ORDER_VOLATILE);
		static const char *const both[] = {"relaxed", "relaxed or volatile", "volatile"};
		sl_report_note("Missing edge: the %s at %s and the %s at %s are both %s, so "
		    "nothing the publishing thread did before the %s is ordered before %s.\n",
		    stored, store_at, loaded, load_at, both[volatiles], stored, ordered);
		sl_report_fix("make %s and %s.\n", releasing, acquiring);
	} else if (!acq) {
		sl_report_note("Missing edge: the %s at %s releases%s, but %s and does not "
		    "acquire.\n", stored, store_at, fenced ? " (through the release fence before it)" : "",
		    load_is);
		/* smp_rmb() orders later reads, and a free by its control
		 * dependency (heap.c), not a write */
		sl_report_fix("make %s, or put an acquire fence (%s / "
		    "atomic_thread_fence(memory_order_acquire)) %s.\n",
		    acquiring, subject->then_writes ? "smp_mb()" : "smp_rmb()", fence_at);
	} else if (!rel) {
		sl_report_note("Missing edge: the %s at %s acquires%s, but the %s at %s is %s "
		    "and releases nothing.\n", loaded, load_at, fenced_load, stored, store_at,
		    order_name(store_order));
		/* smp_wmb() orders the thread's own writes only: not what a
		 * relay acquired (the kernel model's wmb is not A-cumulative) */
		sl_report_fix("make %s, or put a release fence (%s / "
		    "atomic_thread_fence(memory_order_release)) before it.\n", releasing,
		    subject->relay_link ? "smp_mb()" : "smp_wmb()");
	} else {
		sl_report_note("The %s at %s acquires%s what the %s at %s released, but the "
		    "write above happened after that %s or on another thread: it needs its own "
		    "release.\n",
		    loaded, load_at, fenced_load, stored, store_at, stored);
	}
}

/* The location a store and load went through, as the report's sentences
 * name it: a global by name; else its address, with the __slabsan_meta
 * field the load's site names and the heap block it lies in, if any (the
 * same as the report's own block, or where it was allocated). */
static void edge_location(uintptr_t addr, uint32_t load_site, char *out, size_t size)
{
	char var[160];
	if (sl_symbolize_data(addr, var, sizeof var)) {
		snprintf(out, size, "'%s' (%p)", var, (void *)addr);
		return;
	}
	const char *field = sl_report_field_of(load_site);
	const char *comma = field[0] ? ", " : "";
	struct sl_heap_block b;
	char alloc_at[300];
	bool in_block = sl_heap_find(addr, &b);
	if (in_block && b.user == sl_report_shown_block()) {
		snprintf(out, size, "%p (%s%soffset %zu in the same heap block)", (void *)addr,
			 field, comma, (size_t)(addr - b.user));
	} else if (in_block) {
		bool known = sl_report_pc_where(sl_report_top_pc(b.alloc_stack), false, alloc_at,
						sizeof alloc_at);
		snprintf(out, size, "%p (%s%soffset %zu in the heap block of size %zu%s%s)",
			 (void *)addr, field, comma, (size_t)(addr - b.user), b.size,
			 known ? " allocated at " : "", known ? alloc_at : "");
	} else if (field[0]) {
		snprintf(out, size, "%p (%s)", (void *)addr, field);
	} else {
		snprintf(out, size, "%p", (void *)addr);
	}
}

/* The key findings with one cause share: the store and the load (never 0). */
static uint64_t cause_key(const struct sl_recent_load *r)
{
	return ((uint64_t)r->store_site << 32 | r->load_site) | 1;
}

/* What a pair's two sections call the store and the load: the edge a
 * report misses, or a relay's link before it (sl_report_explain_later_store). */
struct pair_words {
	const char *store_role, *stored, *load_role, *loaded;
};
static const struct pair_words edge_words = {"publish", "Published", "consume", "Obtained"};
static const struct pair_words relay_words = {"release", "Released", "acquire", "Acquired"};

/* What the locks the store and the load held add to their headings
 * (sl_report_holding_phrase), where they matter: a plain hand-off. */
struct pair_holding {
	char store[160], load[160];
};

/* The sections of a store and the load of thread `loader` that read it,
 * r, with their orders and stacks; fenced: the store released through
 * the release fence before it; holding: NULL, or their locks. A store
 * known by neither site nor stack has none. */
static void pair_sections(const struct sl_recent_load *r, uint32_t loader,
			  const struct pair_words *w, bool fenced,
			  const struct pair_holding *holding)
{
	const char *store_holding = holding ? holding->store : "";
	const char *load_holding = holding ? holding->load : "";
	uint32_t store_order = shown_order(r->store_order, sl_site_get(r->store_site));
	uint32_t load_order = shown_order(r->load_order, sl_site_get(r->load_site));
	char storer[32], who[32], fence[360];
	sl_report_thread_name(storer, sizeof storer, r->store_tid);
	sl_report_thread_name(who, sizeof who, loader);
	load_fence_phrase(r, ", then ", fence, sizeof fence);
	if (r->store_site || r->store_stack) {
		sl_report_mention_thread(r->store_tid);
		sl_report_order_section(w->store_role, r->store_tid, order_name(store_order), fenced,
					"%s by %s with %s%s %s%s%s", w->stored, storer,
					with_article(store_order), atomic_word(store_order),
					store_noun(r), fenced ? " after a release fence" : "",
					store_holding);
		sl_report_stack(r->store_site, r->store_stack);
	}
	sl_report_mention_thread(loader);
	if (r->load_kind == SL_LOAD_FAILED_CAS)
		sl_report_order_section(w->load_role, loader, order_name(load_order), fence[0] != '\0',
					"%s by %s with a compare-exchange that failed, "
					"with %s failure order%s%s", w->loaded, who,
					with_article(load_order), fence, load_holding);
	else
		sl_report_order_section(w->load_role, loader, order_name(load_order), fence[0] != '\0',
					"%s by %s with %s%s %s%s%s", w->loaded, who,
					with_article(load_order), atomic_word(load_order),
					load_noun(r), fence, load_holding);
	sl_report_stack(r->load_site, r->load_stack);
}

/* A store and the load that read it, r: where each was, and what would
 * make the pair order what the subject needs. A relay's store comes
 * after the link that brought the subject's access to the relay. */
static void explain_edge(struct sl_thread *thr, const struct sl_recent_load *r,
			 const struct edge_subject *subject)
{
	char who[32];
	sl_report_thread_name(who, sizeof who, thr->tid);
	sl_report_set_cause(SL_CAUSE_MISSING_EDGE, cause_key(r));
	char where[640];
	edge_location(r->addr, r->load_site, where, sizeof where);
	const struct sl_recent_load *link = subject->relay_link;
	if (subject->pointer) {
		sl_report_note("The pointer reached %s through %s:\n", who, where);
	} else if (link) {
		char writer[32], relay[32], through[640];
		sl_report_thread_name(writer, sizeof writer, link->store_tid);
		sl_report_thread_name(relay, sizeof relay, r->store_tid);
		edge_location(link->addr, link->load_site, through, sizeof through);
		sl_report_note("After %s, %s released it through %s to %s, which then stored to "
			       "%s, and %s loaded %s before %s:\n", subject->before, writer,
			       through, relay, where, who,
			       subject->value_unknown ? "it" : "the value", subject->then);
		pair_sections(link, r->store_tid, &relay_words,
			      !order_releases(shown_order(link->store_order,
							  sl_site_get(link->store_site))),
			      NULL);
	} else {
		char storer[32];
		sl_report_thread_name(storer, sizeof storer, r->store_tid);
		sl_report_note("After %s, %s stored to %s, and %s loaded %s before %s:\n",
			       subject->before, storer, where, who,
			       subject->value_unknown ? "it" : "the value", subject->then);
	}
	/* A relaxed store releases what came before a release fence ahead of
	 * it: said only where the fence covers what the pair is to order, as
	 * any earlier fence of the thread would (the SLUB model's smp_wmb()). */
	uint32_t store_order = shown_order(r->store_order, sl_site_get(r->store_site));
	uint32_t load_order = shown_order(r->load_order, sl_site_get(r->load_site));
	bool rel = store_releases(r, subject->before_w0);
	bool fenced = rel && !order_releases(store_order);
	pair_sections(r, thr->tid, &edge_words, fenced, NULL);
	explain_pair_edge(r, subject, store_order, load_order, rel, fenced);
}

/* How the pointer to a block reached this thread through the atomic load
 * r, and what would order it: the access unordered_w0 (0: the allocation
 * alone), which a release fence before the store may have released. */
void sl_report_explain_handoff(struct sl_thread *thr, const struct sl_recent_load *r,
			       uint64_t unordered_w0, bool then_writes)
{
	static struct sl_recent_load load;     /* under the report lock */
	load = *r;
	find_load_fence(&load, thr->tid, then_writes);
	explain_edge(thr, &load, &(struct edge_subject){.pointer = true,
							.before_w0 = unordered_w0,
							.then_writes = then_writes});
}

/* The slots of the granule at addr (where its records go), or NULL. */
static const _Atomic uint64_t *granule_slots(uintptr_t addr)
{
	struct sl_chunk *c = sl_shadow_chunk_if_mapped(addr);
	return c ? c->granule[sl_granule_index(addr)].word0 : NULL;
}

/* The slot of the granule at addr that holds record w0 (any bytes), or
 * NULL. */
static const _Atomic uint64_t *slot_holding(uintptr_t addr, uint64_t w0)
{
	const _Atomic uint64_t *slots = granule_slots(addr);
	for (unsigned i = 0; slots && i < SL_SLOTS; i++)
		if (!((atomic_load_explicit(&slots[i], memory_order_relaxed) ^ w0) & ~SL_W0_BYTES))
			return &slots[i];
	return NULL;
}

/* Did the store r read come after the access prev_w0 (at prev_addr), in
 * the program order of the thread that made both? Epochs say so when the
 * store's is later, or the same and the store released (a release ends
 * its epoch). A relaxed store of the same epoch asks that thread's history
 * which record it noted first. */
static bool store_came_after(const struct sl_recent_load *r, uint64_t prev_w0,
			     uintptr_t prev_addr)
{
	uint32_t epoch = sl_w0_epoch(prev_w0);
	if (r->store_epoch != epoch)
		return r->store_epoch > epoch;
	if (order_releases(r->store_order))
		return true;
	const _Atomic uint64_t *prev_slots = granule_slots(prev_addr);
	const _Atomic uint64_t *store_slots = granule_slots(r->addr);
	uint64_t store_w0 = sl_w0_who_when(r->store_tid, epoch) | SL_W0_MARKED | SL_W0_WRITE;
	return prev_slots && store_slots &&
	       sl_history_all_before(prev_w0, prev_slots, store_w0, store_slots);
}

/* A load atomic.c noted with its store's thread and epoch only (a store
 * that made no sync object, read by an acquire load: note_unreleased_store):
 * the store's site and stack, from the storing thread's history through
 * the store's record in the location's shadow, while both hold it. */
static void find_store_site(const struct sl_thread *thr, struct sl_recent_load *r)
{
	if (r->store_site || r->store_stack)
		return;
	uint64_t w0 = sl_w0_who_when(r->store_tid, r->store_epoch) | SL_W0_WRITE |
		      (r->store_order == ORDER_PLAIN ? 0 : SL_W0_MARKED);
	const _Atomic uint64_t *slot = slot_holding(r->addr, w0);
	if (!slot)
		return;
	struct sl_history_access a = sl_history_find(
		thr, atomic_load_explicit(slot, memory_order_relaxed), slot,
		sl_w0_byte_at(r->addr));
	r->store_site = (uint32_t)(a.w1 >> 32);
	r->store_stack = (sl_stack_id)a.w1;
}

/* The site of a thread's history record (w0, w1) if it is a marked load
 * (not a write, nor an assertion's), else NULL. */
static slabsan_site_t marked_load_site(uint64_t w0, uint64_t w1)
{
	const uint64_t kind = SL_W0_MARKED | SL_W0_WRITE | SL_W0_ASSERT;
	return (w0 & kind) == SL_W0_MARKED ? sl_site_get((uint32_t)(w1 >> 32)) : NULL;
}

/* The site of a history entry (slot, w0, w1) if it records a plain load
 * (not a fence's entry), else NULL. */
static slabsan_site_t plain_load_site(const _Atomic uint64_t *slot, uint64_t w0, uint64_t w1)
{
	const uint64_t kind = SL_W0_MARKED | SL_W0_WRITE | SL_W0_ASSERT;
	return !(w0 & kind) && !sl_history_is_fence(slot) ? sl_site_get((uint32_t)(w1 >> 32))
							   : NULL;
}

/* A search of this thread's records for the load that brought it a
 * block's pointer (pointer_load_record): the block, one past it, whether
 * the load and store looked for are plain ones, and what was found, with
 * the load's epoch. */
struct handoff_search {
	const struct sl_thread *thr;
	uintptr_t lo, hi;
	bool plain;
	struct sl_recent_load found;
	uint32_t load_epoch;
};

/* The word at addr, read through the kernel: a report must not fault on
 * memory unmapped since the program accessed it. */
static bool read_word_quietly(uintptr_t addr, uint64_t *value)
{
	struct iovec local = {value, sizeof *value}, remote = {(void *)addr, sizeof *value};
	return syscall(SYS_process_vm_readv, getpid(), &local, 1, &remote, 1, 0) ==
	       (long)sizeof *value;
}

/* Is this thread's record w0 (in `slot`, from site word w1) a marked load
 * (with f->plain: a plain one) of a word outside the block that another
 * thread stored with a marked (plain) write and that still points into
 * the block? */
static bool pointer_load_record(void *ctx, const _Atomic uint64_t *slot, uint64_t w0,
				uint64_t w1, uint64_t at)
{
	struct handoff_search *f = ctx;
	slabsan_site_t load_site = f->plain ? plain_load_site(slot, w0, w1)
					    : marked_load_site(w0, w1);
	/* a record of the id's earlier thread is not this one's */
	if (!load_site || sl_w0_epoch(w0) < f->thr->first_epoch)
		return false;
	uintptr_t granule = sl_shadow_slot_addr(slot, w0) & ~(uintptr_t)(SL_GRANULE - 1);
	for (unsigned off = 0; off < SL_GRANULE; off += sizeof(void *)) {
		uintptr_t addr = granule + off;
		uint64_t value, w;
		if ((sl_w0_mask(w0) >> off & 0xff) != 0xff || (addr >= f->lo && addr < f->hi) ||
		    !(w = sl_write_by_other(addr, f->thr->tid, !f->plain)) ||
		    !read_word_quietly(addr, &value) || value < f->lo || value > f->hi)
			continue;
		f->found = (struct sl_recent_load){
			.value = value, .addr = addr,
			.load_site = (uint32_t)(w1 >> 32), .load_stack = (sl_stack_id)w1,
			.load_order = f->plain ? ORDER_PLAIN : load_order_of_site(load_site),
			.load_kind = f->plain ? SL_LOAD_ATOMIC : load_kind_of_site(load_site),
			.store_order = f->plain ? ORDER_PLAIN : 0,
			.store_tid = sl_w0_tid(w), .store_epoch = sl_w0_epoch(w),
			.history_at = at + 1,
		};
		f->load_epoch = sl_w0_epoch(w0);
		return true;
	}
	return false;
}

/* The store r's record names, by the location's sync object while its
 * last store is that one (the order and any release fence before it),
 * else through the storing thread's history, with its site's order. False
 * if neither knows it. */
static bool complete_recorded_store(const struct sl_thread *thr, struct sl_recent_load *r)
{
	const struct sl_sync *s = sl_sync_find(r->addr);
	struct sl_store_origin last = s ? sl_sync_store_origin(s) : (struct sl_store_origin){0};
	if (last.epoch && last.tid == r->store_tid && last.epoch == r->store_epoch) {
		r->store_site = last.site;
		r->store_stack = last.stack;
		r->store_order = last.order;
		r->store_fence = last.fence;
		return true;
	}
	find_store_site(thr, r);
	slabsan_site_t site = sl_site_get(r->store_site);
	if (site)
		r->store_order = order_of_site(site);
	return site != NULL;
}

/* The load that brought the block's pointer to this thread: the latest it
 * noted (atomic.c); else, by its record, one whose note later loads
 * pushed out of the ring. NULL if neither shows one. */
const struct sl_recent_load *sl_report_load_of_block(struct sl_thread *thr,
						     const struct sl_heap_block *b)
{
	const struct sl_recent_load *noted = sl_recent_load_from_outside(
		thr, b->user, b->user + b->size + 1, b->user, b->user + b->size);
	if (noted)
		return noted;
	static struct handoff_search search;     /* under the report lock */
	search = (struct handoff_search){thr, b->user, b->user + b->size, false};
	if (!sl_history_each_own(thr->history, pointer_load_record, &search) ||
	    !complete_recorded_store(thr, &search.found))
		return NULL;
	return &search.found;
}

/* The pointer to block b reached this thread through a plain variable, if
 * its records show one (its latest plain load of a word outside the
 * block, still pointing into it, that another thread wrote plainly): that
 * store and load, which order nothing, and the fix, by the locks either
 * side held (a variable guarded by a lock the reader forgot). False if
 * none shows. */
static bool explain_plain_handoff(struct sl_thread *thr, const struct sl_heap_block *b)
{
	static struct handoff_search search;     /* under the report lock */
	search = (struct handoff_search){thr, b->user, b->user + b->size, true};
	if (!sl_history_each_own(thr->history, pointer_load_record, &search))
		return false;
	struct sl_recent_load *r = &search.found;
	find_store_site(thr, r);
	char who[32], where[640], store_at[300], load_at[300];
	sl_report_thread_name(who, sizeof who, thr->tid);
	edge_location(r->addr, r->load_site, where, sizeof where);
	struct sl_lockset store_locks, load_locks;
	bool store_known = sl_lockset_at(r->store_tid, r->store_epoch, &store_locks);
	bool load_known = sl_lockset_at(thr->tid, search.load_epoch, &load_locks);
	bool known = store_known && load_known;
	struct pair_holding holding;
	sl_report_holding_phrase(holding.store, sizeof holding.store, &store_locks, store_known,
				 r->store_tid);
	sl_report_holding_phrase(holding.load, sizeof holding.load, &load_locks, load_known,
				 thr->tid);
	sl_report_note("The pointer reached %s through %s, a plain variable, which orders "
		       "nothing:\n", who, where);
	pair_sections(r, thr->tid, &edge_words, false, &holding);
	sl_report_site_where(r->store_site, store_at, sizeof store_at);
	sl_report_site_where(r->load_site, load_at, sizeof load_at);
	sl_report_plain_handoff_fix(known ? &store_locks : NULL, store_at, r->store_tid,
				    known ? &load_locks : NULL, load_at, thr->tid);
	sl_report_locks();    /* the lock its fix named */
	return true;
}

/* A free without acquire of block b, which reached the freeing thread
 * through no atomic load SlabSan saw: what the unordered access says
 * instead, or the plain variable the pointer came through. */
void sl_report_explain_unseen_handoff(struct sl_thread *thr, const struct sl_heap_block *b,
				      bool alloc_ordered, uint64_t write_w0, uint64_t write_w1)
{
	char who[32];
	sl_report_thread_name(who, sizeof who, thr->tid);
	if (write_w0 && sl_w0_marked(write_w0)) {
		explain_atomic_in_block(write_w1);
	} else if (write_w0 && alloc_ordered) {
		explain_late_write(thr, write_w0, write_w1);
	} else if (!explain_plain_handoff(thr, b)) {
		sl_report_note("The pointer did not reach %s through an atomic load SlabSan saw: "
		    "it travelled through a plain variable, a register or an uninstrumented "
		    "library, none of which orders anything.\n", who);
		sl_report_fix("hand the pointer over with a release store (smp_store_release) and "
		    "load it with an acquire load (smp_load_acquire), or under a lock.\n");
	}
}

/* A search of a relay's records (relayed): the thread that stored what
 * this thread loaded, and had acquired the earlier access before that
 * store. */
struct relay_search {
	uint64_t prev_w0;                      /* the earlier access */
	uint64_t store_w0;                     /* the relay's store's record */
	const _Atomic uint64_t *store_slots;   /* and its granule's slots */
	/* walked newest first: whether an entry of the store's record was
	 * met, and the oldest acquire fence met after the oldest such entry
	 * (fence_w0 0: none), which a relaxed load met next acquires through */
	bool store_met;
	uint64_t fence_w0, fence_w1;
	/* found: the relay's acquire load (its record), and as a pair with
	 * the release it read, for the report */
	uint64_t load_w0;
	struct sl_recent_load link;
};

/* Is the relay's record w0 (in `slot`, from site word w1) an acquire load
 * (or a relaxed one with an acquire fence after it), before its store, of
 * a location whose last store released the earlier access (by that
 * access's thread, at or after it)? Only the location's last store is
 * known (its sync object): a chain of releases longer than one, or a
 * location stored again since, is not followed. */
static bool relay_acquire_load(void *ctx, const _Atomic uint64_t *slot, uint64_t w0, uint64_t w1,
			       uint64_t at)
{
	struct relay_search *f = ctx;
	if (!((w0 ^ f->store_w0) & ~SL_W0_BYTES) && slot >= f->store_slots &&
	    slot < f->store_slots + SL_SLOTS) {
		f->store_met = true;
		f->fence_w0 = 0;
		return false;
	}
	/* the relay's store is a write: only a fence that orders writes */
	if (sl_history_is_fence(slot) && f->store_met && (w0 & SL_FENCE_ORDERS_WRITES)) {
		f->fence_w0 = w0;
		f->fence_w1 = w1;
		return false;
	}
	slabsan_site_t site = marked_load_site(w0, w1);
	if (!site || sl_w0_epoch(w0) > sl_w0_epoch(f->store_w0))
		return false;
	struct sl_recent_load load = {.load_order = load_order_of_site(site)};
	if (!order_acquires(load.load_order)) {
		load.fence_w0 = f->fence_w0;
		load.fence_w1 = f->fence_w1;
	}
	if (!load_acquires(&load))
		return false;
	uintptr_t addr = sl_shadow_slot_addr(slot, w0);
	const struct sl_sync *s = sl_sync_find(addr);
	if (!s)
		return false;
	struct sl_store_origin from = sl_sync_store_origin(s);
	struct sl_recent_load read = {.store_order = from.order, .store_tid = from.tid,
				      .store_fence = from.fence};
	const _Atomic uint64_t *load_slots = granule_slots(addr);
	/* a fence between them showed the load before the store */
	if (from.tid != sl_w0_tid(f->prev_w0) || from.epoch < sl_w0_epoch(f->prev_w0) ||
	    !store_releases(&read, f->prev_w0) || !load_slots ||
	    (sl_w0_epoch(w0) == sl_w0_epoch(f->store_w0) && !load.fence_w0 &&
	     !sl_history_all_before(w0, load_slots, f->store_w0, f->store_slots)))
		return false;
	f->load_w0 = w0;
	f->link = (struct sl_recent_load){
		.addr = addr, .load_site = site->id, .load_stack = (sl_stack_id)w1,
		.load_order = load.load_order, .load_kind = load_kind_of_site(site),
		.store_site = from.site, .store_order = from.order, .store_tid = from.tid,
		.store_stack = from.stack, .store_epoch = from.epoch, .store_fence = from.fence,
		.history_at = at + 1, .fence_w0 = load.fence_w0, .fence_w1 = load.fence_w1,
	};
	return true;
}

/* Did the thread that stored r's value (a relay: neither the earlier
 * access prev_w0's nor this one) acquire that access before the store,
 * with the pair r not ordering it? Its acquire goes to *relay. */
static bool relayed(struct relay_search *relay, uint64_t prev_w0, const struct sl_recent_load *r)
{
	*relay = (struct relay_search){
		.prev_w0 = prev_w0, .store_slots = granule_slots(r->addr),
		.store_w0 = sl_w0_who_when(r->store_tid, r->store_epoch) | SL_W0_MARKED |
			    SL_W0_WRITE,
	};
	return relay->store_slots && sl_history_each_of(r->store_tid, relay_acquire_load, relay) &&
	       !(store_releases(r, relay->load_w0) && load_acquires(r));
}

/* A search of this thread's loads for the flag it waited for (below): the
 * access the store must come after, and what was found. */
struct relaxed_flag_search {
	const struct sl_thread *thr;
	uint64_t prev_w0;
	uintptr_t prev_addr;
	const struct sl_recent_load *handoff;
	bool then_writes;       /* the access after the load is a write */
	/* not NULL: the store is a relay's (relayed), not the earlier
	 * access's thread's; walks of relays' histories left */
	struct relay_search *relay;
	unsigned relay_walks;
	struct sl_recent_load found;
};

/* relayed, while f may walk another relay's history (each walk reads a
 * whole history). */
static bool relayed_within_walks(struct relaxed_flag_search *f, const struct sl_recent_load *r)
{
	return f->relay_walks && f->relay_walks-- && relayed(f->relay, f->prev_w0, r);
}

/* Is this thread's record w0 (in `slot`, from site word w1) a marked load
 * of bytes that the thread of the earlier access stored, with a marked
 * store and no release, after that access (with f->relay: that a relay
 * stored, which had acquired the access: relayed)? Relaxed loads are not noted
 * (atomic.c: sqlite's WAL index would pay for every slot) and a relaxed
 * int store makes no sync object (nor does a volatile one, a kernel-style
 * WRITE_ONCE() the runtime performs as relaxed), so such a flag leaves
 * only its two records, side by side in the flag's
 * shadow (an acquire load's note may have been pushed out of the ring:
 * its order comes from its site). A relaxed load followed by an acquire
 * fence acquires through it; nothing is said when the thread's history no
 * longer shows that fence. The store released nothing: a release would
 * have made the location's sync object. */
static bool relaxed_flag_load(void *ctx, const _Atomic uint64_t *slot, uint64_t w0, uint64_t w1,
			      uint64_t at)
{
	struct relaxed_flag_search *f = ctx;
	slabsan_site_t load_site = marked_load_site(w0, w1);
	/* a record of the id's earlier thread is not this one's */
	if (!load_site || sl_w0_epoch(w0) < f->thr->first_epoch)
		return false;
	uint32_t load_order = load_order_of_site(load_site);
	bool fence_follows = !order_acquires(load_order) && f->thr->acquire_fence_at > at + 1;
	/* the store: the marked write in the loaded byte's shadow, as an
	 * acquire load looks for it (atomic.c, note_unreleased_store) */
	uintptr_t addr = sl_shadow_slot_addr(slot, w0);
	uint32_t writer = sl_w0_tid(f->prev_w0);
	uint64_t w = sl_write_by_other(addr, f->thr->tid, true);
	if (!w || (sl_w0_tid(w) == writer) == (f->relay != NULL) || sl_sync_find(addr) ||
	    (f->handoff && f->handoff->addr == addr))
		return false;       /* another's, a release made it, or the pointer's own */
	f->found = (struct sl_recent_load){
		.addr = addr, .load_site = (uint32_t)(w1 >> 32), .load_stack = (sl_stack_id)w1,
		.load_order = load_order, .load_kind = load_kind_of_site(load_site),
		.store_order = SLABSAN_RELAXED,
		.store_tid = sl_w0_tid(w), .store_epoch = sl_w0_epoch(w),
		.history_at = at + 1,
	};
	if (fence_follows &&
	    !find_load_fence(&f->found, f->thr->tid, f->then_writes))
		return false;
	if (f->relay)
		return relayed_within_walks(f, &f->found);
	return store_came_after(&f->found, f->prev_w0, f->prev_addr);
}

/* Is the load r that this thread noted the one f looks for: one that read
 * a store the earlier access's thread made after that access (with
 * f->relay: a relay's store, relayed), through a pair that does not order
 * the access? */
static bool noted_later_store(struct relaxed_flag_search *f, const struct sl_recent_load *r)
{
	uint32_t writer = sl_w0_tid(f->prev_w0);
	if (!r->store_epoch)
		return false;
	if (f->relay)
		return r->store_tid != writer && r->store_tid != f->thr->tid &&
		       relayed_within_walks(f, r);
	return r->store_tid == writer &&
	       !(store_releases(r, f->prev_w0) && load_acquires(r)) &&
	       store_came_after(r, f->prev_w0, f->prev_addr);
}

/* The latest load of this thread (f->thr) that read a value the thread of
 * the access f->prev_w0 (at f->prev_addr) stored after it, through a store
 * and load that did not order that access (a release read by an acquire
 * would have): the flag or pointer the thread waited for, whose edge is
 * missing. With f->relay, one that read a relay's store instead. Not
 * f->handoff, the load of the block's own pointer, which the report
 * explains as such. Among the loads this thread noted (atomic.c), else its
 * relaxed loads of a flag stored relaxed (*from_record); NULL if none
 * shows one. When locks or an assertion explain the report
 * (either_held_lock), only a pointer's load is offered: a flag or a
 * counter beside a forgotten lock (jemalloc's racing readers all bumped
 * one statistics counter) is a signal, not the program's hand-off. What
 * is found goes to f->found, completed with its store's site
 * (find_store_site) as a copy: the thread's notes stay as atomic.c made
 * them. */
static const struct sl_recent_load *load_of_later_store(struct relaxed_flag_search *f,
							bool explained_otherwise, bool *from_record)
{
	const struct sl_thread *thr = f->thr;
	*from_record = false;
	for (uint32_t i = 1; i <= SL_RECENT_LOADS && i <= thr->recent_next; i++) {
		const struct sl_recent_load *r =
			&thr->recent[(thr->recent_next - i) % SL_RECENT_LOADS];
		if (r == f->handoff)
			continue;
		f->found = *r;
		find_load_fence(&f->found, thr->tid, f->then_writes);
		if ((f->found.value || !explained_otherwise) && noted_later_store(f, &f->found)) {
			find_store_site(thr, &f->found);
			return &f->found;
		}
	}
	if (explained_otherwise || !sl_history_each_own(thr->history, relaxed_flag_load, f))
		return NULL;
	find_store_site(thr, &f->found);
	*from_record = true;
	return &f->found;
}

/* The missing edge between the earlier access (subject's `before`, "its
 * write", at prev_addr) and this thread's (`then`, "the free"), if this
 * thread's loads show it: a value the earlier access's thread stored
 * after that access, which this thread loaded before its own (the flag it
 * waited for), through a pair that does not order. False if none. */
bool sl_report_explain_later_store(struct sl_thread *thr, const struct edge_subject *subject,
				   uintptr_t prev_addr, const struct sl_recent_load *handoff,
				   bool explained_otherwise)
{
	static struct relaxed_flag_search search;     /* under the report lock */
	static struct relay_search relay;
	struct edge_subject found = *subject;
	search = (struct relaxed_flag_search){.thr = thr, .prev_w0 = subject->before_w0,
					      .prev_addr = prev_addr, .handoff = handoff,
					      .then_writes = subject->then_writes};
	const struct sl_recent_load *r = load_of_later_store(&search, explained_otherwise,
							     &found.value_unknown);
	if (!r && !explained_otherwise) {
		/* a chain of hand-offs, broken after a relay (relayed): each
		 * candidate walks a relay's whole history, so a few only */
		search.relay = &relay;
		search.relay_walks = 8;
		r = load_of_later_store(&search, false, &found.value_unknown);
		found.relay_link = &relay.link;
		found.before_w0 = relay.load_w0;   /* what the relay's store is to release */
	}
	if (r)
		explain_edge(thr, r, &found);
	return r != NULL;
}

/* Was the pointer r brought to this thread stored before the live block b
 * at its address was allocated, by the same thread (whose epochs tell)?
 * Then it pointed to an earlier block there, freed since, whose memory the
 * allocator handed out again: a pool (a kmalloc cache) does at once. Not
 * when this thread has acquired the allocation since: then it may hold the
 * new block's pointer by a way no note shows (a variable under a lock). */
static bool stale_pointer(const struct sl_thread *thr, const struct sl_recent_load *r,
			  const struct sl_heap_block *b)
{
	return !b->freed && b->alloc_epoch && r->store_epoch && r->store_tid == b->alloc_tid &&
	       r->store_epoch < b->alloc_epoch &&
	       sl_vclock_lane(&thr->clock, b->alloc_tid, true) < b->alloc_epoch;
}

/* This thread used a stale pointer (stale_pointer): its race is with the
 * memory's next owner, and no edge would fix it; the free of the earlier
 * block came too soon. In an RCU read-side section, it needed a grace
 * period. */
static void explain_stale_pointer(struct sl_thread *thr, const struct sl_recent_load *r)
{
	char who[32], storer[32], store_at[300], where[640];
	sl_report_thread_name(who, sizeof who, thr->tid);
	sl_report_thread_name(storer, sizeof storer, r->store_tid);
	sl_report_site_where(r->store_site, store_at, sizeof store_at);
	edge_location(r->addr, r->load_site, where, sizeof where);
	sl_report_set_cause(SL_CAUSE_STALE_POINTER, cause_key(r));
	sl_report_note("The pointer reached %s through %s:\n", who, where);
	pair_sections(r, thr->tid, &edge_words, false, NULL);
	sl_report_note("But %s stored it at %s before it allocated this block: it points to an "
		       "earlier block at this address, which was freed, and its memory handed out "
		       "again, while %s still used it.\n", storer, store_at, who);
	struct sl_lockset now;
	if (sl_lockset_now(thr, &now) && now.rcu_reader)
		sl_report_fix("free the earlier block after a grace period (kfree_rcu(), "
			      "call_rcu(), or synchronize_rcu() before the free), so that no "
			      "reader still holds it when its memory is reused.\n");
	else
		sl_report_fix("free the earlier block only when no other thread can still use "
			      "it (a reference count every user drops, or a grace period), or "
			      "stop using the pointer once it may have been freed.\n");
}

/* The edge a race misses: the flag this thread waited for (above); else,
 * for a heap block whose pointer this thread received through an atomic
 * load, that hand-off, or that the pointer is stale (stale_pointer); or
 * the plain variable it came through, unless locks explain the race. */
void sl_report_explain_missing_edge(struct sl_thread *thr, uintptr_t addr, uint64_t cur_w0,
				    uint32_t cur_site, uint64_t prev_w0, uint32_t prev_site,
				    bool explained_otherwise)
{
	char at[300], then[340], before[64];
	sl_report_site_where(cur_site, at, sizeof at);
	snprintf(then, sizeof then, "the %s at %s",
		 sl_report_access_of(cur_w0, cur_site, false), at);
	snprintf(before, sizeof before, "its %s", sl_report_access_of(prev_w0, prev_site, false));
	struct sl_heap_block b;
	bool in_block = sl_heap_find(addr, &b);
	const struct sl_recent_load *handoff = in_block ? sl_report_load_of_block(thr, &b) : NULL;
	bool writes = sl_w0_write(cur_w0);
	struct edge_subject subject = {.before = before, .then = then, .before_w0 = prev_w0,
				       .then_writes = writes};
	if (handoff && stale_pointer(thr, handoff, &b))
		explain_stale_pointer(thr, handoff);
	else if (sl_report_explain_later_store(thr, &subject, addr, handoff, explained_otherwise))
		return;
	else if (handoff)
		sl_report_explain_handoff(thr, handoff, prev_w0, writes);
	else if (in_block && !explained_otherwise)
		explain_plain_handoff(thr, &b);
}
