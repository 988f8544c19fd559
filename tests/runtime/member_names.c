// SPDX-License-Identifier: Apache-2.0
// Reports name the struct member each access touched beside its address
// (pass/MemberNames.cpp): a race on a nested member, a free racing with a
// read of one, a use after free. Without debug info there is no name.
// RUN: %slabsan-cc -O1 -g -DRACE %s -o %t.race && %expect-exit 66 %t.race 2>&1 | FileCheck %s --check-prefix=RACE
// RUN: %slabsan-cc -O1 -g -DFREE_RACE %s -o %t.free && %expect-exit 66 %t.free 2>&1 | FileCheck %s --check-prefix=FREE
// RUN: %slabsan-cc -O1 -g -DUAF %s -o %t.uaf && %expect-exit 66 %t.uaf 2>&1 | FileCheck %s --check-prefix=UAF
// RUN: %slabsan-cc -O1 -g0 -DRACE %s -o %t.nodebug && %expect-exit 66 %t.nodebug 2>&1 | FileCheck %s --check-prefix=NODEBUG
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

struct inner {
	int a, b;
};
struct order {
	long id;
	struct inner qty;
	long price;
};
static atomic_int done; /* relaxed: real-time order only */
long sink;

static void *worker(void *arg)
{
	struct order *o = arg;
#if defined(RACE)
	o->qty.b = 5; /* WORKER_WRITE */
#elif defined(FREE_RACE)
	sink = o->price; /* WORKER_READ */
#endif
	atomic_store_explicit(&done, 1, memory_order_relaxed);
	return NULL;
}

__attribute__((noinline)) static void reprice(struct order *o, long price)
{
	o->price = price; /* REPRICE */
}

int main(void)
{
	pthread_t t;
	struct order *o = calloc(1, sizeof *o);
	pthread_create(&t, NULL, worker, o);
	while (!atomic_load_explicit(&done, memory_order_relaxed))
		sched_yield();
#if defined(RACE)
	o->qty.b = 6; /* MAIN_WRITE */
#elif defined(FREE_RACE)
	free(o); /* FREE */
#else
	free(o);
	reprice(o, 7);
#endif
	pthread_join(t, NULL);
	return 0;
}
// RACE: WARNING: SlabSan: data race
// RACE-NEXT: Write of size 4 at 0x{{[0-9a-f]+}} (struct order::qty.b) by main thread (T0):
// RACE-NEXT: #0 main {{.*}}member_names.c:50
// RACE-NEXT: Previous write at 0x{{[0-9a-f]+}} (struct order::qty.b) by thread T1:
// RACE-NEXT: #0 worker {{.*}}member_names.c:29
// RACE-NEXT: Location is heap block of size 24 at 0x{{[0-9a-f]+}} (offset 12) allocated by main thread (T0):

// FREE: WARNING: SlabSan: data race
// FREE-NEXT: Free of heap block of size 24 at 0x{{[0-9a-f]+}} by main thread (T0):
// FREE-NEXT: #0 main {{.*}}member_names.c:52
// FREE-NEXT: Previous read at 0x{{[0-9a-f]+}} (offset 16, struct order::price) by thread T1:
// FREE-NEXT: #0 worker {{.*}}member_names.c:31

// UAF: WARNING: SlabSan: use after free
// UAF-NEXT: Write of size 8 at 0x{{[0-9a-f]+}} (struct order::price) by main thread (T0):
// UAF-NEXT: #0 reprice {{.*}}member_names.c:39

// NODEBUG: WARNING: SlabSan: data race
// NODEBUG-NEXT: Write of size 4 at 0x{{[0-9a-f]+}} by main thread (T0):
// NODEBUG: Previous write at 0x{{[0-9a-f]+}} by thread T1:
