// Detached threads report completion with sem_post; main's sem_wait orders
// their results. A result written after the post races with main's read.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>

#define N 4
static long result[N];
static sem_t finished;
static atomic_int late; /* BROKEN only: relaxed, orders nothing */

static void *worker(void *arg)
{
	long i = (long)arg;
#ifdef BROKEN
	sem_post(&finished);
	result[i] = i * i; /* LATE_WRITE */
	atomic_fetch_add_explicit(&late, 1, memory_order_relaxed);
#else
	result[i] = i * i;
	sem_post(&finished);
#endif
	return NULL;
}

int main(void)
{
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	sem_init(&finished, 0, 0);
	for (long i = 0; i < N; i++) {
		pthread_t t;
		pthread_create(&t, &attr, worker, (void *)i);
	}
	for (int i = 0; i < N; i++)
		sem_wait(&finished);
#ifdef BROKEN
	while (atomic_load_explicit(&late, memory_order_relaxed) != N)
		sched_yield();
#endif
	long sum = 0;
	for (int i = 0; i < N; i++)
		sum += result[i]; /* READ */
	return sum == 14 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}detached.c:47
// CHECK: Previous write at 0x{{[0-9a-f]+}} by thread T{{[1-4]}}:
// CHECK-NEXT: #0 worker {{.*}}detached.c:20
// CHECK: SUMMARY: SlabSan: data race {{.*}}detached.c:47 in main
// CHECK-NOT: WARNING: SlabSan
