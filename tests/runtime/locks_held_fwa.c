// A free without acquire after a write made under a lock the freeing thread
// does not take: the write's heading names the lock, and the report says to
// take it around the free. (The pointer itself is read without the lock
// too, a data race of its own, reported second.) Taking the lock to get
// and free the object is silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DLOCKED %s -o %t.locked
// RUN: %expect-exit 0 %t.locked 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

struct job {
	long id;
	long result;
};

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static struct job *finished;
static atomic_int posted; /* relaxed: forces real-time order, creates no edge */

static void *reaper(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&posted, memory_order_relaxed))
		sched_yield();
#ifdef LOCKED
	pthread_mutex_lock(&queue_lock);
#endif
	struct job *j = finished;
	finished = NULL;
#ifdef LOCKED
	pthread_mutex_unlock(&queue_lock);
#endif
	free(j); /* FREE */
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, reaper, NULL);
	struct job *j = malloc(sizeof *j);
	pthread_mutex_lock(&queue_lock);
	j->id = 7; /* WRITE */
	j->result = 42;
	finished = j;
	pthread_mutex_unlock(&queue_lock);
	atomic_store_explicit(&posted, 1, memory_order_relaxed);
	pthread_join(t, NULL);
	return 0;
}

// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 16 at {{.*}} by thread T1:
// CHECK-NEXT: #0 reaper {{.*}}locks_held_fwa.c:37
// CHECK: nor after this write at {{.*}} (offset 0, struct job::id) by main thread (T0), holding lock M0:
// CHECK-NEXT: #0 main {{.*}}locks_held_fwa.c:47
// CHECK: Lock M0 is in global 'queue_lock' ({{.*}}), taken by main thread (T0) at:
// CHECK-NEXT: #0 main {{.*}}locks_held_fwa.c:46
// CHECK-NEXT: The previous write at locks_held_fwa.c:47 held lock M0, this free holds no
// CHECK-NEXT: lock: if M0 guards this memory, take it around the free at locks_held_fwa.c:37
// CHECK-NEXT: too.
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}locks_held_fwa.c:37 in reaper

// CLEAN-NOT: WARNING: SlabSan
