// SPDX-License-Identifier: Apache-2.0
/* Threads: ids, clocks across create/join/detach/exit, and the thread table
 * reports use to say who created whom. Ids of joined threads are reused
 * (reuse_tid), so SL_MAX_THREADS bounds the threads alive at once. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "history.h"
#include "span.h"
#include "sync.h"

_Thread_local struct sl_thread *sl_cur_thread __attribute__((tls_model("initial-exec")));

static struct sl_thread_info *_Atomic infos[SL_MAX_THREADS];
static atomic_uint next_tid;
atomic_uint sl_threads_running;

static int (*real_pthread_create)(pthread_t *, const pthread_attr_t *,
				  void *(*)(void *), void *);
static int (*real_pthread_join)(pthread_t, void **);
static int (*real_pthread_tryjoin_np)(pthread_t, void **);
static int (*real_pthread_timedjoin_np)(pthread_t, void **, const struct timespec *);
static int (*real_pthread_clockjoin_np)(pthread_t, void **, clockid_t, const struct timespec *);
static int (*real_pthread_detach)(pthread_t);
static pthread_key_t finish_key;            /* see finish_after_destructors */
static void finish_after_destructors(void *rounds_left);

struct sl_thread_info *sl_thread_info(uint16_t tid)
{
	return tid < SL_MAX_THREADS ? atomic_load_explicit(&infos[tid], memory_order_acquire)
				    : NULL;
}

uint32_t sl_epoch_limit = UINT32_MAX;

uint32_t sl_thread_first_tid(uint32_t tid)
{
	const struct sl_thread_info *info = sl_thread_info((uint16_t)tid);
	return info ? info->first_tid : tid;
}

const struct sl_thread_info *sl_thread_info_now(uint32_t first_tid)
{
	const struct sl_thread_info *info = sl_thread_info((uint16_t)first_tid);
	while (info && info->renamed_to) {
		const struct sl_thread_info *next = sl_thread_info(info->renamed_to);
		if (!next || next->first_tid != first_tid)
			break;          /* the id went to another thread since */
		info = next;
	}
	return info;
}

/* Thread ids come back when a thread is joined. An id may go to a new
 * thread only if its creator already knows the old thread's last epoch:
 * then everything the old thread did happens before the new one starts,
 * and the new thread, continuing the old epochs, can neither mistake the
 * old accesses for its own in a way that hides a race, nor make a third
 * thread believe it synchronized with the old one. So clocks stay as wide
 * as the threads alive at once, not as all threads ever created. */
static uint16_t free_tids[SL_MAX_THREADS];
static uint32_t nfree;
SL_GLOBAL_LOCK(free_lock);

static bool reuse_tid(const struct sl_thread *parent, uint32_t *tid, uint32_t *epoch)
{
	bool found = false;
	sl_spin_lock(&free_lock);
	for (uint32_t i = nfree; i-- > 0;) {
		struct sl_thread_info *old = sl_thread_info(free_tids[i]);
		if (sl_vclock_get(&parent->clock, free_tids[i]).w < old->final_epoch)
			continue;
		*tid = free_tids[i];
		*epoch = old->final_epoch + 1;
		free_tids[i] = free_tids[--nfree];
		found = true;
		break;
	}
	sl_spin_unlock(&free_lock);
	return found;
}

static void release_tid(struct sl_thread_info *info)
{
	if (info->final_epoch >= sl_epoch_limit)
		return;         /* its epochs are spent: a reuser would have none */
	sl_spin_lock(&free_lock);
	free_tids[nfree++] = info->tid;
	sl_spin_unlock(&free_lock);
}

/* A thread's serial (internal.h): 2^32 starts and switches before one
 * comes back, skipping 0. */
static uint32_t next_serial(void)
{
	static atomic_uint serials;
	uint32_t serial;
	while (!(serial = atomic_fetch_add_explicit(&serials, 1, memory_order_relaxed) + 1))
		;
	return serial;
}

