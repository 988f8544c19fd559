// Fence-based message passing: data=1; release fence; relaxed store of the
// flag / relaxed load of the flag; acquire fence; read data. C11 orders the
// write before the read: silent. (ThreadSanitizer reports a false race here
// because it does not model atomic_thread_fence.) Dropping either fence
// breaks the synchronizes-with edge: data race.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DNO_RELEASE_FENCE %s -o %t.norel && %expect-exit 66 %t.norel 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DNO_ACQUIRE_FENCE %s -o %t.noacq && %expect-exit 66 %t.noacq 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

long data; /* not static: LLVM would shrink it to a bool */
static atomic_int flag;

static void *writer(void *arg)
{
	(void)arg;
	data = 1; /* WRITE */
#ifndef NO_RELEASE_FENCE
	atomic_thread_fence(memory_order_release);
#endif
	atomic_store_explicit(&flag, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
	while (!atomic_load_explicit(&flag, memory_order_relaxed))
		sched_yield();
#ifndef NO_ACQUIRE_FENCE
	atomic_thread_fence(memory_order_acquire);
#endif
	long got = data; /* READ */
	pthread_join(t, NULL);
	return got == 1 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}fences.c:36
// CHECK: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 writer {{.*}}fences.c:19
// CHECK: SUMMARY: SlabSan: data race {{.*}}fences.c:36 in main
// CHECK-NOT: WARNING: SlabSan
