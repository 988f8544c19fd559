// pthread_once: whatever init_routine wrote is visible to every caller after
// pthread_once returns. Readers that skip pthread_once and only poll a
// relaxed flag race with the initializing write.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#define N 4
static pthread_once_t once = PTHREAD_ONCE_INIT;
static long table[4];
static long sums[N];
static atomic_int initialized; /* relaxed: orders nothing */

static void init_table(void)
{
	for (int i = 0; i < 4; i++)
		table[i] = i + 1; /* INIT_WRITE */
	atomic_store_explicit(&initialized, 1, memory_order_relaxed);
}

static void *user(void *arg)
{
	long i = (long)arg;
#ifdef BROKEN
	while (!atomic_load_explicit(&initialized, memory_order_relaxed))
		sched_yield();
#else
	pthread_once(&once, init_table);
#endif
	sums[i] = table[2]; /* USE */
	return NULL;
}

int main(void)
{
	pthread_t t[N];
	for (long i = 0; i < N; i++)
		pthread_create(&t[i], NULL, user, (void *)i);
	pthread_once(&once, init_table);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	return sums[0] == 3 && sums[N - 1] == 3 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by thread T{{[1-4]}}:
// CHECK-NEXT: #0 user {{.*}}once.c:32
// CHECK: Previous write at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 init_table {{.*}}once.c:19
// CHECK: SUMMARY: SlabSan: data race {{.*}}once.c:32 in user
// CHECK-NOT: WARNING: SlabSan
