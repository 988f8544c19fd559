// exitcode=N replaces the default 66 of a program that produced a report;
// a clean program keeps its own status, whatever exitcode says.
// RUN: %slabsan-cc -O1 -g %s -o %t && %slabsan-cc -O1 -g -DCLEAN %s -o %t.clean
// RUN: env SLABSAN_OPTIONS=exitcode=3 %expect-exit 3 %t 2>&1 | FileCheck %s
// RUN: env SLABSAN_OPTIONS=exitcode=0 %expect-exit 0 %t 2>&1 | FileCheck %s
// RUN: env SLABSAN_OPTIONS=exitcode=3 %expect-exit 5 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>

long counter; /* not static: LLVM would shrink it */

static void *worker(void *arg)
{
	(void)arg;
	counter++; /* WORKER */
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
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
// CHECK-DAG: #0 worker {{.*}}opt_exitcode.c:14
// CHECK-DAG: #0 main {{.*}}opt_exitcode.c:23
// CHECK: SUMMARY: SlabSan: data race
// CHECK-NOT: WARNING: SlabSan
// CLEAN-NOT: SlabSan
