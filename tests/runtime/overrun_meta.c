// A full-mode glibc block's metadata lives in the shadow of the granule below
// it, which covers glibc's chunk header (runtime/heap.c). A read past the end
// of the previous block, into the slack glibc gives it, lands there: it must
// neither be checked against the metadata nor overwrite it, so the next
// block's double free still names its own allocation and free. The blocks
// are 320 bytes: smaller ones come packed from SlabSan's spans (span.h),
// with no header between them.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	long *a = malloc(40 * sizeof *a);
	long *b = malloc(40 * sizeof *b); /* ALLOC_B */
	if (b != a + 42) {
		fprintf(stderr, "blocks not adjacent: %p %p\n", (void *)a, (void *)b);
		return 2;
	}
	long slack = ((volatile long *)a)[40]; /* glibc's bytes, not the program's */
	free(b); /* FREE_B */
	free(b); /* FREE_B_AGAIN */
	free(a);
	return (int)(slack & 0);
}
// CHECK: WARNING: SlabSan: double free (pid={{[0-9]+}})
// CHECK-NEXT: Free of heap block of size 320 at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}overrun_meta.c:22
// CHECK-NEXT: It was already freed by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}overrun_meta.c:21
// CHECK-NEXT: Allocated by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}overrun_meta.c:15
// CHECK: SUMMARY: SlabSan: double free {{.*}}overrun_meta.c:22 in main
// CHECK-NOT: WARNING: SlabSan
