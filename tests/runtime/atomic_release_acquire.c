// A release store and an acquire load that reads it hand plain data over:
// silent. With both relaxed nothing is ordered: data race on the payload.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DRELAXED %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#ifdef RELAXED
#define STORE_ORDER memory_order_relaxed
#define LOAD_ORDER memory_order_relaxed
#else
#define STORE_ORDER memory_order_release
#define LOAD_ORDER memory_order_acquire
#endif

int payload[4]; /* not static: LLVM would shrink it */
static atomic_int ready;

static void *producer(void *arg)
{
	(void)arg;
	payload[1] = 11; /* WRITE */
	atomic_store_explicit(&ready, 1, STORE_ORDER); /* STORE */
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, producer, NULL);
	while (!atomic_load_explicit(&ready, LOAD_ORDER)) /* LOAD */
		sched_yield();
	int got = payload[1]; /* READ */
	pthread_join(t, NULL);
	return got == 11 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 4 at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}atomic_release_acquire.c:34
// CHECK: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 producer {{.*}}atomic_release_acquire.c:23
// CHECK: SUMMARY: SlabSan: data race {{.*}}atomic_release_acquire.c:34 in main
// CHECK-NOT: WARNING: SlabSan
