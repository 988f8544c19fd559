// SPDX-License-Identifier: Apache-2.0
/* POSIX synchronization interceptors: mutex, rwlock, spinlock, condvar,
 * barrier, semaphore, once. Each calls the real function (found at
 * start-up) and adds the happens-before edge POSIX promises:
 * an unlock/post/signal releases, the matching lock/wait acquires. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <sched.h>

#include "sync.h"

#define REAL(name) real_##name
#define DECLARE_REAL(ret, name, ...) static ret (*REAL(name))(__VA_ARGS__)

DECLARE_REAL(int, pthread_mutex_lock, pthread_mutex_t *);
DECLARE_REAL(int, pthread_mutex_trylock, pthread_mutex_t *);
DECLARE_REAL(int, pthread_mutex_timedlock, pthread_mutex_t *, const struct timespec *);
DECLARE_REAL(int, pthread_mutex_unlock, pthread_mutex_t *);
DECLARE_REAL(int, pthread_rwlock_rdlock, pthread_rwlock_t *);
DECLARE_REAL(int, pthread_rwlock_tryrdlock, pthread_rwlock_t *);
DECLARE_REAL(int, pthread_rwlock_timedrdlock, pthread_rwlock_t *, const struct timespec *);
DECLARE_REAL(int, pthread_rwlock_wrlock, pthread_rwlock_t *);
DECLARE_REAL(int, pthread_rwlock_trywrlock, pthread_rwlock_t *);
DECLARE_REAL(int, pthread_rwlock_timedwrlock, pthread_rwlock_t *, const struct timespec *);
DECLARE_REAL(int, pthread_rwlock_unlock, pthread_rwlock_t *);
DECLARE_REAL(int, pthread_spin_lock, pthread_spinlock_t *);
DECLARE_REAL(int, pthread_spin_trylock, pthread_spinlock_t *);
DECLARE_REAL(int, pthread_spin_unlock, pthread_spinlock_t *);
DECLARE_REAL(int, pthread_cond_wait, pthread_cond_t *, pthread_mutex_t *);
DECLARE_REAL(int, pthread_cond_timedwait, pthread_cond_t *, pthread_mutex_t *,
	     const struct timespec *);
DECLARE_REAL(int, pthread_cond_signal, pthread_cond_t *);
DECLARE_REAL(int, pthread_cond_broadcast, pthread_cond_t *);
DECLARE_REAL(int, pthread_barrier_init, pthread_barrier_t *, const pthread_barrierattr_t *,
	     unsigned);
DECLARE_REAL(int, pthread_barrier_wait, pthread_barrier_t *);
DECLARE_REAL(int, pthread_mutex_clocklock, pthread_mutex_t *, clockid_t, const struct timespec *);
DECLARE_REAL(int, pthread_rwlock_clockrdlock, pthread_rwlock_t *, clockid_t,
	     const struct timespec *);
DECLARE_REAL(int, pthread_rwlock_clockwrlock, pthread_rwlock_t *, clockid_t,
	     const struct timespec *);
DECLARE_REAL(int, pthread_cond_clockwait, pthread_cond_t *, pthread_mutex_t *, clockid_t,
	     const struct timespec *);
DECLARE_REAL(int, sem_clockwait, sem_t *, clockid_t, const struct timespec *);
DECLARE_REAL(int, sem_wait, sem_t *);
DECLARE_REAL(int, sem_trywait, sem_t *);
DECLARE_REAL(int, sem_timedwait, sem_t *, const struct timespec *);
DECLARE_REAL(int, sem_post, sem_t *);

void sl_posix_init(void)
{
	SL_FIND_REAL(pthread_mutex_lock);
	SL_FIND_REAL(pthread_mutex_trylock);
	SL_FIND_REAL(pthread_mutex_timedlock);
	SL_FIND_REAL(pthread_mutex_unlock);
	SL_FIND_REAL(pthread_rwlock_rdlock);
	SL_FIND_REAL(pthread_rwlock_tryrdlock);
	SL_FIND_REAL(pthread_rwlock_timedrdlock);
	SL_FIND_REAL(pthread_rwlock_wrlock);
	SL_FIND_REAL(pthread_rwlock_trywrlock);
	SL_FIND_REAL(pthread_rwlock_timedwrlock);
	SL_FIND_REAL(pthread_rwlock_unlock);
	SL_FIND_REAL(pthread_spin_lock);
	SL_FIND_REAL(pthread_spin_trylock);
	SL_FIND_REAL(pthread_spin_unlock);
	SL_FIND_REAL(pthread_cond_signal);
	SL_FIND_REAL(pthread_cond_broadcast);
	SL_FIND_REAL(pthread_barrier_init);
	SL_FIND_REAL(pthread_barrier_wait);
	SL_FIND_REAL(pthread_mutex_clocklock);
	SL_FIND_REAL(pthread_rwlock_clockrdlock);
	SL_FIND_REAL(pthread_rwlock_clockwrlock);
	SL_FIND_REAL(pthread_cond_clockwait);
	SL_FIND_REAL(sem_clockwait);
	SL_FIND_REAL(sem_wait);
	SL_FIND_REAL(sem_trywait);
	SL_FIND_REAL(sem_timedwait);
	SL_FIND_REAL(sem_post);
	/* The condvar ABI our callers link against, not the 2.2.5 compat one. */
	REAL(pthread_cond_wait) = sl_real_function("pthread_cond_wait", "GLIBC_2.3.2");
	REAL(pthread_cond_timedwait) = sl_real_function("pthread_cond_timedwait", "GLIBC_2.3.2");
	REAL(pthread_cond_signal) = sl_real_function("pthread_cond_signal", "GLIBC_2.3.2");
	REAL(pthread_cond_broadcast) = sl_real_function("pthread_cond_broadcast", "GLIBC_2.3.2");
}

