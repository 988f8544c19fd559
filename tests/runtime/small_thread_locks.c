// A thread on a PTHREAD_STACK_MIN stack of the program's own memory (16
// KiB, which SlabSan cannot enlarge) that releases its locks out
// of the order it took them in: the lock set without the first lock is
// built from the locks above it, which once took a 16 KiB array on the
// thread's stack and overflowed it. Now silent, as natively.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <sys/mman.h>
#include <stdio.h>

static pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER, inner = PTHREAD_MUTEX_INITIALIZER;
static int counter;

static void *small(void *arg)
{
	for (int i = 0; i < 10; i++) {
		pthread_mutex_lock(&outer);
		pthread_mutex_lock(&inner);
		counter++;
		pthread_mutex_unlock(&outer);   /* not the last one taken */
		pthread_mutex_unlock(&inner);
	}
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
	pthread_join(t, NULL);
	printf("counted %d\n", counter);
	return 0;
}

// CHECK-NOT: SlabSan
// CHECK:     counted 10
// CHECK-NOT: SlabSan
