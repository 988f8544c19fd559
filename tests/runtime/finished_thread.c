// A race with a thread that has already finished (and was never joined) is
// still a race: its accesses stay in the shadow, and the report says the
// thread finished. Joining it first orders everything (silent).
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DJOIN %s -o %t.joined
// RUN: %expect-exit 0 %t.joined 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <unistd.h>

long result;
static atomic_int done; /* relaxed: tells main when, orders nothing */

static void *worker(void *arg)
{
	(void)arg;
	result = 42; /* WRITE */
	atomic_store_explicit(&done, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL); /* CREATE */
#ifdef JOIN
	pthread_join(t, NULL);
#else
	while (!atomic_load_explicit(&done, memory_order_relaxed))
		sched_yield();
	usleep(20000); /* let the worker finish for real */
#endif
	long r = result; /* READ */
#ifndef JOIN
	pthread_join(t, NULL);
#endif
	return r == 42 ? 0 : 1;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}finished_thread.c:34
// CHECK: Previous write at {{.*}} by thread T1:
// CHECK-NEXT: #0 worker {{.*}}finished_thread.c:18
// CHECK: Thread T1 (tid={{[0-9]+}}, finished) created by main thread (T0) at:
// CHECK-NEXT: #0 main {{.*}}finished_thread.c:26
// CLEAN-NOT: SlabSan
