// A PTHREAD_STACK_MIN thread (16 KiB of stack) that releases its locks out
// of the order it took them in: the lock set without the first lock is
// built from the locks above it, which once took a 16 KiB array on the
// thread's stack and overflowed it. Now silent, as natively.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
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

int main(void)
{
	pthread_attr_t attr;
	pthread_t t;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN);
	if (pthread_create(&t, &attr, small, NULL))
		return 1;
	pthread_join(t, NULL);
	printf("counted %d\n", counter);
	return 0;
}

// CHECK-NOT: SlabSan
// CHECK:     counted 10
// CHECK-NOT: SlabSan
