// A free in one thread that is not ordered after another thread's plain read
// of the block is a data race whose current access is the free and whose
// previous access is the read. A release/acquire "done reading" flag: silent.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DRELAXED %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#ifdef RELAXED
#define STORE_ORDER memory_order_relaxed
#define LOAD_ORDER memory_order_relaxed
#else
#define STORE_ORDER memory_order_release
#define LOAD_ORDER memory_order_acquire
#endif

static long *table;
static atomic_int done_reading;
static long seen;

static void *reader(void *arg)
{
	(void)arg;
	seen = table[3]; /* READ */
	atomic_store_explicit(&done_reading, 1, STORE_ORDER);
	return NULL;
}

static void *freer(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&done_reading, LOAD_ORDER))
		sched_yield();
	free(table); /* FREE */
	return NULL;
}

int main(void)
{
	pthread_t r, f;
	table = calloc(8, sizeof *table); /* ALLOC */
	table[3] = 9;
	pthread_create(&r, NULL, reader, NULL);
	pthread_create(&f, NULL, freer, NULL);
	pthread_join(r, NULL);
	pthread_join(f, NULL);
	return seen == 9 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Free of heap block of size 64 at 0x{{[0-9a-f]+}} by thread T2:
// CHECK-NEXT: #0 freer {{.*}}free_read_race.c:36
// CHECK-NEXT: Previous read at 0x{{[0-9a-f]+}} (offset 24) by thread T1:
// CHECK-NEXT: #0 reader {{.*}}free_read_race.c:26
// CHECK-NEXT: Heap block allocated by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}free_read_race.c:43
// CHECK: SUMMARY: SlabSan: data race {{.*}}free_read_race.c:36 in freer
// CHECK-NOT: WARNING: SlabSan
