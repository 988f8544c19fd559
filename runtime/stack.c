// SPDX-License-Identifier: Apache-2.0
/* Stacks: the shadow call stack the pass maintains (__slabsan_func_entry/
 * exit), and the depot that turns a stack into a 32-bit id so a shadow slot
 * can remember where an access came from. The depot is append-only and
 * lock-free to read; a thread caches the id of its current stack until it
 * enters or leaves a function, so a loop of accesses pays for one lookup. */
#include <signal.h>
#include <string.h>
#include <unwind.h>

#include "internal.h"

#define DEPOT_BUCKETS (1u << 18)
#define DEPOT_MAX_IDS (1u << 24)

struct depot_entry {
	struct depot_entry *next;
	uint64_t hash;
	sl_stack_id id;
	struct sl_stack stack;        /* pc[] follows */
};

static struct depot_entry *_Atomic *buckets;
static struct depot_entry *_Atomic *by_id;
static atomic_uint next_id = 1;

/* Hash of a stack, built outermost frame first so that the shadow stack can
 * keep it up to date one frame at a time (thr->frame_hash). */
static inline uint64_t mix(uint64_t h, uintptr_t pc)
{
	h ^= pc + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

void sl_stack_init(void)
{
	buckets = sl_mmap_reserve(DEPOT_BUCKETS * sizeof *buckets);
	by_id = sl_mmap_reserve(DEPOT_MAX_IDS * sizeof *by_id);
}

static bool same_frames(const uintptr_t *a, const uintptr_t *b, uint32_t depth)
{
	for (uint32_t i = 0; i < depth; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* (frames compared by hand: memcmp is the program's, checked, libc_strings.c) */
static struct depot_entry *find(struct depot_entry *e, uint64_t hash,
				const uintptr_t *pc, uint32_t depth)
{
	for (; e; e = e->next)
		if (e->hash == hash && e->stack.depth == depth &&
		    same_frames(e->stack.pc, pc, depth))
			return e;
	return NULL;
}

/* pc[0..depth) innermost first. */
static sl_stack_id depot_put(uint64_t hash, const uintptr_t *pc, uint32_t depth)
{
	struct depot_entry *_Atomic *head = &buckets[hash & (DEPOT_BUCKETS - 1)];
	struct depot_entry *first = atomic_load_explicit(head, memory_order_acquire);
	struct depot_entry *e = find(first, hash, pc, depth);
	if (e)
		return e->id;
	uint32_t id = atomic_fetch_add_explicit(&next_id, 1, memory_order_relaxed);
	if (id >= DEPOT_MAX_IDS)
		return 0;                      /* depot full: reports lose this stack */
	e = sl_alloc(sizeof *e + depth * sizeof *pc);
	e->hash = hash;
	e->id = id;
	e->stack.depth = depth;
	memcpy(e->stack.pc, pc, depth * sizeof *pc);
	atomic_store_explicit(&by_id[id], e, memory_order_release);
	for (;;) {
		e->next = first;
		if (atomic_compare_exchange_weak_explicit(head, &first, e, memory_order_release,
							  memory_order_acquire))
			return id;
		struct depot_entry *dup = find(first, hash, pc, depth);
		if (dup)
			return dup->id;       /* raced with an equal insert; ours is an orphan id */
	}
}

const struct sl_stack *sl_stack_get(sl_stack_id id)
{
	if (id == 0 || id >= DEPOT_MAX_IDS)
		return NULL;
	struct depot_entry *e = atomic_load_explicit(&by_id[id], memory_order_acquire);
	return e ? &e->stack : NULL;
}

static uint32_t route_frames(uintptr_t frame, uintptr_t *out, uint32_t room);

/* The shadow frames, innermost first, into out; returns how many. */
static uint32_t shadow_frames(const struct sl_thread *thr, uintptr_t *out, uint32_t room)
{
	uint32_t depth = thr->depth < SL_MAX_FRAMES ? thr->depth : SL_MAX_FRAMES, n = 0;
	for (uint32_t i = depth; i-- > 0 && n < room;)
		n += route_frames(thr->frames[i], out + n, room - n);
	return n;
}

static uint64_t shadow_hash(const struct sl_thread *thr)
{
	return thr->frame_hash[thr->depth < SL_MAX_FRAMES ? thr->depth : SL_MAX_FRAMES];
}

/* A miss of the cache below goes to the depot, out of line: its pc[]
 * buffer made every hit set up a large stack frame. The new id takes the
 * set's first way and the one it displaces the second. The stack is
 * top[0..ntop) in front of the shadow frames. */
static SL_NOINLINE sl_stack_id cache_miss(struct sl_thread *thr, unsigned set, uint64_t hash,
					  const uintptr_t *top, uint32_t ntop)
{
	uintptr_t pc[SL_MAX_FRAMES + 1];
	memcpy(pc, top, ntop * sizeof *pc);
	uint32_t n = ntop + shadow_frames(thr, pc + ntop, SL_MAX_FRAMES + 1 - ntop);
	sl_stack_id id = depot_put(hash, pc, n);
	thr->stack_cache[set + 1] = thr->stack_cache[set];
	thr->stack_cache[set].hash = hash;
	thr->stack_cache[set].id = id;
	return id;
}

/* A thread asks for the same few stacks over and over (the functions that
 * record accesses, the places that call malloc and free): a small cache
 * keyed by the stack's 64-bit hash saves the depot's bucket walk and
 * compare. pc[] is filled only on a miss. Two ways per set: direct-mapped,
 * two hot stacks that happened to share a slot (which stacks do depends on
 * where the linker put the code) evicted each other on every call, and a
 * quarter of a benchmark's instructions went to the depot. */
static SL_ALWAYS_INLINE sl_stack_id cached(struct sl_thread *thr, uint64_t hash,
					   const uintptr_t *top, uint32_t ntop)
{
	unsigned set = (unsigned)(hash >> 58) % SL_STACK_CACHE & ~1u;
	if (sl_likely(thr->stack_cache[set].hash == hash && thr->stack_cache[set].id))
		return thr->stack_cache[set].id;
	if (thr->stack_cache[set + 1].hash == hash && thr->stack_cache[set + 1].id)
		return thr->stack_cache[set + 1].id;
	return cache_miss(thr, set, hash, top, ntop);
}

sl_stack_id sl_stack_of_access_slow(struct sl_thread *thr)
{
	thr->access_stack = cached(thr, shadow_hash(thr), NULL, 0);
	return thr->access_stack;
}

uint32_t sl_stack_now(const struct sl_thread *thr, uintptr_t top_pc, uintptr_t *pc)
{
	pc[0] = top_pc;
	return 1 + shadow_frames(thr, pc + 1, SL_MAX_FRAMES);
}

/* top_pc on top of the shadow stack */
static SL_ALWAYS_INLINE sl_stack_id shadow_stack_under(struct sl_thread *thr, uintptr_t top_pc)
{
	return cached(thr, mix(shadow_hash(thr), top_pc), &top_pc, 1);
}

/* ---- calls from code SlabSan did not instrument */

/* libc's strdup(), getline() and fclose() call malloc and free, and so may
 * an uninstrumented library: the interceptor's return address is in their
 * code, and the shadow stack ends at the instrumented function that called
 * them, without the line it called from (or without that function at all,
 * inlined into its caller). Those calls, and only those, unwind the machine
 * stack through the foreign frames (their .eh_frame describes them) up to
 * and including the first frame back in instrumented code. */
#define MAX_FOREIGN_FRAMES 16

/* An unwind costs microseconds, and a loop of strdup() calls would pay it
 * every time. But a foreign call site's frames have a fixed size, so one
 * unwind learns a route: where, from this function's frame, the return
 * address back into instrumented code lies. The next call from the same
 * foreign pc reads that slot, and if it holds the same return address, the
 * foreign frames in between are the route's. Anything else unwinds (and
 * learns that route too). Routes are immutable once published. */
struct foreign_route {
	uintptr_t top_pc;                   /* the interceptor's return address */
	uintptr_t back_pc;                  /* the first one in instrumented code */
	uintptr_t back_slot;                /* where it lies, above the anchor frame */
	uint32_t n;                         /* pc[0] == top_pc, pc[n - 1] == back_pc */
	uintptr_t pc[MAX_FOREIGN_FRAMES];
};

#define ROUTES (1u << 12)
#define ROUTE_PROBES 8
#define MAX_BACK_SLOT 2048u   /* read only this far up: the stack goes on further */
static struct foreign_route *_Atomic routes[ROUTES];

static unsigned route_hash(uintptr_t top_pc)
{
	return (unsigned)(mix(0, top_pc) >> 52) % ROUTES;
}

/* above: how far up from the anchor the thread's stack goes */
static const struct foreign_route *known_route(uintptr_t anchor, uintptr_t above,
					       uintptr_t top_pc)
{
	for (unsigned i = 0, h = route_hash(top_pc); i < ROUTE_PROBES; i++) {
		const struct foreign_route *r =
			atomic_load_explicit(&routes[(h + i) % ROUTES], memory_order_acquire);
		if (!r)
			return NULL;
		if (r->top_pc == top_pc && r->back_slot < above &&
		    *(const uintptr_t *)(anchor + r->back_slot) == r->back_pc)
			return r;
	}
	return NULL;
}

static void learn_route(const struct foreign_route *walked)
{
	struct foreign_route *r = NULL;
	for (unsigned i = 0, h = route_hash(walked->top_pc); i < ROUTE_PROBES; i++) {
		struct foreign_route *_Atomic *slot = &routes[(h + i) % ROUTES];
		if (atomic_load_explicit(slot, memory_order_relaxed))
			continue;
		if (!r) {
			r = sl_alloc(sizeof *r);
			*r = *walked;
		}
		struct foreign_route *empty = NULL;
		if (atomic_compare_exchange_strong_explicit(slot, &empty, r, memory_order_release,
							    memory_order_relaxed))
			return;
	}
	/* r, if made, stays unused: every probe taken, the table is full */
}

struct foreign_walk {
	struct foreign_route route;
	uintptr_t anchor;
	uint32_t passed;                    /* foreign frames not kept in route.pc */
};

/* Foreign frames are kept up to the route's room less one; the walk goes on
 * past more of them (qsort()'s recursion) to the frame back in instrumented
 * code, which takes the last place. */
#define MAX_FOREIGN_FRAMES_PASSED 256u

static _Unwind_Reason_Code foreign_frame(struct _Unwind_Context *ctx, void *arg)
{
	struct foreign_walk *w = arg;
	struct foreign_route *r = &w->route;
	uintptr_t ip = _Unwind_GetIP(ctx);
	if (!r->n && ip != r->top_pc)
		return _URC_NO_REASON;       /* the runtime's own frames */
	bool back = r->n > 0 && sl_pc_in_instrumented_code(ip);
	if (r->n < MAX_FOREIGN_FRAMES - 1 || back)
		r->pc[r->n++] = ip;
	else if (++w->passed == MAX_FOREIGN_FRAMES_PASSED)
		return _URC_END_OF_STACK;
	if (back) {
		/* libgcc's context CFA is the stack pointer at ip; the return
		 * address, pushed by the call at ip, lies just below it */
		r->back_pc = ip;
		r->back_slot = _Unwind_GetCFA(ctx) - sizeof(uintptr_t) - w->anchor;
		return _URC_END_OF_STACK;
	}
	return _URC_NO_REASON;
}

static sl_stack_id stack_with_route(struct sl_thread *thr, const uintptr_t *pc, uint32_t n)
{
	uint64_t hash = shadow_hash(thr);
	for (uint32_t i = n; i-- > 0;)
		hash = mix(hash, pc[i]);
	return cached(thr, hash, pc, n);
}

/* A walk takes a few KiB of stack (libgcc's frame states): it is made only
 * with 8 KiB left, which a PTHREAD_STACK_MIN thread (16 KiB in all) has at
 * its first calls; libuv's tests overflowed one walking in the malloc of
 * pthread_getattr_np() before this check. A route's slot is read only
 * inside the stack. On a signal handler's alternate stack (its size the
 * program's choice) the same holds, asked of sigaltstack(): a handler's
 * call into libc is rare. An unknown stack (a thread not started through
 * our pthread_create) is taken to be large. */
#define WALK_NEEDS_STACK (8u << 10)

/* The main thread's bounds are learned late (glibc reads /proc/self/maps
 * for them), but its top is known from the start, and its size need only
 * tell it from an alternate stack. */
extern void *__libc_stack_end;
#define MAIN_STACK_AT_MOST (1ul << 30)

/* The bounds of the stack sp should be on: the thread's, or the alternate
 * signal stack it runs on. False if the thread's is unknown. */
static bool stack_bounds(const struct sl_thread *thr, uintptr_t sp, uintptr_t *lo,
			 uintptr_t *hi)
{
	const struct sl_thread_info *info = sl_thread_info(thr->tid);
	*lo = info ? info->stack_lo : 0;
	*hi = info ? info->stack_hi : 0;
	if (!*hi && thr->first_tid == 0) {
		*hi = (uintptr_t)__libc_stack_end;
		*lo = *hi - MAIN_STACK_AT_MOST;
	}
	if (!*hi)
		return false;
	stack_t alt;
	if ((sp < *lo || sp >= *hi) && sigaltstack(NULL, &alt) == 0 &&
	    (alt.ss_flags & SS_ONSTACK)) {
		*lo = (uintptr_t)alt.ss_sp;
		*hi = *lo + alt.ss_size;
	}
	return true;
}

/* The stack sp is on: the bytes below and above it. False if unknown. */
static bool stack_room(const struct sl_thread *thr, uintptr_t sp, uintptr_t *below,
		       uintptr_t *above)
{
	uintptr_t lo, hi;
	if (!stack_bounds(thr, sp, &lo, &hi)) {
		*below = *above = MAX_BACK_SLOT + WALK_NEEDS_STACK;
		return true;
	}
	*below = sp - lo;
	*above = hi - sp - sizeof(uintptr_t);
	return sp >= lo && sp < hi - sizeof(uintptr_t);
}

size_t sl_stack_left(const struct sl_thread *thr)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0), lo, hi;
	if (!stack_bounds(thr, sp, &lo, &hi))
		return SIZE_MAX;
	return sp >= lo && sp < hi ? sp - lo : 0;
}

static SL_NOINLINE sl_stack_id stack_through_foreign_code(struct sl_thread *thr,
							   uintptr_t top_pc)
{
	uintptr_t anchor = (uintptr_t)__builtin_frame_address(0), below, above;
	if (!stack_room(thr, anchor, &below, &above))
		return shadow_stack_under(thr, top_pc);
	const struct foreign_route *known = known_route(anchor, above, top_pc);
	if (known)
		return stack_with_route(thr, known->pc, known->n);
	struct foreign_walk w = { .route.top_pc = top_pc, .anchor = anchor };
	if (below >= WALK_NEEDS_STACK)
		_Unwind_Backtrace(foreign_frame, &w);
	if (w.route.n < 2)                  /* no unwind information there, or no room */
		return shadow_stack_under(thr, top_pc);
	if (w.route.back_pc && w.route.back_slot < MAX_BACK_SLOT &&
	    w.route.back_slot < above &&
	    *(const uintptr_t *)(anchor + w.route.back_slot) == w.route.back_pc)
		learn_route(&w.route);
	return stack_with_route(thr, w.route.pc, w.route.n);
}

sl_stack_id sl_stack_here(struct sl_thread *thr, uintptr_t top_pc)
{
	if (sl_unlikely(!sl_pc_in_instrumented_code(top_pc)))
		return stack_through_foreign_code(thr, top_pc);
	return shadow_stack_under(thr, top_pc);
}

/* ---- functions entered from code SlabSan did not instrument
 *
 * A callback (qsort()'s comparison, an atexit() handler, an event loop's
 * callback) is entered with a return address in the foreign code that
 * called it. A shadow frame holds the return address of the call made from
 * it, so the instrumented function below the foreign code showed no line,
 * or was left out as libc's start-up. Such an entry walks the machine stack
 * to the first return address back in instrumented code, and its shadow
 * frame stands for that whole route: the frame's value is the route's
 * address with ROUTE_FRAME set, which the frames' hash takes like any
 * other value and shadow_frames() expands. So routes never change or go
 * away (a hash must keep meaning the same frames). A thread keeps its last
 * few, checked by the slot of the return address back into instrumented
 * code: that slot stays where it is while the foreign code calls back
 * (qsort()'s recursion moves the frames above it), so a comparison called
 * millions of times walks once per call site. */
#define ROUTE_FRAME (1ull << 63)
#define MAX_ENTRY_ROUTES (1u << 14)     /* 2.5 MiB of routes at most */
#define ENTRY_ROUTES (sizeof ((struct sl_thread *)0)->entry_routes / \
		      sizeof ((struct sl_thread *)0)->entry_routes[0])
#define UNKNOWN_STACK_NEAR (1ul << 20)
static atomic_uint entry_routes_made;

static uint32_t route_frames(uintptr_t frame, uintptr_t *out, uint32_t room)
{
	if (sl_likely(!(frame & ROUTE_FRAME))) {
		out[0] = frame;
		return 1;
	}
	const struct foreign_route *r = (const struct foreign_route *)(frame & ~ROUTE_FRAME);
	uint32_t n = r->n < room ? r->n : room;
	memcpy(out, r->pc, n * sizeof *out);
	return n;
}

/* The entry from retaddr the thread made last, kept by retaddr's hash. */
static struct sl_entry_route *entry_of(struct sl_thread *thr, uintptr_t retaddr)
{
	return &thr->entry_routes[(retaddr ^ retaddr >> 6) % ENTRY_ROUTES];
}

/* The shadow frame of an entry from foreign code at retaddr, when the
 * last entry from retaddr does not stand: a route, or retaddr itself when
 * that is in another instrumented module, when the walk finds no way back
 * (main(), called by libc's start-up; a thread foreign code started),
 * cannot walk (no room, a stack the runtime does not know), or routes ran
 * out. known: where the entry is kept. */
static SL_NOINLINE uintptr_t walk_entry_route(struct sl_thread *thr, uintptr_t retaddr,
					      struct sl_entry_route *known)
{
	uintptr_t anchor = (uintptr_t)__builtin_frame_address(0), below, above;
	if (sl_pc_in_other_instrumented_code(retaddr)) {
		/* stands on any stack; before any module registered (its
		 * constructors), nothing is known and nothing kept */
		if (atomic_load_explicit(&sl_instrumented_code_ranges, memory_order_relaxed))
			*known = (struct sl_entry_route){retaddr, 0, 0, retaddr, 0, UINTPTR_MAX};
		return retaddr;
	}
	if (!stack_room(thr, anchor, &below, &above)) {
		/* a stack the runtime does not know (a coroutine's): no walk, and
		 * none asked for again near here (the question is a system call) */
		*known = (struct sl_entry_route){retaddr, 0, 0, retaddr, anchor - UNKNOWN_STACK_NEAR,
						 anchor + UNKNOWN_STACK_NEAR};
		return retaddr;
	}
	if (below < WALK_NEEDS_STACK)
		return retaddr;
	struct sl_entry_route e = {retaddr, 0, 0, retaddr, anchor - below, anchor + above};
	struct foreign_walk w = {.route.top_pc = retaddr, .anchor = anchor};
	bool was_in_runtime = thr->in_runtime;
	thr->in_runtime = true;            /* (what the unwinder does is not the program's) */
	_Unwind_Backtrace(foreign_frame, &w);
	sl_runtime_section_restore(thr, was_in_runtime);
	/* (no route is remembered too, so that it is not walked again) */
	uintptr_t slot = anchor + w.route.back_slot;
	if (w.route.back_pc && w.route.back_slot < above &&
	    *(const uintptr_t *)slot == w.route.back_pc &&
	    atomic_fetch_add_explicit(&entry_routes_made, 1, memory_order_relaxed) <
		    MAX_ENTRY_ROUTES) {
		struct foreign_route *r = sl_alloc(sizeof *r);
		*r = w.route;
		e.slot = slot;
		e.back_pc = r->back_pc;
		e.frame = (uintptr_t)r | ROUTE_FRAME;
	}
	return (*known = e).frame;
}

/* The shadow frame of an entry at retaddr, an address outside the first
 * module SlabSan instrumented. The last entry from retaddr stands while
 * the stack the caller runs on is the one it was made on and its slot
 * still holds the way back: the slot lies between the caller's frame and
 * the top of that stack, mapped while the caller runs on it. (The walk is
 * a function of its own, so that this check saves no registers: about 30
 * instructions for each call of a comparison qsort() makes.) */
static SL_NOINLINE uintptr_t foreign_entry_frame(struct sl_thread *thr, uintptr_t retaddr)
{
	uintptr_t anchor = (uintptr_t)__builtin_frame_address(0);
	struct sl_entry_route *known = entry_of(thr, retaddr);
	if (known->retaddr == retaddr &&
	    anchor - known->stack_lo < known->stack_hi - known->stack_lo &&
	    (!known->slot || (known->slot > anchor &&
			      *(const uintptr_t *)known->slot == known->back_pc)))
		return known->frame;
	return walk_entry_route(thr, retaddr, known);
}

static SL_ALWAYS_INLINE void push_frame(struct sl_thread *thr, uintptr_t retaddr,
					 bool maybe_foreign)
{
	uint32_t d = thr->depth++;
	if (sl_likely(d < SL_MAX_FRAMES)) {
		uintptr_t frame = retaddr;
		if (maybe_foreign && sl_unlikely(!sl_pc_in_first_instrumented_code(frame)))
			frame = foreign_entry_frame(thr, frame);
		thr->frames[d] = frame;
		thr->frame_hash[d + 1] = mix(thr->frame_hash[d], frame);
	}
	thr->access_stack = 0;
}

SL_EXPORT void __slabsan_func_entry(void *retaddr)
{
	push_frame(sl_thread(), (uintptr_t)retaddr, true);
}

SL_EXPORT void __slabsan_func_entry_local(void *retaddr)
{
	push_frame(sl_thread(), (uintptr_t)retaddr, false);
}

/* abi.h: setjmp's second return */
SL_EXPORT uint32_t __slabsan_stack_depth(void)
{
	return sl_thread()->depth;
}

SL_EXPORT void __slabsan_stack_unwind(uint32_t depth)
{
	struct sl_thread *thr = sl_thread();
	if (sl_likely(thr->depth <= depth))
		return;                       /* setjmp's first return */
	thr->depth = depth;
	thr->access_stack = 0;
	if (thr->dependency_depth > depth)
		thr->dependency_depth = 0;
}

SL_EXPORT void __slabsan_func_exit(void)
{
	struct sl_thread *thr = sl_thread();
	if (sl_likely(thr->depth))
		thr->depth--;
	thr->access_stack = 0;
	if (sl_unlikely(thr->dependency_depth > thr->depth))
		thr->dependency_depth = 0;   /* the freeing function returned */
}
