// Thread-local destructors (pthread_key_create's, and the C++ thread_local
// ones registered with __cxa_thread_atexit_impl) run after the start routine
// has returned, but still before pthread_join returns: what they write or
// free is ordered before everything the joiner does next. So the joiner may
// read a global a destructor wrote and free a block a destructor wrote to,
// silently, even when the destructor synchronized first (a mutex, as an
// allocator merging its per-thread statistics does), which moves the thread
// past the clock it had when its start routine returned. The thread's final
// release happens after its destructors.
// A detached thread's destructor that writes a global the main thread reads
// without synchronization still races, reported at the destructor's line.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

struct state { long result; };

static pthread_key_t key;
static long key_dtor_saw;        /* written by the key destructor */
static long tls_dtor_saw;        /* written by the thread_local-style destructor */
static atomic_int dtor_done;     /* BROKEN only: relaxed, orders nothing */
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static long stats;

extern void *__dso_handle;
int __cxa_thread_atexit_impl(void (*fn)(void *), void *obj, void *dso);

static void key_dtor(void *p)
{
	struct state *s = p;
	pthread_mutex_lock(&stats_lock);
	stats++;
	pthread_mutex_unlock(&stats_lock);
	s->result += 1;
	key_dtor_saw = s->result; /* KEY_DTOR */
#ifdef BROKEN
	atomic_store_explicit(&dtor_done, 1, memory_order_relaxed);
#endif
}

static void tls_dtor(void *p)
{
	pthread_mutex_lock(&stats_lock);
	stats++;
	pthread_mutex_unlock(&stats_lock);
	tls_dtor_saw = (long)p;
}

static void *worker(void *arg)
{
	struct state *s = arg;
	s->result = 41;
	pthread_setspecific(key, s);
	__cxa_thread_atexit_impl(tls_dtor, (void *)7, &__dso_handle);
	return NULL;
}

int main(void)
{
	pthread_key_create(&key, key_dtor);
	struct state *s = malloc(sizeof *s);
	pthread_t t;
#ifdef BROKEN
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_create(&t, &attr, worker, s);
	while (!atomic_load_explicit(&dtor_done, memory_order_relaxed))
		sched_yield();
	usleep(20000); /* let the thread finish for real */
	long seen = key_dtor_saw; /* READ */
	return seen == 42 ? 0 : 1;
#else
	pthread_create(&t, NULL, worker, s);
	pthread_join(t, NULL);
	long seen = key_dtor_saw + tls_dtor_saw;
	free(s); /* the destructor wrote s->result */
	return seen == 49 ? 0 : 1;
#endif
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}tls_destructor.c:75
// CHECK: Previous write at {{.*}} by thread T1:
// CHECK-NEXT: #0 key_dtor {{.*}}tls_destructor.c:39
// CHECK: SUMMARY: SlabSan: data race {{.*}}tls_destructor.c:75 in main
// CHECK-NOT: WARNING: SlabSan
