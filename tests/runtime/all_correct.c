// One correct program using every mechanism the other tests break: mutex,
// rwlock, spinlock, condvar, barrier, semaphore, once, create/join, detached
// threads, release/acquire, fences, release sequences, refcounting, a custom
// pool, realloc and the aligned allocators. It prints nothing and exits 0.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty
// RUN: env SLABSAN_OPTIONS=verbosity=1:halt_on_error=1 %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <slabsan/slabsan.h>

#define WORKERS 8

struct obj {
	atomic_int refs;
	long slots[WORKERS];
};

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_spinlock_t spin;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t bar;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static sem_t detached_done;

static long mutex_sum, spin_sum, rw_value, once_value, phase[WORKERS];
static int cv_turn;
static struct obj *shared_obj;

/* fence-based and release-sequence message passing */
static long fence_data, seq_data;
static atomic_int fence_flag, seq;

/* custom pool */
static long pool_mem[WORKERS][4];
static int pool_used[WORKERS];

static long *pool_alloc(void)
{
	long *p = NULL;
	pthread_mutex_lock(&mutex);
	for (int i = 0; i < WORKERS && !p; i++)
		if (!pool_used[i]) {
			pool_used[i] = 1;
			p = pool_mem[i];
		}
	pthread_mutex_unlock(&mutex);
	if (p)
		slabsan_malloclike(p, sizeof pool_mem[0]);
	return p;
}

static void pool_free(long *p)
{
	slabsan_freelike(p);
	pthread_mutex_lock(&mutex);
	pool_used[(p - pool_mem[0]) / 4] = 0;
	pthread_mutex_unlock(&mutex);
}

static _Atomic(long *) pool_box;
static long pool_result;

static void init_once(void) { once_value = 99; }

static void put_obj(struct obj *o)
{
	if (atomic_fetch_sub_explicit(&o->refs, 1, memory_order_release) == 1) {
		atomic_thread_fence(memory_order_acquire);
		free(o);
	}
}

static void *worker(void *arg)
{
	long i = (long)arg;

	pthread_mutex_lock(&mutex);
	mutex_sum += i;
	pthread_mutex_unlock(&mutex);

	pthread_spin_lock(&spin);
	spin_sum += i;
	pthread_spin_unlock(&spin);

	if (i == 0) {
		pthread_rwlock_wrlock(&rw);
		rw_value = 7;
		pthread_rwlock_unlock(&rw);
	}
	pthread_once(&once, init_once);
	phase[i] = once_value + i;
	pthread_barrier_wait(&bar);
	long neighbour = phase[(i + 1) % WORKERS];
	pthread_rwlock_rdlock(&rw);
	neighbour += rw_value;
	pthread_rwlock_unlock(&rw);
	pthread_barrier_wait(&bar);
	phase[i] = neighbour;

	/* condvar: take turns in order */
	pthread_mutex_lock(&mutex);
	while (cv_turn != i)
		pthread_cond_wait(&cv, &mutex);
	cv_turn++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mutex);

	shared_obj->slots[i] = i;
	put_obj(shared_obj);

	if (i == 1) { /* fences */
		fence_data = 1;
		atomic_thread_fence(memory_order_release);
		atomic_store_explicit(&fence_flag, 1, memory_order_relaxed);
	} else if (i == 2) {
		while (!atomic_load_explicit(&fence_flag, memory_order_relaxed))
			sched_yield();
		atomic_thread_fence(memory_order_acquire);
		fence_data++;
	} else if (i == 3) { /* release sequence: A */
		seq_data = 5;
		atomic_store_explicit(&seq, 1, memory_order_release);
	} else if (i == 4) { /* B: relaxed RMW continues it */
		int expected = 1;
		while (!atomic_compare_exchange_weak_explicit(&seq, &expected, 2,
							      memory_order_relaxed,
							      memory_order_relaxed)) {
			expected = 1;
			sched_yield();
		}
	} else if (i == 5) { /* C */
		while (atomic_load_explicit(&seq, memory_order_acquire) != 2)
			sched_yield();
		seq_data++;
	} else if (i == 6) { /* pool producer */
		long *p = pool_alloc();
		p[2] = 22;
		atomic_store_explicit(&pool_box, p, memory_order_release);
	} else if (i == 7) { /* pool consumer */
		long *p;
		while (!(p = atomic_load_explicit(&pool_box, memory_order_acquire)))
			sched_yield();
		pool_result = p[2] + 1;
		pool_free(p);
	}
	return NULL;
}

static long detached_result[2];

static void *detached(void *arg)
{
	long i = (long)arg;
	char *s = malloc(16);
	strcpy(s, "detached");
	s = realloc(s, 64);
	detached_result[i] = (long)strlen(s) + i;
	free(s);
	sem_post(&detached_done);
	return NULL;
}

int main(void)
{
	pthread_t t[WORKERS];
	pthread_attr_t attr;

	pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
	pthread_barrier_init(&bar, NULL, WORKERS);
	sem_init(&detached_done, 0, 0);
	shared_obj = aligned_alloc(64, sizeof *shared_obj);
	atomic_init(&shared_obj->refs, WORKERS);

	for (long i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (long i = 0; i < 2; i++) {
		pthread_t d;
		pthread_create(&d, &attr, detached, (void *)i);
	}
	for (int i = 0; i < 2; i++)
		sem_wait(&detached_done);

	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);

	long ok = mutex_sum == 28 && spin_sum == 28 && fence_data == 2 && seq_data == 6 &&
		  pool_result == 23 && detached_result[1] == 9 &&
		  phase[0] == 99 + 1 + 7;
	pthread_barrier_destroy(&bar);
	pthread_spin_destroy(&spin);
	return ok ? 0 : 1;
}
// CHECK-NOT: SlabSan
