// halt_on_error=1 stops the program at the first report (exit 66, nothing
// after it runs); by default both distinct races are reported.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: env SLABSAN_OPTIONS=halt_on_error=1 %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefix=HALT
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefix=ALL
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

long first, second; /* not static: LLVM would shrink them */
static atomic_int written; /* relaxed: orders nothing */

static void *writer(void *arg)
{
	(void)arg;
	first = 1; /* WRITE_FIRST */
	second = 2; /* WRITE_SECOND */
	atomic_store_explicit(&written, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
	while (!atomic_load_explicit(&written, memory_order_relaxed))
		sched_yield();
	long a = first; /* READ_FIRST */
	long b = second; /* READ_SECOND */
	pthread_join(t, NULL);
	printf("main finished %ld\n", a + b);
	return 0;
}
// HALT: WARNING: SlabSan: data race
// HALT: #0 main {{.*}}opt_halt_on_error.c:29
// HALT: SUMMARY: SlabSan: data race {{.*}}opt_halt_on_error.c:29 in main
// HALT-NOT: WARNING: SlabSan
// HALT-NOT: main finished
// ALL: WARNING: SlabSan: data race
// ALL: SUMMARY: SlabSan: data race {{.*}}opt_halt_on_error.c:29 in main
// ALL: WARNING: SlabSan: data race
// ALL: SUMMARY: SlabSan: data race {{.*}}opt_halt_on_error.c:30 in main
// ALL-NOT: WARNING: SlabSan
