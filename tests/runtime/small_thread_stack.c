// A thread started on a stack of the smallest size POSIX allows
// (PTHREAD_STACK_MIN, 16 KiB here), memory of the program's own that
// SlabSan cannot enlarge, runs under SlabSan as natively: the runtime's per-thread
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
#include <sys/mman.h>
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

/* PTHREAD_STACK_MIN bytes of the program's own memory as the thread's
 * stack: SlabSan adds room to the stacks it lets glibc allocate, not to
 * these, so the runtime must fit in what is left of them. */
static int create_on_small_stack(pthread_t *t, void *(*fn)(void *))
{
	size_t size = PTHREAD_STACK_MIN;
	void *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_attr_t attr;
	if (stack == MAP_FAILED || pthread_attr_init(&attr) ||
	    pthread_attr_setstack(&attr, stack, size))
		return 1;
	int ret = pthread_create(t, &attr, fn, NULL);
	pthread_attr_destroy(&attr);
	return ret;
}

int main(void)
{
	pthread_t t;
	if (create_on_small_stack(&t, small))
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
// CHECK-NEXT:     #0 main {{.*}}small_thread_stack.c:62
// CHECK-NEXT:   is not ordered after its allocation by thread T1:
// CHECK-NEXT:     #0 strdup{{( \(.*\)| string/strdup.c:[0-9]+)?$}}
// CHECK-NEXT:     #1 small {{.*}}small_thread_stack.c:34
// CHECK:      SUMMARY: SlabSan: free without acquire {{.*}}small_thread_stack.c:62 in main
// CLEAN-NOT:  SlabSan
