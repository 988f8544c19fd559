// Regression test: SlabSan once got this wrong.
// Was: pthread_mutex_clocklock, pthread_rwlock_clockrdlock/clockwrlock,
// Was: pthread_cond_clockwait and sem_clockwait are not intercepted: no acquire.
// The clockid_t variants of the blocking calls (glibc 2.30+) acquire like
// their timed counterparts. Each program hands `data` over through one of
// them and must be silent.
// RUN: %slabsan-cc -O1 -g -DMUTEX %s -o %t.mutex && %expect-exit 0 %t.mutex 2>&1 | FileCheck %s --allow-empty
// RUN: %slabsan-cc -O1 -g -DRWLOCK %s -o %t.rw && %expect-exit 0 %t.rw 2>&1 | FileCheck %s --allow-empty
// RUN: %slabsan-cc -O1 -g -DCOND %s -o %t.cond && %expect-exit 0 %t.cond 2>&1 | FileCheck %s --allow-empty
// RUN: %slabsan-cc -O1 -g -DSEM %s -o %t.sem && %expect-exit 0 %t.sem 2>&1 | FileCheck %s --allow-empty
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <time.h>

long data; /* not static: LLVM would shrink it */
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static sem_t sem;
static int ready;
static atomic_int done, waiting; /* relaxed: real-time order only */

static struct timespec deadline(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += 60;
	return ts;
}

static void *producer(void *arg)
{
	(void)arg;
#if defined(MUTEX) || defined(COND)
#ifdef COND
	while (!atomic_load_explicit(&waiting, memory_order_relaxed))
		sched_yield(); /* main holds m and is about to wait */
#endif
	pthread_mutex_lock(&m);
	data = 1;
	ready = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&m);
#elif defined(RWLOCK)
	pthread_rwlock_wrlock(&rw);
	data = 1;
	pthread_rwlock_unlock(&rw);
#else
	data = 1;
	sem_post(&sem);
#endif
	atomic_store_explicit(&done, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t t;
	struct timespec ts = deadline();
	long v;
	sem_init(&sem, 0, 0);
	pthread_create(&t, NULL, producer, NULL);
#if defined(MUTEX)
	while (!atomic_load_explicit(&done, memory_order_relaxed))
		sched_yield();
	pthread_mutex_clocklock(&m, CLOCK_MONOTONIC, &ts);
	v = data;
	pthread_mutex_unlock(&m);
#elif defined(RWLOCK)
	while (!atomic_load_explicit(&done, memory_order_relaxed))
		sched_yield();
	pthread_rwlock_clockrdlock(&rw, CLOCK_MONOTONIC, &ts);
	v = data;
	pthread_rwlock_unlock(&rw);
	pthread_rwlock_clockwrlock(&rw, CLOCK_MONOTONIC, &ts);
	data = 2;
	pthread_rwlock_unlock(&rw);
#elif defined(COND)
	/* main waits before the producer runs: the edge must come from
	 * clockwait (its re-lock of m), not from the first lock. */
	pthread_mutex_lock(&m);
	atomic_store_explicit(&waiting, 1, memory_order_relaxed);
	while (!ready)
		pthread_cond_clockwait(&cv, &m, CLOCK_MONOTONIC, &ts);
	v = data;
	pthread_mutex_unlock(&m);
#else
	sem_clockwait(&sem, CLOCK_MONOTONIC, &ts);
	v = data;
#endif
	pthread_join(t, NULL);
	return v == 1 ? 0 : 1;
}
// CHECK-NOT: SlabSan
