// A slab's freelist and counters as one 16-byte metadata word, the kernel's
// double word that __slab_free compare-exchanges (cmpxchg128): a plain
// snapshot of the counters while another thread's compare-exchange may
// change them is a data race on allocator metadata, and both accesses name
// the field. The pass used to leave the compare-exchange to the program
// without the field's name, so its side of the report named none.
// RUN: %slabsan-cc -O1 -g -mcx16 %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -mcx16 %s -o %t.focused && %expect-exit 66 %t.focused 2>&1 | FileCheck %s
// Under the slab's lock the snapshot is ordered:
// RUN: %slabsan-cc -O1 -g -mcx16 -DLOCKED %s -o %t.locked && %expect-exit 0 %t.locked 2>&1 | FileCheck %s --check-prefix=CLEAN
// CLEAN-NOT: SlabSan
// CLEAN: inuse 1
#include <pthread.h>
#include <slabsan/slabsan.h>
#include <stdatomic.h>
#include <stdio.h>

struct freelist_counters {
	void *freelist;
	unsigned long inuse;
};

struct slab {
	_Atomic struct freelist_counters fc __slabsan_meta;
	pthread_mutex_t lock;
};

static struct slab slab = {.lock = PTHREAD_MUTEX_INITIALIZER};
static atomic_int freed;

static void *remote_free(void *arg)
{
	(void)arg;
#ifdef LOCKED
	pthread_mutex_lock(&slab.lock);
#endif
	struct freelist_counters old = atomic_load_explicit(&slab.fc, memory_order_relaxed);
	struct freelist_counters new = {NULL, old.inuse - 1};
	atomic_compare_exchange_strong(&slab.fc, &old, new); /* CAS */
#ifdef LOCKED
	pthread_mutex_unlock(&slab.lock);
#endif
	atomic_store_explicit(&freed, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	struct freelist_counters two = {NULL, 2};
	atomic_store(&slab.fc, two);
	pthread_t t;
	pthread_create(&t, NULL, remote_free, NULL);
	while (!atomic_load_explicit(&freed, memory_order_relaxed))
		;
#ifdef LOCKED
	pthread_mutex_lock(&slab.lock);
#endif
	const struct freelist_counters *snapshot = (const struct freelist_counters *)&slab.fc;
	unsigned long inuse = snapshot->inuse; /* SNAPSHOT */
#ifdef LOCKED
	pthread_mutex_unlock(&slab.lock);
#endif
	pthread_join(t, NULL);
	printf("inuse %lu\n", inuse);
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} (struct slab::fc) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}meta_double_word.c:59
// CHECK-NEXT: Previous atomic write at {{.*}} (struct slab::fc) by thread T1:
// CHECK-NEXT: #0 remote_free {{.*}}meta_double_word.c:39
// CHECK: SUMMARY: SlabSan: data race {{.*}}meta_double_word.c:59 in main
