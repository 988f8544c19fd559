// rwlock: a writer's wrunlock orders later readers, readers' unlocks order
// the next writer. A "writer" that holds only a read lock races with readers.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

long config; /* not static: LLVM would shrink it */
static long seen[2];
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static atomic_int written, readers_done; /* relaxed: real-time order only */

static void *writer(void *arg)
{
	(void)arg;
#ifdef BROKEN
	pthread_rwlock_rdlock(&rw); /* wrong lock mode for a write */
#else
	pthread_rwlock_wrlock(&rw);
#endif
	config = 42; /* WRITE */
	pthread_rwlock_unlock(&rw);
	atomic_store_explicit(&written, 1, memory_order_relaxed);
	return NULL;
}

static void *reader(void *arg)
{
	long i = (long)arg;
	while (!atomic_load_explicit(&written, memory_order_relaxed))
		sched_yield();
	pthread_rwlock_rdlock(&rw);
	seen[i] = config; /* READ */
	pthread_rwlock_unlock(&rw);
	atomic_fetch_add_explicit(&readers_done, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t w, r[2];
	pthread_create(&w, NULL, writer, NULL);
	for (long i = 0; i < 2; i++)
		pthread_create(&r[i], NULL, reader, (void *)i);
	/* A second writer after both readers: ordered by their rdunlocks. */
	while (atomic_load_explicit(&readers_done, memory_order_relaxed) != 2)
		sched_yield();
	pthread_rwlock_wrlock(&rw);
	config = 0; /* REWRITE */
	pthread_rwlock_unlock(&rw);
	for (int i = 0; i < 2; i++)
		pthread_join(r[i], NULL);
	pthread_join(w, NULL);
	return seen[0] + seen[1] == 84 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by thread T{{2|3}}, holding lock M0 (shared):
// CHECK-NEXT: #0 reader {{.*}}rwlock.c:34
// CHECK-NEXT: Previous write at 0x{{[0-9a-f]+}} by thread T1, holding lock M0 (shared):
// CHECK-NEXT: #0 writer {{.*}}rwlock.c:22
// CHECK-NEXT: Location is global 'config'
// CHECK-NEXT: Lock M0 is in global 'rw' ({{.*}}), taken by thread T{{2|3}} at:
// CHECK-NEXT: #0 reader {{.*}}rwlock.c:33
// CHECK-NEXT: Fix: Both accesses hold lock M0, but only shared, which does not keep out a
// CHECK-NEXT: write: take it exclusively for the write at rwlock.c:22.
// CHECK: SUMMARY: SlabSan: data race {{.*}}rwlock.c:34 in reader
// CHECK-NOT: WARNING: SlabSan
