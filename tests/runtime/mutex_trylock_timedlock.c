// pthread_mutex_trylock and pthread_mutex_timedlock acquire like lock does;
// a write after the unlock is outside the critical section and races.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

static int value;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int done; /* relaxed: real-time order only */

static void *worker(void *arg)
{
	(void)arg;
	while (pthread_mutex_trylock(&lock) != 0)
		sched_yield();
	value = 1; /* TRY_WRITE */
	pthread_mutex_unlock(&lock);
#ifdef BROKEN
	value = 2; /* AFTER_UNLOCK */
#endif
	atomic_store_explicit(&done, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t t;
	struct timespec deadline;
	pthread_create(&t, NULL, worker, NULL);
	while (!atomic_load_explicit(&done, memory_order_relaxed))
		sched_yield();
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 60;
	if (pthread_mutex_timedlock(&lock, &deadline) != 0)
		return 2;
	value += 10; /* TIMED_RW */
	pthread_mutex_unlock(&lock);
	pthread_join(t, NULL);
	return 0;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Write of size 4 at 0x{{[0-9a-f]+}} by main thread (T0), holding lock M0:
// CHECK-NEXT: #0 main {{.*}}mutex_trylock_timedlock.c:39
// CHECK: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 worker {{.*}}mutex_trylock_timedlock.c:22
// CHECK: SUMMARY: SlabSan: data race {{.*}}mutex_trylock_timedlock.c:39 in main
// CHECK-NOT: WARNING: SlabSan
