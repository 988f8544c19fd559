// SPDX-License-Identifier: Apache-2.0
// What smp_wmb() and smp_rmb() do not order. Thread 1 accesses x plainly,
// then a barrier, then WRITE_ONCE(flag); thread 2 waits for the flag, then
// a barrier (or an acquire load), then accesses x plainly.
//  store; smp_wmb | READ_ONCE; smp_rmb; store  race: smp_rmb orders later reads only
//  store; smp_wmb | READ_ONCE; smp_rmb; load   silent: message passing
//  load;  smp_wmb | READ_ONCE; smp_rmb; store  race
//  load;  smp_wmb | smp_load_acquire;   store  race: smp_wmb orders earlier writes only
//  load;  smp_mb  | smp_load_acquire;   store  silent
// RUN: %slabsan-cc -O1 -g %s -o %t.ww && %expect-exit 66 %t.ww 2>&1 | FileCheck %s --check-prefix=WW
// RUN: %slabsan-cc -O1 -g -DT2_LOAD %s -o %t.mp && %expect-exit 0 %t.mp 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DT1_LOAD %s -o %t.rw && %expect-exit 66 %t.rw 2>&1 | FileCheck %s --check-prefix=RW
// RUN: %slabsan-cc -O1 -g -DT1_LOAD -DT2_ACQUIRE %s -o %t.rw_acq && %expect-exit 66 %t.rw_acq 2>&1 | FileCheck %s --check-prefix=RW
// RUN: %slabsan-cc -O1 -g -DT1_LOAD -DT1_MB -DT2_ACQUIRE %s -o %t.mb && %expect-exit 0 %t.mb 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <slabsan/lkmm.h>

/* not static: unused statics would be optimized away. Each in its own
 * granule, so that thread 2 spinning on flag never records into x's at the
 * instant thread 1 writes x (the shadow takes no lock). */
_Alignas(16) int x;
_Alignas(16) int seen;
static _Alignas(16) int flag;

static void *thread1(void *arg)
{
	(void)arg;
#ifdef T1_LOAD
	seen = x; /* T1_READ */
#else
	x = 1; /* T1_WRITE */
#endif
#ifdef T1_MB
	smp_mb();
#else
	smp_wmb();
#endif
	WRITE_ONCE(flag, 1);
	return NULL;
}

static void *thread2(void *arg)
{
	(void)arg;
#ifdef T2_ACQUIRE
	while (!smp_load_acquire(&flag))
		sched_yield();
#else
	while (!READ_ONCE(flag))
		sched_yield();
	smp_rmb();
#endif
#ifdef T2_LOAD
	return (void *)(long)x;
#else
	x = 2; /* T2_WRITE */
	return NULL;
#endif
}

int main(void)
{
	pthread_t t1, t2;
	pthread_create(&t1, NULL, thread1, NULL);
	pthread_create(&t2, NULL, thread2, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	return 0;
}
// CLEAN-NOT: SlabSan
// WW: WARNING: SlabSan: data race (pid={{[0-9]+}})
// WW-NEXT: Write of size 4 at 0x{{[0-9a-f]+}} by thread T2:
// WW-NEXT: #0 thread2 {{.*}}smp_barriers.c:57
// WW-NEXT: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// WW-NEXT: #0 thread1 {{.*}}smp_barriers.c:32
// WW: SUMMARY: SlabSan: data race {{.*}}smp_barriers.c:57 in thread2
// WW-NOT: WARNING: SlabSan
// RW: WARNING: SlabSan: data race (pid={{[0-9]+}})
// RW-NEXT: Write of size 4 at 0x{{[0-9a-f]+}} by thread T2:
// RW-NEXT: #0 thread2 {{.*}}smp_barriers.c:57
// RW-NEXT: Previous read at 0x{{[0-9a-f]+}} by thread T1:
// RW-NEXT: #0 thread1 {{.*}}smp_barriers.c:30
// RW: SUMMARY: SlabSan: data race {{.*}}smp_barriers.c:57 in thread2
// RW-NOT: WARNING: SlabSan
