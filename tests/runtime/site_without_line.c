// SPDX-License-Identifier: Apache-2.0
// An access whose debug location has no line (one the optimizer made up:
// LLVM 14 turns an unused relaxed exchange into such a store; `#line 0`
// makes one here on every version) is named by its function and file,
// not as "file.c:0".
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

static _Atomic(long *) box;

static void *taker(void *arg)
{
	long *p;
	(void)arg;
	while (!(p = atomic_load_explicit(&box, memory_order_acquire)))
		sched_yield();
	free(p);
	return NULL;
}

static void publish(long *p)
{
#line 0
	atomic_store_explicit(&box, p, memory_order_relaxed);
#line 29
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, taker, NULL);
	long *p = malloc(sizeof *p);
	*p = 7;
	publish(p);
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: free without acquire
// CHECK: Published by main thread (T0) with a relaxed atomic store:
// CHECK-NEXT: #0 publish ({{.*}}site_without_line.c)
// CHECK: Missing edge: the load at site_without_line.c:18 acquires, but the store at
// CHECK-NEXT: publish() in site_without_line.c is relaxed and releases nothing.
// CHECK-NEXT: Fix: make the store at publish() in site_without_line.c memory_order_release
// CHECK-NOT: site_without_line.c:0
