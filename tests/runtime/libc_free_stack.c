// A block libc frees for the program (getline() growing a buffer it was
// handed) without the hand-over's acquire: the free's stack goes through
// libc to the program's line, and two such lines are two reports, though
// the free inside libc is at one place for both. The SUMMARY names the
// program's line, not getline(), an inline function of <stdio.h>.
// ACQUIRE: silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DACQUIRE %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef ACQUIRE
#define TAKE memory_order_acquire
#else
#define TAKE memory_order_relaxed
#endif

static _Atomic(char *) buffers[2];
static const char text[] = "a line longer than the four bytes handed over\n";

static char *taken(int i)
{
	char *b;
	while (!(b = atomic_load_explicit(&buffers[i], TAKE)))
		;
	return b;
}

static void *reader(void *arg)
{
	size_t size = 4;
	char *first = taken(0), *second = taken(1);
	FILE *in = fmemopen((void *)text, sizeof text - 1, "r");
	if (getline(&first, &size, in) < 0)
		return NULL;
	rewind(in);
	size = 4;
	if (getline(&second, &size, in) < 0)
		return NULL;
	fclose(in);
	free(first);
	free(second);
	return arg;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, reader, NULL);
	for (int i = 0; i < 2; i++)
		atomic_store_explicit(&buffers[i], calloc(1, 4), memory_order_release);
	pthread_join(t, NULL);
	return 0;
}

// CHECK:      WARNING: SlabSan: free without acquire
// CHECK-NEXT:   Free of heap block of size 4 at {{.*}} by thread T1:
// CHECK-NEXT:     #0 {{.*}}
// CHECK:          #{{[0-9]+}} {{.*}}getline
// CHECK-NEXT:     #{{[0-9]+}} reader {{.*}}libc_free_stack.c:39
// CHECK:      SUMMARY: SlabSan: free without acquire {{.*}}libc_free_stack.c:39 in reader
// CHECK:      WARNING: SlabSan: free without acquire
// CHECK-NEXT:   Free of heap block of size 4 at {{.*}} by thread T1:
// CHECK-NEXT:     #0 {{.*}}
// CHECK:          #{{[0-9]+}} {{.*}}getline
// CHECK-NEXT:     #{{[0-9]+}} reader {{.*}}libc_free_stack.c:43
// CHECK:      SUMMARY: SlabSan: free without acquire {{.*}}libc_free_stack.c:43 in reader
// CLEAN-NOT:  SlabSan
