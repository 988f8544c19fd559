// SPDX-License-Identifier: Apache-2.0
// The optimizer splits a static struct or array whose address never
// escapes into one global per part, named after the variable and a number
// (stats.0, stats.1); reports name a global by its symbol, so the pass
// renames each part after what it holds in the program: the member path
// the part's debug info gives.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DLOCAL %s -o %t.local && %expect-exit 66 %t.local 2>&1 | FileCheck %s --check-prefix=LOCAL
// RUN: %slabsan-cc -O1 -g -DARRAY %s -o %t.array && %expect-exit 66 %t.array 2>&1 | FileCheck %s --check-prefix=ARRAY
#include <pthread.h>
#include <stdio.h>

#ifdef ARRAY
static long counts[4];
#define COUNTER counts[2]
#else
static struct {
	long hits;
	struct {
		int evictions;
		int misses;
	} cache;
} stats;
#define COUNTER stats.cache.misses
#endif

static void count(void)
{
#ifdef LOCAL
	static struct {
		long calls;
		long spins;
	} here;
	here.spins++;
#else
	COUNTER++;
#endif
}

static void *worker(void *arg)
{
	(void)arg;
	count();
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	count();
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK: Location is global 'stats.cache.misses' (4 bytes at
// LOCAL: Location is global 'count.here.spins' (8 bytes at
// ARRAY: Location is global 'counts[2]' (8 bytes at