/* Clock edges on the object at addr; no-ops inside the runtime. A mutex
 * also notes which thread holds it (condvar.c asks), and `in_set` adds it
 * to or takes it out of the thread's held locks (lockset.h) here. */
static SL_ALWAYS_INLINE void acquire_edge(const void *addr, bool locks, bool in_set,
					  uintptr_t pc)
{
	sl_schedule_point();
	struct sl_thread *thr = sl_thread();
	if (thr->in_runtime)
		return;
	thr->in_runtime = true;
	struct sl_sync *s = sl_sync_lock((uintptr_t)addr);
	sl_acquire(thr, s);
	if (locks)
		atomic_store_explicit(&s->holder, thr->serial, memory_order_relaxed);
	if (in_set)
		sl_lockset_locked(thr, (uintptr_t)addr, pc);
	sl_sync_unlock_ending_section(thr, s);
}

static SL_ALWAYS_INLINE void release_edge(const void *addr, bool unlocks, bool in_set)
{
	sl_schedule_point();
	struct sl_thread *thr = sl_thread();
	if (thr->in_runtime)
		return;
	thr->in_runtime = true;
	struct sl_sync *s = sl_sync_lock((uintptr_t)addr);
	if (unlocks)
		atomic_store_explicit(&s->holder, 0, memory_order_relaxed);
	sl_release(thr, s);
	if (in_set)
		sl_lockset_unlocked(thr, (uintptr_t)addr);
	sl_sync_unlock_ending_section(thr, s);
}

void sl_acquire_at(const void *addr) { acquire_edge(addr, false, false, 0); }
void sl_release_at(const void *addr) { release_edge(addr, false, false); }
void sl_mutex_locked(const void *m, uintptr_t pc) { acquire_edge(m, true, true, pc); }

/* A blocking lock's and an unlock's change of the held set, outside the
 * program's critical section: the lock joins the set (and starts its
 * epoch) before the real call blocks, and leaves it again if that call
 * fails; an unlock leaves the set after the real unlock. The critical
 * section grows by the clock work alone, which matters where threads
 * contend for the lock (docs/performance.md). The thread records nothing
 * in between, so the log's word for the set is as good as one written
 * inside. */
static SL_ALWAYS_INLINE void held_set_change(uintptr_t lock, bool taken, uintptr_t pc)
{
	struct sl_thread *thr = sl_thread();
	if (thr->in_runtime)
		return;
	thr->in_runtime = true;
	if (taken)
		sl_lockset_locked(thr, lock, pc);
	else
		sl_lockset_unlocked(thr, lock);
	sl_runtime_section_end(thr);
}

/* The same for the annotations (a lock of the program's own). */
void sl_held_set_change(uintptr_t lock, bool taken, uintptr_t pc)
{
	held_set_change(lock, taken, pc);
}

