// Focused mode with no module that checks plain accesses: malloc and free
// visit the slots of only the granules an atomic, volatile or metadata
// access recorded, and free marks the block freed in its state bytes
// (records tracked, runtime/shadow.h). What that must keep:
//  - a block's records end with it: memory freed and announced again is
//    silent for a thread that never synchronized with the old owner (REUSE,
//    also when the block skips the quarantine: quarantine_size_mb=0);
//    the same writes without the free race (STALE, the control);
//  - an atomic access after free() is a use after free, whether the block
//    had records before (RECORDED) or none (UNRECORDED);
//  - linked with a full-mode module, plain accesses are checked again and
//    that module's read of the freed block is a use after free (MIXED).
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -DREUSE %s -o %t.reuse
// RUN: %expect-exit 0 %t.reuse 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: env SLABSAN_OPTIONS=quarantine_size_mb=0 %expect-exit 0 %t.reuse 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -DSTALE %s -o %t.stale
// RUN: %expect-exit 66 %t.stale 2>&1 | FileCheck %s --check-prefix=STALE
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
// STALE-NEXT: #0 own_and_stamp {{.*}}focused_heap.c:46
// STALE-NEXT: #1 main {{.*}}focused_heap.c:65
// STALE: Previous write at 0x{{[0-9a-f]+}} (struct obj::stamp) by thread T1:
// STALE-NEXT: #0 own_and_stamp {{.*}}focused_heap.c:46
// STALE-NEXT: #1 first_owner {{.*}}focused_heap.c:55
// STALE: SUMMARY: SlabSan: data race {{.*}}focused_heap.c:46 in own_and_stamp
// UAF: WARNING: SlabSan: use after free (pid={{[0-9]+}})
// ATOMIC-NEXT: Atomic read of size 8 at 0x{{[0-9a-f]+}} by main thread (T0):
// ATOMIC-NEXT: #0 peek_refs {{.*}}focused_heap.c:74
// ATOMIC-NEXT: #1 main {{.*}}focused_heap.c:87
// ATOMIC-NEXT: Freed heap block of size 16 at 0x{{[0-9a-f]+}} (offset 8), freed by main thread (T0):
// MIXED-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by main thread (T0):
// MIXED-NEXT: #0 plain_peek {{.*}}plain_peek.c:5
// MIXED-NEXT: #1 main {{.*}}focused_heap.c:85
// MIXED-NEXT: Freed heap block of size 16 at 0x{{[0-9a-f]+}} (offset 0), freed by main thread (T0):
// UAF-NEXT: #0 main {{.*}}focused_heap.c:83
// UAF-NEXT: Allocated by main thread (T0):
// UAF-NEXT: #0 main {{.*}}focused_heap.c:79
// UAF-NOT: WARNING: SlabSan
