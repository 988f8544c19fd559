// A custom pool allocator announces blocks with slabsan_malloclike() and takes
// them back with slabsan_freelike(). A block handed to another thread with a
// relaxed store and returned to the pool there: free without acquire naming
// the pool_free call and the pool_alloc call; release/acquire: silent.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DRELAXED %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <slabsan/slabsan.h>

#ifdef RELAXED
#define STORE_ORDER memory_order_relaxed
#define LOAD_ORDER memory_order_relaxed
#else
#define STORE_ORDER memory_order_release
#define LOAD_ORDER memory_order_acquire
#endif

struct block {
	struct block *next;
	long payload[3];
};
#define POOL_BLOCKS 8
static struct block pool[POOL_BLOCKS];
static struct block *free_list;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;

static void *pool_alloc(void)
{
	pthread_mutex_lock(&pool_lock);
	struct block *b = free_list;
	if (b)
		free_list = b->next;
	pthread_mutex_unlock(&pool_lock);
	if (b)
		slabsan_malloclike(b, sizeof *b); /* POOL_MALLOCLIKE */
	return b;
}

static void pool_free(void *p)
{
	struct block *b = p;
	slabsan_freelike(b); /* POOL_FREELIKE */
	pthread_mutex_lock(&pool_lock);
	b->next = free_list;
	free_list = b;
	pthread_mutex_unlock(&pool_lock);
}

static _Atomic(struct block *) handoff;

static void *consumer(void *arg)
{
	struct block *b;
	(void)arg;
	while (!(b = atomic_load_explicit(&handoff, LOAD_ORDER))) /* LOAD */
		sched_yield();
	pool_free(b); /* CONSUMER_FREE */
	return NULL;
}

int main(void)
{
	pthread_t t;
	for (int i = 0; i < POOL_BLOCKS; i++) {
		pool[i].next = free_list;
		free_list = &pool[i];
	}
	pthread_create(&t, NULL, consumer, NULL);
	struct block *b = pool_alloc(); /* MAIN_ALLOC */
	b->payload[1] = 42; /* WRITE */
	atomic_store_explicit(&handoff, b, STORE_ORDER); /* STORE */
	pthread_join(t, NULL);
	/* The pool reuses the block: a fresh announcement, no report. */
	b = pool_alloc();
	b->payload[1] = 1;
	pool_free(b);
	return 0;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: free without acquire (pid={{[0-9]+}})
// CHECK-NEXT: Free of heap block of size 32 at 0x{{[0-9a-f]+}} by thread T1:
// CHECK: pool_free {{.*}}custom_pool.c:44
// CHECK-NEXT: consumer {{.*}}custom_pool.c:59
// CHECK-NEXT: is not ordered after its allocation by main thread (T0):
// CHECK: pool_alloc {{.*}}custom_pool.c:37
// CHECK-NEXT: main {{.*}}custom_pool.c:71
// CHECK-NEXT: nor after this write at 0x{{[0-9a-f]+}} (offset 16, struct block::payload[1]) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}custom_pool.c:72
// CHECK: Published by main thread (T0) with a relaxed atomic store:
// CHECK-NEXT: #0 main {{.*}}custom_pool.c:73
// CHECK: Obtained by thread T1 with a relaxed atomic load:
// CHECK-NEXT: #0 consumer {{.*}}custom_pool.c:57
// CHECK: SUMMARY: SlabSan: free without acquire
// CHECK-NOT: WARNING: SlabSan
