// A race on a heap object names the block: its size, the offset of the racy
// field and the allocation stack. The same accesses under a mutex: silent.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

struct account {
	long id;
	long balance;
	pthread_mutex_t lock;
};
static atomic_int deposited; /* relaxed: real-time order only */

static void *depositor(void *arg)
{
	struct account *a = arg;
#ifndef BROKEN
	pthread_mutex_lock(&a->lock);
#endif
	a->balance += 50; /* DEPOSIT */
#ifndef BROKEN
	pthread_mutex_unlock(&a->lock);
#endif
	atomic_store_explicit(&deposited, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t t;
	struct account *a = calloc(1, sizeof *a); /* ALLOC */
	pthread_mutex_init(&a->lock, NULL);
	pthread_create(&t, NULL, depositor, a);
	while (!atomic_load_explicit(&deposited, memory_order_relaxed))
		sched_yield();
	pthread_mutex_lock(&a->lock);
	a->balance -= 20; /* WITHDRAW */
	pthread_mutex_unlock(&a->lock);
	pthread_join(t, NULL);
	long left = a->balance;
	pthread_mutex_destroy(&a->lock);
	free(a);
	return left == 30 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Write of size 8 at 0x{{[0-9a-f]+}} (struct account::balance) by main thread (T0), holding lock M0:
// CHECK-NEXT: #0 main {{.*}}heap_race.c:40
// CHECK-NEXT: Previous write at 0x{{[0-9a-f]+}} (struct account::balance) by thread T1:
// CHECK-NEXT: #0 depositor {{.*}}heap_race.c:23
// CHECK-NEXT: Location is heap block of size {{[0-9]+}} at 0x{{[0-9a-f]+}} (offset 8) allocated by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}heap_race.c:34
// CHECK: SUMMARY: SlabSan: data race {{.*}}heap_race.c:40 in main
// CHECK-NOT: WARNING: SlabSan
