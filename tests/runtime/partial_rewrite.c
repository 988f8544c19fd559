// A thread's record of two fields written in one epoch (one joined
// record, docs/design.md) must not lose the field it does not write
// again: T1 writes pair.a and pair.b, releases a lock (a new epoch), and
// writes pair.a alone; main, never ordered after T1, then reads pair.b.
// The read races with T1's first write of pair.b and must name it. The
// invisible test barrier orders the steps in time only.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <slabsan/slabsan.h>

struct pair {
	_Alignas(16) long a;
	long b;
};
struct pair pair;
volatile long sink;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slabsan_test_barrier step = {.count = 2};

static void *worker(void *arg)
{
	(void)arg;
	pair.a = 1; /* WRITE_A */
	pair.b = 2; /* WRITE_B */
	pthread_mutex_lock(&lock);
	pthread_mutex_unlock(&lock);
	pair.a = 3; /* REWRITE_A */
	slabsan_test_barrier_wait(&step);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	slabsan_test_barrier_wait(&step);
	sink = pair.b; /* READ_B */
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}partial_rewrite.c:38
// CHECK-NEXT: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 worker {{.*}}partial_rewrite.c:25
// CHECK-NOT: WARNING: SlabSan
