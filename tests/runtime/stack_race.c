// A race on a stack variable whose address escapes to another thread (the
// pass keeps it instrumented); a local that never escapes is not even
// instrumented; the report says whose stack. Joining first: silent.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DJOIN_FIRST %s -o %t.ok
// RUN: %expect-exit 0 %t.ok 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

static atomic_int written; /* relaxed: when, not ordering */

static void *fill(void *arg)
{
	*(long *)arg = 7; /* CHILD_WRITE */
	atomic_store_explicit(&written, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	long on_stack = 0;
	pthread_t t;
	pthread_create(&t, NULL, fill, &on_stack);
#ifdef JOIN_FIRST
	pthread_join(t, NULL);
#else
	while (!atomic_load_explicit(&written, memory_order_relaxed))
		sched_yield();
#endif
	long seen = on_stack; /* PARENT_READ */
#ifndef JOIN_FIRST
	pthread_join(t, NULL);
#endif
	return seen == 7 ? 0 : 1;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}stack_race.c:31
// CHECK: Previous write at {{.*}} by thread T1:
// CHECK-NEXT: #0 fill {{.*}}stack_race.c:15
// CHECK-NEXT: Location is the stack of main thread (T0).
// CLEAN-NOT: SlabSan
