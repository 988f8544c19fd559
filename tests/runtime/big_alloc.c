// Edge sizes: a 1 GiB block touched at both ends and freed, malloc(SIZE_MAX)
// and calloc overflow returning NULL, malloc(0), realloc(NULL, n) and
// realloc(p, 0): all work as glibc's do and nothing is reported. A use after
// free in a small block is still caught after the big one came and went.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DUSE_AFTER_FREE %s -o %t.uaf && %expect-exit 66 %t.uaf 2>&1 | FileCheck %s
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

char *volatile big, *volatile small;

int main(void)
{
	big = malloc(1ul << 30);
	if (!big)
		return 1;
	big[0] = 1;
	big[(1ul << 30) - 1] = 2;
	free(big);
	small = malloc(32);
	small[1] = 3;
	free(small); /* FREE */
#ifdef USE_AFTER_FREE
	small[1] = 4; /* USE */
#endif
	void *volatile none = malloc(SIZE_MAX);
	void *volatile overflow = calloc(SIZE_MAX / 2, 4);
	void *volatile zero = malloc(0);
	free(zero);
	void *volatile r = realloc(NULL, 10);
	r = realloc(r, 0);
	printf("%d %d %d\n", none == NULL, overflow == NULL, r == NULL);
	return 0;
}
// CLEAN-NOT: SlabSan
// CLEAN: 1 1 1
// CHECK: WARNING: SlabSan: use after free
// CHECK-NEXT: Write of size 1 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}big_alloc.c:25
// CHECK: Freed heap block of size 32 at {{.*}} (offset 1), freed by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}big_alloc.c:23
