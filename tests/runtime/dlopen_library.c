// SPDX-License-Identifier: Apache-2.0
// An instrumented shared library (slabsan-cc -shared: no runtime of its
// own) loaded with dlopen(): its accesses are checked by the program's
// runtime, and a race with one of them is reported with the library's
// function and line, also after dlclose() has unmapped the library (its
// sites were copied out as it went).
// (-Wl,--no-undefined, meson's default for libraries, must not refuse the
// library's calls into the runtime, which the program resolves)
// RUN: %slabsan-cc -O1 -g -fPIC -shared -Wl,--no-undefined %S/Inputs/racy_library.c -o %t.so
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t %t.so 2>&1 | FileCheck %s
// The program exports the runtime's entry points with gold too (it took
// --export-dynamic-symbol's pattern literally and exported none):
// RUN: %slabsan-cc -O1 -g -fuse-ld=gold %s -o %t.gold && %expect-exit 66 %t.gold %t.so 2>&1 | FileCheck %s
#include <dlfcn.h>
#include <stdio.h>

#include "../Inputs/unordered_writer.h"

int loaded_target, unloaded_target;   /* not static: the stores stay */

int main(int argc, char **argv)
{
	void *library = dlopen(argc > 1 ? argv[1] : "", RTLD_NOW);
	if (!library) {
		printf("dlopen: %s\n", dlerror());
		return 1;
	}
	struct unordered_writer w = {(void (*)(int *))dlsym(library, "library_write"),
				     &loaded_target};
	pthread_t t = start_unordered_writer(&w);
	loaded_target = 2; /* LOADED */
	pthread_join(t, NULL);
	w.var = &unloaded_target;
	t = start_unordered_writer(&w);
	dlclose(library);
	unloaded_target = 2; /* UNLOADED */
	pthread_join(t, NULL);
	printf("done\n");
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Write of size 4 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}dlopen_library.c:31
// CHECK-NEXT: Previous write at {{.*}} by thread T1:
// CHECK-NEXT: #0 library_write {{.*}}racy_library.c:5
// CHECK-NEXT: #1 unordered_writer_run {{.*}}unordered_writer.h:24
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Write of size 4 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}dlopen_library.c:36
// CHECK-NEXT: Previous write at {{.*}} by thread T{{[12]}}:
// CHECK-NEXT: #0 library_write {{.*}}racy_library.c:5
// CHECK-NEXT: #1 unordered_writer_run {{.*}}unordered_writer.h:24
// CHECK: done
