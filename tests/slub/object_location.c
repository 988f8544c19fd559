// SPDX-License-Identifier: Apache-2.0
// A race inside a kmalloc()ed or kmem_cache_alloc()ed object: the report's
// "Location is" names the object (its size, the offset in it, and the
// allocation that returned it), not the slab page the model carved it
// from, which is a malloc()ed block too. Both threads bump a counter in
// the object with no lock (main's increment after the thread started,
// T1's before main joins it).
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,KMALLOC
// RUN: %slabsan-cc -O1 -g -DCACHE %s -o %t.cache
// RUN: %expect-exit 66 %t.cache 2>&1 | FileCheck %s --check-prefixes=CHECK,CACHE
#include <pthread.h>
#include <slabsan/slab.h>

struct session {
	long id;
	long bytes; /* offset 8 */
	long spare;
};

static void *worker(void *arg)
{
	struct session *s = arg;
	s->bytes += 100; /* WORKER */
	return NULL;
}

int main(void)
{
	pthread_t t;
#ifdef CACHE
	struct kmem_cache *cache = kmem_cache_create("session", sizeof(struct session), 0, 0, NULL);
	struct session *s = kmem_cache_alloc(cache, GFP_KERNEL); /* ALLOC_CACHE */
#else
	struct session *s = kzalloc(sizeof *s, GFP_KERNEL); /* ALLOC */
#endif
	pthread_create(&t, NULL, worker, s);
	s->bytes += 1; /* MAIN */
	pthread_join(t, NULL);
#ifdef CACHE
	kmem_cache_free(cache, s);
	kmem_cache_destroy(cache);
#else
	kfree(s);
#endif
	return 0;
}

// CHECK: WARNING: SlabSan: data race
// CHECK: Location is heap block of size 24 at 0x{{[0-9a-f]+}} (offset 8) allocated by main thread (T0):
// KMALLOC: #{{[0-9]+}} kzalloc
// KMALLOC-NEXT: #{{[0-9]+}} main {{.*}}object_location.c:35
// CACHE: #{{[0-9]+}} kmem_cache_alloc
// CACHE-NEXT: #{{[0-9]+}} main {{.*}}object_location.c:33
// CHECK: SUMMARY: SlabSan: data race
// CHECK-NOT: WARNING: SlabSan