/* An id no thread has had yet. */
static bool unused_tid(uint32_t *tid)
{
	*tid = atomic_fetch_add_explicit(&next_tid, 1, memory_order_relaxed);
	return *tid < SL_MAX_THREADS;
}

/* Detached threads that have finished, oldest first: a ring under
 * free_lock. Nobody joins them, so nobody learns their last epoch and
 * reuse_tid never hands out their ids; a program that starts a detached
 * thread per request stopped after 8189 of them, holding the state of
 * every one (378 MiB at 8000: each clock as wide as the ids used). Their
 * state is freed once their OS thread has exited (reap_detached), and
 * their ids go to new threads when no other is left (reuse_detached_tid):
 * the first `reaped` entries are freed. */
static struct {
	uint16_t tid[SL_MAX_THREADS];
	uint32_t first, reaped, count;
} done_detached;
static atomic_flag reaping = ATOMIC_FLAG_INIT;

/* info's thread is both detached and finished now; free_lock held. */
static void push_done_detached(const struct sl_thread_info *info)
{
	uint32_t at = (done_detached.first + done_detached.count++) % SL_MAX_THREADS;
	done_detached.tid[at] = info->tid;
}

/* The id of the detached thread that finished first, among those freed.
 * Its epochs continue, as reuse_tid's do, but the new thread's creator
 * does not know the old thread's last epoch: a thread that later
 * synchronizes with the new one is taken to be ordered after the old
 * one's accesses too, so a race with those may go unreported.
 * ThreadSanitizer reuses ids the same way. */
static bool reuse_detached_tid(uint32_t *tid, uint32_t *epoch)
{
	bool found = false;
	sl_spin_lock(&free_lock);
	while (!found && done_detached.reaped > 0) {
		const struct sl_thread_info *old =
			sl_thread_info(done_detached.tid[done_detached.first]);
		done_detached.first = (done_detached.first + 1) % SL_MAX_THREADS;
		done_detached.reaped--;
		done_detached.count--;
		if (old->final_epoch >= sl_epoch_limit)
			continue;       /* spent (release_tid) */
		*tid = old->tid;
		*epoch = old->final_epoch + 1;
		found = true;
	}
	sl_spin_unlock(&free_lock);
	if (found)
		sl_note_once("more than %u thread ids used: ids of finished detached threads "
			     "are reused, so a race with one of those threads' last accesses "
			     "may go unreported", SL_MAX_THREADS);
	return found;
}

/* An id for a new thread (or one going on under another, sl_thread_renew)
 * that `parent` starts: one whose last user parent knows to have ended,
 * else one never used, else a finished detached thread's. */
static bool tid_for(const struct sl_thread *parent, uint32_t *tid, uint32_t *epoch)
{
	*epoch = 1;
	return (parent && reuse_tid(parent, tid, epoch)) || unused_tid(tid) ||
	       reuse_detached_tid(tid, epoch);
}

static struct sl_thread *thread_new(const struct sl_thread *parent, sl_stack_id create_stack)
{
	uint32_t tid, epoch;
	if (!tid_for(parent, &tid, &epoch))
		sl_die("more than %u threads alive or unjoined at once", SL_MAX_THREADS);
	struct sl_thread *thr = sl_alloc(sizeof *thr);
	atomic_fetch_add_explicit(&sl_threads_running, 1, memory_order_relaxed);
	thr->tid = thr->first_tid = (uint16_t)tid;
	thr->serial = next_serial();
	thr->epoch = thr->first_epoch = epoch;
	thr->w0_who_when = sl_w0_who_when(tid, epoch);
	thr->reads_released = epoch - 1;
	thr->recent = sl_alloc(SL_RECENT_LOADS * sizeof *thr->recent);
	thr->history = sl_history_of(tid);
	sl_lockset_thread_at(thr);
	struct sl_thread_info *info = sl_thread_info((uint16_t)tid);
	if (!info)
		info = sl_alloc(sizeof *info);
	*info = (struct sl_thread_info){
		.tid = (uint16_t)tid,
		.first_tid = (uint16_t)tid,
		.parent_tid = parent ? parent->first_tid : 0,
		.create_stack = create_stack,
		.thr = thr,
	};
	atomic_store_explicit(&infos[tid], info, memory_order_release);
	return thr;
}

