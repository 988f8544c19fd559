// Threads running on stacks the program allocated itself (posix_memalign,
// pthread_attr_setstack), each joined and its stack freed. A new thread's
// stack is cleared of an earlier thread's shadow, and a heap block used as
// a stack was cleared whole, its block-start state with it: the free of
// the stack after the join was an invalid free (and the block was never
// given back). Silent in both modes.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g %s -o %t.focused && %expect-exit 0 %t.focused 2>&1 | FileCheck %s
// CHECK-NOT: SlabSan
// CHECK: sum 78400
// CHECK-NOT: SlabSan
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STACK (256 * 1024)

static __attribute__((noinline)) long fill(int n)
{
	volatile char buf[4096];
	memset((char *)buf, n, sizeof buf);
	long s = 0;
	for (int i = 0; i < (int)sizeof buf; i += 64)
		s += buf[i];
	return s;
}

static void *run(void *arg)
{
	return (void *)fill((int)(long)arg);
}

int main(void)
{
	long sum = 0;
	for (int round = 0; round < 50; round++) {
		void *stack;
		if (posix_memalign(&stack, 4096, STACK))
			return 1;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setstack(&attr, stack, STACK);
		pthread_t t;
		pthread_create(&t, &attr, run, (void *)(long)round);
		void *ret;
		pthread_join(t, &ret);
		sum += (long)ret;
		pthread_attr_destroy(&attr);
		free(stack);
	}
	printf("sum %ld\n", sum);
	return 0;
}
