// The load that handed a block's pointer over, found by its record when no
// note shows it: an atomic load whose note later pointer loads pushed out
// of the thread's ring (the receiver loads 20 other pointers before it
// frees), the same with a kernel-style volatile READ_ONCE() (VOLATILE),
// which the runtime performs as a relaxed atomic and reports as volatile.
// The location still holds the pointer,
// so the report names it, with the orders its sites carry. When the
// receiver has cleared it (CLEARED), nothing shows the hand-off any more
// and the report says so instead of guessing. Release/acquire: silent.
// RUN: %slabsan-cc -O1 -g -DSTORE_ORDER=memory_order_relaxed -DLOAD_ORDER=memory_order_relaxed %s -o %t.rr
// RUN: %expect-exit 66 %t.rr 2>&1 | FileCheck %s --check-prefixes=CHECK,NAMED,RR
// RUN: %slabsan-cc -O1 -g -DSTORE_ORDER=memory_order_release -DLOAD_ORDER=memory_order_relaxed %s -o %t.rel
// RUN: %expect-exit 66 %t.rel 2>&1 | FileCheck %s --check-prefixes=CHECK,NAMED,REL
// RUN: %slabsan-cc -O1 -g -DVOLATILE %s -o %t.volatile
// RUN: %expect-exit 66 %t.volatile 2>&1 | FileCheck %s --check-prefixes=CHECK,NAMED,VOLATILE
// RUN: %slabsan-cc -O1 -g -DSTORE_ORDER=memory_order_relaxed -DLOAD_ORDER=memory_order_relaxed -DCLEARED %s -o %t.cleared
// RUN: %expect-exit 66 %t.cleared 2>&1 | FileCheck %s --check-prefixes=CHECK,CLEARED
// RUN: %slabsan-cc -O1 -g -DSTORE_ORDER=memory_order_release -DLOAD_ORDER=memory_order_acquire %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#define NOTES 20     /* more than the runtime's ring of noted loads */
static int targets[NOTES];
static int *_Atomic pointers[NOTES];

#ifdef VOLATILE
/* as the kernel's tools/include/linux/compiler.h spells them */
#define READ_ONCE(x) (*(volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
static long *mailbox;
#define PUBLISH(p) WRITE_ONCE(mailbox, p)
#define RECEIVE() READ_ONCE(mailbox)
#else
static _Atomic(long *) mailbox;
#define PUBLISH(p) atomic_store_explicit(&mailbox, p, STORE_ORDER)
#define RECEIVE() atomic_load_explicit(&mailbox, LOAD_ORDER)
#endif

static void *receiver(void *arg)
{
	long *m;
	(void)arg;
	while (!(m = RECEIVE())) /* LOAD */
		sched_yield();
	for (int i = 0; i < NOTES; i++)
		(void)atomic_load_explicit(&pointers[i], memory_order_relaxed);
#ifdef CLEARED
	atomic_store_explicit(&mailbox, NULL, memory_order_relaxed);
#endif
	free(m); /* FREE */
	return NULL;
}

int main(void)
{
	pthread_t t;
	for (int i = 0; i < NOTES; i++)
		atomic_init(&pointers[i], &targets[i]);
	pthread_create(&t, NULL, receiver, NULL);
	long *m = malloc(4 * sizeof *m); /* ALLOC */
	m[0] = 42; /* WRITE */
	PUBLISH(m); /* STORE */
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 32 at {{.*}} by thread T1:
// CHECK-NEXT: #0 receiver {{.*}}handoff_by_record.c:53
// CHECK-NEXT: is not ordered after its allocation by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}handoff_by_record.c:63
// CHECK-NEXT: nor after this write at {{.*}} (offset 0) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}handoff_by_record.c:64
// NAMED-NEXT: The pointer reached thread T1 through 'mailbox' (0x{{[0-9a-f]+}}):
// RR-NEXT: Published by main thread (T0) with a relaxed atomic store:
// REL-NEXT: Published by main thread (T0) with a release atomic store:
// VOLATILE-NEXT: Published by main thread (T0) with a volatile store:
// NAMED-NEXT: #0 main {{.*}}handoff_by_record.c:65
// RR-NEXT: Obtained by thread T1 with a relaxed atomic load:
// REL-NEXT: Obtained by thread T1 with a relaxed atomic load:
// VOLATILE-NEXT: Obtained by thread T1 with a volatile load:
// NAMED-NEXT: #0 receiver {{.*}}handoff_by_record.c:46
// RR-NEXT: Missing edge: the store at handoff_by_record.c:65 and the load at
// RR-NEXT: handoff_by_record.c:46 are both relaxed,
// VOLATILE-NEXT: Missing edge: the store at handoff_by_record.c:65 and the load at
// VOLATILE-NEXT: handoff_by_record.c:46 are both volatile,
// REL-NEXT: Missing edge: the store at handoff_by_record.c:65 releases, but the load at
// REL-NEXT: handoff_by_record.c:46 is relaxed and does not acquire.
// REL-NEXT: Fix: make the load at handoff_by_record.c:46 memory_order_acquire
// CLEARED-NEXT: The pointer did not reach thread T1 through an atomic load SlabSan saw
// CLEARED-NOT: Published by
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}handoff_by_record.c:53 in receiver

// CLEAN-NOT: WARNING: SlabSan
