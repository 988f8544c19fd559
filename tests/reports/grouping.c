// One missing edge, several consequences: the relaxed hand-off makes the free
// unordered and also the receiver's read of a field; the second report says
// it is a consequence of the first, and repeats are counted, not printed.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: env SLABSAN_OPTIONS=verbosity=1 %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

struct msg {
	long seq;
	long body;
};

static _Atomic(struct msg *) box;

static void *receiver(void *arg)
{
	struct msg *m;
	long sum;
	(void)arg;
	while (!(m = atomic_load_explicit(&box, memory_order_relaxed))) /* LOAD */
		sched_yield();
	sum = m->body; /* READ */
	free(m); /* FREE */
	return (void *)sum;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, receiver, NULL);
	struct msg *m = malloc(sizeof *m);
	m->seq = 1;
	m->body = 2; /* WRITE */
	atomic_store_explicit(&box, m, memory_order_relaxed); /* STORE */
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 receiver {{.*}}grouping.c:25
// CHECK: Previous write at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}grouping.c:36
// CHECK: The pointer reached thread T1 through 'box'
// CHECK: Missing edge: the store at grouping.c:37 and the load at grouping.c:23 are
// CHECK-NEXT: both relaxed, so nothing the publishing thread did before the store is ordered
// CHECK: WARNING: SlabSan: free without acquire
// CHECK: #0 receiver {{.*}}grouping.c:26
// CHECK: Same missing edge as SlabSan finding #1 (data race): a consequence of it.
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}grouping.c:26 in receiver
// CHECK-NOT: WARNING: SlabSan
// CHECK: SlabSan: reported 2 warnings
