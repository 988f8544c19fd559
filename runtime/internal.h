/* SPDX-License-Identifier: Apache-2.0 */
/* Declarations the runtime's files share, grouped by the file that defines
 * them. Names: sl_* internal-shared, static file-local, __slabsan_* compiler
 * ABI (abi.h), slabsan_* public API (include/slabsan/). */
#ifndef SLABSAN_INTERNAL_H
#define SLABSAN_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "abi.h"
#include "clock.h"
#include "lockset.h"

#define sl_likely(x) __builtin_expect(!!(x), 1)
#define sl_unlikely(x) __builtin_expect(!!(x), 0)
#define SL_NOINLINE __attribute__((noinline))
#define SL_ALWAYS_INLINE inline __attribute__((always_inline))
/* Off the fast path: out of line, so its registers and spills stay there. */
#define SL_COLD __attribute__((noinline, cold))
#define SL_EXPORT __attribute__((visibility("default")))

/* fd.c: the runtime's own I/O, straight to the kernel, past the
 * interceptors of read() and write(), whose edges are the program's. */
ssize_t sl_sys_write(int fd, const void *buf, size_t n);
ssize_t sl_sys_read(int fd, void *buf, size_t n);

/* ---- signal.c: a signal that arrives while its thread is inside the
 * runtime (sl_runtime_depth > 0: holding a runtime lock, or inside the
 * malloc family) waits until the thread leaves; the outermost leave runs the
 * handler. So a handler never finds a lock held by the code it interrupted,
 * however it reenters the runtime. Synchronous faults are never deferred.
 * sl_in_signal_handler counts the user's handlers running on this thread. */
extern _Thread_local int sl_runtime_depth __attribute__((tls_model("initial-exec")));
extern _Thread_local volatile int sl_signal_pending __attribute__((tls_model("initial-exec")));
extern _Thread_local int sl_in_signal_handler __attribute__((tls_model("initial-exec")));
void sl_signal_deliver_pending(void);
void sl_signal_unsafe_call(const char *call, uintptr_t pc);
void sl_signal_init(void);   /* after the options: the deadly signals' wrapper */
/* A thread's alternate signal stack (for a stack overflow's report), set
 * up at its start and given back at its finish. */
void sl_signal_thread_start(void);
void sl_signal_thread_finish(void);
static SL_ALWAYS_INLINE void sl_runtime_enter(void)
{
	sl_runtime_depth++;
	atomic_signal_fence(memory_order_seq_cst);
}
static SL_ALWAYS_INLINE void sl_runtime_leave(void)
{
	atomic_signal_fence(memory_order_seq_cst);
	sl_runtime_depth--;
	atomic_signal_fence(memory_order_seq_cst);
	if (sl_unlikely(sl_signal_pending) && sl_runtime_depth == 0)
		sl_signal_deliver_pending();
}
/* An interceptor of an async-signal-unsafe function: the body is a runtime
 * section, and a call from a signal handler is reported first. */
static SL_ALWAYS_INLINE int sl_interceptor_enter(const char *call, uintptr_t pc)
{
	sl_runtime_enter();
	if (sl_unlikely(sl_in_signal_handler))
		sl_signal_unsafe_call(call, pc);
	return 0;
}
static SL_ALWAYS_INLINE void sl_interceptor_leave(int *unused)
{
	(void)unused;
	sl_runtime_leave();
}
#define SL_INTERCEPTOR_SCOPE(call)					\
	__attribute__((cleanup(sl_interceptor_leave), unused)) int sl_scope_ = \
		sl_interceptor_enter(call, (uintptr_t)__builtin_return_address(0))
/* The same check alone, for interceptors that may block (a mutex lock):
 * those must not defer signals. */
#define SL_SIGNAL_UNSAFE(call)							\
	do {									\
		if (sl_unlikely(sl_in_signal_handler))				\
			sl_signal_unsafe_call(call,				\
					      (uintptr_t)__builtin_return_address(0)); \
	} while (0)

/* ---- lock.h-like: the runtime's own spinlock (never a pthread mutex: those
 * are intercepted, and reports may be made while one is held). Holding one
 * is a runtime section (signal.c). */
