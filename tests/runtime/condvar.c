// Producer/consumer over a one-slot mailbox with a mutex, two condvars and
// predicate loops: silent. The broken consumer polls a relaxed flag and
// reads the mailbox without the mutex: a data race on the item.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#define ITEMS 100
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static int full;
long item, sum; /* not static: LLVM would shrink them */
static atomic_int posted; /* BROKEN only: relaxed, orders nothing */

static void *producer(void *arg)
{
	(void)arg;
	for (long i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&m);
		while (full)
			pthread_cond_wait(&not_full, &m);
		item = i; /* PRODUCE */
		full = 1;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&m);
		atomic_store_explicit(&posted, 1, memory_order_relaxed);
#ifdef BROKEN
		break;
#endif
	}
	return NULL;
}

static void *consumer(void *arg)
{
	(void)arg;
#ifdef BROKEN
	while (!atomic_load_explicit(&posted, memory_order_relaxed))
		sched_yield();
	sum += item; /* RACY_CONSUME */
#else
	for (int n = 0; n < ITEMS; n++) {
		pthread_mutex_lock(&m);
		while (!full)
			pthread_cond_wait(&not_empty, &m);
		sum += item;
		full = 0;
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&m);
	}
#endif
	return NULL;
}

int main(void)
{
	pthread_t p, c;
	pthread_create(&c, NULL, consumer, NULL);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	return 0;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 consumer {{.*}}condvar.c:43
// CHECK: Previous write at 0x{{[0-9a-f]+}} by thread T2, holding lock M0:
// CHECK-NEXT: #0 producer {{.*}}condvar.c:25
// CHECK: SUMMARY: SlabSan: data race {{.*}}condvar.c:43 in consumer
// CHECK-NOT: WARNING: SlabSan
