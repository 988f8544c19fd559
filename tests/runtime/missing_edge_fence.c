// A block published with smp_wmb() and WRITE_ONCE(), read with READ_ONCE()
// and no smp_rmb(): the relaxed store releases what came before the fence
// (atomic.c keeps the fence's clock entry with the store), so the report
// says the store releases through its fence and the load is the side to
// fix, for a race on the block (default) as for its free (FREE). The fence
// it offers is smp_rmb(), which orders later reads (and a free, by its
// control dependency), but smp_mb() where the later access writes (WRITE).
// With the fence before the write (LATE) the store releases nothing the
// reader needs, and no earlier fence is worth naming (any would do as
// much): the report blames both sides, as for a relaxed store. With
// smp_rmb() after the load (RMB): silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,RACE,READ,EARLY,FENCED,RMBFIX
// RUN: %slabsan-cc -O1 -g -DWRITE %s -o %t.write
// RUN: %expect-exit 66 %t.write 2>&1 | FileCheck %s --check-prefixes=CHECK,RACE,WRITE,EARLY,FENCED,MBFIX
// RUN: %slabsan-cc -O1 -g -DFREE %s -o %t.free
// RUN: %expect-exit 66 %t.free 2>&1 | FileCheck %s --check-prefixes=CHECK,FREE,FENCED,RMBFIX
// RUN: %slabsan-cc -O1 -g -DLATE %s -o %t.late
// RUN: %expect-exit 66 %t.late 2>&1 | FileCheck %s --check-prefixes=CHECK,RACE,READ,LATE
// RUN: %slabsan-cc -O1 -g -DRMB %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <slabsan/lkmm.h>
#include <stdlib.h>

struct obj {
	long x;
};
static struct obj *gp;

static void *reader(void *arg)
{
	struct obj *p;
	while (!(p = READ_ONCE(gp))) /* LOAD */
		sched_yield();
#ifdef RMB
	smp_rmb();
#endif
#if defined(FREE)
	free(p); /* FREE */
#elif defined(WRITE)
	p->x = 2; /* OVERWRITE */
#else
	arg = (void *)p->x; /* READ */
#endif
	return arg;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, reader, NULL);
	struct obj *o = malloc(sizeof *o); /* ALLOC */
#ifdef LATE
	smp_wmb();
	o->x = 1; /* LATE_WRITE */
#else
	o->x = 1; /* WRITE */
	smp_wmb();
#endif
	WRITE_ONCE(gp, o); /* STORE */
	pthread_join(t, NULL);
	return 0;
}
// RACE: WARNING: SlabSan: data race
// READ-NEXT: Read of size 8 at {{.*}} by thread T1:
// READ-NEXT: #0 reader {{.*}}missing_edge_fence.c:45
// WRITE-NEXT: Write of size 8 at {{.*}} by thread T1:
// WRITE-NEXT: #0 reader {{.*}}missing_edge_fence.c:43
// RACE-NEXT: Previous write at {{.*}} by main thread (T0):
// EARLY-NEXT: #0 main {{.*}}missing_edge_fence.c:59
// LATE-NEXT: #0 main {{.*}}missing_edge_fence.c:57
// RACE-NEXT: Location is heap block of size 8 {{.*}} allocated by main thread (T0):
// RACE-NEXT: #0 main {{.*}}missing_edge_fence.c:54
// FREE: WARNING: SlabSan: free without acquire
// FREE-NEXT: Free of heap block of size 8 at {{.*}} by thread T1:
// FREE-NEXT: #0 reader {{.*}}missing_edge_fence.c:41
// FREE-NEXT: is not ordered after its allocation by main thread (T0):
// FREE-NEXT: #0 main {{.*}}missing_edge_fence.c:54
// FREE-NEXT: nor after this write at {{.*}} (offset 0, struct obj::x) by main thread (T0):
// FREE-NEXT: #0 main {{.*}}missing_edge_fence.c:59
// CHECK-NEXT: The pointer reached thread T1 through 'gp' (0x{{[0-9a-f]+}}):
// FENCED-NEXT: Published by main thread (T0) with a relaxed atomic store after a release fence:
// LATE-NEXT: Published by main thread (T0) with a relaxed atomic store:
// CHECK-NEXT: #0 main {{.*}}missing_edge_fence.c:62
// CHECK-NEXT: Obtained by thread T1 with a relaxed atomic load:
// CHECK-NEXT: #0 reader {{.*}}missing_edge_fence.c:35
// FENCED-NEXT: Missing edge: the store at missing_edge_fence.c:62 releases (through the
// FENCED-NEXT: release fence before it), but the load at missing_edge_fence.c:35 is relaxed
// FENCED-NEXT: and does not acquire.
// FENCED-NEXT: Fix: make the load at missing_edge_fence.c:35 memory_order_acquire
// RMBFIX-NEXT: (smp_load_acquire()), or put an acquire fence (smp_rmb() /
// MBFIX-NEXT: (smp_load_acquire()), or put an acquire fence (smp_mb() /
// FENCED-NEXT: atomic_thread_fence(memory_order_acquire)) after it.
// LATE-NEXT: Missing edge: the store at missing_edge_fence.c:62 and the load at
// LATE-NEXT: missing_edge_fence.c:35 are both relaxed, so nothing the publishing thread did
// LATE-NEXT: before the store is ordered before what this thread does with the pointer.
// LATE-NEXT: Fix: make the store at missing_edge_fence.c:62 memory_order_release
// LATE-NEXT: (smp_store_release()) and the load at missing_edge_fence.c:35
// LATE-NEXT: memory_order_acquire (smp_load_acquire()).
// READ: SUMMARY: SlabSan: data race {{.*}}missing_edge_fence.c:45 in reader
// WRITE: SUMMARY: SlabSan: data race {{.*}}missing_edge_fence.c:43 in reader
// FREE: SUMMARY: SlabSan: free without acquire {{.*}}missing_edge_fence.c:41 in reader

// CLEAN-NOT: WARNING: SlabSan
