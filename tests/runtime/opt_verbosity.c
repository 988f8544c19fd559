// verbosity=1 ends a run that reported something with a count line; a clean
// run stays silent even at verbosity=1.
// RUN: %slabsan-cc -O1 -g %s -o %t && %slabsan-cc -O1 -g -DCLEAN %s -o %t.clean
// RUN: env SLABSAN_OPTIONS=verbosity=1 %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefix=QUIET
// RUN: env SLABSAN_OPTIONS=verbosity=1 %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

long a, b; /* not static: LLVM would shrink them */
static atomic_int written; /* relaxed: orders nothing */
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *writer(void *arg)
{
	(void)arg;
#ifdef CLEAN
	pthread_mutex_lock(&m);
#endif
	a = 1;
	b = 2;
#ifdef CLEAN
	pthread_mutex_unlock(&m);
#endif
	atomic_store_explicit(&written, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
	while (!atomic_load_explicit(&written, memory_order_relaxed))
		sched_yield();
	pthread_mutex_lock(&m);
	long sum = a; /* two distinct racy reads: two reports */
	sum += b;
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	return sum == 3 ? 0 : 1;
}
// CHECK-COUNT-2: WARNING: SlabSan: data race
// CHECK-NOT: WARNING: SlabSan
// CHECK: SlabSan: reported 2 warnings
// QUIET-NOT: reported
// CLEAN-NOT: SlabSan