typedef struct { atomic_int locked; } sl_spinlock;
void sl_spin_lock_slow(sl_spinlock *l);
/* Inline: every synchronization operation of the program takes one. */
static inline void sl_spin_lock(sl_spinlock *l)
{
	sl_runtime_enter();
	if (__builtin_expect(!atomic_exchange_explicit(&l->locked, 1, memory_order_acquire), 1))
		return;
	sl_spin_lock_slow(l);
}
/* The lock if it is free now; no spinning, no runtime section left open
 * when it is not. */
static inline bool sl_spin_trylock(sl_spinlock *l)
{
	sl_runtime_enter();
	if (__builtin_expect(!atomic_exchange_explicit(&l->locked, 1, memory_order_acquire), 1))
		return true;
	sl_runtime_leave();
	return false;
}
static inline void sl_spin_unlock(sl_spinlock *l)
{
	atomic_store_explicit(&l->locked, 0, memory_order_release);
	sl_runtime_leave();
}
/* A file-level runtime lock, listed in one linker section so that a fork()
 * child (which has only the forking thread) can free the ones that other
 * threads held at the fork (fork.c). */
#define SL_GLOBAL_LOCK(name)						\
	static sl_spinlock name;					\
	static sl_spinlock *const name##_entry				\
		__attribute__((used, section("slabsan_locks"))) = &name

/* ---- internal_alloc.c: memory for the runtime itself, from mmap, so the
 * runtime never allocates through the allocator it checks. */
void *sl_alloc(size_t size);            /* zeroed */
void sl_free(void *p, size_t size);
void *sl_mmap_reserve(size_t size);     /* zeroed, MAP_NORESERVE */
void *sl_raw_mmap(void *addr, size_t size, int prot, int flags);
void sl_raw_munmap(void *addr, size_t size);

/* ---- options.c */
enum sl_memory_model { SL_MM_STRICT, SL_MM_LKMM };
struct sl_options {
#define SL_OPTION(type, name, default_value, description) type name;
#include "options.def"
#undef SL_OPTION
};
extern struct sl_options sl_opt;
void sl_options_init(const char *env);

/* ---- stack.c: shadow call stack and stack depot. */
#define SL_MAX_FRAMES 64
typedef uint32_t sl_stack_id;  /* 0: no stack */
#define SL_STACK_CACHE 64
struct sl_stack { uint32_t depth; uintptr_t pc[]; }; /* innermost first */
sl_stack_id sl_stack_here(struct sl_thread *thr, uintptr_t top_pc);
/* The same stack's pcs (room for SL_MAX_FRAMES + 1), without the depot:
 * for a report from a fault handler. Returns how many. */
uint32_t sl_stack_now(const struct sl_thread *thr, uintptr_t top_pc, uintptr_t *pc);
sl_stack_id sl_stack_of_access_slow(struct sl_thread *thr);
/* Bytes left on the machine stack the caller runs on: 0 on a stack the
 * thread is not known to own (a coroutine's), SIZE_MAX when the thread's
 * own is unknown (taken to be large). */
size_t sl_stack_left(const struct sl_thread *thr);
const struct sl_stack *sl_stack_get(sl_stack_id id);

/* ---- init.c: set when the program's exit has begun (its atexit handlers) */
extern atomic_bool sl_exiting;

/* ---- sites.c */
slabsan_site_t sl_site_get(uint32_t id);
void sl_sites_init(void);
#define SL_MAX_CODE_RANGES 64u
struct sl_code_range { _Atomic uintptr_t lo, size; };   /* relaxed: size 0 is "not yet" */
extern struct sl_code_range sl_instrumented_code[SL_MAX_CODE_RANGES];
extern atomic_uint sl_instrumented_code_ranges;
bool sl_pc_in_other_instrumented_code(uintptr_t pc);

/* Is pc in the code of a module that registered sites, or in the runtime's?
 * On every allocation, free and lock: a plain program has one range,
 * the first, compared inline. True before any module registered, when
 * nothing is known (sl_sites_init). */
