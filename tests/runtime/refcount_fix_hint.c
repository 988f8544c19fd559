// Regression test: SlabSan once got this wrong.
// Was: for a relaxed refcount decrement the report blames the pointer hand-off
// Was: ("did not reach ... through an atomic load") and suggests release/acquire on it.
// In the refcount idiom the pointer reached the freeing thread in an ordered
// way (pthread_create); what is missing is the release on the other owner's
// fetch_sub and an acquire before free. The fix hint must point at the
// decrement, not at a pointer hand-off.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct obj {
	atomic_int refs;
	long payload;
};

static void *owner(void *arg)
{
	struct obj *o = arg;
	if (atomic_fetch_sub_explicit(&o->refs, 1, memory_order_relaxed) == 1) /* DEC */
		free(o); /* FREE */
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	struct obj *o = malloc(sizeof *o);
	atomic_init(&o->refs, 2);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, owner, o);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: free without acquire
// CHECK: #0 owner {{.*}}refcount_fix_hint.c:22
// CHECK: is not ordered after this atomic write
// CHECK-NEXT: #0 owner {{.*}}refcount_fix_hint.c:21
// CHECK-NOT: The pointer did not reach
// CHECK: The unordered write is the atomic read-modify-write at refcount_fix_hint.c:21
// CHECK: Fix: make the decrement at refcount_fix_hint.c:21 release
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}refcount_fix_hint.c:22 in owner
