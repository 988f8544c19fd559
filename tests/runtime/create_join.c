// pthread_create orders the parent's earlier writes before the child, and
// pthread_join orders the child's writes before the joiner. Reading the
// child's result before the join (after a relaxed "done" flag) races.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

static long input, output;
static atomic_int done; /* relaxed: orders nothing */

static void *child(void *arg)
{
	(void)arg;
	output = input * 2; /* CHILD_WRITE */
	atomic_store_explicit(&done, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t t;
	long result;
	input = 21; /* before create: ordered */
	pthread_create(&t, NULL, child, NULL);
#ifdef BROKEN
	while (!atomic_load_explicit(&done, memory_order_relaxed))
		sched_yield();
	result = output; /* EARLY_READ */
	pthread_join(t, NULL);
#else
	pthread_join(t, NULL);
	result = output;
#endif
	return result == 42 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}create_join.c:30
// CHECK: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 child {{.*}}create_join.c:16
// CHECK: Thread T1 (tid={{[0-9]+}}, {{running|finished}}) created by main thread (T0) at:
// CHECK: SUMMARY: SlabSan: data race {{.*}}create_join.c:30 in main
// CHECK-NOT: WARNING: SlabSan
