// A thread's record of two fields written in one epoch (one joined
// record, docs/design.md) must not lose the field it does not write
// again: T1 writes pair.a and pair.b, releases a lock (a new epoch), and
// writes pair.a alone; main, never ordered after T1, then reads pair.b.
// The read races with T1's first write of pair.b and must name it.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
#include "Inputs/worker_then_main.h"

struct pair {
	_Alignas(16) long a;
	long b;
};
struct pair pair;
volatile long sink;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	(void)arg;
	pair.a = 1; /* WRITE_A */
	pair.b = 2; /* WRITE_B */
	pthread_mutex_lock(&lock);
	pthread_mutex_unlock(&lock);
	pair.a = 3; /* REWRITE_A */
	worker_done();
	return NULL;
}

static void read_b(void)
{
	sink = pair.b; /* READ_B */
}

int main(void)
{
	return run_worker_then(worker, read_b);
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} (struct pair::b) by main thread (T0):
// CHECK-NEXT: #0 read_b {{.*}}partial_rewrite.c:32
// CHECK: Previous write at 0x{{[0-9a-f]+}} (struct pair::b) by thread T1:
// CHECK-NEXT: #0 worker {{.*}}partial_rewrite.c:22
// CHECK-NOT: WARNING: SlabSan
