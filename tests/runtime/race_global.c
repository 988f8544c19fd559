// Two threads write one global without synchronization: a data race naming
// both lines; the same program with a mutex is silent.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DLOCKED %s -o %t.locked
// RUN: %expect-exit 0 %t.locked 2>&1 | FileCheck %s --allow-empty --check-prefix=LOCKED
#include <pthread.h>

static long counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

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
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL); /* CREATE */
	bump(); /* MAIN_CALL */
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: {{Write|Read}} of size 8 at 0x{{[0-9a-f]+}} by {{thread T1|main thread \(T0\)}}:
// CHECK-NEXT: #0 bump {{.*}}race_global.c:16
// CHECK-NEXT: #1 {{worker|main}} {{.*}}race_global.c:{{25|33}}
// CHECK: Previous {{write|read}} at 0x{{[0-9a-f]+}} by {{thread T1|main thread \(T0\)}}:
// CHECK-NEXT: #0 bump {{.*}}race_global.c:16
// CHECK-NEXT: #1 {{worker|main}} {{.*}}race_global.c:{{25|33}}
// CHECK: Thread T1 (tid={{[0-9]+}}, {{running|finished}}) created by main thread (T0) at:
// CHECK-NEXT: #0 main {{.*}}race_global.c:32
// CHECK: SUMMARY: SlabSan: data race {{.*}}race_global.c:16 in bump
// CHECK-NOT: WARNING: SlabSan
// LOCKED-NOT: SlabSan
