// Volatile accesses are marked (like READ_ONCE/WRITE_ONCE): volatile writes
// and reads of one variable in two threads never race. A volatile write
// against a plain read (volatile cast away) of the same variable does.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DPLAIN_READ %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>

volatile int status;

static void *worker(void *arg)
{
	(void)arg;
	status = 1; /* VOLATILE_WRITE */
	while (status != 2) /* volatile poll */
		sched_yield();
	return NULL;
}

#ifdef PLAIN_READ
/* Out of line, so the compiler cannot reuse the value of the volatile poll. */
__attribute__((noinline)) static int plain_read(int *p)
{
	return *p; /* PLAIN_READ */
}
#endif

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	while (status != 1) /* volatile poll: real-time order, no edge */
		sched_yield();
#ifdef PLAIN_READ
	int v = plain_read((int *)&status); /* CALL_PLAIN */
#else
	int v = status;
#endif
	status = 2;
	pthread_join(t, NULL);
	return v == 1 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 4 at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 plain_read {{.*}}volatile.c:24
// CHECK-NEXT: #1 main {{.*}}volatile.c:35
// CHECK-NEXT: Previous volatile write at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 worker {{.*}}volatile.c:14
// CHECK: SUMMARY: SlabSan: data race {{.*}}volatile.c:24 in plain_read
// CHECK-NOT: WARNING: SlabSan
