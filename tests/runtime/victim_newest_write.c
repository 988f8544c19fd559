// A full granule gives way first with a record another slot's stands in
// for: the same thread's access of the same kind, to no more bytes, in no
// later epoch. T1 writes both fields of a granule in four epochs (a
// record per epoch: the first field's write cannot replace the last
// epoch's record of both), main acquires those writes, T1 writes both
// again and, in a later epoch, reads one. That read needs a slot; taking
// the first slot ordered before it (as before) dropped T1's newest write,
// the one main's read then races with, and kept the three older ones main
// is ordered after: the race went unreported. The invisible test barrier
// orders the steps in time without happens-before.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdatomic.h>
#include <slabsan/slabsan.h>

struct pair {
	unsigned long first, second;
};
static _Alignas(16) struct pair the_pair;
/* Reloaded every time, so that the compiler keeps every store. */
static struct pair *volatile pair = &the_pair;
/* A release: the writer's next epoch. Acquire too, so that the compiler
 * cannot hoist the next round's stores above it. */
static atomic_int bump;
static atomic_int ready;
static struct slabsan_test_barrier step = {.count = 2};

static void *writer(void *arg)
{
	(void)arg;
	for (int k = 1; k <= 4; k++) {
		pair->first = k;
		pair->second = k;
		atomic_fetch_add_explicit(&bump, 1, memory_order_acq_rel);
	}
	atomic_store_explicit(&ready, 1, memory_order_release);
	slabsan_test_barrier_wait(&step);   /* main has acquired the four */
	pair->first = 5;
	pair->second = 5; /* T1_NEWEST */
	atomic_fetch_add_explicit(&bump, 1, memory_order_acq_rel);
	unsigned long second = pair->second;
	slabsan_test_barrier_wait(&step);   /* main reads the second field */
	return (void *)second;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
	while (!atomic_load_explicit(&ready, memory_order_acquire))
		;
	slabsan_test_barrier_wait(&step);
	slabsan_test_barrier_wait(&step);
	unsigned long second = pair->second; /* MAIN_READ */
	pthread_join(t, NULL);
	return second == 5 ? 0 : 1;
}
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} (struct pair::second) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}victim_newest_write.c:54
// CHECK-NEXT: Previous write at 0x{{[0-9a-f]+}} (struct pair::second) by thread T1:
// CHECK-NEXT: #0 writer {{.*}}victim_newest_write.c:39
// CHECK-NOT: WARNING: SlabSan
