// pthread_mutex_lock/unlock order the two critical sections; a worker that
// writes the counter without the mutex races with main's locked update.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

static long counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int done; /* relaxed: forces real-time order, creates no edge */

static void *worker(void *arg)
{
	(void)arg;
#ifndef BROKEN
	pthread_mutex_lock(&lock);
#endif
	counter += 1; /* WORKER_ADD */
#ifndef BROKEN
	pthread_mutex_unlock(&lock);
#endif
	atomic_store_explicit(&done, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	while (!atomic_load_explicit(&done, memory_order_relaxed))
		sched_yield();
	pthread_mutex_lock(&lock);
	counter += 2; /* MAIN_ADD */
	pthread_mutex_unlock(&lock);
	pthread_join(t, NULL);
	return counter == 3 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Write of size 8 at 0x{{[0-9a-f]+}} by main thread (T0), holding lock M0:
// CHECK-NEXT: #0 main {{.*}}mutex_lock.c:34
// CHECK-NEXT: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 worker {{.*}}mutex_lock.c:19
// CHECK-NEXT: Location is global 'counter'
// CHECK-NEXT: Lock M0 is in global 'lock' ({{.*}}), taken by main thread (T0) at:
// CHECK-NEXT: #0 main {{.*}}mutex_lock.c:33
// CHECK-NEXT: Fix: This write holds lock M0, the previous write at mutex_lock.c:19 held no
// CHECK-NEXT: lock: if M0 guards this memory, take it around that write too.
// CHECK: SUMMARY: SlabSan: data race {{.*}}mutex_lock.c:34 in main
// CHECK-NOT: WARNING: SlabSan
