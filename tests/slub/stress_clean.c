// SPDX-License-Identifier: Apache-2.0
// The model under load, used correctly: four threads allocate from kmalloc
// classes (plain and accounted), from a SLAB_ACCOUNT cache, from a cache
// with a constructor and from a cache whose vectors are attached lazily;
// they fill the objects and pass them through a mutex-protected queue to
// other threads, which check and free them. Remote frees, sheaf flushes,
// refills from the partial list and large kmallocs all happen. Silent under
// Fix 2, and every charge is undone. (Not under Fix 1: when two threads
// create one slab's vector lazily at once, both store the stride plainly,
// and the second store races with the first and with readers; SlabSan
// rightly reports that, but whether it happens depends on timing here.)
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty
// CHECK-NOT: {{SlabSan|still has objects}}
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <slabsan/slab.h>

#define THREADS 4
#define ROUNDS 1000
#define QUEUE 256

struct item {
	struct kmem_cache *cache;   /* NULL: kmalloc */
	unsigned int size;
	unsigned char tag;
	unsigned char data[];
};

static struct kmem_cache *accounted, *with_ctor, *lazy;
static struct item *queue[QUEUE];
static unsigned int head, count;
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static int failures;

static void ctor(void *obj)
{
	memset(obj, 0x5a, 24);
}

static struct item *make(unsigned int seed)
{
	static const unsigned int sizes[] = {24, 100, 250, 1000, 3000, 7000, 20000};
	struct kmem_cache *caches[] = {accounted, with_ctor, lazy};
	struct item *it;
	unsigned int kind = seed % 10, size;
	if (kind < 7) {
		size = sizes[kind];
		it = kmalloc(size, (seed & 16) ? GFP_KERNEL_ACCOUNT : GFP_KERNEL);
		it->cache = NULL;
	} else {
		struct kmem_cache *s = caches[kind - 7];
		size = 48;
		it = kmem_cache_alloc(s, s == lazy ? GFP_KERNEL_ACCOUNT : GFP_KERNEL);
		it->cache = s;
	}
	it->size = size;
	it->tag = (unsigned char)seed;
	memset(it->data, it->tag, size - sizeof(*it));
	return it;
}

static void destroy(struct item *it)
{
	for (unsigned int i = 0; i < it->size - sizeof(*it); i++)
		if (it->data[i] != it->tag)
			__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
	if (it->cache)
		kmem_cache_free(it->cache, it);
	else
		kfree(it);
}

static void *worker(void *arg)
{
	unsigned int seed = (unsigned int)(long)arg * 7919;
	for (int round = 0; round < ROUNDS; round++) {
		struct item *it = make(seed = seed * 1103515245 + 12345), *got = NULL;
		pthread_mutex_lock(&queue_lock);
		if (count == QUEUE || (count > QUEUE / 2 && (seed & 1))) {
			got = queue[head];
			head = (head + 1) % QUEUE;
			count--;
		}
		queue[(head + count++) % QUEUE] = it;
		pthread_mutex_unlock(&queue_lock);
		if (got)
			destroy(got);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	accounted = kmem_cache_create("accounted", 48, 0, SLAB_ACCOUNT, NULL);
	with_ctor = kmem_cache_create("with_ctor", 48, 0, SLAB_HWCACHE_ALIGN, ctor);
	lazy = kmem_cache_create("lazy", 48, 0, 0, NULL);
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	while (count) {
		destroy(queue[head]);
		head = (head + 1) % QUEUE;
		count--;
	}
	kmem_cache_destroy(accounted);
	kmem_cache_destroy(with_ctor);
	kmem_cache_destroy(lazy);
	if (failures || slabsan_slub_charged_objects()) {
		printf("failures %d, charged objects left %ld\n", failures,
		       slabsan_slub_charged_objects());
		return 1;
	}
	return 0;
}
