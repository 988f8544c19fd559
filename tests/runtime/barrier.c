// pthread_barrier_wait separates phases: writes of phase 1 are ordered
// before reads of phase 2, those reads before the writes of phase 3.
// A write moved into phase 2 races with a neighbour's phase-2 read.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#define N 3
static long slot[N], got[N];
static pthread_barrier_t bar;
/* BROKEN only, relaxed (order nothing): the late write happens before the
 * read, and the writer reaches the next barrier only after the read (see
 * barrier_generations.c for why). */
static atomic_int late_written, late_read;

static void spin_until(atomic_int *flag)
{
	while (!atomic_load_explicit(flag, memory_order_relaxed))
		sched_yield();
}

static void *worker(void *arg)
{
	long i = (long)arg;
#ifdef BROKEN
	if (i != 0)
		slot[i] = i + 1;
	pthread_barrier_wait(&bar);
	if (i == 0) {
		slot[0] = 1; /* LATE_WRITE */
		atomic_store_explicit(&late_written, 1, memory_order_relaxed);
	} else if (i == N - 1) {
		spin_until(&late_written);
	}
#else
	slot[i] = i + 1;
	pthread_barrier_wait(&bar);
#endif
	got[i] = slot[(i + 1) % N]; /* PHASE2_READ */
#ifdef BROKEN
	if (i == N - 1)
		atomic_store_explicit(&late_read, 1, memory_order_relaxed);
	if (i == 0)
		spin_until(&late_read);
#endif
	pthread_barrier_wait(&bar);
	slot[i] = 0; /* phase 3 */
	return NULL;
}

int main(void)
{
	pthread_t t[N];
	pthread_barrier_init(&bar, NULL, N);
	for (long i = 0; i < N; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&bar);
	return got[0] + got[1] + got[2] == 6 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by thread T3:
// CHECK-NEXT: #0 worker {{.*}}barrier.c:41
// CHECK: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 worker {{.*}}barrier.c:32
// CHECK: SUMMARY: SlabSan: data race {{.*}}barrier.c:41 in worker
// CHECK-NOT: WARNING: SlabSan