static SL_ALWAYS_INLINE bool sl_pc_in_first_instrumented_code(uintptr_t pc)
{
	const struct sl_code_range *r = &sl_instrumented_code[0];
	return pc - atomic_load_explicit(&r->lo, memory_order_relaxed) <
	       atomic_load_explicit(&r->size, memory_order_relaxed);
}
static SL_ALWAYS_INLINE bool sl_pc_in_instrumented_code(uintptr_t pc)
{
	return sl_likely(sl_pc_in_first_instrumented_code(pc)) ||
	       sl_pc_in_other_instrumented_code(pc);
}

/* ---- thread.c */
#define SL_MAX_THREADS 0x1ffd
struct sl_recent_load;

/* ---- cumulativity.c: memory_model=lkmm's A-cumulative releases. A
 * release also orders the stores its thread read before it (the kernel
 * model's "rfe? ; po-rel"), one store at a time: not that store's whole
 * thread, as a clock entry would. */
#define SL_CUMUL_THREAD 8
#define SL_CUMUL_SYNC 4
struct sl_store_ref { uintptr_t addr; uint32_t tid, epoch; };
struct sl_sync;
void sl_cumul_read(struct sl_thread *thr, const struct sl_sync *s, uintptr_t addr);
void sl_cumul_release(const struct sl_thread *thr, struct sl_sync *s);
void sl_cumul_acquire(struct sl_thread *thr, const struct sl_sync *s);
bool sl_cumul_orders(const struct sl_thread *thr, uintptr_t addr, uint64_t w0);

/* ---- thread.c, continued */
#define SL_SPAN_CLASSES 16u       /* span.h */
struct sl_thread {
	uint16_t tid;
	uint16_t first_tid;       /* the id reports name it by (sl_thread_renew) */
	/* Which thread this is, for knowledge kept without an epoch (a sync
	 * object's covered_by): never 0, and new at every start and id
	 * switch, where a tid goes to another thread that may not know what
	 * its last user knew (a finished detached thread's, thread.c). */
	uint32_t serial;
	bool in_runtime;          /* inside a runtime section: its libc calls are not the
				   * program's, signals wait (sl_runtime_section_end) */
	int ignore_depth;         /* data_race() and friends */
	uint32_t epoch;           /* == clock.w[tid] */
	uint32_t first_epoch;     /* under this id: its history's older records are another thread's */
	uint32_t reads_released;  /* own epoch up to which reads were released fully */
	uint64_t w0_who_when;     /* sl_w0_who_when(tid, epoch), kept with epoch for the check */
	struct sl_sync *edge_sync;  /* locked around an atomic left to the program (atomic.c) */
	struct sl_vclock clock;   /* what this thread's accesses are ordered after */
	struct sl_vclock read_extra;      /* smp_rmb: ordered for later reads only */
	struct sl_vclock pending_acquire; /* joined by relaxed loads, for acquire fences */
	struct sl_vclock fence_release;   /* clock at the last release fence */
	/* lkmm: a free's address dependency, in force while the freeing
	 * function runs (depth >= dependency_depth, 0 = none) */
	struct sl_vclock dependency_extra;
	uint32_t dependency_depth;
	bool has_fence_release;
	/* fence_release's entry for this thread's own id (0s: none), which
	 * relaxed stores' origins keep (atomic.c, note_store) */
	struct sl_vc_entry fence_release_own;
	/* 1 + its history's position (sl_history_position) at its last acquire
	 * fence or smp_rmb(), 0 if none: which of its loads a fence followed,
	 * for reports (report_edge.c, relaxed_flag_load) */
	uint64_t acquire_fence_at;
	/* shadow call stack */
	uint32_t depth;
	sl_stack_id access_stack;         /* cached depot id of the current stack, 0 = stale */
	/* stack ids by the stack's hash (stack.c), direct-mapped */
	struct { uint64_t hash; sl_stack_id id; } stack_cache[SL_STACK_CACHE];
	uintptr_t frames[SL_MAX_FRAMES];
	uint64_t frame_hash[SL_MAX_FRAMES + 1];
	/* the last entries from code SlabSan did not instrument (stack.c) */
	struct sl_entry_route { uintptr_t retaddr, slot, back_pc, frame, stack_lo, stack_hi; }
		entry_routes[8];
	/* where pointers came from, for explaining a free without acquire */
	struct sl_recent_load *recent;
	uint32_t recent_next;
	/* lkmm: other threads' stores known one by one (cumulativity.c) */
	struct sl_store_ref cumul[SL_CUMUL_THREAD];
	uint32_t cumul_next;
	struct sl_quarantine *quarantine;   /* heap.c: this thread's freed blocks */
	/* span.c: this thread's small blocks, per size class (NULL until used) */
	struct sl_span_magazine *span_magazine[SL_SPAN_CLASSES];
	struct sl_history *history;         /* history.h: the records it made */
	/* lockset.h: the locks it holds, as a node of its id's tree of sets */
	uint32_t lockset, locks_held;
	struct sl_lock_tree *lock_tree;
};
struct sl_thread_info {               /* survives the thread, for reports */
	uint16_t tid, parent_tid;
	uint16_t first_tid;               /* the thread's id in reports (sl_thread_renew) */
	uint16_t renamed_to;              /* 0, or the id it went on under (sl_thread_renew) */
	bool finished, joined, detached;
	bool unseen_start;                /* not started through our pthread_create */
	sl_stack_id create_stack;
	struct sl_vclock final_clock;     /* clock at exit, for join */
	unsigned long os_tid;
	uintptr_t handle;                 /* pthread_t */
	uint32_t final_epoch;             /* epoch at exit: a reuser of the id starts above */
	struct sl_thread *thr;            /* until joined */
	uintptr_t stack_lo, stack_hi;     /* its stack, for reports (0: unknown) */
};
extern _Thread_local struct sl_thread *sl_cur_thread
	__attribute__((tls_model("initial-exec")));
