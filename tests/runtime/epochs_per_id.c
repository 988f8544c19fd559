// A thread that has used up its id's epochs (2^32 synchronizations, about a
// minute of locking in a loop; epochs_per_id=16 here) goes on under a new
// id: no false report across the switch (mutex, rwlock held across it, a
// block freed by another thread, join), races across it still reported,
// and reports name each thread by the id it started with; in focused mode
// too.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: env SLABSAN_OPTIONS=epochs_per_id=16:verbosity=1 %expect-exit 0 %t 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g %s -o %t.focused
// RUN: env SLABSAN_OPTIONS=epochs_per_id=16:verbosity=1 %expect-exit 0 %t.focused 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DRACE %s -o %t.race
// RUN: env SLABSAN_OPTIONS=epochs_per_id=16 %expect-exit 66 %t.race 2>&1 | FileCheck %s --check-prefix=RACE
// RUN: %slabsan-cc -O1 -g -DRELAXED_FREE %s -o %t.free
// RUN: env SLABSAN_OPTIONS=epochs_per_id=16 %expect-exit 66 %t.free 2>&1 | FileCheck %s --check-prefix=FREE
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g -DRELAXED_FREE %s -o %t.focused.free
// RUN: env SLABSAN_OPTIONS=epochs_per_id=16 %expect-exit 66 %t.focused.free 2>&1 | FileCheck %s --check-prefix=FREE
// The option's range:
// RUN: env SLABSAN_OPTIONS=epochs_per_id=15 %expect-exit 1 %t 2>&1 | FileCheck %s --check-prefix=RANGE
#include <pthread.h>
#include <slabsan/slabsan.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define SPINS 200           /* releases per loop: a dozen ids at 16 epochs each */
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static long counter, table;
static int *handed;
static long last_word;       /* written by the worker last, read after the join */
int shared;                 /* not static: the stores stay */
static int *_Atomic published;
static struct slabsan_test_barrier wrote = {.count = 2};

/* Releases that touch nothing the other thread sees. */
static void use_epochs(void)
{
	static __thread pthread_mutex_t own = PTHREAD_MUTEX_INITIALIZER;
	for (int i = 0; i < SPINS; i++) {
		pthread_mutex_lock(&own);
		pthread_mutex_unlock(&own);
	}
}

static void *worker(void *arg)
{
	(void)arg;
#if defined(RACE)
	shared = 1; /* WORKER_WRITE */
	use_epochs();
	slabsan_test_barrier_wait(&wrote);
#elif defined(RELAXED_FREE)
	int *p = malloc(sizeof *p); /* ALLOC */
	*p = 42;
	use_epochs();
	atomic_store_explicit(&published, p, memory_order_relaxed);
#else
	int *p = malloc(sizeof *p);
	*p = 42;
	pthread_rwlock_wrlock(&table_lock);
	use_epochs();               /* its id changes while it holds the lock */
	table = 7;
	pthread_rwlock_unlock(&table_lock);
	slabsan_test_barrier_wait(&wrote);   /* no happens-before: the rwlock orders */
	for (int i = 0; i < SPINS; i++) {
		pthread_mutex_lock(&shared_lock);
		counter++;
		if (i == SPINS / 2)
			handed = p;
		pthread_mutex_unlock(&shared_lock);
	}
	last_word = 1;
#endif
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	use_epochs();
#if defined(RACE)
	slabsan_test_barrier_wait(&wrote);
	shared = 2; /* MAIN_WRITE */
#elif defined(RELAXED_FREE)
	int *p;
	while (!(p = atomic_load_explicit(&published, memory_order_relaxed)))
		;
	free(p); /* FREE */
#else
	slabsan_test_barrier_wait(&wrote);
	pthread_rwlock_rdlock(&table_lock);
	long seen = table;
	pthread_rwlock_unlock(&table_lock);
	int *p = NULL;
	for (int i = 0; i < SPINS; i++) {
		pthread_mutex_lock(&shared_lock);
		counter++;
		if (handed && !p)
			p = handed;
		pthread_mutex_unlock(&shared_lock);
	}
	pthread_join(t, NULL);      /* finds the worker under its latest id */
	if (!p)
		p = handed;
	printf("counter %ld table %ld value %d last %ld\n", counter, seen, *p, last_word);
	free(p);
	return 0;
#endif
	pthread_join(t, NULL);
	return 0;
}
// CLEAN-DAG: SlabSan: note: thread T0 has used the 16 epochs of id 0; it goes on as id
// CLEAN-DAG: SlabSan: note: thread T1 has used the 16 epochs of id 1; it goes on as id
// CLEAN-NOT: WARNING: SlabSan
// CLEAN: counter 400 table 7 value 42 last 1
// CLEAN-NOT: WARNING: SlabSan

// RACE: WARNING: SlabSan: data race
// RACE-NEXT: Write of size 4 at {{.*}} by main thread (T0):
// RACE-NEXT: #0 main {{.*}}epochs_per_id.c:84
// RACE-NEXT: Previous write at {{.*}} by thread T1:
// RACE-NEXT: #0 worker {{.*}}epochs_per_id.c:49
// RACE: Thread T1 (tid={{[0-9]+}}, {{running|finished}}) created by main thread (T0) at:
// RACE: SUMMARY: SlabSan: data race {{.*}}epochs_per_id.c:84 in main

// FREE: WARNING: SlabSan: free without acquire
// FREE-NEXT: Free of heap block of size 4 at {{.*}} by main thread (T0):
// FREE-NEXT: #0 main {{.*}}epochs_per_id.c:89
// FREE-NEXT: is not ordered after its allocation by thread T1:
// FREE-NEXT: #0 worker {{.*}}epochs_per_id.c:53
// FREE: Thread T1 (tid={{[0-9]+}}, {{running|finished}}) created by main thread (T0) at:

// RANGE: SlabSan: error: SLABSAN_OPTIONS: epochs_per_id=15 is out of range (0, or 16..2147483647)
