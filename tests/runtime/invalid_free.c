// free() of a pointer that is not the start of a live heap block: a stack
// address, or a pointer into the middle of a heap block (named with its
// allocation). The program survives the bad free; freeing the start is silent.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DSTACK %s -o %t.stack && %expect-exit 66 %t.stack 2>&1 | FileCheck %s --check-prefix=STACK
// RUN: %slabsan-cc -O1 -g -DINTERIOR %s -o %t.interior && %expect-exit 66 %t.interior 2>&1 | FileCheck %s --check-prefix=INTERIOR
#include <stdio.h>
#include <stdlib.h>

/* noinline + an opaque pointer keep the compiler from seeing the bad free. */
__attribute__((noinline)) static void dispose(void *p)
{
	free(p); /* FREE */
}

int main(void)
{
	long local[4] = {1, 2, 3, 4};
	char *block = malloc(100); /* ALLOC */
	void *volatile target = block;
#if defined(STACK)
	target = local;
#elif defined(INTERIOR)
	target = block + 24;
#endif
	dispose(target); /* CALL */
#if defined(STACK) || defined(INTERIOR)
	free(block);
#endif
	printf("survived %ld\n", local[3]);
	return 0;
}
// CLEAN-NOT: SlabSan
// STACK: WARNING: SlabSan: invalid free (pid={{[0-9]+}})
// STACK-NEXT: Free of 0x{{[0-9a-f]+}} by main thread (T0):
// STACK-NEXT: #0 dispose {{.*}}invalid_free.c:13
// STACK-NEXT: #1 main {{.*}}invalid_free.c:26
// STACK-NEXT: The pointer does not point to a heap block
// STACK: SUMMARY: SlabSan: invalid free {{.*}}invalid_free.c:13 in dispose
// STACK-NOT: WARNING: SlabSan
// STACK: survived 4
// INTERIOR: WARNING: SlabSan: invalid free (pid={{[0-9]+}})
// INTERIOR-NEXT: Free of 0x{{[0-9a-f]+}} by main thread (T0):
// INTERIOR-NEXT: #0 dispose {{.*}}invalid_free.c:13
// INTERIOR-NEXT: #1 main {{.*}}invalid_free.c:26
// INTERIOR-NEXT: The pointer is 24 bytes inside a heap block of size 100 at 0x{{[0-9a-f]+}}, allocated by main thread (T0):
// INTERIOR-NEXT: #0 main {{.*}}invalid_free.c:19
// INTERIOR: SUMMARY: SlabSan: invalid free {{.*}}invalid_free.c:13 in dispose
// INTERIOR-NOT: WARNING: SlabSan
// INTERIOR: survived 4