struct sl_thread *sl_thread_slow(void);
static SL_ALWAYS_INLINE struct sl_thread *sl_thread(void)
{
	struct sl_thread *thr = sl_cur_thread;
	return sl_likely(thr != NULL) ? thr : sl_thread_slow();
}
/* The end of a runtime section (thr->in_runtime set): a signal that came
 * inside it waited (signal.c), and its handler runs now unless a runtime
 * lock is still held. A handler that ran inside the section would run
 * unseen: its accesses unchecked and its fences and stores, which may
 * order the interrupted thread with another (liburcu's urcu-signal
 * grace periods), lost. */
static SL_ALWAYS_INLINE void sl_runtime_section_end(struct sl_thread *thr)
{
	/* volatile, as sl_signal_pending is: the store comes before the
	 * test, without a compiler barrier's reloads of everything else */
	*(volatile bool *)&thr->in_runtime = false;
	if (sl_unlikely(sl_signal_pending) && sl_runtime_depth == 0)
		sl_signal_deliver_pending();
}
/* Back to what a nested section found: inside the outer one, or out. */
static SL_ALWAYS_INLINE void sl_runtime_section_restore(struct sl_thread *thr, bool was)
{
	if (was)
		thr->in_runtime = true;
	else
		sl_runtime_section_end(thr);
}
/* The stack of the thread's current access: cached until the next call or
 * return, so repeated records in one function look it up once. */
static SL_ALWAYS_INLINE sl_stack_id sl_stack_of_access(struct sl_thread *thr)
{
	return sl_likely(thr->access_stack) ? thr->access_stack : sl_stack_of_access_slow(thr);
}
void sl_thread_init_main(void);
void sl_thread_after_fork_child(struct sl_thread *self);
/* Epochs a thread id may reach (epochs_per_id), and the thread that
 * reached them going on under another id (thread.c). */
extern uint32_t sl_epoch_limit;
SL_COLD void sl_thread_renew(struct sl_thread *thr);
/* The id reports name thread tid by: the one its thread started with. */
uint32_t sl_thread_first_tid(uint32_t tid);
/* The entry of the thread that started as first_tid, under its latest id. */
const struct sl_thread_info *sl_thread_info_now(uint32_t first_tid);
struct sl_thread_info *sl_thread_info(uint16_t tid);
/* The running thread whose stack holds addr, or NULL (reports only). */
const struct sl_thread_info *sl_thread_of_stack(uintptr_t addr);
extern atomic_uint sl_threads_running;           /* started, not yet finished */

