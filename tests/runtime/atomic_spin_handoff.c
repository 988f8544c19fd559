// Objects handed back and forth through one slot both threads spin on. Most
// spinning loads find nothing new and skip the location's lock
// (load_without_lock in atomic.c); the load that sees a new pointer must
// still acquire its clock. Release/acquire, and relaxed loads followed by
// an acquire fence, stay silent over 20000 hand-offs in both modes; relaxed
// loads alone free without acquire.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DFENCE %s -o %t.fence && %expect-exit 0 %t.fence 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g %s -o %t.focused
// RUN: %expect-exit 0 %t.focused 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -DFENCE %s -o %t.focused.fence
// RUN: %expect-exit 0 %t.focused.fence 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -DRELAXED %s -o %t.relaxed
// RUN: %expect-exit 66 %t.relaxed 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#if defined(FENCE) || defined(RELAXED)
#define TAKE_ORDER memory_order_relaxed
#else
#define TAKE_ORDER memory_order_acquire
#endif

#define ROUNDS 20000

struct msg {
	long id;
	long payload[5];
};
static _Atomic(struct msg *) slot;
static long sum;

static void *receiver(void *arg)
{
	(void)arg;
	for (long i = 0; i < ROUNDS; i++) {
		struct msg *m;
		while (!(m = atomic_load_explicit(&slot, TAKE_ORDER))) /* TAKE */
			sched_yield();
#ifdef FENCE
		atomic_thread_fence(memory_order_acquire);
#endif
		sum += m->id + m->payload[4];
		free(m); /* FREE */
		atomic_store_explicit(&slot, NULL, memory_order_release);
	}
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, receiver, NULL); /* CREATE */
	for (long i = 0; i < ROUNDS; i++) {
		struct msg *m = malloc(sizeof *m); /* ALLOC */
		m->id = i;
		m->payload[4] = -i;
		atomic_store_explicit(&slot, m, memory_order_release); /* GIVE */
		while (atomic_load_explicit(&slot, memory_order_acquire))
			sched_yield();
	}
	pthread_join(t, NULL);
	return sum != 0;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: free without acquire (pid={{[0-9]+}})
// CHECK-NEXT: Free of heap block of size 48 at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 receiver {{.*}}atomic_spin_handoff.c:46
// CHECK-NEXT: is not ordered after its allocation by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}atomic_spin_handoff.c:57
// CHECK-NEXT: The pointer reached thread T1 through 'slot'
// CHECK-NEXT: Published by main thread (T0) with a release atomic store:
// CHECK-NEXT: #0 main {{.*}}atomic_spin_handoff.c:60
// CHECK-NEXT: Obtained by thread T1 with a relaxed atomic load:
// CHECK-NEXT: #0 receiver {{.*}}atomic_spin_handoff.c:40
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}atomic_spin_handoff.c:46 in receiver
// CHECK-NOT: WARNING: SlabSan
