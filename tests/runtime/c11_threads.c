// Regression test: SlabSan once got this wrong.
// Was: C11 <threads.h> is not intercepted: thrd_create/thrd_join and
// Was: mtx_lock/mtx_unlock add no edges (glibc calls its internals directly).
// C11 threads order like their POSIX twins: data written before thrd_create
// is visible to the child, mtx_lock/mtx_unlock order critical sections,
// thrd_join orders the child's writes. Silent.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty
#include <threads.h>

long data; /* not static: LLVM would shrink it */
static mtx_t m;

static int child(void *arg)
{
	(void)arg;
	mtx_lock(&m);
	data += 10;
	mtx_unlock(&m);
	return 0;
}

int main(void)
{
	thrd_t t;
	mtx_init(&m, mtx_plain);
	data = 1;
	thrd_create(&t, child, NULL);
	mtx_lock(&m);
	data += 100;
	mtx_unlock(&m);
	thrd_join(t, NULL);
	mtx_destroy(&m);
	return data == 111 ? 0 : 1;
}
// CHECK-NOT: SlabSan
