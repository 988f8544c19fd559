// Regression test: SlabSan once got this wrong.
// Was: pthread_timedjoin_np/pthread_tryjoin_np/pthread_clockjoin_np are not
// Was: intercepted: a successful join adds no edge, so the joiner's read races.
// The GNU join variants order the thread's writes before the joiner exactly
// like pthread_join: reading the result after a successful join is silent.
// RUN: %slabsan-cc -O1 -g -DTIMED %s -o %t.timed && %expect-exit 0 %t.timed 2>&1 | FileCheck %s --allow-empty
// RUN: %slabsan-cc -O1 -g -DTRY %s -o %t.try && %expect-exit 0 %t.try 2>&1 | FileCheck %s --allow-empty
// RUN: %slabsan-cc -O1 -g -DCLOCK %s -o %t.clock && %expect-exit 0 %t.clock 2>&1 | FileCheck %s --allow-empty
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>
#include <unistd.h>

long result; /* not static: LLVM would shrink it */

static void *child(void *arg)
{
	(void)arg;
	result = 42;
	return NULL;
}

int main(void)
{
	pthread_t t;
	struct timespec deadline;
	pthread_create(&t, NULL, child, NULL);
#if defined(TIMED)
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 60;
	if (pthread_timedjoin_np(t, NULL, &deadline))
		return 2;
#elif defined(CLOCK)
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += 60;
	if (pthread_clockjoin_np(t, NULL, CLOCK_MONOTONIC, &deadline))
		return 2;
#else
	(void)deadline;
	while (pthread_tryjoin_np(t, NULL) != 0)
		usleep(1000);
#endif
	return result == 42 ? 0 : 1;
}
// CHECK-NOT: SlabSan
