// SPDX-License-Identifier: Apache-2.0
// A report whose first frame has no line (one the optimizer made up;
// `#line 0` makes one here) names the file and function in its SUMMARY,
// as for any other frame, and its fix names the free by function and
// file, not as "file.c:0".
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

static pthread_mutex_t guard = PTHREAD_MUTEX_INITIALIZER;
static long *shared;
static atomic_int written;

static void *writer(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&guard);
	*shared = 1;
	pthread_mutex_unlock(&guard);
	atomic_store_explicit(&written, 1, memory_order_relaxed);
	return NULL;
}

static void drop(long *p)
{
#line 0
	free(p);
#line 30
}

int main(void)
{
	pthread_t t;
	shared = malloc(sizeof *shared);
	pthread_create(&t, NULL, writer, NULL);
	while (!atomic_load_explicit(&written, memory_order_relaxed))
		;
	drop(shared);
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 8 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 drop ({{.*}}summary_without_line.c)
// CHECK: take it around the free at drop() in
// CHECK-NEXT: summary_without_line.c too.
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}summary_without_line.c in drop{{$}}
// CHECK-NOT: summary_without_line.c:0
