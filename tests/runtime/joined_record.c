// One record may join several accesses of a thread in one epoch to one
// 16-byte granule (docs/design.md, "Shadow memory"); each report still
// names the access that touched the racing bytes, with its own line and
// where it began. T1 writes table[2] and then table[3] in one epoch; main
// reads the upper half of table[3] and then frees the block, ordered with
// T1 only by the invisible test barrier. The read must name the write of
// table[3] at offset 24; the free, the lowest unordered write, table[2]
// at offset 16, though its record was joined by the later write.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <slabsan/slabsan.h>

static int64_t *table;
static volatile int32_t sink;
static struct slabsan_test_barrier step = {.count = 2};

static void *worker(void *arg)
{
	(void)arg;
	table[2] = 1; /* WRITE_LOW */
	table[3] = 2; /* WRITE_HIGH */
	slabsan_test_barrier_wait(&step);
	return NULL;
}

int main(void)
{
	pthread_t t;
	table = malloc(8 * sizeof *table); /* ALLOC */
	pthread_create(&t, NULL, worker, NULL);
	slabsan_test_barrier_wait(&step);
	sink = ((int32_t *)table)[7]; /* READ_UPPER */
	free(table); /* FREE */
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 4 at 0x[[BASE:[0-9a-f]+]]1c by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}joined_record.c:35
// CHECK-NEXT: Previous write at 0x[[BASE]]18 by thread T1:
// CHECK-NEXT: #0 worker {{.*}}joined_record.c:24
// CHECK-NEXT: Location is heap block of size 64 at 0x[[BASE]]00 (offset 28)
// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 64 at 0x[[BASE]]00 by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}joined_record.c:36
// CHECK-NEXT: is not ordered after this write at 0x[[BASE]]10 (offset 16) by thread T1:
// CHECK-NEXT: #0 worker {{.*}}joined_record.c:23
// CHECK-NOT: WARNING: SlabSan
