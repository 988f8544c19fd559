// 150 threads add to one counter under a mutex: silent. When one of them
// skips the mutex, the race between its add and the others' is reported.
// The invisible test barrier holds that add until main has joined the
// others (no happens-before to it), so it never runs at the same instant
// as another add, when each could miss the other's shadow entry.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <slabsan/slabsan.h>

#define N 150
static long sum;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slabsan_test_barrier others_done = {.count = 2};

static void *worker(void *arg)
{
	long i = (long)arg;
#ifdef BROKEN
	if (i == N / 2) {
		slabsan_test_barrier_wait(&others_done);
		sum += i; /* UNLOCKED_ADD */
		return NULL;
	}
#endif
	pthread_mutex_lock(&lock);
	sum += i; /* LOCKED_ADD */
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_t t[N];
	for (long i = 0; i < N; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i))
			return 2;
	for (int i = 0; i < N; i++) {
#ifdef BROKEN
		if (i == N / 2)
			continue;
#endif
		pthread_join(t[i], NULL);
	}
#ifdef BROKEN
	slabsan_test_barrier_wait(&others_done);
	pthread_join(t[N / 2], NULL);
#endif
	return sum == (long)N * (N - 1) / 2 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-DAG: #0 worker {{.*}}many_threads.c:22
// CHECK-DAG: #0 worker {{.*}}many_threads.c:27
// CHECK: SUMMARY: SlabSan: data race {{.*}}many_threads.c:22 in worker
