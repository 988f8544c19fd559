// SPDX-License-Identifier: Apache-2.0
// C11: a compare-exchange that fails is a load. One thread's failing CAS and
// another thread's plain read of the same word are two reads: no race (found
// on Concurrency Kit, docs/real-world.md). When the CAS succeeds it stores,
// and the plain read races with it.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DSUCCEEDS %s -o %t.s && %expect-exit 66 %t.s 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdbool.h>

#ifdef SUCCEEDS
static long word = 5;
#else
static long word;
#endif

static void *casser(void *arg)
{
	(void)arg;
	long expected = 5;
	__atomic_compare_exchange_n(&word, &expected, 7, false, /* CAS */
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, casser, NULL);
	long seen = word; /* READ */
	pthread_join(t, NULL);
	return seen == 42;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race
// CHECK: #0 {{main|casser}} {{.*}}cas_failed_is_load.c:{{30|21}}
// CHECK: #0 {{main|casser}} {{.*}}cas_failed_is_load.c:{{30|21}}
