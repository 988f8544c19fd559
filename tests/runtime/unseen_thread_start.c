// SPDX-License-Identifier: Apache-2.0
// A thread started by libc's pthread_create found with dlvsym(RTLD_NEXT)
// (dlsym's answer is SlabSan's: dlsym_next_pthread_create.c) is one SlabSan
// does not see created: it has no happens-before edge from its creator, so
// its read of what main wrote before starting it is reported, and the
// report says the thread started unseen instead of naming main as its
// creator. A release before the start and an acquire in the thread
// (-DANNOTATED, docs/usage.md) give it the edge.
// RUN: %slabsan-cc -O1 -g %s -o %t -ldl && %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DANNOTATED %s -o %t.ann -ldl && %t.ann 2>&1 | FileCheck %s --check-prefix=ANNOTATED
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <slabsan/slabsan.h>
#include <stdio.h>

typedef int create_fn(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
long setting;

static void *background(void *arg)
{
	(void)arg;
#ifdef ANNOTATED
	__slabsan_acquire(&setting);
#endif
	return (void *)setting; /* READ */
}

int main(void)
{
	create_fn *real_create = (create_fn *)dlvsym(RTLD_NEXT, "pthread_create", "GLIBC_2.34");
	if (!real_create)
		return 1;
	setting = 42; /* WRITE */
#ifdef ANNOTATED
	__slabsan_release(&setting);
#endif
	pthread_t t;
	if (real_create(&t, NULL, background, NULL))
		return 1;
	void *got;
	pthread_join(t, &got);
	printf("%ld\n", (long)got);
	return 0;
}
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 background {{.*}}unseen_thread_start.c:26
// CHECK: Previous write at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}unseen_thread_start.c:34
// CHECK: Thread T1 (tid={{[1-9][0-9]*}}, running) started unseen, by a creator SlabSan does not know:
// CHECK-NEXT: <not through SlabSan's pthread_create (a thread of libc's own, as timer_create() starts for SIGEV_THREAD; one found with dlsym(RTLD_NEXT); clone): nothing orders what its creator did before it>
// CHECK-NOT: created by main thread (T0)
// CHECK: SUMMARY: SlabSan: data race {{.*}}unseen_thread_start.c:26 in background
// ANNOTATED-NOT: WARNING: SlabSan
// ANNOTATED: 42
// ANNOTATED-NOT: WARNING: SlabSan
