// When every slot of a granule holds an access concurrent with a new one,
// the one that gives way is a marked read before a plain read: a marked
// read conflicts only with plain writes, a plain read with every write.
// T1 reads x plainly and y with an atomic load, then writes z and w (four
// slots); with no happens-before (the invisible test barrier), main reads
// y atomically, which needs a slot, and then writes x: a race with T1's
// read of x. Giving way by position lost that read. (The seed's SLUB story
// lost its stride race through this and a thread's own next access, about
// 1 run in 40 under load: CPU Y's READ_ONCE(obj_exts) evicted CPU X's
// plain read of the stride, and X's next read of it took the slot of its
// stride write.)
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdatomic.h>
#include <slabsan/slabsan.h>

struct fields {
	unsigned x;
	_Atomic unsigned y;
	unsigned z, w;
};
static _Alignas(16) struct fields the_fields;
/* an opaque pointer: the compiler keeps every access */
static struct fields *volatile f = &the_fields;
static struct slabsan_test_barrier step = {.count = 2};

static void *reader(void *arg)
{
	struct fields *p = f;
	unsigned sum;
	(void)arg;
	sum = p->x; /* T1_READ */
	sum += atomic_load_explicit(&p->y, memory_order_relaxed);
	p->z = 1;
	p->w = 2;
	slabsan_test_barrier_wait(&step);
	slabsan_test_barrier_wait(&step);   /* main writes x */
	return (void *)(unsigned long)sum;
}

int main(void)
{
	struct fields *p = f;
	pthread_t t;
	pthread_create(&t, NULL, reader, NULL);
	slabsan_test_barrier_wait(&step);
	unsigned y = atomic_load_explicit(&p->y, memory_order_relaxed);
	p->x = 3; /* MAIN_WRITE */
	slabsan_test_barrier_wait(&step);
	pthread_join(t, NULL);
	return y == 0 ? 0 : 1;
}
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Write of size 4 at 0x{{[0-9a-f]+}} (struct fields::x) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}victim_marked_read.c:48
// CHECK-NEXT: Previous read at 0x{{[0-9a-f]+}} (struct fields::x) by thread T1:
// CHECK-NEXT: #0 reader {{.*}}victim_marked_read.c:32
// CHECK-NOT: WARNING: SlabSan
