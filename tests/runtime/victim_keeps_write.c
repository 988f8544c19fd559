// When all four slots of a granule are taken by accesses concurrent with a
// new one, the one that gives way is a read, not the write: a read
// conflicts only with later writes, a write with every later access. T1
// writes one int of each of four granules and reads the other three (four
// slots each); then, with no happens-before (the invisible test barrier),
// main reads one of the read ints, which needs a slot, and then the written
// int: a race with T1's write in every granule. Picking the slot by
// position (as before) lost the write in one of the four granules, since
// their positions differ (slub/obj_exts_stride.c lost its report that way
// about once in 60 runs under load).
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <slabsan/slabsan.h>

struct quad {
	int w, r1, r2, r3;
};
static _Alignas(16) struct quad q[4];
static struct slabsan_test_barrier touched = {.count = 2};

/* One line per granule, so that each race has its own sites and report. */
#define TOUCH(i) (q[i].w = 1, q[i].r1 + q[i].r2 + q[i].r3)
/* r1 first (it needs a slot), then w: a call that may write memory keeps
 * the compiler from loading w before it. */
static int last;
__attribute__((noinline)) static int read_r1(struct quad *p)
{
	last = p->r1;
	return last;
}
#define READ_R1_THEN_W(i) (sum += read_r1(&q[i]), sum += q[i].w)

static void *writer(void *arg)
{
	int sum = 0;
	(void)arg;
	sum += TOUCH(0); /* T1_WRITE_0 */
	sum += TOUCH(1); /* T1_WRITE_1 */
	sum += TOUCH(2); /* T1_WRITE_2 */
	sum += TOUCH(3); /* T1_WRITE_3 */
	slabsan_test_barrier_wait(&touched);
	return (void *)(long)sum;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
	slabsan_test_barrier_wait(&touched);
	int sum = 0;
	READ_R1_THEN_W(0); /* MAIN_READ_0 */
	READ_R1_THEN_W(1); /* MAIN_READ_1 */
	READ_R1_THEN_W(2); /* MAIN_READ_2 */
	READ_R1_THEN_W(3); /* MAIN_READ_3 */
	pthread_join(t, NULL);
	return sum == 4 ? 0 : 1;
}
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 4 at 0x{{[0-9a-f]+}} (struct quad::w) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}victim_keeps_write.c:51
// CHECK-NEXT: Previous write at 0x{{[0-9a-f]+}} (struct quad::w) by thread T1:
// CHECK-NEXT: #0 writer {{.*}}victim_keeps_write.c:37
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 4 at 0x{{[0-9a-f]+}} (struct quad::w) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}victim_keeps_write.c:52
// CHECK-NEXT: Previous write at 0x{{[0-9a-f]+}} (struct quad::w) by thread T1:
// CHECK-NEXT: #0 writer {{.*}}victim_keeps_write.c:38
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 4 at 0x{{[0-9a-f]+}} (struct quad::w) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}victim_keeps_write.c:53
// CHECK-NEXT: Previous write at 0x{{[0-9a-f]+}} (struct quad::w) by thread T1:
// CHECK-NEXT: #0 writer {{.*}}victim_keeps_write.c:39
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 4 at 0x{{[0-9a-f]+}} (struct quad::w) by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}victim_keeps_write.c:54
// CHECK-NEXT: Previous write at 0x{{[0-9a-f]+}} (struct quad::w) by thread T1:
// CHECK-NEXT: #0 writer {{.*}}victim_keeps_write.c:40
// CHECK-NOT: WARNING: SlabSan