/* ---- shadow.c / shadow.h: see shadow.h */

/* ---- sync.c: per-address synchronization state. */
struct sl_sync {
	_Atomic uintptr_t addr;       /* 0 while dead (sync.c) */
	struct sl_sync *_Atomic next; /* in its granule's list */
	struct sl_sync *free_next;    /* on the free list */
	sl_spinlock lock;
	/* bumped by every unlock, creation and retirement: a load that takes
	 * no lock validates against it like a seqlock reader (atomic.c) */
	_Atomic uint32_t version;
	struct sl_vclock clock;       /* release clock (or writer-unlock clock) */
	/* serial of a thread whose clock is known to cover `clock` (0: none):
	 * its acquires can skip the O(threads) join. Whatever changes `clock`
	 * other than sl_release/sl_release_store must reset it. */
	uint32_t covered_by;
	struct sl_vclock read_clock;  /* rwlock: reader-unlock clock */
	int32_t writer_tid;           /* rwlock: first_tid of its writer, -1 */
	/* last store, for explaining how a pointer travelled */
	uint32_t store_site, store_order, store_tid;
	sl_stack_id store_stack;
	uint32_t store_epoch;         /* 0: no store seen */
	/* a relaxed store after a release fence (or smp_wmb()): the fence's
	 * entry for its own thread, which says what of the thread it released;
	 * 0s otherwise */
	struct sl_vc_entry store_fence;
	struct sl_store_ref cumul[SL_CUMUL_SYNC];   /* lkmm: what a release carries */
	_Atomic uintptr_t cond_mutex; /* condvar: the mutex its last waiter held (condvar.c) */
	_Atomic uint32_t holder;      /* mutex: serial of the thread holding it, 0: none */
	uint32_t state;               /* pthread_once */
	uint32_t barrier_count, barrier_arrived, barrier_generation;
};
/* Finding, locking, acquiring and releasing an object: sync.h. */
void sl_sync_remove_range(uintptr_t addr, size_t size);
/* posix.c: acquire or release (sync.h) the object at addr, for interceptors */
void sl_acquire_at(const void *addr);
void sl_release_at(const void *addr);
/* posix.c: the same for a lock (a mutex or spinlock) a trylock took, which
 * also notes who holds it and adds it to the held set; pc is the return
 * address of the call that took it (0: unknown) */
void sl_mutex_locked(const void *m, uintptr_t pc);
/* posix.c: a blocking lock's steps (before the real call; after it, told
 * whether it locked) and an unlock's (before; after) */
void sl_mutex_lock_before(const void *m, uintptr_t pc);
void sl_mutex_lock_after(const void *m, bool locked);
void sl_mutex_unlock_before(const void *m);
void sl_mutex_unlock_after(const void *m);
/* posix.c: a lock (| SL_LOCK_SHARED) joins the thread's held set (taken,
 * from the call returning to pc) or leaves it, without any edge */
void sl_held_set_change(uintptr_t lock, bool taken, uintptr_t pc);
/* ---- condvar.c */
void sl_cond_before_wait(const void *c, const void *m);
void sl_cond_after_wait(const void *c, const void *m, bool woken);
void sl_cond_signalling(const void *c);
void sl_cond_wait_cancelled(void *m);
/* A condvar wait: ret = call, the real wait on c with mutex m, between its
 * edges. Cancelled while blocked, a wait still takes m back (glibc relocks
 * it inside, past our pthread_mutex_lock) before the thread's cleanup
 * handlers run, and they run as m's holder: the cleanup pushed here gives
 * them m's acquire first. For files that include <pthread.h>. */
