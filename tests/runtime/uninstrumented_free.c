// A block an uninstrumented library allocates in one thread and frees in
// another, ordered by the library's own synchronization, is not a free
// without acquire: SlabSan sees that synchronization no more than the
// library's accesses (glibc's getaddrinfo shares blocks so, through
// __check_pf's cache and an internal lock). Silent in both modes
// (LIBRARY_ONLY). A free by instrumented code is still checked: the
// program frees the library's block without any acquire (PROGRAM_FREES).
// A module counts as instrumented when any of its code is, so the library
// is a shared one here, as glibc is.
// RUN: mkdir -p %t.dir && %clang -O1 -g -shared -fPIC %S/Inputs/uninstrumented_pool.c -o %t.dir/libpool.so
// RUN: %slabsan-cc -O1 -g -DLIBRARY_ONLY %s -L%t.dir -lpool -Wl,-rpath,%t.dir -o %t.lib && %expect-exit 0 %t.lib 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -fslabsan-mode=focused -DLIBRARY_ONLY %s -L%t.dir -lpool -Wl,-rpath,%t.dir -o %t.libf && %expect-exit 0 %t.libf 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -fslabsan-mode=focused -DPROGRAM_FREES %s -L%t.dir -lpool -Wl,-rpath,%t.dir -o %t.pf && %expect-exit 66 %t.pf 2>&1 | FileCheck %s --check-prefix=FREES
#include <pthread.h>
#include <stdlib.h>

void pool_put(void);
long *pool_take(void);
long *pool_peek(void);
int pool_take_and_free(void);

static void *producer(void *arg)
{
	(void)arg;
	pool_put();
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, producer, NULL);
#if defined(LIBRARY_ONLY)
	pool_take_and_free();
#else
	free(pool_peek()); /* PROGRAM_FREE */
#endif
	pthread_join(t, NULL);
	return 0;
}
// CLEAN-NOT: SlabSan
// FREES: WARNING: SlabSan: free without acquire
// FREES-NEXT: Free of heap block of size 8 at {{.*}} by main thread (T0):
// FREES-NEXT: #0 main {{.*}}uninstrumented_free.c:36
// FREES-NEXT: is not ordered after its allocation by thread T1:
// FREES-NEXT: #0 pool_put {{.*}}uninstrumented_pool.c:12
// FREES-NOT: WARNING: SlabSan
