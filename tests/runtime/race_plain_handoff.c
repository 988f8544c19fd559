// A race on a block whose pointer came through a plain variable: the
// producer fills the job and stores its pointer to 'slot' under a lock,
// the consumer reads 'slot' without it and then the job's field. The
// race on the field explains itself by that plain store and load, the fix
// being the lock around the load too, and describes the lock its fix
// names. Both sides under the lock: silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DBOTH_LOCKED %s -o %t.clean
// RUN: %expect-exit 0 %t.clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#ifdef BOTH_LOCKED
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
long sink;

static void *producer(void *arg)
{
	struct job *j = malloc(sizeof *j); /* ALLOC */
	j->result = 42; /* WRITE */
	pthread_mutex_lock(&lock);
	slot = j; /* STORE */
	pthread_mutex_unlock(&lock);
	return arg;
}

static void *consumer(void *arg)
{
	struct job *j;
	for (;;) {
		LOAD_LOCK();
		j = slot; /* LOAD */
		LOAD_UNLOCK();
		if (j)
			break;
		sched_yield();
	}
	sink = j->result; /* READ */
	free(j);
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
// (the store and the spinning load race on 'slot' too: that report comes first)
// CHECK: WARNING: SlabSan: data race
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} (struct job::result) by thread T1:
// CHECK-NEXT: #0 consumer {{.*}}race_plain_handoff.c:51
// CHECK-NEXT: Previous write at {{.*}} (struct job::result) by thread T2:
// CHECK-NEXT: #0 producer {{.*}}race_plain_handoff.c:33
// CHECK-NEXT: Location is heap block of size 8 at {{.*}} allocated by thread T2:
// CHECK-NEXT: #0 producer {{.*}}race_plain_handoff.c:32
// CHECK-NEXT: The pointer reached thread T1 through 'slot' (0x{{[0-9a-f]+}}), a plain
// CHECK-NEXT: variable, which orders nothing:
// CHECK-NEXT: Published by thread T2 with a plain store, holding lock M0:
// CHECK-NEXT: #0 producer {{.*}}race_plain_handoff.c:35
// CHECK-NEXT: Obtained by thread T1 with a plain load:
// CHECK-NEXT: #0 consumer {{.*}}race_plain_handoff.c:45
// CHECK-NEXT: Fix: take lock M0 around the load at race_plain_handoff.c:45 too, as the store
// CHECK-NEXT: at race_plain_handoff.c:35 does.
// CHECK-NEXT: Lock M0 is in global 'lock' {{.*}}, taken by thread T2 at:
// CHECK-NEXT: #0 producer {{.*}}race_plain_handoff.c:34
// CHECK: SUMMARY: SlabSan: data race {{.*}}race_plain_handoff.c:51 in consumer
// CHECK: WARNING: SlabSan: free without acquire

// CLEAN-NOT: WARNING: SlabSan
