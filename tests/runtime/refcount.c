// The reference-count idiom: every owner drops its reference with a release
// fetch_sub, and the last one issues an acquire fence before free(): silent.
// With a relaxed fetch_sub and no fence, the last owner's free is not ordered
// after the other owners' writes: free without acquire.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#define OWNERS 2
struct obj {
	atomic_int refs;
	long work[OWNERS];
};

static void put_ref(struct obj *o)
{
#ifdef BROKEN
	if (atomic_fetch_sub_explicit(&o->refs, 1, memory_order_relaxed) == 1) /* DEC */
		free(o); /* FREE */
#else
	if (atomic_fetch_sub_explicit(&o->refs, 1, memory_order_release) == 1) {
		atomic_thread_fence(memory_order_acquire);
		free(o);
	}
#endif
}

static struct obj *shared;

static void *owner(void *arg)
{
	long i = (long)arg;
	shared->work[i] = i + 1; /* OWNER_WRITE */
	put_ref(shared);
	return NULL;
}

int main(void)
{
	pthread_t t[OWNERS];
	shared = malloc(sizeof *shared);
	atomic_init(&shared->refs, OWNERS);
	for (long i = 0; i < OWNERS; i++)
		pthread_create(&t[i], NULL, owner, (void *)i);
	for (int i = 0; i < OWNERS; i++)
		pthread_join(t[i], NULL);
	return 0;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: free without acquire (pid={{[0-9]+}})
// CHECK-NEXT: Free of heap block of size 24 at 0x{{[0-9a-f]+}} by thread T{{1|2}}:
// CHECK-NEXT: #0 put_ref {{.*}}refcount.c:21
// CHECK-NEXT: #1 owner
// The other owner's relaxed decrement is the first unordered write found:
// CHECK-NEXT: is not ordered after this atomic write at 0x{{[0-9a-f]+}} (offset 0, struct obj::refs) by thread T{{1|2}}:
// CHECK-NEXT: #0 put_ref {{.*}}refcount.c:20
// CHECK-NEXT: #1 owner
// The allocation is ordered before the free (thread creation), so it is
// context, after the fix:
// CHECK: Fix: make the decrement at refcount.c:20 release
// CHECK: The block was allocated by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}refcount.c:43
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}refcount.c:21 in put_ref
// CHECK-NOT: WARNING: SlabSan
