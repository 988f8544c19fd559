// A custom allocator's 8-byte objects share a 16-byte shadow granule.
// Announcing or freeing one must not forget what another thread did to its
// neighbour: here T1 writes object 0, then (with no happens-before, through
// the invisible test barrier) main announces object 1 (NEIGHBOUR_ALLOC) or
// frees it (NEIGHBOUR_FREE) and writes object 0: a data race naming T1's
// write. Joining T1 first (JOINED) is silent.
// RUN: %slabsan-cc -O1 -g -DNEIGHBOUR_ALLOC %s -o %t.alloc
// RUN: %expect-exit 66 %t.alloc 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DNEIGHBOUR_FREE %s -o %t.free
// RUN: %expect-exit 66 %t.free 2>&1 | FileCheck %s
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -DNEIGHBOUR_FREE -DMETA %s -o %t.focused
// RUN: %expect-exit 66 %t.focused 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DNEIGHBOUR_FREE -DJOINED %s -o %t.joined
// RUN: %expect-exit 0 %t.joined 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <slabsan/slabsan.h>

struct tiny {
	long word
#ifdef META
		__slabsan_meta   /* focused mode checks metadata fields only */
#endif
		;
};
static _Alignas(16) struct tiny pool[2];
static struct slabsan_test_barrier written = {.count = 2};

static void *writer(void *arg)
{
	(void)arg;
	pool[0].word = 1; /* T1_WRITE */
	slabsan_test_barrier_wait(&written);
	return NULL;
}

int main(void)
{
	pthread_t t;
	slabsan_malloclike(&pool[0], sizeof pool[0]);
#ifdef NEIGHBOUR_FREE
	slabsan_malloclike(&pool[1], sizeof pool[1]);
#endif
	pthread_create(&t, NULL, writer, NULL); /* CREATE */
	slabsan_test_barrier_wait(&written);
#ifdef JOINED
	pthread_join(t, NULL);
#endif
#ifdef NEIGHBOUR_ALLOC
	slabsan_malloclike(&pool[1], sizeof pool[1]);
#else
	slabsan_freelike(&pool[1]);
#endif
	pool[0].word = 2; /* MAIN_WRITE */
#ifndef JOINED
	pthread_join(t, NULL);
#endif
	return 0;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Write of size 8 at 0x{{[0-9a-f]+}} (struct tiny::word) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}custom_small_objects.c:53
// CHECK: Previous write at 0x{{[0-9a-f]+}} (struct tiny::word) by thread T1:
// CHECK-NEXT: #0 writer {{.*}}custom_small_objects.c:31
// CHECK: SUMMARY: SlabSan: data race {{.*}}custom_small_objects.c:53 in main
// CHECK-NOT: WARNING: SlabSan