/* For interceptors elsewhere (C11 mutexes, condvar waits): a blocking lock
 * of mutex m and an unlock, each in two steps around the real call, as
 * BLOCKING_LOCK and UNLOCK below do it: the held set changes outside the
 * critical section, the edges inside it. */
void sl_mutex_lock_before(const void *m, uintptr_t pc) { held_set_change((uintptr_t)m, true, pc); }
void sl_mutex_lock_after(const void *m, bool locked)
{
	if (locked)
		acquire_edge(m, true, false, 0);
	else
		held_set_change((uintptr_t)m, false, 0);
}
void sl_mutex_unlock_before(const void *m) { release_edge(m, true, false); }
void sl_mutex_unlock_after(const void *m) { held_set_change((uintptr_t)m, false, 0); }

/* The interceptor shapes: call the real function and acquire the object
 * (parameter obj) when it succeeded (`edge`, told where the acquire was
 * called from); a blocking lock, whose held set changes before the call;
 * or release the object, then call (and an unlock's set changes after). */
#define ACQUIRE_ON_SUCCESS(name, edge, succeeded, params, args)		\
	SL_EXPORT int name params					\
	{								\
		SL_SIGNAL_UNSAFE(#name);				\
		int ret = REAL(name) args;				\
		if (succeeded)						\
			edge((const void *)obj, SL_CALLER);		\
		return ret;						\
	}
#define BLOCKING_LOCK(name, held_as, acquire, succeeded, params, args)	\
	SL_EXPORT int name params					\
	{								\
		SL_SIGNAL_UNSAFE(#name);				\
		held_set_change(held_as, true, SL_CALLER);		\
		int ret = REAL(name) args;				\
		if (succeeded)						\
			acquire;					\
		else							\
			held_set_change(held_as, false, 0);		\
		return ret;						\
	}
#define RELEASE_BEFORE(name, edge, type)				\
	SL_EXPORT int name(type *obj)					\
	{								\
		SL_SIGNAL_UNSAFE(#name);				\
		edge((const void *)obj);				\
		return REAL(name)(obj);					\
	}
/* A robust mutex whose owner died is still acquired. */
#define LOCKED (ret == 0 || ret == EOWNERDEAD)

/* ---- mutex and spinlock: unlock releases, a successful lock acquires */

#define MUTEX_ACQUIRED acquire_edge((const void *)obj, true, false, 0)
BLOCKING_LOCK(pthread_mutex_lock, (uintptr_t)obj, MUTEX_ACQUIRED, LOCKED, (pthread_mutex_t *obj),
	      (obj))
ACQUIRE_ON_SUCCESS(pthread_mutex_trylock, sl_mutex_locked, LOCKED, (pthread_mutex_t *obj),
		   (obj))
BLOCKING_LOCK(pthread_mutex_timedlock, (uintptr_t)obj, MUTEX_ACQUIRED, LOCKED,
	      (pthread_mutex_t *obj, const struct timespec *t), (obj, t))
BLOCKING_LOCK(pthread_mutex_clocklock, (uintptr_t)obj, MUTEX_ACQUIRED, LOCKED,
	      (pthread_mutex_t *obj, clockid_t c, const struct timespec *t), (obj, c, t))
BLOCKING_LOCK(pthread_spin_lock, (uintptr_t)obj, MUTEX_ACQUIRED, ret == 0,
	      (pthread_spinlock_t *obj), (obj))
ACQUIRE_ON_SUCCESS(pthread_spin_trylock, sl_mutex_locked, ret == 0, (pthread_spinlock_t *obj),
		   (obj))

#define UNLOCK(name, type)						\
	SL_EXPORT int name(type *obj)					\
	{								\
		SL_SIGNAL_UNSAFE(#name);				\
		release_edge((const void *)obj, true, false);		\
		int ret = REAL(name)(obj);				\
		held_set_change((uintptr_t)obj, false, 0);		\
		return ret;						\
	}
UNLOCK(pthread_mutex_unlock, pthread_mutex_t)
UNLOCK(pthread_spin_unlock, pthread_spinlock_t)

/* ---- rwlock: readers acquire what writers released; a writer acquires
 * what readers and writers released. Readers' releases join read_clock. A
 * reader holds it shared (SL_LOCK_SHARED in the held set). */

static void rw_acquire(const void *l, bool writer, bool in_set, uintptr_t pc)
{
	struct sl_thread *thr = sl_thread();
	if (thr->in_runtime)
		return;
	thr->in_runtime = true;
	struct sl_sync *s = sl_sync_lock((uintptr_t)l);
	sl_vclock_join(&thr->clock, &s->clock);
	if (writer) {
		sl_vclock_join(&thr->clock, &s->read_clock);
		s->writer_tid = thr->first_tid;   /* its id may change before the unlock */
	}
	if (in_set)
		sl_lockset_locked(thr, (uintptr_t)l | (writer ? 0 : SL_LOCK_SHARED), pc);
	sl_sync_unlock(s);
	sl_runtime_section_end(thr);
}

/* The release; returns how the thread held l, for its held set. */
static uintptr_t rw_unlocking(const void *l)
{
	struct sl_thread *thr = sl_thread();
	if (thr->in_runtime)
		return (uintptr_t)l;
	thr->in_runtime = true;
	struct sl_sync *s = sl_sync_lock((uintptr_t)l);
	bool writer = s->writer_tid == thr->first_tid;
	if (writer) {
		s->writer_tid = -1;
		sl_vclock_join(&s->clock, &thr->clock);
		s->covered_by = 0;
	} else {
		sl_vclock_join(&s->read_clock, &thr->clock);
	}
	sl_thread_release(thr);
	sl_sync_unlock(s);
	sl_runtime_section_end(thr);
	return (uintptr_t)l | (writer ? 0 : SL_LOCK_SHARED);
}

static void rw_read_locked(const void *l, uintptr_t pc) { rw_acquire(l, false, true, pc); }
static void rw_write_locked(const void *l, uintptr_t pc) { rw_acquire(l, true, true, pc); }

#define RW_LOCK(name, writer, params, args)					\
	BLOCKING_LOCK(name, (uintptr_t)obj | ((writer) ? 0 : SL_LOCK_SHARED),	\
		      rw_acquire(obj, writer, false, 0), ret == 0, params, args)
RW_LOCK(pthread_rwlock_rdlock, false, (pthread_rwlock_t *obj), (obj))
ACQUIRE_ON_SUCCESS(pthread_rwlock_tryrdlock, rw_read_locked, ret == 0, (pthread_rwlock_t *obj),
		   (obj))
RW_LOCK(pthread_rwlock_timedrdlock, false, (pthread_rwlock_t *obj, const struct timespec *t),
	(obj, t))
RW_LOCK(pthread_rwlock_clockrdlock, false,
	(pthread_rwlock_t *obj, clockid_t c, const struct timespec *t), (obj, c, t))
RW_LOCK(pthread_rwlock_wrlock, true, (pthread_rwlock_t *obj), (obj))
ACQUIRE_ON_SUCCESS(pthread_rwlock_trywrlock, rw_write_locked, ret == 0, (pthread_rwlock_t *obj),
		   (obj))
RW_LOCK(pthread_rwlock_timedwrlock, true, (pthread_rwlock_t *obj, const struct timespec *t),
	(obj, t))
RW_LOCK(pthread_rwlock_clockwrlock, true,
	(pthread_rwlock_t *obj, clockid_t c, const struct timespec *t), (obj, c, t))

SL_EXPORT int pthread_rwlock_unlock(pthread_rwlock_t *obj)
{
	SL_SIGNAL_UNSAFE("pthread_rwlock_unlock");
	uintptr_t held_as = rw_unlocking(obj);
	int ret = REAL(pthread_rwlock_unlock)(obj);
	held_set_change(held_as, false, 0);
	return ret;
}

/* ---- condvar: waiting gives the mutex up and takes it back; a signal or
 * broadcast also releases to the woken waiter unless the signaller holds
 * the waiters' mutex (condvar.c). */

RELEASE_BEFORE(pthread_cond_signal, sl_cond_signalling, pthread_cond_t)
RELEASE_BEFORE(pthread_cond_broadcast, sl_cond_signalling, pthread_cond_t)

SL_EXPORT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	SL_SIGNAL_UNSAFE("pthread_cond_wait");
	int ret;
	SL_COND_WAIT(ret, REAL(pthread_cond_wait)(c, m), c, m, true);
	return ret;
}

SL_EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
				     const struct timespec *t)
{
	SL_SIGNAL_UNSAFE("pthread_cond_timedwait");
	int ret;
	SL_COND_WAIT(ret, REAL(pthread_cond_timedwait)(c, m, t), c, m, ret == 0);
	return ret;
}

SL_EXPORT int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clock,
				     const struct timespec *t)
{
	SL_SIGNAL_UNSAFE("pthread_cond_clockwait");
	int ret;
	SL_COND_WAIT(ret, REAL(pthread_cond_clockwait)(c, m, clock, t), c, m, ret == 0);
	return ret;
}

/* ---- barrier: every waiter of one generation releases into that
 * generation's clock before it blocks, and acquires it after. Two clocks,
 * by generation parity: a fast thread already releasing into the next
 * generation must not leak into a slow waiter of this one. The last
 * arrival of a generation clears the clock the next one will use (nobody
 * can still be acquiring from it: everyone has arrived here). */
SL_EXPORT int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *attr,
				   unsigned count)
{
	int ret = REAL(pthread_barrier_init)(b, attr, count);
	struct sl_thread *thr = sl_thread();
	if (ret == 0 && !thr->in_runtime) {
		thr->in_runtime = true;
		struct sl_sync *s = sl_sync_lock((uintptr_t)b);
		s->barrier_count = count;
		s->barrier_arrived = s->barrier_generation = 0;
		sl_vclock_clear(&s->clock);
		sl_vclock_clear(&s->read_clock);
		s->covered_by = 0;
		sl_sync_unlock(s);
		sl_runtime_section_end(thr);
	}
	return ret;
}

