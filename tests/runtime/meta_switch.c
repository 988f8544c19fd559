// Where a heap block's metadata lives changes once per process: in a header
// while no module checks plain accesses, in the shadow below the block
// after one does (runtime/heap.c). Here a focused program allocates, then
// loads a full-mode module, then allocates again: both blocks are read by
// the module, freed, and reported when freed twice, each with the right
// stacks.
// RUN: %slabsan-cc -O1 -g -fPIC -c %S/Inputs/plain_peek.c -o %t.peek.o
// RUN: %clang -shared %t.peek.o -o %t.peek.so
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -rdynamic %s -o %t -ldl
// RUN: %expect-exit 0 %t %t.peek.so 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -rdynamic -DTWICE=early %s -o %t.early -ldl
// RUN: %expect-exit 66 %t.early %t.peek.so 2>&1 | FileCheck %s --check-prefixes=CHECK,EARLY
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -rdynamic -DTWICE=late %s -o %t.late -ldl
// RUN: %expect-exit 66 %t.late %t.peek.so 2>&1 | FileCheck %s --check-prefixes=CHECK,LATE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	long *early = malloc(sizeof *early); /* ALLOC_EARLY */
	*early = 20;
	void *module = dlopen(argv[1], RTLD_NOW);
	if (!module) {
		fprintf(stderr, "%s\n", dlerror());
		return 2;
	}
	long (*peek)(const long *) = (long (*)(const long *))dlsym(module, "plain_peek");
	long *late = malloc(sizeof *late); /* ALLOC_LATE */
	*late = 22;
	long sum = peek(early) + peek(late);
	free(early); /* FREE_EARLY */
	free(late); /* FREE_LATE */
#ifdef TWICE
	free(TWICE); /* FREE_AGAIN */
#endif
	return sum != 42;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: double free (pid={{[0-9]+}})
// CHECK-NEXT: Free of heap block of size 8 at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}meta_switch.c:37
// CHECK-NEXT: It was already freed by main thread (T0):
// EARLY-NEXT: #0 main {{.*}}meta_switch.c:34
// LATE-NEXT: #0 main {{.*}}meta_switch.c:35
// CHECK-NEXT: Allocated by main thread (T0):
// EARLY-NEXT: #0 main {{.*}}meta_switch.c:23
// LATE-NEXT: #0 main {{.*}}meta_switch.c:31
// CHECK: SUMMARY: SlabSan: double free {{.*}}meta_switch.c:37 in main
// CHECK-NOT: WARNING: SlabSan
