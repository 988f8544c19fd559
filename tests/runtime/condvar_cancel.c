// A thread cancelled in pthread_cond_wait takes the mutex back before its
// cleanup handlers run, inside glibc, past the pthread_mutex_lock
// interceptor: the handler runs as the mutex's holder and is ordered after
// the mutex's last unlock. Here main reads `cleaned` under the mutex,
// cancels the waiter while still holding it, and gives it up in its own
// wait; the waiter's handler then writes `cleaned` and the heap block,
// which main frees once woken. Silent (before the wait's cancellation
// cleanup, a data race on `cleaned` at the handler). The same through
// C11's cnd_wait, which glibc also makes a cancellation point
// (ThreadSanitizer: silent with pthread_cond_wait, a race with cnd_wait).
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DC11 %s -o %t.c11 && %expect-exit 0 %t.c11 2>&1 | FileCheck %s --check-prefix=CLEAN
// CLEAN-NOT: SlabSan
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <threads.h>
#include <unistd.h>

#ifdef C11
static mtx_t lock;
static cnd_t wake, cleaned_up;
#define LOCK() mtx_lock(&lock)
#define UNLOCK() mtx_unlock(&lock)
#define WAIT(c) cnd_wait(&c, &lock)
#define SIGNAL(c) cnd_signal(&c)
#else
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER, cleaned_up = PTHREAD_COND_INITIALIZER;
#define LOCK() pthread_mutex_lock(&lock)
#define UNLOCK() pthread_mutex_unlock(&lock)
#define WAIT(c) pthread_cond_wait(&c, &lock)
#define SIGNAL(c) pthread_cond_signal(&c)
#endif

static int *block;
static int waiting, cleaned, never;

static void cleanup(void *arg)
{
	(void)arg;
	block[1] = 2;
	cleaned = 1;
	SIGNAL(cleaned_up);
	UNLOCK();
}

static void *waiter(void *arg)
{
	LOCK();
	block[0] = 1;
	waiting = 1;
	pthread_cleanup_push(cleanup, NULL);
	while (!never)
		WAIT(wake);
	pthread_cleanup_pop(1);
	return arg;
}

int main(void)
{
#ifdef C11
	mtx_init(&lock, mtx_plain);
	cnd_init(&wake);
	cnd_init(&cleaned_up);
#endif
	block = malloc(2 * sizeof *block);
	pthread_t t;
	pthread_create(&t, NULL, waiter, NULL);
	for (;;) {
		LOCK();
		if (waiting)
			break;      /* the waiter is in its wait: it gave the lock up */
		UNLOCK();
		usleep(1000);
	}
	pthread_cancel(t);  /* it cannot take the lock back until we wait */
	while (!cleaned)
		WAIT(cleaned_up);
	free(block);
	UNLOCK();
	void *ret;
	pthread_join(t, &ret);
	puts(ret == PTHREAD_CANCELED ? "cancelled" : "not cancelled");
	return 0;
}
// CLEAN: cancelled
