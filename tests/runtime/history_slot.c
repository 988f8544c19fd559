// Two records of one thread, epoch and kind in one granule differ only in
// their bytes and their slots: each report must name its own earlier
// write. T1 writes `pair.a`, then `pair.b`, in one epoch; main then reads
// each without synchronization. The read of `a` must name the write of
// `a`, not the newer write of `b` beside it. The invisible test barrier
// orders the steps in time only.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <slabsan/slabsan.h>

struct pair {
	_Alignas(16) int a;
	int b;
};
struct pair pair;
volatile int sink;   /* keeps the reads */
static struct slabsan_test_barrier step = {.count = 2};

static void *worker(void *arg)
{
	(void)arg;
	pair.a = 1; /* WRITE_A */
	pair.b = 2; /* WRITE_B */
	slabsan_test_barrier_wait(&step);
	return NULL;
}

__attribute__((noinline)) static int read_b(void)
{
	return pair.b; /* READ_B */
}

__attribute__((noinline)) static int read_a(void)
{
	return pair.a; /* READ_A */
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	slabsan_test_barrier_wait(&step);
	int sum = read_b();
	sum += read_a();
	pthread_join(t, NULL);
	sink = sum;
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 4 at 0x{{[0-9a-f]+}} (struct pair::b) by main thread (T0):
// CHECK-NEXT: #0 read_b {{.*}}history_slot.c:31
// CHECK: Previous write at 0x{{[0-9a-f]+}} (struct pair::b) by thread T1:
// CHECK-NEXT: #0 worker {{.*}}history_slot.c:24
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 4 at 0x{{[0-9a-f]+}} (struct pair::a) by main thread (T0):
// CHECK-NEXT: #0 read_a {{.*}}history_slot.c:36
// CHECK: Previous write at 0x{{[0-9a-f]+}} (struct pair::a) by thread T1:
// CHECK-NEXT: #0 worker {{.*}}history_slot.c:23
// CHECK-NOT: WARNING: SlabSan
