// Freeing a block twice is a double free naming both frees and the
// allocation; a single free is silent.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <stdlib.h>

__attribute__((noinline)) static void release(char *p)
{
	free(p); /* SECOND_FREE */
}

int main(void)
{
	char *buf = malloc(64); /* ALLOC */
	buf[0] = 'x';
	free(buf); /* FIRST_FREE */
#ifdef BROKEN
	release(buf); /* CALL_RELEASE */
#endif
	return 0;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: double free (pid={{[0-9]+}})
// CHECK-NEXT: Free of heap block of size 64 at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 release {{.*}}double_free.c:9
// CHECK-NEXT: #1 main {{.*}}double_free.c:18
// CHECK-NEXT: It was already freed by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}double_free.c:16
// CHECK-NEXT: Allocated by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}double_free.c:14
// CHECK: SUMMARY: SlabSan: double free {{.*}}double_free.c:9 in release
// CHECK-NOT: WARNING: SlabSan
