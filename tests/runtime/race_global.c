// Two threads write one global without synchronization: a data race naming
// both lines; the same program with a mutex is silent. The invisible test
// barrier puts the worker's increment before main's (no happens-before):
// two increments at the very same instant may each miss the other's shadow
// entry, as in ThreadSanitizer, and the test must not depend on timing.
// RUN: %slabsan-cc -O1 -g -DCOUNTER=long %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DCOUNTER=long -DLOCKED %s -o %t.locked
// RUN: %expect-exit 0 %t.locked 2>&1 | FileCheck %s --allow-empty --check-prefix=LOCKED
#include <pthread.h>
#include <slabsan/slabsan.h>

static COUNTER counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slabsan_test_barrier first_bump_done = {.count = 2};

static void bump(void)
{
#ifdef LOCKED
	pthread_mutex_lock(&lock);
#endif
	counter++; /* BUMP */
#ifdef LOCKED
	pthread_mutex_unlock(&lock);
#endif
}

static void *worker(void *arg)
{
	(void)arg;
	bump(); /* WORKER_CALL */
	slabsan_test_barrier_wait(&first_bump_done);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL); /* CREATE */
	slabsan_test_barrier_wait(&first_bump_done);
	bump(); /* MAIN_CALL */
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Write of size 8 at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 bump {{.*}}race_global.c:21
// CHECK-NEXT: #1 main {{.*}}race_global.c:40
// CHECK: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 bump {{.*}}race_global.c:21
// CHECK-NEXT: #1 worker {{.*}}race_global.c:30
// CHECK-NEXT: Location is global 'counter' (8 bytes at 0x{{[0-9a-f]+}}).
// CHECK: Thread T1 (tid={{[0-9]+}}, {{running|finished}}) created by main thread (T0) at:
// CHECK-NEXT: #0 main {{.*}}race_global.c:38
// CHECK: SUMMARY: SlabSan: data race {{.*}}race_global.c:21 in bump
// CHECK-NOT: WARNING: SlabSan
// LOCKED-NOT: SlabSan
// A one-byte global is "1 byte", not "1 bytes":
// RUN: %slabsan-cc -O1 -g -DCOUNTER=char %s -o %t.byte && %expect-exit 66 %t.byte 2>&1 | FileCheck %s --check-prefix=BYTE
// BYTE: Location is global 'counter' (1 byte at 0x{{[0-9a-f]+}}).
