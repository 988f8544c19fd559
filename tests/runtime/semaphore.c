// sem_post -> sem_wait hands data over. Writing the data after the post
// (the consumer still waits for it, but only through a relaxed flag) races.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>

long message; /* not static: LLVM would shrink it to a bool */
static sem_t ready;
static atomic_int written; /* BROKEN only: relaxed, orders nothing */

static void *producer(void *arg)
{
	(void)arg;
#ifdef BROKEN
	sem_post(&ready);
	message = 7; /* WRITE_AFTER_POST */
	atomic_store_explicit(&written, 1, memory_order_relaxed);
#else
	message = 7;
	sem_post(&ready);
#endif
	return NULL;
}

int main(void)
{
	pthread_t t;
	sem_init(&ready, 0, 0);
	pthread_create(&t, NULL, producer, NULL);
	sem_wait(&ready);
#ifdef BROKEN
	while (!atomic_load_explicit(&written, memory_order_relaxed))
		sched_yield();
#endif
	long got = message; /* READ */
	pthread_join(t, NULL);
	sem_destroy(&ready);
	return got == 7 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}semaphore.c:38
// CHECK: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 producer {{.*}}semaphore.c:19
// CHECK: SUMMARY: SlabSan: data race {{.*}}semaphore.c:38 in main
// CHECK-NOT: WARNING: SlabSan
