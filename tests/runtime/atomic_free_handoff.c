// A heap object published through an atomic pointer and freed by the
// receiver: release/acquire is silent; a relaxed pair, or a release store
// read by a relaxed load, is a free without acquire naming both sides.
// Focused mode reports the same, less the plain write it does not check,
// also when the freed block goes straight back to the allocator
// (quarantine_size_mb=0: the free checks it without poisoning it).
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DSTORE_ORDER=memory_order_relaxed -DLOAD_ORDER=memory_order_relaxed %s -o %t.rr
// RUN: %expect-exit 66 %t.rr 2>&1 | FileCheck %s --check-prefixes=CHECK,FULL,RR
// RUN: %slabsan-cc -O1 -g -DLOAD_ORDER=memory_order_relaxed %s -o %t.rel
// RUN: %expect-exit 66 %t.rel 2>&1 | FileCheck %s --check-prefixes=CHECK,FULL,REL
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g %s -o %t.focused
// RUN: %expect-exit 0 %t.focused 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -DSTORE_ORDER=memory_order_relaxed -DLOAD_ORDER=memory_order_relaxed %s -o %t.focused.rr
// RUN: %expect-exit 66 %t.focused.rr 2>&1 | FileCheck %s --check-prefixes=CHECK,RR,FOCUSED
// RUN: env SLABSAN_OPTIONS=quarantine_size_mb=0 %expect-exit 0 %t.focused 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: env SLABSAN_OPTIONS=quarantine_size_mb=0 %expect-exit 66 %t.focused.rr 2>&1 | FileCheck %s --check-prefixes=CHECK,RR,FOCUSED
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#ifndef STORE_ORDER
#define STORE_ORDER memory_order_release
#endif
#ifndef LOAD_ORDER
#define LOAD_ORDER memory_order_acquire
#endif

struct msg {
	long id;
	char text[40];
};
static _Atomic(struct msg *) mailbox;

static void *receiver(void *arg)
{
	struct msg *m;
	(void)arg;
	while (!(m = atomic_load_explicit(&mailbox, LOAD_ORDER))) /* LOAD */
		sched_yield();
	free(m); /* FREE */
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, receiver, NULL); /* CREATE */
	struct msg *m = malloc(sizeof *m); /* ALLOC */
	m->id = 5; /* WRITE */
	atomic_store_explicit(&mailbox, m, STORE_ORDER); /* STORE */
	pthread_join(t, NULL);
	return 0;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: free without acquire (pid={{[0-9]+}})
// CHECK-NEXT: Free of heap block of size 48 at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 receiver {{.*}}atomic_free_handoff.c:42
// CHECK-NEXT: is not ordered after its allocation by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}atomic_free_handoff.c:50
// FULL-NEXT: nor after this write at 0x{{[0-9a-f]+}} (offset 0, struct msg::id) by main thread (T0):
// FULL-NEXT: #0 main {{.*}}atomic_free_handoff.c:51
// FOCUSED-NOT: nor after
// CHECK-NEXT: The pointer reached thread T1 through 'mailbox'
// RR-NEXT: Published by main thread (T0) with a relaxed atomic store:
// REL-NEXT: Published by main thread (T0) with a release atomic store:
// CHECK-NEXT: #0 main {{.*}}atomic_free_handoff.c:52
// CHECK-NEXT: Obtained by thread T1 with a relaxed atomic load:
// CHECK-NEXT: #0 receiver {{.*}}atomic_free_handoff.c:40
// RR: Fix: make the store at {{.*}}atomic_free_handoff.c:52 memory_order_release
// RR-NEXT: (smp_store_release()) and the load at {{.*}}atomic_free_handoff.c:40
// RR-NEXT: memory_order_acquire (smp_load_acquire()).
// REL: Missing edge: the store at {{.*}}atomic_free_handoff.c:52 releases, but the load at
// REL-NEXT: {{.*}}atomic_free_handoff.c:40 is relaxed and does not acquire.
// REL: Fix: make the load at {{.*}}atomic_free_handoff.c:40 memory_order_acquire
// CHECK: Thread T1 (tid={{[0-9]+}}, {{running|finished}}) created by main thread (T0) at:
// CHECK-NEXT: #0 main {{.*}}atomic_free_handoff.c:49
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}atomic_free_handoff.c:42 in receiver
// CHECK-NOT: WARNING: SlabSan