#define SL_COND_WAIT(ret, call, c, m, woken)					\
	do {									\
		sl_cond_before_wait(c, m);					\
		pthread_cleanup_push(sl_cond_wait_cancelled, (void *)(m));	\
		ret = call;							\
		pthread_cleanup_pop(0);						\
		sl_cond_after_wait(c, m, woken);				\
	} while (0)

/* ---- access.c */
void sl_access(struct sl_thread *thr, uintptr_t addr, size_t size, bool is_write,
	       bool is_marked, slabsan_site_t site);
/* flags: SL_W0_WRITE | SL_W0_MARKED | SL_W0_ASSERT (shadow.h) */
void sl_access_flags(struct sl_thread *thr, uintptr_t addr, size_t size, uint64_t flags,
		     slabsan_site_t site);
void sl_access_by_call(struct sl_thread *thr, uintptr_t addr, size_t size, uint64_t flags,
		       uintptr_t caller_pc);
void sl_access_in_call(const void *buf, size_t n, bool is_write, uintptr_t caller_pc);

/* ---- real.c: libc's definition of an intercepted function (the one with
 * that symbol version if version is not NULL and libc has it); dies
 * naming it if there is none. */
void *sl_real_function(const char *name, const char *version);
void *sl_real_dlsym(void *handle, const char *name);   /* libc's (dlsym.c) */
/* real_<name> = libc's name, for interceptors that keep it in real_<name> */
#define SL_FIND_REAL(name) real_##name = sl_real_function(#name, NULL)
/* An interceptor's call of the real function, found on first use (the
 * program may call it before start-up), with the arguments. */
