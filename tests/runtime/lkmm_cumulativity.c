// SPDX-License-Identifier: Apache-2.0
// memory_model=lkmm: a release is A-cumulative. P1 reads P0's WRITE_ONCE(x)
// and then releases y; P2 acquires y and writes x plainly. The kernel model
// orders P0's store before P2's write (litmus C-AlanStern.2018.01.11a:
// no race), so SlabSan must stay silent. It must not order more than that
// one store: P0's plain write to z before its WRITE_ONCE is not ordered
// before P2's read of z (no barrier between them on P0), and stays a race.
// Under memory_model=strict (C11: a relaxed read carries nothing) the
// write to x is a race too.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: env SLABSAN_OPTIONS=memory_model=lkmm %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: env SLABSAN_OPTIONS=memory_model=strict %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefix=STRICT
// RUN: %slabsan-cc -O1 -g -DTOUCH_Z %s -o %t.z
// RUN: env SLABSAN_OPTIONS=memory_model=lkmm %expect-exit 66 %t.z 2>&1 | FileCheck %s --check-prefix=Z
#include <pthread.h>
#include <slabsan/lkmm.h>

/* One granule each: P1's first READ_ONCE(x) recording itself at the same
 * instant as P0's write of z into a shared granule could overwrite its slot
 * (the shadow takes no lock), and the Z variant would miss its race. */
static _Alignas(16) int x;
static _Alignas(16) int y;
static _Alignas(16) int z;

static void *p0(void *arg)
{
	(void)arg;
#ifdef TOUCH_Z
	z = 1; /* Z_WRITE */
#endif
	WRITE_ONCE(x, 1); /* P0_STORE */
	return NULL;
}

static void *p1(void *arg)
{
	(void)arg;
	while (READ_ONCE(x) != 1)
		;
	smp_store_release(&y, 1);
	return NULL;
}

static void *p2(void *arg)
{
	(void)arg;
	while (!smp_load_acquire(&y))
		;
#ifdef TOUCH_Z
	return (void *)(long)z; /* Z_READ */
#else
	x = 3; /* P2_WRITE */
	return NULL;
#endif
}

int main(void)
{
	pthread_t t[3];
	pthread_create(&t[2], NULL, p2, NULL);
	pthread_create(&t[1], NULL, p1, NULL);
	pthread_create(&t[0], NULL, p0, NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	return 0;
}
// CLEAN-NOT: SlabSan
// STRICT: WARNING: SlabSan: data race
// STRICT-NEXT: Write of size 4 at {{.*}} by thread T1:
// STRICT-NEXT: #0 p2 {{.*}}lkmm_cumulativity.c:52
// STRICT: Previous atomic write at {{.*}} by thread T3:
// STRICT-NEXT: #0 p0 {{.*}}lkmm_cumulativity.c:31
// Z: WARNING: SlabSan: data race
// Z-NEXT: Read of size {{[0-9]+}} at {{.*}} by thread T1:
// Z-NEXT: #0 p2 {{.*}}lkmm_cumulativity.c:50
// Z: Previous write at {{.*}} by thread T3:
// Z-NEXT: #0 p0 {{.*}}lkmm_cumulativity.c:29
