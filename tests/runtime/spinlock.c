// pthread_spin_lock/unlock order critical sections like a mutex; a worker
// that skips the spinlock races with main's locked read-modify-write.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

static long total;
static pthread_spinlock_t spin;
static atomic_int done; /* relaxed: real-time order only */

static void *worker(void *arg)
{
	(void)arg;
#ifndef BROKEN
	pthread_spin_lock(&spin);
#endif
	total += 5; /* WORKER_ADD */
#ifndef BROKEN
	pthread_spin_unlock(&spin);
#endif
	atomic_store_explicit(&done, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
	pthread_create(&t, NULL, worker, NULL);
	while (!atomic_load_explicit(&done, memory_order_relaxed))
		sched_yield();
	pthread_spin_lock(&spin);
	total *= 2; /* MAIN_MUL */
	pthread_spin_unlock(&spin);
	pthread_join(t, NULL);
	pthread_spin_destroy(&spin);
	return total == 10 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Write of size 8 at 0x{{[0-9a-f]+}} by main thread (T0), holding lock M0:
// CHECK-NEXT: #0 main {{.*}}spinlock.c:35
// CHECK: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 worker {{.*}}spinlock.c:19
// CHECK: SUMMARY: SlabSan: data race {{.*}}spinlock.c:35 in main
// CHECK-NOT: WARNING: SlabSan