#define SL_REAL_RESULT(result, name, ...)					\
	static __typeof__(name) *_Atomic real_;					\
	__typeof__(name) *fn_ = atomic_load_explicit(&real_, memory_order_relaxed); \
	if (sl_unlikely(!fn_)) {						\
		fn_ = (__typeof__(name) *)sl_real_function(#name, NULL);	\
		atomic_store_explicit(&real_, fn_, memory_order_relaxed);	\
	}									\
	result = fn_(__VA_ARGS__)
#define SL_CALLER ((uintptr_t)__builtin_return_address(0))

/* ---- heap.c */
struct sl_heap_block {
	uintptr_t user;
	size_t size;
	uint16_t alloc_tid, free_tid;
	sl_stack_id alloc_stack, free_stack;
	uint32_t alloc_epoch;   /* alloc_tid's epoch at the allocation; 0: not known */
	bool freed;
	bool custom;            /* a pool's (slabsan_malloclike): its free is a pool function */
};
bool sl_heap_find(uintptr_t addr, struct sl_heap_block *out);
/* Does a heap block, live or quarantined, start at addr? */
bool sl_heap_block_starts_at(uintptr_t addr);
void sl_heap_malloclike(struct sl_thread *thr, void *p, size_t size, uintptr_t pc);
void sl_heap_freelike(struct sl_thread *thr, void *p, uintptr_t pc);
void sl_heap_thread_gone(struct sl_thread *gone, struct sl_thread *heir);
void *sl_real_malloc(size_t size);
void sl_real_free(void *p);

/* ---- atomic.c: recent pointer loads, for the missing edge. */
#define SL_RECENT_LOADS 16
/* What loaded a noted value: reports name it and its fix by it. */
enum sl_load_kind {
	SL_LOAD_ATOMIC,         /* an atomic or volatile load */
	SL_LOAD_RMW,            /* a read-modify-write (or compare-exchange) that stored */
	SL_LOAD_FAILED_CAS,     /* a compare-exchange that failed: its failure order's load */
};

struct sl_recent_load {
	uintptr_t value, addr;
	uint32_t load_site, load_order;
	enum sl_load_kind load_kind;
	sl_stack_id load_stack;
	uint32_t store_site, store_order, store_tid;
	sl_stack_id store_stack;
	uint32_t store_epoch;         /* the storing thread's, at the store; 0: unknown */
	struct sl_vc_entry store_fence;   /* as sl_sync's */
	/* the loading thread's history position after the load: an acquire
	 * fence that followed a relaxed load is an entry there or later
	 * (sl_history_fence_from); a report's find keeps its words in
	 * fence_w0 and fence_w1 (0: none) */
	uint64_t history_at, fence_w0, fence_w1;
	/* memory_model=lkmm: what the load would have acquired, for an address
	 * dependency from it to a free of the loaded pointer. */
	struct sl_vclock dependency;
};
/* The thread's latest pointer load whose value lies in [lo, hi), or NULL;
 * _from_outside leaves out loads from [skip_lo, skip_hi) (a thread that
 * loads from a block, say an empty list head pointing to itself, had the
 * block's address already). */
const struct sl_recent_load *sl_recent_load_of(struct sl_thread *thr,
					       uintptr_t lo, uintptr_t hi);
const struct sl_recent_load *sl_recent_load_from_outside(struct sl_thread *thr, uintptr_t lo,
							  uintptr_t hi, uintptr_t skip_lo,
							  uintptr_t skip_hi);

/* ---- schedule.c */
/* Maybe yield or sleep (schedule_seed). Every synchronization asks, and
 * the option is nearly always off, so the test is inline. */
void sl_schedule_perturb(void);
static SL_ALWAYS_INLINE void sl_schedule_point(void)
{
	if (sl_unlikely(sl_opt.schedule_seed != 0))
		sl_schedule_perturb();
}
struct slabsan_test_barrier;
void __slabsan_test_barrier_wait(struct slabsan_test_barrier *b);

/* ---- report_writer.c (report_internal.h has the report files' own) */
void sl_report_init(void);
void sl_report_after_fork_child(void);
void sl_report_finish(void);
unsigned long sl_report_count(void);
void sl_note_once(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- symbolize.c */
struct sl_frame_text { char function[128]; char file[256]; char module[128]; unsigned line; };
void sl_symbolize_init(void);   /* at start-up */
void sl_symbolize_after_fork_child(void);
/* The path of the executable or library that holds addr. */
bool sl_module_of(uintptr_t addr, char *out, size_t size);
/* Up to max frames (inlined ones expand) for one code address. */
int sl_symbolize_pc(uintptr_t pc, struct sl_frame_text *out, int max);
/* The global variable at addr, if the symbol table knows it. */
bool sl_symbolize_data(uintptr_t addr, char *name, size_t size);
/* The same with where addr lies in the global: offset, and its size (0:
 * unknown). */
bool sl_symbolize_global(uintptr_t addr, char *name, size_t size, size_t *offset,
			 size_t *bytes);

/* ---- init.c */
extern atomic_bool sl_initialized;
void sl_init(void);
/* The calling thread, when it runs the program's code (not the runtime's,
 * not before start-up): for interceptors of libc calls the runtime makes
 * too (fd.c, libc_strings.c). */
static inline struct sl_thread *sl_program_thread(void)
{
	struct sl_thread *thr = sl_cur_thread;
	return thr && !thr->in_runtime && atomic_load_explicit(&sl_initialized, memory_order_relaxed)
		? thr : NULL;
}
/* Runtime work a program thread does outside any interceptor (the exit's
 * reports, a fork child's set-up, a module's unload): what it calls
 * through the interceptors is the runtime's, not the program's. Returns
 * the state sl_runtime_work_end restores. */
static inline bool sl_runtime_work_begin(void)
{
	struct sl_thread *thr = sl_cur_thread;
	bool was = thr && thr->in_runtime;
	if (thr)
		thr->in_runtime = true;
	return was;
}
static inline void sl_runtime_work_end(bool was)
{
	struct sl_thread *thr = sl_cur_thread;
	if (thr)
		sl_runtime_section_restore(thr, was);
}
/* Shadow and tables only, safe inside malloc: every malloc and free asks,
 * so the test is inline. */
enum { SL_MEMORY_NEW, SL_MEMORY_STARTING, SL_MEMORY_READY };
extern atomic_int sl_memory_state;
void sl_init_memory_slow(void);
static SL_ALWAYS_INLINE void sl_init_memory(void)
{
	if (sl_unlikely(atomic_load_explicit(&sl_memory_state, memory_order_acquire) !=
			SL_MEMORY_READY))
		sl_init_memory_slow();
}
void sl_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
