// memcmp() and bcmp() read both buffers whole for their caller: comparing a
// buffer another thread is still writing is a data race, reported at the
// call (libuv's fs_partial_write test does so before its join). After the
// join, silent. Focused mode does not check plain accesses.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBEFORE_JOIN %s -o %t.b && %expect-exit 66 %t.b 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -fslabsan-mode=focused -DBEFORE_JOIN %s -o %t.f && %expect-exit 0 %t.f 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

char buf[64]; /* not static: LLVM would shrink it */
static char expected[64];
static atomic_int filled; /* relaxed: orders nothing */
int differ;

static void *filler(void *arg)
{
	(void)arg;
	memset(buf, 'x', sizeof buf); /* FILL */
	atomic_store_explicit(&filled, 1, memory_order_relaxed);
	return NULL;
}

/* Out of line with a runtime size: the compiler keeps the call. */
__attribute__((noinline)) static int compare(size_t n)
{
	return memcmp(buf, expected, n); /* COMPARE */
}

int main(void)
{
	memset(expected, 'x', sizeof expected);
	pthread_t t;
	pthread_create(&t, NULL, filler, NULL);
#ifdef BEFORE_JOIN
	while (!atomic_load_explicit(&filled, memory_order_relaxed))
		;
	differ = compare(sizeof buf);
	pthread_join(t, NULL);
#else
	pthread_join(t, NULL);
	differ = compare(sizeof buf);
#endif
	return differ != 0;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size {{[0-9]+}} at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 compare {{.*}}memcmp_race.c:28
// CHECK: Previous write at {{.*}} by thread T1:
// CHECK-NEXT: #0 filler {{.*}}memcmp_race.c:20
// CHECK: Location is global 'buf'