static struct sl_vclock *generation_clock(struct sl_sync *s, uint32_t generation)
{
	return generation & 1 ? &s->read_clock : &s->clock;
}

SL_EXPORT int pthread_barrier_wait(pthread_barrier_t *b)
{
	SL_SIGNAL_UNSAFE("pthread_barrier_wait");
	struct sl_thread *thr = sl_thread();
	if (thr->in_runtime)
		return REAL(pthread_barrier_wait)(b);
	thr->in_runtime = true;
	struct sl_sync *s = sl_sync_lock((uintptr_t)b);
	uint32_t generation = s->barrier_generation;
	sl_vclock_join(generation_clock(s, generation), &thr->clock);
	s->covered_by = 0;
	sl_thread_release(thr);
	if (s->barrier_count && ++s->barrier_arrived == s->barrier_count) {
		s->barrier_arrived = 0;
		s->barrier_generation++;
		sl_vclock_clear(generation_clock(s, generation + 1));
	}
	sl_sync_unlock(s);
	sl_runtime_section_end(thr);

	int ret = REAL(pthread_barrier_wait)(b);

	thr->in_runtime = true;
	s = sl_sync_lock((uintptr_t)b);
	sl_vclock_join(&thr->clock, generation_clock(s, generation));
	sl_sync_unlock(s);
	sl_runtime_section_end(thr);
	return ret;
}

