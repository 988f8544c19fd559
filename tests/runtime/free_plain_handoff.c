// A block handed over through a plain variable: the producer allocates it
// and stores its pointer to 'slot' under a lock, the consumer spins on a
// plain read of 'slot' without the lock, and frees what it read. No
// atomic load brought the pointer, so the free's report looks in the
// consumer's records for a plain load of a word that still points into
// the block and that the producer wrote, and shows that store and load:
// the fix is the lock the store held, around the load too. With the lock
// on the load's side only (LOCKED_LOAD), it goes around the store; with
// none (NO_LOCK), a release store and an acquire load. When the word no
// longer holds the pointer (CLEARED: the consumer empties it), nothing is
// named. Both sides under the lock: silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,NAMED,STORE_LOCKED
// RUN: %slabsan-cc -O1 -g -DLOCKED_LOAD %s -o %t.load
// RUN: %expect-exit 66 %t.load 2>&1 | FileCheck %s --check-prefixes=CHECK,NAMED,LOAD_LOCKED
// RUN: %slabsan-cc -O1 -g -DNO_LOCK %s -o %t.none
// RUN: %expect-exit 66 %t.none 2>&1 | FileCheck %s --check-prefixes=CHECK,NAMED,NONE
// RUN: %slabsan-cc -O1 -g -DCLEARED %s -o %t.cleared
// RUN: %expect-exit 66 %t.cleared 2>&1 | FileCheck %s --check-prefixes=CHECK,UNNAMED
// RUN: %slabsan-cc -O1 -g -DBOTH_LOCKED %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#if defined(NO_LOCK) || defined(LOCKED_LOAD)
#define STORE_LOCK() ((void)0)
#define STORE_UNLOCK() ((void)0)
#else
#define STORE_LOCK() pthread_mutex_lock(&lock)
#define STORE_UNLOCK() pthread_mutex_unlock(&lock)
#endif
#if defined(LOCKED_LOAD) || defined(BOTH_LOCKED)
#define LOAD_LOCK() pthread_mutex_lock(&lock)
#define LOAD_UNLOCK() pthread_mutex_unlock(&lock)
#else
#define LOAD_LOCK() ((void)0)
#define LOAD_UNLOCK() ((void)0)
#endif

struct job {
	long result;
};
static struct job *slot;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *producer(void *arg)
{
	struct job *j = malloc(sizeof *j); /* ALLOC */
	STORE_LOCK();
	slot = j; /* STORE */
	STORE_UNLOCK();
	return arg;
}

static void *consumer(void *arg)
{
	struct job *j;
	for (;;) {
		LOAD_LOCK();
		j = slot; /* LOAD */
#ifdef CLEARED
		if (j)
			slot = NULL;
#endif
		LOAD_UNLOCK();
		if (j)
			break;
		sched_yield();
	}
	free(j); /* FREE */
	return arg;
}

int main(void)
{
	pthread_t p, c;
	pthread_create(&c, NULL, consumer, NULL);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	return 0;
}
// (the store and the spinning load also race on 'slot': that report comes first)
// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 consumer {{.*}}free_plain_handoff.c:71
// CHECK-NEXT: is not ordered after its allocation by thread T2:
// CHECK-NEXT: #0 producer {{.*}}free_plain_handoff.c:49
// NAMED-NEXT: The pointer reached thread T1 through 'slot' (0x{{[0-9a-f]+}}), a plain
// NAMED-NEXT: variable, which orders nothing:
// STORE_LOCKED-NEXT: Published by thread T2 with a plain store, holding lock M0:
// LOAD_LOCKED-NEXT: Published by thread T2 with a plain store:
// NONE-NEXT: Published by thread T2 with a plain store:
// NAMED-NEXT: #0 producer {{.*}}free_plain_handoff.c:51
// STORE_LOCKED-NEXT: Obtained by thread T1 with a plain load:
// LOAD_LOCKED-NEXT: Obtained by thread T1 with a plain load, holding lock M0:
// NONE-NEXT: Obtained by thread T1 with a plain load:
// NAMED-NEXT: #0 consumer {{.*}}free_plain_handoff.c:61
// STORE_LOCKED-NEXT: Fix: take lock M0 around the load at free_plain_handoff.c:61 too, as the store
// STORE_LOCKED-NEXT: at free_plain_handoff.c:51 does.
// STORE_LOCKED-NEXT: Lock M0 is in global 'lock' {{.*}}, taken by thread T2 at:
// STORE_LOCKED-NEXT: #0 producer {{.*}}free_plain_handoff.c:50
// LOAD_LOCKED-NEXT: Fix: take lock M0 around the store at free_plain_handoff.c:51 too, as the load
// LOAD_LOCKED-NEXT: at free_plain_handoff.c:61 does.
// LOAD_LOCKED-NEXT: Lock M0 is in global 'lock' {{.*}}, taken by thread T1 at:
// LOAD_LOCKED-NEXT: #0 consumer {{.*}}free_plain_handoff.c:60
// NONE-NEXT: Fix: make the store at free_plain_handoff.c:51 a release store
// NONE-NEXT: (smp_store_release()) and the load at free_plain_handoff.c:61 an acquire load
// NONE-NEXT: (smp_load_acquire()), or take one lock around both.
// UNNAMED-NEXT: The pointer did not reach thread T1 through an atomic load SlabSan saw: it
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}free_plain_handoff.c:71 in consumer

// CLEAN-NOT: WARNING: SlabSan
