// A report made on a thread the program started with the smallest stack
// POSIX allows (pthread_attr_setstacksize(PTHREAD_STACK_MIN), 16 KiB): the
// report's explanation and symbolization once overflowed that stack and the
// free without acquire came out as a deadly signal inside SlabSan. A stack
// size the program chose now gets the runtime's room on top, while the
// attributes the program passed still read what it set.
// ACQUIRE (release and acquire): silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DACQUIRE %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --check-prefix=CLEAN
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef ACQUIRE
#define GIVE memory_order_release
#define TAKE memory_order_acquire
#else
#define GIVE memory_order_relaxed
#define TAKE memory_order_relaxed
#endif

static _Atomic(long *) slot;

static void *small(void *arg)
{
	long *p;
	while (!(p = atomic_load_explicit(&slot, TAKE)))
		;
	free(p);
	return arg;
}

int main(void)
{
	pthread_attr_t attr;
	pthread_t t;
	size_t size;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN);
	if (pthread_create(&t, &attr, small, NULL))
		return 1;
	long *p = malloc(4 * sizeof *p);
	p[0] = 1;
	atomic_store_explicit(&slot, p, GIVE);
	pthread_join(t, NULL);
	pthread_attr_getstacksize(&attr, &size);
	printf("the attributes keep %s\n", size == PTHREAD_STACK_MIN ? "PTHREAD_STACK_MIN" : "another size");
	pthread_attr_destroy(&attr);
	return 0;
}

// CHECK:      WARNING: SlabSan: free without acquire
// CHECK-NEXT:   Free of heap block of size 32 at {{.*}} by thread T1:
// CHECK-NEXT:     #0 small {{.*}}small_thread_report.c:34
// CHECK-NEXT:   is not ordered after its allocation by main thread (T0):
// CHECK-NEXT:     #0 main {{.*}}small_thread_report.c:47
// CHECK:        Obtained by thread T1 with a relaxed atomic load:
// CHECK-NEXT:     #0 small {{.*}}small_thread_report.c:32
// CHECK:        Fix: make the store at small_thread_report.c:49 memory_order_release
// CHECK-NEXT:   (smp_store_release()) and the load at small_thread_report.c:32
// CHECK:      SUMMARY: SlabSan: free without acquire {{.*}}small_thread_report.c:34 in small
// CHECK:      the attributes keep PTHREAD_STACK_MIN
// CLEAN-NOT:  SlabSan
// CLEAN:      the attributes keep PTHREAD_STACK_MIN
// CLEAN-NOT:  SlabSan
