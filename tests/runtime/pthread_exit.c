// SPDX-License-Identifier: Apache-2.0
// pthread_exit() from inside a nested call ends the thread like a return:
// the joiner gets its value and everything the thread wrote before it is
// ordered before the join (silent). A thread that leaves by pthread_exit and
// is never joined orders nothing: main's read races with its write.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --check-prefix=CLEAN --implicit-check-not=SlabSan
// RUN: %slabsan-cc -O1 -g -DDETACHED %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

long result;
static long *block;
static atomic_int wrote;   /* relaxed: when, orders nothing */

static __attribute__((noinline)) void finish(long value)
{
	result = value; /* WRITE */
	block[0] = value;
	atomic_store_explicit(&wrote, 1, memory_order_relaxed);
	pthread_exit((void *)value);
}

static void *worker(void *arg)
{
	finish((long)arg);
	return NULL;   /* never reached */
}

int main(void)
{
	pthread_t t;
	block = malloc(sizeof *block);
	pthread_create(&t, NULL, worker, (void *)42);
#ifdef DETACHED
	pthread_detach(t);
	while (!atomic_load_explicit(&wrote, memory_order_relaxed))
		;
	printf("result %ld\n", result); /* READ */
	return 0;
#else
	void *value;
	pthread_join(t, &value);
	printf("joined %ld, result %ld, block %ld\n", (long)value, result, block[0]);
	free(block);
	return 0;
#endif
}
// CLEAN: joined 42, result 42, block 42
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}pthread_exit.c:40
// CHECK: Previous write at {{.*}} by thread T1:
// CHECK-NEXT: #0 finish {{.*}}pthread_exit.c:19