/* A thread that has spent its id's epochs (sl_epoch_limit: 2^32-1
 * releases, about a minute of locking and unlocking in a loop) goes on
 * under another id, as if it had started a thread that continues it and
 * then exited: its clock, which holds its last epoch under the old id,
 * orders everything it did under that id before anything it does next,
 * and a thread that acquires from it later learns both. The old id is
 * never reused (release_tid), its history stays for reports of its
 * records, and reports name the thread by the id it started with. */
SL_COLD void sl_thread_renew(struct sl_thread *thr)
{
	uint32_t tid, epoch;
	if (!tid_for(thr, &tid, &epoch))
		sl_die("thread T%u has used the %u epochs of a thread id, and no id is left "
		       "for it to go on with (%u ids in all)",
		       thr->first_tid, sl_epoch_limit, SL_MAX_THREADS);
	struct sl_thread_info *old = sl_thread_info(thr->tid);
	struct sl_thread_info *info = sl_thread_info((uint16_t)tid);
	if (!info)
		info = sl_alloc(sizeof *info);
	*info = (struct sl_thread_info){
		.tid = (uint16_t)tid,
		.parent_tid = old->parent_tid,
		.first_tid = thr->first_tid,
		.detached = old->detached,
		.create_stack = old->create_stack,
		.os_tid = old->os_tid,
		.handle = old->handle,
		.thr = thr,
		.stack_lo = old->stack_lo,
		.stack_hi = old->stack_hi,
	};
	/* the new entry first: a lookup by handle finds one or the other */
	atomic_store_explicit(&infos[tid], info, memory_order_release);
	old->final_epoch = thr->epoch;
	old->thr = NULL;
	old->renamed_to = (uint16_t)tid;
	if (sl_opt.verbosity >= 1)
		sl_note_once("thread T%u has used the %u epochs of id %u; it goes on as id %u",
			     thr->first_tid, sl_epoch_limit, thr->tid, tid);
	thr->tid = (uint16_t)tid;
	thr->serial = next_serial();
	thr->epoch = thr->first_epoch = epoch;
	thr->w0_who_when = sl_w0_who_when(tid, epoch);
	thr->history = sl_history_of(tid);
	thr->acquire_fence_at = 0;
	thr->fence_release_own = (struct sl_vc_entry){0, 0};   /* the old id's epochs */
	sl_lockset_thread_at(thr);
	sl_vclock_set(&thr->clock, tid, (struct sl_vc_entry){epoch, epoch});
}

/* A joined thread's state is no longer used by anyone: not even its TLS
 * destructors, which ran before join returned. */
static void thread_destroy(struct sl_thread *thr, struct sl_thread *joiner)
{
	sl_heap_thread_gone(thr, joiner);
	sl_vclock_destroy(&thr->clock);
	sl_vclock_destroy(&thr->read_extra);
	sl_vclock_destroy(&thr->pending_acquire);
	sl_vclock_destroy(&thr->fence_release);
	sl_vclock_destroy(&thr->dependency_extra);
	for (unsigned i = 0; i < SL_RECENT_LOADS; i++)
		sl_vclock_destroy(&thr->recent[i].dependency);
	sl_free(thr->recent, SL_RECENT_LOADS * sizeof *thr->recent);
	sl_free(thr, sizeof *thr);
}

/* info's thread was joined (or never started): its state goes, its id
 * back to the free list. */
