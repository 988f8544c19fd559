// Focused mode with no module that checks plain accesses: malloc and free
// visit the slots of only the granules an atomic, volatile or metadata
// access recorded, and free marks the block freed in its state bytes
// (records tracked, runtime/shadow.h). What that must keep:
//  - a block's records end with it: memory freed and announced again is
//    silent for a thread that never synchronized with the old owner (REUSE,
//    also when the block skips the quarantine: quarantine_size_mb=0);
//    the same writes without the free race (STALE, the control);
//  - a custom allocator's free still checks what its block recorded: a
//    metadata write of another thread the free is not ordered after makes
//    it a free without acquire (POOL_FREE);
//  - an atomic access after free() is a use after free, whether the block
//    had records before (RECORDED) or none (UNRECORDED);
//  - linked with a full-mode module, plain accesses are checked again and
//    that module's read of the freed block is a use after free (MIXED).
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -DREUSE %s -o %t.reuse
// RUN: %expect-exit 0 %t.reuse 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: env SLABSAN_OPTIONS=quarantine_size_mb=0 %expect-exit 0 %t.reuse 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -DSTALE %s -o %t.stale
// RUN: %expect-exit 66 %t.stale 2>&1 | FileCheck %s --check-prefix=STALE
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -DPOOL_FREE %s -o %t.pool
// RUN: %expect-exit 66 %t.pool 2>&1 | FileCheck %s --check-prefix=POOL
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -DRECORDED %s -o %t.rec
// RUN: %expect-exit 66 %t.rec 2>&1 | FileCheck %s --check-prefixes=UAF,ATOMIC
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g %s -o %t.unrec
// RUN: %expect-exit 66 %t.unrec 2>&1 | FileCheck %s --check-prefixes=UAF,ATOMIC
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -DMIXED -c %s -o %t.focused.o
// RUN: %slabsan-cc -O1 -g -c %S/Inputs/plain_peek.c -o %t.full.o
// RUN: %slabsan-cc %t.focused.o %t.full.o -o %t.mixed
// RUN: %expect-exit 66 %t.mixed 2>&1 | FileCheck %s --check-prefixes=UAF,MIXED
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <slabsan/slabsan.h>

struct obj {
	long stamp __slabsan_meta;
	_Atomic long refs;
};

#if defined(REUSE) || defined(STALE)
static struct obj arena;  /* a custom allocator's memory */
static struct slabsan_test_barrier first_owner_done = {.count = 2};

/* One life of the block; without REUSE just the write. */
static void own_and_stamp(long stamp)
{
#ifdef REUSE
	slabsan_malloclike(&arena, sizeof arena);
#endif
	arena.stamp = stamp; /* STAMP */
#ifdef REUSE
	slabsan_freelike(&arena);
#endif
}

static void *first_owner(void *arg)
{
	(void)arg;
	own_and_stamp(1); /* FIRST_OWNER */
	slabsan_test_barrier_wait(&first_owner_done);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, first_owner, NULL);
	slabsan_test_barrier_wait(&first_owner_done);
	own_and_stamp(2); /* SECOND_OWNER */
	pthread_join(t, NULL);
	return 0;
}
#elif defined(POOL_FREE)
static struct obj pooled;  /* a custom allocator's memory */
static struct slabsan_test_barrier stamped = {.count = 2};

static void *stamper(void *arg)
{
	(void)arg;
	pooled.stamp = 1; /* POOL_STAMP */
	slabsan_test_barrier_wait(&stamped);
	return NULL;
}

int main(void)
{
	pthread_t t;
	slabsan_malloclike(&pooled, sizeof pooled);
	pthread_create(&t, NULL, stamper, NULL);
	slabsan_test_barrier_wait(&stamped);
	slabsan_freelike(&pooled); /* POOL_FREE */
	pthread_join(t, NULL);
	return 0;
}
#else
long plain_peek(const long *p);

__attribute__((noinline)) static long peek_refs(struct obj *o)
{
	return atomic_load_explicit(&o->refs, memory_order_relaxed); /* PEEK */
}

int main(void)
{
	struct obj *o = malloc(sizeof *o); /* ALLOC */
#ifdef RECORDED
	atomic_store_explicit(&o->refs, 1, memory_order_relaxed);
#endif
	free(o); /* FREE */
#ifdef MIXED
	return (int)plain_peek(&o->stamp); /* MIXED_PEEK */
#else
	return (int)peek_refs(o); /* USE */
#endif
}
#endif
// CLEAN-NOT: SlabSan
// STALE: WARNING: SlabSan: data race (pid={{[0-9]+}})
// STALE-NEXT: Write of size 8 at 0x{{[0-9a-f]+}} (struct obj::stamp) by main thread (T0):
// STALE-NEXT: #0 own_and_stamp {{.*}}focused_heap.c:51
// STALE-NEXT: #1 main {{.*}}focused_heap.c:70
// STALE: Previous write at 0x{{[0-9a-f]+}} (struct obj::stamp) by thread T1:
// STALE-NEXT: #0 own_and_stamp {{.*}}focused_heap.c:51
// STALE-NEXT: #1 first_owner {{.*}}focused_heap.c:60
// STALE: SUMMARY: SlabSan: data race {{.*}}focused_heap.c:51 in own_and_stamp
// POOL: WARNING: SlabSan: free without acquire (pid={{[0-9]+}})
// POOL-NEXT: Free of heap block of size 16 at 0x{{[0-9a-f]+}} by main thread (T0):
// POOL-NEXT: #0 main {{.*}}focused_heap.c:92
// POOL-NEXT: is not ordered after this write at 0x{{[0-9a-f]+}} (offset 0, struct obj::stamp) by thread T1:
// POOL-NEXT: #0 stamper {{.*}}focused_heap.c:81
// POOL: The block was allocated by main thread (T0):
// POOL-NEXT: #0 main {{.*}}focused_heap.c:89
// POOL: SUMMARY: SlabSan: free without acquire {{.*}}focused_heap.c:92 in main
// UAF: WARNING: SlabSan: use after free (pid={{[0-9]+}})
// ATOMIC-NEXT: Atomic read of size 8 at 0x{{[0-9a-f]+}} (struct obj::refs) by main thread (T0):
// ATOMIC-NEXT: #0 peek_refs {{.*}}focused_heap.c:101
// ATOMIC-NEXT: #1 main {{.*}}focused_heap.c:114
// ATOMIC-NEXT: Freed heap block of size 16 at 0x{{[0-9a-f]+}} (offset 8), freed by main thread (T0):
// MIXED-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by main thread (T0):
// MIXED-NEXT: #0 plain_peek {{.*}}plain_peek.c:5
// MIXED-NEXT: #1 main {{.*}}focused_heap.c:112
// MIXED-NEXT: Freed heap block of size 16 at 0x{{[0-9a-f]+}} (offset 0), freed by main thread (T0):
// UAF-NEXT: #0 main {{.*}}focused_heap.c:110
// UAF-NEXT: Allocated by main thread (T0):
// UAF-NEXT: #0 main {{.*}}focused_heap.c:106
// UAF-NOT: WARNING: SlabSan
