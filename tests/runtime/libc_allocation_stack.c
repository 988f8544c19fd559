// A block libc allocated for the program (strdup's malloc, the realloc in
// fclose of a memory stream) names the program's line that called libc:
// the runtime unwinds through libc's frames to the instrumented caller,
// including a helper the compiler inlined. The first strdup() is freed at
// home: it teaches the runtime the route through strdup's frame, which the
// second (handed over) takes without unwinding, and the third, from
// another line, must not. libc's own frames are named
// from its debug information (libc6-dbg) or else from its exported
// symbols, so they are matched loosely. ACQUIRE: silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DACQUIRE %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef ACQUIRE
#define TAKE memory_order_acquire
#else
#define TAKE memory_order_relaxed
#endif

static _Atomic(char *) names[3];

static void *consumer(void *arg)
{
	for (int i = 0; i < 3; i++) {
		char *s;
		while (!(s = atomic_load_explicit(&names[i], TAKE)))
			;
		free(s);
	}
	return arg;
}

static char *copy_name(const char *base)
{
	return strdup(base);
}

static char *format_name(int n)
{
	char *text = NULL;
	size_t length = 0;
	FILE *stream = open_memstream(&text, &length);
	fprintf(stream, "worker %d", n);
	fclose(stream);
	return text;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, consumer, NULL);
	free(copy_name("warm-up"));
	atomic_store_explicit(&names[0], copy_name("worker"), memory_order_release);
	atomic_store_explicit(&names[1], format_name(2), memory_order_release);
	atomic_store_explicit(&names[2], strdup("main"), memory_order_release);
	pthread_join(t, NULL);
	return 0;
}

// CHECK:      WARNING: SlabSan: free without acquire
// CHECK-NEXT:   Free of heap block of size 7 at {{.*}} by thread T1:
// CHECK-NEXT:     #0 consumer {{.*}}libc_allocation_stack.c:35
// CHECK-NEXT:   is not ordered after its allocation by main thread (T0):
// CHECK-NEXT:     #0 strdup{{( \(.*\)| string/strdup.c:[0-9]+)?$}}
// CHECK-NEXT:     #1 copy_name {{.*}}libc_allocation_stack.c:42
// CHECK-NEXT:     #2 main {{.*}}libc_allocation_stack.c:60
// CHECK:      SUMMARY: SlabSan: free without acquire {{.*}}libc_allocation_stack.c:35 in consumer
// CHECK:      WARNING: SlabSan: free without acquire
// CHECK-NEXT:   Free of heap block of size {{[0-9]+}} at {{.*}} by thread T1:
// CHECK-NEXT:     #0 consumer {{.*}}libc_allocation_stack.c:35
// CHECK-NEXT:   is not ordered after its allocation by main thread (T0):
// CHECK-NEXT:     #0 {{.*}}
// CHECK-NEXT:     #1 fclose{{( \(.*\)| libio/iofclose.c:[0-9]+)?$}}
// CHECK-NEXT:     #2 format_name {{.*}}libc_allocation_stack.c:51
// CHECK-NEXT:     #3 main {{.*}}libc_allocation_stack.c:61
// CHECK:      WARNING: SlabSan: free without acquire
// CHECK-NEXT:   Free of heap block of size 5 at {{.*}} by thread T1:
// CHECK-NEXT:     #0 consumer {{.*}}libc_allocation_stack.c:35
// CHECK-NEXT:   is not ordered after its allocation by main thread (T0):
// CHECK-NEXT:     #0 strdup{{( \(.*\)| string/strdup.c:[0-9]+)?$}}
// CHECK-NEXT:     #1 main {{.*}}libc_allocation_stack.c:62
// CLEAN-NOT:  SlabSan