static void retire_joined(struct sl_thread_info *info, struct sl_thread *joiner)
{
	thread_destroy(info->thr, joiner);
	info->thr = NULL;
	release_tid(info);
}

/* Has info's OS thread exited? Until then glibc may still run on it after
 * its finish (freeing its TLS), and our interceptors with it. (The
 * program's errno stays: the creator's pthread_create asks.) */
static bool os_thread_gone(const struct sl_thread_info *info)
{
	int saved = errno;
	bool gone = syscall(SYS_tgkill, getpid(), (pid_t)info->os_tid, 0) == -1 && errno == ESRCH;
	errno = saved;
	return gone;
}

/* Free the state of the detached threads that finished first, once their
 * OS threads have exited: a couple per thread created, which keeps up with
 * any program that starts threads no faster than they end. The creator
 * takes their quarantined blocks, as a joiner does. */
static void reap_detached(struct sl_thread *creator)
{
	if (atomic_flag_test_and_set_explicit(&reaping, memory_order_acquire))
		return;         /* another creator is at it */
	for (int n = 0; n < 2; n++) {
		struct sl_thread_info *info = NULL;
		sl_spin_lock(&free_lock);
		if (done_detached.reaped < done_detached.count)
			info = sl_thread_info(done_detached.tid[(done_detached.first +
								 done_detached.reaped) %
								SL_MAX_THREADS]);
		sl_spin_unlock(&free_lock);
		if (!info || !os_thread_gone(info))
			break;
		thread_destroy(info->thr, creator);
		info->thr = NULL;
		sl_vclock_destroy(&info->final_clock);
		sl_spin_lock(&free_lock);
		done_detached.reaped++;
		sl_spin_unlock(&free_lock);
	}
	atomic_flag_clear_explicit(&reaping, memory_order_release);
}

/* Where a thread's stack is, for reports that meet a pointer into it. */
static void learn_stack(struct sl_thread_info *info, pthread_t handle)
{
	pthread_attr_t attr;
	void *addr;
	size_t size;
	if (pthread_getattr_np(handle, &attr))
		return;
	if (!pthread_attr_getstack(&attr, &addr, &size)) {
		info->stack_lo = (uintptr_t)addr;
		info->stack_hi = (uintptr_t)addr + size;
	}
	pthread_attr_destroy(&attr);
}

const struct sl_thread_info *sl_thread_of_stack(uintptr_t addr)
{
	uint32_t n = atomic_load_explicit(&next_tid, memory_order_relaxed);
	for (uint32_t tid = 0; tid < n && tid < SL_MAX_THREADS; tid++) {
		struct sl_thread_info *info = sl_thread_info((uint16_t)tid);
		if (!info || info->finished || info->renamed_to)
			continue;
		/* the main thread's, asked for only now: glibc reads
		 * /proc/self/maps for it, 0.1 ms that every start-up would pay */
		if (info->first_tid == 0 && !info->stack_hi)
			learn_stack(info, (pthread_t)info->handle);
		if (addr >= info->stack_lo && addr < info->stack_hi)
			return info;
	}
	return NULL;
}

void sl_thread_init_main(void)
{
	SL_FIND_REAL(pthread_create);
	SL_FIND_REAL(pthread_join);
	SL_FIND_REAL(pthread_tryjoin_np);
	SL_FIND_REAL(pthread_timedjoin_np);
	SL_FIND_REAL(pthread_clockjoin_np);
	SL_FIND_REAL(pthread_detach);
	if (pthread_key_create(&finish_key, finish_after_destructors))
		sl_die("cannot create the thread-exit key");
	if (sl_opt.epochs_per_id)
		sl_epoch_limit = (uint32_t)sl_opt.epochs_per_id;
	struct sl_thread *thr = thread_new(NULL, 0);
	sl_vclock_set(&thr->clock, thr->tid, (struct sl_vc_entry){1, 1});
	struct sl_thread_info *info = sl_thread_info(thr->tid);
	info->os_tid = (unsigned long)syscall(SYS_gettid);
	info->handle = (uintptr_t)pthread_self();
	sl_cur_thread = thr;
	sl_signal_thread_start();
}

