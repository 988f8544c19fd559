// Accesses and frees in callbacks that code SlabSan did not compile calls:
// qsort()'s comparison, and tdestroy()'s function that frees each node.
// The callback's return address is in libc, so its stack once ended in
// libc's frames, without the line of main() that called qsort() or
// tdestroy(). Entering a function from foreign code walks the machine
// stack back to instrumented code once per call site; the stack reaches
// main() through libc's frames.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#define _GNU_SOURCE
#include <pthread.h>
#include <search.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int comparisons;
static _Atomic(long *) slot;

static int compare(const void *a, const void *b)
{
	comparisons++;
	return *(const int *)a - *(const int *)b;
}

static void release_node(void *node)
{
	free(node);
}

static void *worker(void *arg)
{
	long *p = malloc(4 * sizeof *p);
	p[0] = 1;
	atomic_store_explicit(&slot, p, memory_order_relaxed);
	usleep(100000);
	comparisons++;
	return arg;
}

int main(void)
{
	int values[64];
	pthread_t t;
	for (int i = 0; i < 64; i++)
		values[i] = (i * 37) % 64;
	if (pthread_create(&t, NULL, worker, NULL))
		return 1;
	qsort(values, 64, sizeof values[0], compare);
	long *p;
	while (!(p = atomic_load_explicit(&slot, memory_order_relaxed)))
		;
	void *root = NULL;
	tsearch(p, &root, compare);
	tdestroy(root, release_node);
	pthread_join(t, NULL);
	printf("sorted %d..%d\n", values[0], values[63]);
	return 0;
}

// CHECK:      WARNING: SlabSan: free without acquire
// CHECK-NEXT:   Free of heap block of size 32 at {{.*}} by main thread (T0):
// CHECK-NEXT:     #0 release_node {{.*}}callback_stack.c:28
// CHECK-NOT:    is not ordered
// CHECK:          #{{[1-9][0-9]*}} main {{.*}}callback_stack.c:55
// CHECK-NEXT:   is not ordered after its allocation by thread T1:
// CHECK:      SUMMARY: SlabSan: free without acquire {{.*}}callback_stack.c:28 in release_node
// CHECK:      WARNING: SlabSan: data race
// CHECK-NEXT:   Write of size 4 at {{.*}} by thread T1:
// CHECK-NEXT:     #0 worker {{.*}}callback_stack.c:37
// CHECK-NEXT:   Previous write at {{.*}} by main thread (T0):
// CHECK-NEXT:     #0 compare {{.*}}callback_stack.c:22
// CHECK-NOT:    Location is
// CHECK:          #{{[1-9][0-9]*}} main {{.*}}callback_stack.c:49
// CHECK-NEXT:   Location is global 'comparisons'
// CHECK:      SUMMARY: SlabSan: data race {{.*}}callback_stack.c:37 in worker
// CHECK:      sorted 0..63
