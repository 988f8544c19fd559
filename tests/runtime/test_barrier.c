// slabsan_test_barrier_wait releases threads together without creating
// happens-before: a write before it and a write after it on another thread
// still race. A pthread barrier in the same place orders them (silent).
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DPTHREAD_BARRIER %s -o %t.ordered
// RUN: %expect-exit 0 %t.ordered 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// The perturbed schedule changes nothing about the verdict:
// RUN: env SLABSAN_OPTIONS=schedule_seed=7 %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: env SLABSAN_OPTIONS=schedule_seed=7 %expect-exit 0 %t.ordered 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: env SLABSAN_OPTIONS=schedule_seed=x %expect-exit 1 %t 2>&1 | FileCheck %s --check-prefix=BADSEED
#include <pthread.h>
#include <slabsan/slabsan.h>

long shared;
static struct slabsan_test_barrier invisible = {.count = 2};
static pthread_barrier_t real;

static void meet(void)
{
#ifdef PTHREAD_BARRIER
	pthread_barrier_wait(&real);
#else
	slabsan_test_barrier_wait(&invisible);
#endif
}

static void *second(void *arg)
{
	(void)arg;
	meet();
	shared = 2; /* AFTER */
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_barrier_init(&real, NULL, 2);
	pthread_create(&t, NULL, second, NULL);
	shared = 1; /* BEFORE */
	meet();
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Write of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 second {{.*}}test_barrier.c:31
// CHECK: Previous write at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}test_barrier.c:40
// CHECK-NOT: WARNING: SlabSan
// CLEAN-NOT: SlabSan
// BADSEED: SlabSan: error: SLABSAN_OPTIONS: bad value 'x' for option 'schedule_seed'