/* A thread we did not see start: created before SlabSan initialized, by
 * clone directly, or by libc's pthread_create found with dlsym(RTLD_NEXT)
 * (jemalloc starts its background threads so). It gets an id but no
 * happens-before edge from its creator, whom nothing names; reports say
 * so rather than name main as its creator. */
struct sl_thread *sl_thread_slow(void)
{
	sl_init();
	if (sl_cur_thread)
		return sl_cur_thread;
	struct sl_thread *thr = thread_new(NULL, 0);
	sl_vclock_set(&thr->clock, thr->tid, (struct sl_vc_entry){1, 1});
	sl_cur_thread = thr;
	struct sl_thread_info *info = sl_thread_info(thr->tid);
	info->unseen_start = true;
	info->os_tid = (unsigned long)syscall(SYS_gettid);
	info->handle = (uintptr_t)pthread_self();
	learn_stack(info, pthread_self());
	return thr;
}

static void thread_finish(struct sl_thread *thr)
{
	struct sl_thread_info *info = sl_thread_info(thr->tid);
	thr->in_runtime = true;
	sl_vclock_copy(&info->final_clock, &thr->clock);
	info->final_epoch = thr->epoch;
	atomic_thread_fence(memory_order_release);
	sl_spin_lock(&free_lock);
	info->finished = true;
	if (info->detached)
		push_done_detached(info);
	sl_spin_unlock(&free_lock);
	atomic_fetch_sub_explicit(&sl_threads_running, 1, memory_order_relaxed);
	/* its free small blocks and runs go central now: a detached thread is
	 * destroyed only after its OS thread has exited (reap_detached) */
	sl_span_thread_gone(thr);
	sl_signal_thread_finish();
	sl_runtime_section_end(thr);
}

/* A thread's last release (the clock pthread_join acquires) must come after
 * everything it does, and that includes its TLS destructors: C++
 * thread_local ones and pthread_key_create ones both run after the start
 * routine has returned (glibc's start_thread: __call_tls_dtors, then
 * __nptl_deallocate_tsd), and they may synchronize and write what the
 * joiner reads or frees. So the finish is itself a key destructor, armed at
 * thread start, that re-arms itself until glibc's last destructor round
 * (PTHREAD_DESTRUCTOR_ITERATIONS): it runs after the thread_local
 * destructors and after every key destructor of the earlier rounds, as
 * ThreadSanitizer's does. (Finishing when the start routine returns would
 * miss them; pthread_exit, not intercepted, runs the same destructors.) */
static void finish_after_destructors(void *rounds_left)
{
	uintptr_t left = (uintptr_t)rounds_left;
	if (left > 1 && pthread_setspecific(finish_key, (void *)(left - 1)) == 0)
		return;
	if (sl_cur_thread && sl_cur_thread->tid != 0)
		thread_finish(sl_cur_thread);
}

struct start_args {
	void *(*fn)(void *);
	void *arg;
	struct sl_thread *thr;
};

static void *sl_thread_start(void *p)
{
	struct start_args args = *(struct start_args *)p;
	sl_free(p, sizeof args);
	sl_cur_thread = args.thr;
	args.thr->in_runtime = true;
	struct sl_thread_info *info = sl_thread_info(args.thr->tid);
	info->os_tid = (unsigned long)syscall(SYS_gettid);
	info->handle = (uintptr_t)pthread_self();
	learn_stack(info, pthread_self());
	sl_signal_thread_start();
	/* Its stack may hold shadow from an earlier thread that used the
	 * same memory. Not a stack the program allocated itself and gave
	 * pthread_attr_setstack: malloc reset that shadow, and clearing it
	 * would wipe the block's own state (its free was an invalid free). */
	if (info->stack_hi && !sl_heap_block_starts_at(info->stack_lo))
		sl_shadow_clear(info->stack_lo, info->stack_hi - info->stack_lo);
	bool armed = pthread_setspecific(finish_key,
					 (void *)(uintptr_t)PTHREAD_DESTRUCTOR_ITERATIONS) == 0;
	sl_runtime_section_end(args.thr);
	/* (Not a tail call, either way: the thread's stacks end in this frame,
	 * which reports leave out, not in glibc's start_thread.) */
	void *ret = args.fn(args.arg);
	if (!armed)
		thread_finish(args.thr);   /* else finish_after_destructors does it */
	return ret;
}

