// SPDX-License-Identifier: Apache-2.0
// C11: a compare-exchange that fails is a load. One thread's failing CAS and
// another thread's plain read of the same word are two reads: no race (found
// on Concurrency Kit, docs/real-world.md). When the CAS succeeds it stores,
// and the plain read races with it. The invisible test barrier puts the read
// after the CAS in time (no happens-before), so nothing depends on timing.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DSUCCEEDS %s -o %t.s && %expect-exit 66 %t.s 2>&1 | FileCheck %s
#include <pthread.h>
#include <slabsan/slabsan.h>
#include <stdbool.h>

#ifdef SUCCEEDS
static long word = 5;
#else
static long word;
#endif
static struct slabsan_test_barrier cas_done = {.count = 2};

static void *casser(void *arg)
{
	(void)arg;
	long expected = 5;
	__atomic_compare_exchange_n(&word, &expected, 7, false, /* CAS */
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	slabsan_test_barrier_wait(&cas_done);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, casser, NULL);
	slabsan_test_barrier_wait(&cas_done);
	long seen = word; /* READ */
	pthread_join(t, NULL);
	return seen == 42;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}cas_failed_is_load.c:35
// CHECK-NEXT: Previous atomic write at {{.*}} by thread T1:
// CHECK-NEXT: #0 casser {{.*}}cas_failed_is_load.c:24
