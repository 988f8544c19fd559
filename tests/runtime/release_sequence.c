// Release sequences: A release-stores `seq`, B does a relaxed RMW on it, C
// acquire-loads the value B's RMW wrote and reads A's data. The RMW continues
// A's release sequence: silent. If B does a relaxed *store* instead, the
// sequence ends and C's read of A's data is a data race.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DPLAIN_STORE %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

long data; /* not static: LLVM would shrink it to a bool */
static atomic_int seq;
static atomic_int b_done; /* relaxed: C must not see A's store itself */

static void *thread_a(void *arg)
{
	(void)arg;
	data = 100; /* A_WRITE */
	atomic_store_explicit(&seq, 1, memory_order_release);
	return NULL;
}

static void *thread_b(void *arg)
{
	(void)arg;
	while (atomic_load_explicit(&seq, memory_order_relaxed) != 1)
		sched_yield();
#ifdef PLAIN_STORE
	atomic_store_explicit(&seq, 2, memory_order_relaxed);
#else
	atomic_fetch_add_explicit(&seq, 1, memory_order_relaxed);
#endif
	atomic_store_explicit(&b_done, 1, memory_order_relaxed);
	return NULL;
}

static void *thread_c(void *arg)
{
	long *out = arg;
	while (!atomic_load_explicit(&b_done, memory_order_relaxed))
		sched_yield();
	while (atomic_load_explicit(&seq, memory_order_acquire) != 2)
		sched_yield();
	*out = data; /* C_READ */
	return NULL;
}

int main(void)
{
	pthread_t a, b, c;
	long got = 0;
	pthread_create(&c, NULL, thread_c, &got);
	pthread_create(&b, NULL, thread_b, NULL);
	pthread_create(&a, NULL, thread_a, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	pthread_join(c, NULL);
	return got == 100 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 thread_c {{.*}}release_sequence.c:44
// CHECK: Previous write at 0x{{[0-9a-f]+}} by thread T3:
// CHECK-NEXT: #0 thread_a {{.*}}release_sequence.c:18
// CHECK: SUMMARY: SlabSan: data race {{.*}}release_sequence.c:44 in thread_c
// CHECK-NOT: WARNING: SlabSan