/* ---- semaphore: not a lock (its post may come from any thread), so only
 * the edges */
static void sem_acquired(const void *sem, uintptr_t pc)
{
	(void)pc;
	sl_acquire_at(sem);
}
RELEASE_BEFORE(sem_post, sl_release_at, sem_t)
ACQUIRE_ON_SUCCESS(sem_wait, sem_acquired, ret == 0, (sem_t *obj), (obj))
ACQUIRE_ON_SUCCESS(sem_trywait, sem_acquired, ret == 0, (sem_t *obj), (obj))
ACQUIRE_ON_SUCCESS(sem_clockwait, sem_acquired, ret == 0,
		   (sem_t *obj, clockid_t c, const struct timespec *t), (obj, c, t))
ACQUIRE_ON_SUCCESS(sem_timedwait, sem_acquired, ret == 0,
		   (sem_t *obj, const struct timespec *t), (obj, t))
/* ---- once: implemented here on the control word, because the edge must go
 * from the end of init_routine to every caller that returns, and the real
 * pthread_once gives us no hook between the two. */
enum { ONCE_NEW = 0, ONCE_RUNNING = 1, ONCE_DONE = 2 };

SL_EXPORT int pthread_once(pthread_once_t *once, void (*init_routine)(void))
{
	_Atomic int *state = (_Atomic int *)once;
	int expected = ONCE_NEW;
	if (atomic_compare_exchange_strong(state, &expected, ONCE_RUNNING)) {
		init_routine();
		sl_release_at(once);
		atomic_store(state, ONCE_DONE);
		return 0;
	}
	while (atomic_load(state) != ONCE_DONE)
		sched_yield();
	sl_acquire_at(once);
	return 0;
}
