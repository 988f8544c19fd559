// Kernel-style READ_ONCE()/WRITE_ONCE(), spelled as volatile accesses the
// way the kernel and its tools/include spell them, are relaxed atomics
// (DESIGN.md): a release fence before the store and an acquire fence after
// the load order what they hand over. A pointer handed over this way and
// freed by the receiver, and data published behind an int flag: silent
// with both fences; without the acquire fence (NO_ACQUIRE) a free without
// acquire that says the store releases through its fence and the volatile
// load does not acquire; without the release fence too (NO_FENCES) both
// are to be fixed. An unaligned volatile access is one the runtime cannot
// perform as an atomic (nor can the hardware: it may tear), so it stays a
// marked access that fences do not order: with the flag packed (PACKED),
// the read of the data it guards races.
// RUN: %slabsan-cc -O1 -g %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DPACKED %s -o %t.packed
// RUN: %expect-exit 66 %t.packed 2>&1 | FileCheck %s --check-prefix=PACKED
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g %s -o %t.focused
// RUN: %expect-exit 0 %t.focused 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DNO_ACQUIRE %s -o %t.noacq
// RUN: %expect-exit 66 %t.noacq 2>&1 | FileCheck %s --check-prefixes=CHECK,NOACQ
// RUN: %slabsan-cc -O1 -g -DNO_ACQUIRE -DNO_RELEASE %s -o %t.none
// RUN: %expect-exit 66 %t.none 2>&1 | FileCheck %s --check-prefixes=CHECK,NONE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#define READ_ONCE(x) (*(volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#ifdef NO_RELEASE
#define release_fence() ((void)0)
#else
#define release_fence() atomic_thread_fence(memory_order_release)
#endif
#ifdef NO_ACQUIRE
#define acquire_fence() ((void)0)
#else
#define acquire_fence() atomic_thread_fence(memory_order_acquire)
#endif

static long *mailbox;
long data; /* not static: LLVM would shrink it */
#ifdef PACKED
static struct __attribute__((packed)) {
	char pad;
	int flag;
} ready;
#define FLAG ready.flag
#else
static int flag;
#define FLAG flag
#endif

static void *receiver(void *arg)
{
	long *m;
	(void)arg;
	while (!READ_ONCE(FLAG))
		sched_yield();
	acquire_fence();
	long seen = data; /* READ */
	while (!(m = READ_ONCE(mailbox))) /* LOAD */
		sched_yield();
	acquire_fence();
	free(m); /* FREE */
	return (void *)seen;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, receiver, NULL);
	data = 1; /* WRITE */
	release_fence();
	WRITE_ONCE(FLAG, 1);
	long *m = malloc(4 * sizeof *m); /* ALLOC */
	m[0] = 42;
	release_fence();
	WRITE_ONCE(mailbox, m); /* STORE */
	pthread_join(t, NULL);
	return 0;
}
// (the flag's data race comes first)
// NOACQ: WARNING: SlabSan: data race
// NOACQ: #0 receiver {{.*}}volatile_fences.c:61
// NOACQ: Location is global 'data'
// NOACQ-NEXT: After its write, main thread (T0) stored to 'flag' (0x{{[0-9a-f]+}}), and
// NOACQ-NEXT: thread T1 loaded the value before the read at volatile_fences.c:61:
// NOACQ-NEXT: Published by main thread (T0) with a volatile store after a release fence:
// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 32 at {{.*}} by thread T1:
// CHECK-NEXT: #0 receiver {{.*}}volatile_fences.c:65
// CHECK: The pointer reached thread T1 through 'mailbox' (0x{{[0-9a-f]+}}):
// NOACQ-NEXT: Published by main thread (T0) with a volatile store after a release fence:
// NONE-NEXT: Published by main thread (T0) with a volatile store:
// CHECK-NEXT: #0 main {{.*}}volatile_fences.c:79
// CHECK-NEXT: Obtained by thread T1 with a volatile load:
// CHECK-NEXT: #0 receiver {{.*}}volatile_fences.c:62
// NOACQ-NEXT: Missing edge: the store at volatile_fences.c:79 releases (through the release
// NOACQ-NEXT: fence before it), but the load at volatile_fences.c:62 is volatile and does
// NOACQ-NEXT: not acquire.
// NOACQ-NEXT: Fix: make the load at volatile_fences.c:62 memory_order_acquire
// NONE-NEXT: Missing edge: the store at volatile_fences.c:79 and the load at
// NONE-NEXT: volatile_fences.c:62 are both volatile,
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}volatile_fences.c:65 in receiver

// CLEAN-NOT: WARNING: SlabSan

// PACKED: WARNING: SlabSan: data race
// PACKED-NEXT: Read of size 8 at {{.*}} by thread T1:
// PACKED-NEXT: #0 receiver {{.*}}volatile_fences.c:61
// PACKED-NEXT: Previous write at {{.*}} by main thread (T0):
// PACKED-NEXT: #0 main {{.*}}volatile_fences.c:73
// PACKED-NEXT: Location is global 'data'