/* pthread_create failed: the child never ran. Its id and state go back as
 * if it had finished at once and the parent had joined it (a program that
 * retries a failing create used to run out of ids after 8189 tries). */
static void forget_unstarted(struct sl_thread *parent, struct sl_thread *child)
{
	struct sl_thread_info *info = sl_thread_info(child->tid);
	parent->in_runtime = true;
	info->final_epoch = child->epoch;
	sl_vclock_set(&parent->clock, child->tid,
		      (struct sl_vc_entry){child->epoch, child->epoch});
	info->finished = info->joined = true;
	atomic_fetch_sub_explicit(&sl_threads_running, 1, memory_order_relaxed);
	retire_joined(info, parent);
	sl_runtime_section_end(parent);
}

/* What the runtime's own frames may take of a thread's stack: a report's
 * explanation and symbolization need about 24 KiB, which overflowed a
 * PTHREAD_STACK_MIN thread (16 KiB) and lost the report. */
#define RUNTIME_STACK_ROOM (32u << 10)
#define ROOMY_STACK (1u << 20)

/* A stack size the program chose below ROOMY_STACK gets the runtime's room
 * on top (ASan and TSan enlarge small stacks too), so that a program that
 * fits its stack natively fits it here. The attributes are copied, not
 * changed: the program may read them again. A stack the program allocated
 * itself cannot grow; it keeps its size. */
static const pthread_attr_t *with_runtime_room(const pthread_attr_t *attr,
					       pthread_attr_t *copy)
{
	size_t size, own_size;
	void *own_stack;
	/* glibc gives an unset stack address as the bottom of a stack that
	 * ends at 0, which no stack the program allocated can */
	if (!attr || pthread_attr_getstacksize(attr, &size) || size >= ROOMY_STACK ||
	    pthread_attr_getstack(attr, &own_stack, &own_size) ||
	    (uintptr_t)own_stack + own_size != 0)
		return attr;
	/* A byte copy shares glibc's out-of-line parts (a cpu set) with the
	 * original, which is why the copy is never destroyed. */
	*copy = *attr;
	return pthread_attr_setstacksize(copy, size + RUNTIME_STACK_ROOM) ? attr : copy;
}

SL_EXPORT int pthread_create(pthread_t *t, const pthread_attr_t *attr,
			     void *(*fn)(void *), void *arg)
{
	struct sl_thread *parent = sl_thread();
	parent->in_runtime = true;
	reap_detached(parent);
	sl_stack_id stack = sl_stack_here(parent, (uintptr_t)__builtin_return_address(0));
	struct sl_thread *child = thread_new(parent, stack);
	int detach_state;
	if (attr && !pthread_attr_getdetachstate(attr, &detach_state) &&
	    detach_state == PTHREAD_CREATE_DETACHED)
		sl_thread_info(child->tid)->detached = true;   /* before it can finish */
	/* Everything the parent did so far happens before the child starts. */
	sl_vclock_copy(&child->clock, &parent->clock);
	sl_vclock_set(&child->clock, child->tid,
		      (struct sl_vc_entry){child->epoch, child->epoch});
	sl_thread_release(parent);
	struct start_args *args = sl_alloc(sizeof *args);
	*args = (struct start_args){fn, arg, child};
	sl_runtime_section_end(parent);
	pthread_attr_t roomier;
	int ret = real_pthread_create(t, with_runtime_room(attr, &roomier), sl_thread_start, args);
	if (ret) {
		sl_free(args, sizeof *args);
		forget_unstarted(parent, child);
	}
	return ret;
}

