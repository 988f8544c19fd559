// SPDX-License-Identifier: Apache-2.0
// A program that starts a thread with the pthread_create dlsym(RTLD_NEXT)
// finds (jemalloc's background threads) gets SlabSan's, which calls libc's:
// the thread is created as SlabSan sees it, ordered after what main did
// before, so nothing is reported. Every other lookup is libc's, relative
// to its caller: RTLD_NEXT from the program finds libc's puts, and from a
// library (Inputs/next_probe.c, which defines probe() as the program does)
// the definition after that library's, here none.
// RUN: %slabsan-cc -O1 -g -fPIC -shared %S/Inputs/next_probe.c -o %t.so
// RUN: %slabsan-cc -O1 -g -rdynamic %s %t.so -o %t -ldl && %t 2>&1 | FileCheck %s
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

typedef int create_fn(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
long setting;
void *next_probe(void);

int probe(void)
{
	return 1;
}

static void *background(void *arg)
{
	(void)arg;
	return (void *)setting;
}

int main(void)
{
	create_fn *next_create = (create_fn *)dlsym(RTLD_NEXT, "pthread_create");
	if (!next_create)
		return 1;
	setting = 42;
	pthread_t t;
	if (next_create(&t, NULL, background, NULL))
		return 1;
	void *got;
	pthread_join(t, &got);
	printf("thread read %ld\n", (long)got);
	printf("next puts is libc's: %s\n",
	       dlsym(RTLD_NEXT, "puts") == dlsym(RTLD_DEFAULT, "puts") ? "yes" : "no");
	printf("after the library's probe: %s\n", next_probe() ? "found" : "none");
	printf("the program's probe: %d\n", ((int (*)(void))dlsym(RTLD_DEFAULT, "probe"))());
	return 0;
}
// CHECK-NOT: WARNING: SlabSan
// CHECK: thread read 42
// CHECK-NEXT: next puts is libc's: yes
// CHECK-NEXT: after the library's probe: none
// CHECK-NEXT: the program's probe: 1
// CHECK-NOT: WARNING: SlabSan
