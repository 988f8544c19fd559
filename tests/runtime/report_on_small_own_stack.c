// Reports made on small stacks of the program's own memory, which SlabSan
// cannot enlarge: a thread's 16 KiB (pthread_attr_setstack) and, with
// COROUTINE, a 16 KiB coroutine stack (makecontext) on a thread of the
// default size. A report's explanation and symbolization take more than
// that; the thread's report overflowed into a deadly signal inside SlabSan.
// Reports now run on a stack of the runtime's when the thread's is short.
// ACQUIRE (release and acquire): silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,THREAD
// RUN: %slabsan-cc -O1 -g -DCOROUTINE %s -o %t.co
// RUN: %expect-exit 66 %t.co 2>&1 | FileCheck %s --check-prefixes=CHECK,CORO
// RUN: %slabsan-cc -O1 -g -DACQUIRE %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --check-prefix=CLEAN
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>

#ifdef ACQUIRE
#define GIVE memory_order_release
#define TAKE memory_order_acquire
#else
#define GIVE memory_order_relaxed
#define TAKE memory_order_relaxed
#endif

static _Atomic(long *) slot;

static void *small_stack(void)
{
	void *stack = mmap(NULL, PTHREAD_STACK_MIN, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stack == MAP_FAILED)
		exit(1);
	return stack;
}

static void take_and_free(void)
{
	long *p;
	while (!(p = atomic_load_explicit(&slot, TAKE)))
		;
	free(p);
}

static void *receiver(void *arg)
{
#ifdef COROUTINE
	static ucontext_t thread_ctx, coroutine;
	getcontext(&coroutine);
	coroutine.uc_stack.ss_sp = small_stack();
	coroutine.uc_stack.ss_size = PTHREAD_STACK_MIN;
	coroutine.uc_link = &thread_ctx;
	makecontext(&coroutine, take_and_free, 0);
	swapcontext(&thread_ctx, &coroutine);
#else
	take_and_free();
#endif
	return arg;
}

int main(void)
{
	pthread_attr_t attr;
	pthread_t t;
	pthread_attr_init(&attr);
#ifndef COROUTINE
	pthread_attr_setstack(&attr, small_stack(), PTHREAD_STACK_MIN);
#endif
	if (pthread_create(&t, &attr, receiver, NULL))
		return 1;
	long *p = malloc(4 * sizeof *p);
	p[0] = 1;
	atomic_store_explicit(&slot, p, GIVE);
	pthread_join(t, NULL);
	pthread_attr_destroy(&attr);
	puts("done");
	return 0;
}

// CHECK:      WARNING: SlabSan: free without acquire
// CHECK-NEXT:   Free of heap block of size 32 at {{.*}} by thread T1:
// CHECK-NEXT:     #0 take_and_free {{.*}}report_on_small_own_stack.c:47
// THREAD-NEXT:    #1 receiver {{.*}}report_on_small_own_stack.c:61
// CORO-NOT:       receiver
// CHECK:        is not ordered after its allocation by main thread (T0):
// CHECK-NEXT:     #0 main {{.*}}report_on_small_own_stack.c:76
// CHECK:        Published by main thread (T0) with a relaxed atomic store:
// CHECK-NEXT:     #0 main {{.*}}report_on_small_own_stack.c:78
// CHECK-NEXT:   Obtained by thread T1 with a relaxed atomic load:
// CHECK-NEXT:     #0 take_and_free {{.*}}report_on_small_own_stack.c:45
// CHECK:        Fix: make the store at report_on_small_own_stack.c:78 memory_order_release
// CHECK:      SUMMARY: SlabSan: free without acquire {{.*}}report_on_small_own_stack.c:47 in take_and_free
// CHECK:      done
// CLEAN-NOT:  SlabSan
// CLEAN:      done
// CLEAN-NOT:  SlabSan
