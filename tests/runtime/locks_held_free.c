// A free racing with another thread's read names the locks of both: the
// reader held the cache's mutex, the freeing thread does not, and the fix
// is to take it around the free. Freeing under the mutex is silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DLOCKED_FREE %s -o %t.locked
// RUN: %expect-exit 0 %t.locked 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

struct entry {
	long key;
	long value;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *cached;
static atomic_int looked_up; /* relaxed: forces real-time order, creates no edge */
long seen;

static void *reader(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cache_lock);
	seen = cached->value; /* READ */
	pthread_mutex_unlock(&cache_lock);
	atomic_store_explicit(&looked_up, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	cached = malloc(sizeof *cached);
	cached->key = 1;
	cached->value = 42;
	pthread_t t;
	pthread_create(&t, NULL, reader, NULL);
	while (!atomic_load_explicit(&looked_up, memory_order_relaxed))
		sched_yield();
#ifdef LOCKED_FREE
	pthread_mutex_lock(&cache_lock);
#endif
	free(cached); /* FREE */
#ifdef LOCKED_FREE
	pthread_mutex_unlock(&cache_lock);
#endif
	pthread_join(t, NULL);
	return 0;
}

// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Free of heap block of size 16 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}locks_held_free.c:45
// CHECK-NEXT: Previous read at {{.*}} (offset 8, struct entry::value) by thread T1, holding lock M0:
// CHECK-NEXT: #0 reader {{.*}}locks_held_free.c:27
// CHECK-NEXT: Heap block allocated by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}locks_held_free.c:35
// CHECK-NEXT: Lock M0 is in global 'cache_lock' ({{.*}}), taken by thread T1 at:
// CHECK-NEXT: #0 reader {{.*}}locks_held_free.c:26
// CHECK-NEXT: Fix: The previous read at locks_held_free.c:27 held lock M0, this free holds
// CHECK-NEXT: no lock: if M0 guards this memory, take it around the free at
// CHECK-NEXT: locks_held_free.c:45 too.
// CHECK-NOT: WARNING: SlabSan

// CLEAN-NOT: WARNING: SlabSan
