// memcpy and memset are accesses like any other: a memcpy into a buffer or a
// memset of it races with another thread's unordered plain write. Under a
// mutex both are silent. The report names the 16-byte granule of the copy
// where the conflict is, and the other thread's exact byte.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.cpy && %expect-exit 66 %t.cpy 2>&1 | FileCheck %s --check-prefix=CPY
// RUN: %slabsan-cc -O1 -g -DBROKEN -DUSE_MEMSET %s -o %t.set && %expect-exit 66 %t.set 2>&1 | FileCheck %s --check-prefix=SET
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>

char buffer[64];
static char source[64] = "a message of some length";
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int written; /* relaxed: orders nothing */
static volatile size_t len = sizeof buffer; /* keeps the call a real call */

static void *writer(void *arg)
{
	(void)arg;
#ifndef BROKEN
	pthread_mutex_lock(&lock);
#endif
	buffer[10] = 'w'; /* PLAIN_WRITE */
#ifndef BROKEN
	pthread_mutex_unlock(&lock);
#endif
	atomic_store_explicit(&written, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
	while (!atomic_load_explicit(&written, memory_order_relaxed))
		sched_yield();
	pthread_mutex_lock(&lock);
#ifdef USE_MEMSET
	memset(buffer, 0, len); /* MEMSET */
#else
	memcpy(buffer, source, len); /* MEMCPY */
#endif
	pthread_mutex_unlock(&lock);
	pthread_join(t, NULL);
	return 0;
}
// CLEAN-NOT: SlabSan
// CPY: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CPY-NEXT: Write of size 16 at 0x{{[0-9a-f]+}} by main thread (T0), holding lock M0:
// CPY-NEXT: #0 main {{.*}}memcpy_race.c:43
// CPY-NEXT: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// CPY-NEXT: #0 writer {{.*}}memcpy_race.c:25
// CPY: SUMMARY: SlabSan: data race {{.*}}memcpy_race.c:43 in main
// CPY-NOT: WARNING: SlabSan
// SET: WARNING: SlabSan: data race (pid={{[0-9]+}})
// SET-NEXT: Write of size 16 at 0x{{[0-9a-f]+}} by main thread (T0), holding lock M0:
// SET-NEXT: #0 main {{.*}}memcpy_race.c:41
// SET-NEXT: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// SET-NEXT: #0 writer {{.*}}memcpy_race.c:25
// SET: SUMMARY: SlabSan: data race {{.*}}memcpy_race.c:41 in main
// SET-NOT: WARNING: SlabSan
