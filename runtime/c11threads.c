// SPDX-License-Identifier: Apache-2.0
/* C11 <threads.h>. glibc implements it on its internal pthread functions,
 * which interposition cannot reach, so each call is routed through the
 * pthread interceptors (threads, joins) or given its edge here (mtx, cnd). */
#include <errno.h>
#include <pthread.h>
#include <threads.h>

#include "internal.h"

static int (*real_mtx_lock)(mtx_t *);
static int (*real_mtx_trylock)(mtx_t *);
static int (*real_mtx_timedlock)(mtx_t *restrict, const struct timespec *restrict);
static int (*real_mtx_unlock)(mtx_t *);
static int (*real_cnd_wait)(cnd_t *, mtx_t *);
static int (*real_cnd_timedwait)(cnd_t *restrict, mtx_t *restrict,
				 const struct timespec *restrict);
static int (*real_cnd_signal)(cnd_t *);
static int (*real_cnd_broadcast)(cnd_t *);

void sl_c11threads_init(void)
{
	SL_FIND_REAL(mtx_lock);
	SL_FIND_REAL(mtx_trylock);
	SL_FIND_REAL(mtx_timedlock);
	SL_FIND_REAL(mtx_unlock);
	SL_FIND_REAL(cnd_wait);
	SL_FIND_REAL(cnd_timedwait);
	SL_FIND_REAL(cnd_signal);
	SL_FIND_REAL(cnd_broadcast);
}

static int thrd_result(int err)
{
	return err == 0 ? thrd_success : err == ENOMEM ? thrd_nomem
		: err == EBUSY ? thrd_busy : err == ETIMEDOUT ? thrd_timedout : thrd_error;
}

/* ---- threads, through the pthread interceptors */

struct c11_start {
	thrd_start_t fn;
	void *arg;
};

static void *c11_trampoline(void *p)
{
	struct c11_start start = *(struct c11_start *)p;
	sl_free(p, sizeof start);
	return (void *)(intptr_t)start.fn(start.arg);
}

SL_EXPORT int thrd_create(thrd_t *t, thrd_start_t fn, void *arg)
{
	struct c11_start *start = sl_alloc(sizeof *start);
	*start = (struct c11_start){fn, arg};
	int err = pthread_create((pthread_t *)t, NULL, c11_trampoline, start);
	if (err)
		sl_free(start, sizeof *start);
	return thrd_result(err);
}

SL_EXPORT int thrd_join(thrd_t t, int *res)
{
	void *ret;
	int err = pthread_join((pthread_t)t, &ret);
	if (!err && res)
		*res = (int)(intptr_t)ret;
	return thrd_result(err);
}

SL_EXPORT int thrd_detach(thrd_t t) { return thrd_result(pthread_detach((pthread_t)t)); }

SL_EXPORT _Noreturn void thrd_exit(int res) { pthread_exit((void *)(intptr_t)res); }

SL_EXPORT void call_once(once_flag *flag, void (*fn)(void))
{
	pthread_once((pthread_once_t *)flag, fn);
}

/* ---- mutexes and condition variables */

SL_EXPORT int mtx_lock(mtx_t *m)
{
	sl_mutex_lock_before(m, (uintptr_t)__builtin_return_address(0));
	int ret = real_mtx_lock(m);
	sl_mutex_lock_after(m, ret == thrd_success);
	return ret;
}

SL_EXPORT int mtx_trylock(mtx_t *m)
{
	int ret = real_mtx_trylock(m);
	if (ret == thrd_success)
		sl_mutex_locked(m, (uintptr_t)__builtin_return_address(0));
	return ret;
}

SL_EXPORT int mtx_timedlock(mtx_t *restrict m, const struct timespec *restrict t)
{
	sl_mutex_lock_before(m, (uintptr_t)__builtin_return_address(0));
	int ret = real_mtx_timedlock(m, t);
	sl_mutex_lock_after(m, ret == thrd_success);
	return ret;
}

SL_EXPORT int mtx_unlock(mtx_t *m)
{
	sl_mutex_unlock_before(m);
	int ret = real_mtx_unlock(m);
	sl_mutex_unlock_after(m);
	return ret;
}

SL_EXPORT int cnd_signal(cnd_t *c)
{
	sl_cond_signalling(c);
	return real_cnd_signal(c);
}

SL_EXPORT int cnd_broadcast(cnd_t *c)
{
	sl_cond_signalling(c);
	return real_cnd_broadcast(c);
}

SL_EXPORT int cnd_wait(cnd_t *c, mtx_t *m)
{
	int ret;
	SL_COND_WAIT(ret, real_cnd_wait(c, m), c, m, ret == thrd_success);
	return ret;
}

SL_EXPORT int cnd_timedwait(cnd_t *restrict c, mtx_t *restrict m,
			    const struct timespec *restrict t)
{
	int ret;
	SL_COND_WAIT(ret, real_cnd_timedwait(c, m, t), c, m, ret == thrd_success);
	return ret;
}
