// SPDX-License-Identifier: Apache-2.0
// An instrumented shared library (slabsan-cc -shared: no runtime of its
// own) loaded with dlopen(): its accesses are checked by the program's
// runtime, and a race with one of them is reported with the library's
// function and line, also after dlclose() has unmapped the library (its
// sites were copied out as it went).
// RUN: %slabsan-cc -O1 -g -fPIC -shared %S/Inputs/racy_library.c -o %t.so
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t %t.so 2>&1 | FileCheck %s
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

int loaded_target, unloaded_target;   /* not static: the stores stay */
static atomic_int wrote;
static void (*library_write)(int *);

static void *writer(void *var)
{
	library_write(var); /* CALL */
	atomic_store_explicit(&wrote, 1, memory_order_relaxed);   /* orders nothing */
	return NULL;
}

static pthread_t start_writer(int *var)
{
	pthread_t t;
	atomic_store(&wrote, 0);
	pthread_create(&t, NULL, writer, var);
	while (!atomic_load_explicit(&wrote, memory_order_relaxed))
		;
	return t;
}

int main(int argc, char **argv)
{
	void *library = dlopen(argc > 1 ? argv[1] : "", RTLD_NOW);
	if (!library) {
		printf("dlopen: %s\n", dlerror());
		return 1;
	}
	library_write = (void (*)(int *))dlsym(library, "library_write");
	pthread_t t = start_writer(&loaded_target);
	loaded_target = 2; /* LOADED */
	pthread_join(t, NULL);
	t = start_writer(&unloaded_target);
	dlclose(library);
	unloaded_target = 2; /* UNLOADED */
	pthread_join(t, NULL);
	printf("done\n");
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Write of size 4 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}dlopen_library.c:44
// CHECK-NEXT: Previous write at {{.*}} by thread T1:
// CHECK-NEXT: #0 library_write {{.*}}racy_library.c:5
// CHECK-NEXT: #1 writer {{.*}}dlopen_library.c:20
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Write of size 4 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}dlopen_library.c:48
// CHECK-NEXT: Previous write at {{.*}} by thread T{{[12]}}:
// CHECK-NEXT: #0 library_write {{.*}}racy_library.c:5
// CHECK-NEXT: #1 writer {{.*}}dlopen_library.c:20
// CHECK: done
