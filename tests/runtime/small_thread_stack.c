// A thread started with the smallest stack POSIX allows (PTHREAD_STACK_MIN,
// 16 KiB here) runs under SlabSan as natively: the runtime's per-thread
// state is not static TLS, which glibc takes out of the thread's stack,
// and the unwinding that names the caller of strdup() fits or is skipped.
// The block it hands over is still reported with its allocating line.
// ACQUIRE: silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DACQUIRE %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#ifdef ACQUIRE
#define TAKE memory_order_acquire
#else
#define TAKE memory_order_relaxed
#endif

static _Atomic(char *) box;

static void *small(void *arg)
{
	pthread_attr_t attr;
	if (pthread_getattr_np(pthread_self(), &attr) == 0)
		pthread_attr_destroy(&attr);
	free(strdup("scratch"));
	atomic_store_explicit(&box, strdup("handed"), memory_order_release);
	return arg;
}

int main(void)
{
	pthread_attr_t attr;
	pthread_t t;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN);
	if (pthread_create(&t, &attr, small, NULL))
		return 1;
	char *s;
	while (!(s = atomic_load_explicit(&box, TAKE)))
		;
	free(s);
	pthread_join(t, NULL);
	return 0;
}

// CHECK:      WARNING: SlabSan: free without acquire
// CHECK-NEXT:   Free of heap block of size 7 at {{.*}} by main thread (T0):
// CHECK-NEXT:     #0 main {{.*}}small_thread_stack.c:47
// CHECK-NEXT:   is not ordered after its allocation by thread T1:
// CHECK-NEXT:     #0 {{.*}}strdup
// CHECK-NEXT:     #1 small {{.*}}small_thread_stack.c:32
// CHECK:      SUMMARY: SlabSan: free without acquire {{.*}}small_thread_stack.c:47 in main
// CLEAN-NOT:  SlabSan
