// realloc is an allocation plus a free of the old block. A realloc'ed block
// handed over with release/acquire is silent. Reallocating while another
// thread's read of the old block is unordered is a data race whose current
// access is the free inside realloc.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DRACY %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

static _Atomic(long *) published;
static atomic_int reader_done;
static long seen;

/* Out of line, so the compiler cannot fold realloc + free away. */
__attribute__((noinline)) static void fill(long *p, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = i;
}

static void *reader(void *arg)
{
#ifdef RACY
	long *old = arg;
	seen = old[2]; /* OLD_READ */
	atomic_store_explicit(&reader_done, 1, memory_order_relaxed);
#else
	long *p;
	(void)arg;
	while (!(p = atomic_load_explicit(&published, memory_order_acquire)))
		sched_yield();
	seen = p[2] + p[5];
	free(p); /* the receiver frees the realloc'ed block */
#endif
	return NULL;
}

int main(void)
{
	pthread_t t;
	long *buf = malloc(4 * sizeof *buf); /* ALLOC */
	fill(buf, 4);
	pthread_create(&t, NULL, reader, buf);
#ifdef RACY
	while (!atomic_load_explicit(&reader_done, memory_order_relaxed))
		sched_yield();
	buf = realloc(buf, 8 * sizeof *buf); /* REALLOC */
	fill(buf, 8);
	pthread_join(t, NULL);
	free(buf);
	return seen == 2 ? 0 : 1;
#else
	long *bigger = realloc(buf, 8 * sizeof *bigger);
	bigger[5] = 50;
	atomic_store_explicit(&published, bigger, memory_order_release);
	pthread_join(t, NULL);
	return seen == 52 ? 0 : 1;
#endif
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Free of heap block of size 32 at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}realloc.c:49
// CHECK-NEXT: Previous read at 0x{{[0-9a-f]+}} (offset 16) by thread T1:
// CHECK-NEXT: #0 reader {{.*}}realloc.c:27
// CHECK-NEXT: Heap block allocated by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}realloc.c:43
// CHECK: SUMMARY: SlabSan: data race {{.*}}realloc.c:49 in main
// CHECK-NOT: WARNING: SlabSan