/* The thread a pthread_t names: the newest one with that handle that was
 * not joined yet (glibc reuses handles of finished threads). */
static struct sl_thread_info *info_of(pthread_t t)
{
	uint32_t n = atomic_load_explicit(&next_tid, memory_order_relaxed);
	for (uint32_t i = n < SL_MAX_THREADS ? n : SL_MAX_THREADS; i-- > 0;) {
		struct sl_thread_info *info = sl_thread_info((uint16_t)i);
		if (info && !info->joined && !info->detached && !info->renamed_to &&
		    info->handle == (uintptr_t)t)
			return info;
	}
	return NULL;
}

/* fork() child: the other threads do not exist here, so nothing they did
 * before the fork can race with what the child does next. The child's
 * clock takes every thread id's last epoch (a running thread's current
 * one, as the fork copied it), as if it had joined them all. */
void sl_thread_after_fork_child(struct sl_thread *self)
{
	for (uint32_t tid = 0; tid < SL_MAX_THREADS; tid++) {
		const struct sl_thread_info *info = sl_thread_info((uint16_t)tid);
		if (!info || tid == self->tid)
			continue;
		uint32_t last = info->thr && !info->finished && !info->renamed_to
			? info->thr->epoch : info->final_epoch;
		struct sl_vc_entry e = sl_vclock_get(&self->clock, tid);
		if (e.w < last || e.r < last)
			sl_vclock_set(&self->clock, tid,
				      (struct sl_vc_entry){e.w > last ? e.w : last,
							   e.r > last ? e.r : last});
	}
	atomic_store_explicit(&sl_threads_running, 1, memory_order_relaxed);
}

/* After a successful join of t: everything t did happens before now. */
static int joined(pthread_t t, int ret)
{
	if (ret)
		return ret;
	struct sl_thread *thr = sl_thread();
	thr->in_runtime = true;
	struct sl_thread_info *info = info_of(t);
	if (info) {
		atomic_thread_fence(memory_order_acquire);
		/* final_clock was taken after t's TLS destructors too
		 * (finish_after_destructors), so it covers what they wrote. */
		sl_vclock_join(&thr->clock, &info->final_clock);
		sl_vclock_destroy(&info->final_clock);
		info->joined = true;
		if (info->finished && info->thr)
			retire_joined(info, thr);
	}
	sl_runtime_section_end(thr);
	return 0;
}

SL_EXPORT int pthread_join(pthread_t t, void **retval)
{
	return joined(t, real_pthread_join(t, retval));
}

SL_EXPORT int pthread_tryjoin_np(pthread_t t, void **retval)
{
	return joined(t, real_pthread_tryjoin_np(t, retval));
}

SL_EXPORT int pthread_timedjoin_np(pthread_t t, void **retval, const struct timespec *abstime)
{
	return joined(t, real_pthread_timedjoin_np(t, retval, abstime));
}

SL_EXPORT int pthread_clockjoin_np(pthread_t t, void **retval, clockid_t clock,
				   const struct timespec *abstime)
{
	return joined(t, real_pthread_clockjoin_np(t, retval, clock, abstime));
}

SL_EXPORT int pthread_detach(pthread_t t)
{
	struct sl_thread *thr = sl_thread();
	thr->in_runtime = true;
	struct sl_thread_info *info = info_of(t);
	if (info) {
		sl_spin_lock(&free_lock);
		info->detached = true;
		if (info->finished)
			push_done_detached(info);
		sl_spin_unlock(&free_lock);
	}
	sl_runtime_section_end(thr);
	return real_pthread_detach(t);
}
