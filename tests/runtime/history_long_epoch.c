// A race over a buffer another thread filled in one epoch (two loops, no
// synchronization between them: 2 x 32768 records of one epoch) names, for
// each part of the buffer, the loop that wrote it. Each granule the memcmp
// reads is looked up in the filler's history; in so long an epoch the
// lookup goes through an index by slot, not a scan of the epoch (which made
// a 1 MiB memcmp's check take seconds).
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#define HALF (1 << 19)
_Alignas(16) char buffer[2 * HALF];
char expected[2 * HALF];
static atomic_int filled; /* relaxed: no edge */

static void *filler(void *arg)
{
	for (size_t i = 0; i < HALF; i += 16)
		memset(buffer + i, 1, 16); /* FIRST_HALF */
	for (size_t i = HALF; i < 2 * HALF; i += 16)
		memset(buffer + i, 2, 16); /* SECOND_HALF */
	atomic_store_explicit(&filled, 1, memory_order_relaxed);
	return arg;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, filler, NULL);
	while (!atomic_load_explicit(&filled, memory_order_relaxed))
		;
	int differ = memcmp(buffer, expected, sizeof buffer); /* COMPARE */
	pthread_join(t, NULL);
	return differ == 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 16 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}history_long_epoch.c:33
// CHECK-NEXT: Previous write at {{.*}} by thread T1:
// CHECK-NEXT: #0 filler {{.*}}history_long_epoch.c:20
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 16 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}history_long_epoch.c:33
// CHECK-NEXT: Previous write at {{.*}} by thread T1:
// CHECK-NEXT: #0 filler {{.*}}history_long_epoch.c:22
// CHECK-NOT: WARNING: SlabSan
