// exitcode=N replaces the default 66 of a program that produced a report;
// a clean program keeps its own status, whatever exitcode says. The
// invisible test barrier puts main's increment after the worker's without
// happens-before, so the race never depends on timing.
// RUN: %slabsan-cc -O1 -g %s -o %t && %slabsan-cc -O1 -g -DCLEAN %s -o %t.clean
// RUN: env SLABSAN_OPTIONS=exitcode=3 %expect-exit 3 %t 2>&1 | FileCheck %s
// RUN: env SLABSAN_OPTIONS=exitcode=0 %expect-exit 0 %t 2>&1 | FileCheck %s
// RUN: env SLABSAN_OPTIONS=exitcode=3 %expect-exit 5 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <slabsan/slabsan.h>

long counter; /* not static: LLVM would shrink it */
static struct slabsan_test_barrier worker_done = {.count = 2};

static void *worker(void *arg)
{
	(void)arg;
	counter++; /* WORKER */
	slabsan_test_barrier_wait(&worker_done);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	slabsan_test_barrier_wait(&worker_done);
#ifndef CLEAN
	counter++; /* MAIN */
#endif
	pthread_join(t, NULL);
#ifdef CLEAN
	counter++;
	return 5;
#endif
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-DAG: #0 worker {{.*}}opt_exitcode.c:18
// CHECK-DAG: #0 main {{.*}}opt_exitcode.c:29
// CHECK: SUMMARY: SlabSan: data race
// CHECK-NOT: WARNING: SlabSan
// CLEAN-NOT: SlabSan
