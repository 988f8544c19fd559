// free() of a pointer that is not the start of a live heap block: a stack
// address (named with the thread whose stack it is), a global (named), a
// pointer into the middle of a heap block (named with its allocation), or a
// block freed before whose metadata left with it when the quarantine handed
// it back (a double free the quarantine no longer sees). The program
// survives the bad free; freeing the start is silent.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DSTACK %s -o %t.stack && %expect-exit 66 %t.stack 2>&1 | FileCheck %s --check-prefix=STACK
// RUN: %slabsan-cc -O1 -g -DINTERIOR %s -o %t.interior && %expect-exit 66 %t.interior 2>&1 | FileCheck %s --check-prefix=INTERIOR
// RUN: %slabsan-cc -O1 -g -DGLOBAL %s -o %t.global && %expect-exit 66 %t.global 2>&1 | FileCheck %s --check-prefix=GLOBAL
// RUN: %slabsan-cc -O1 -g -DAGAIN %s -o %t.again && env SLABSAN_OPTIONS=quarantine_size_mb=0 %expect-exit 66 %t.again 2>&1 | FileCheck %s --check-prefix=AGAIN
#include <stdio.h>
#include <stdlib.h>

static long table[4];

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
#elif defined(GLOBAL)
	target = table;
#elif defined(AGAIN)
	free(block); /* FIRST_FREE */
#endif
	dispose(target); /* CALL */
#if defined(STACK) || defined(INTERIOR) || defined(GLOBAL)
	free(block);
#endif
	printf("survived %ld\n", local[3] + table[0]);
	return 0;
}
// CLEAN-NOT: SlabSan
// STACK: WARNING: SlabSan: invalid free (pid={{[0-9]+}})
// STACK-NEXT: Free of 0x{{[0-9a-f]+}} by main thread (T0):
// STACK-NEXT: #0 dispose {{.*}}invalid_free.c:20
// STACK-NEXT: #1 main {{.*}}invalid_free.c:37
// STACK-NEXT: The pointer does not point to a heap block but into the stack of main
// STACK-NEXT: thread (T0).
// STACK-NEXT: SUMMARY: SlabSan: invalid free {{.*}}invalid_free.c:20 in dispose
// STACK-NOT: WARNING: SlabSan
// STACK: survived 4
// INTERIOR: WARNING: SlabSan: invalid free (pid={{[0-9]+}})
// INTERIOR-NEXT: Free of 0x{{[0-9a-f]+}} by main thread (T0):
// INTERIOR-NEXT: #0 dispose {{.*}}invalid_free.c:20
// INTERIOR-NEXT: #1 main {{.*}}invalid_free.c:37
// INTERIOR-NEXT: The pointer is 24 bytes inside a heap block of size 100 at 0x{{[0-9a-f]+}}, allocated by main thread (T0):
// INTERIOR-NEXT: #0 main {{.*}}invalid_free.c:26
// INTERIOR: SUMMARY: SlabSan: invalid free {{.*}}invalid_free.c:20 in dispose
// INTERIOR-NOT: WARNING: SlabSan
// INTERIOR: survived 4
// GLOBAL: WARNING: SlabSan: invalid free (pid={{[0-9]+}})
// GLOBAL-NEXT: Free of 0x{{[0-9a-f]+}} by main thread (T0):
// GLOBAL-NEXT: #0 dispose {{.*}}invalid_free.c:20
// GLOBAL-NEXT: #1 main {{.*}}invalid_free.c:37
// GLOBAL-NEXT: The pointer does not point to a heap block but into global 'table' ({{[0-9]+}} bytes
// GLOBAL-NEXT: at 0x{{[0-9a-f]+}}).
// GLOBAL-NEXT: SUMMARY: SlabSan: invalid free {{.*}}invalid_free.c:20 in dispose
// GLOBAL-NOT: WARNING: SlabSan
// GLOBAL: survived 4
// AGAIN: WARNING: SlabSan: invalid free (pid={{[0-9]+}})
// AGAIN-NEXT: Free of 0x{{[0-9a-f]+}} by main thread (T0):
// AGAIN-NEXT: #0 dispose {{.*}}invalid_free.c:20
// AGAIN-NEXT: #1 main {{.*}}invalid_free.c:37
// AGAIN-NEXT: The pointer does not point to a heap block SlabSan knows: foreign memory, or a
// AGAIN-NEXT: block freed before and already handed back to the allocator by the quarantine
// AGAIN-NEXT: (quarantine_size_mb=0).
// AGAIN-NEXT: SUMMARY: SlabSan: invalid free {{.*}}invalid_free.c:20 in dispose
// AGAIN-NOT: WARNING: SlabSan
// AGAIN: survived 4
