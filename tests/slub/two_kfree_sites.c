// SPDX-License-Identifier: Apache-2.0
// Two kfree()s at two places in the program, each of an object handed over
// with WRITE_ONCE()/READ_ONCE(): two findings, one per free. kfree() is where
// both announce their free, so a report key of the free stack's top alone
// (kfree's line) once folded the second into the first; the caller of the
// pool's free is part of the key, and each SUMMARY names it.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <slabsan/slab.h>
struct a { long x; };
struct b { long y[4]; };
static struct a *pa;
static struct b *pb;
static void *first_receiver(void *arg)
{
	(void)arg;
	struct a *p;
	while (!(p = READ_ONCE(pa)))
		sched_yield();
	kfree(p);
	return NULL;
}
static void *second_receiver(void *arg)
{
	(void)arg;
	struct b *p;
	while (!(p = READ_ONCE(pb)))
		sched_yield();
	kfree(p);
	return NULL;
}
int main(void)
{
	pthread_t x, y;
	pthread_create(&x, NULL, first_receiver, NULL);
	pthread_create(&y, NULL, second_receiver, NULL);
	struct a *a = kmalloc(sizeof *a, GFP_KERNEL);
	a->x = 1;
	WRITE_ONCE(pa, a);   /* the bug: smp_store_release() */
	struct b *b = kmalloc(sizeof *b, GFP_KERNEL);
	b->y[0] = 2;
	WRITE_ONCE(pb, b);
	pthread_join(x, NULL);
	pthread_join(y, NULL);
	return 0;
}

// CHECK-DAG: SUMMARY: SlabSan: free without acquire {{.*}}two_kfree_sites.c:22 in first_receiver
// CHECK-DAG: SUMMARY: SlabSan: free without acquire {{.*}}two_kfree_sites.c:31 in second_receiver
