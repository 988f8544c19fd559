// Detached threads, one after another, more of them than there are thread
// ids (8189): finished ones are freed and their ids reused, with a note, so
// the program runs to its end. Half are detached by their attributes, half
// by pthread_detach (before or after they finish). Races between them are
// still reported, naming the detached thread.
// HANDED_ON: nothing but a mutex orders the threads: the first writes a
// variable under it, the second reads it under it, and so does the thread
// that gets the second's id (the second to reuse one), which must stay
// silent: the mutex must not take the new thread to know its clock
// already, as the id's last user did.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DRACE %s -o %t.race && %expect-exit 66 %t.race 2>&1 | FileCheck %s --check-prefix=RACE
// RUN: %slabsan-cc -O1 -g -DHANDED_ON %s -o %t.handed && %expect-exit 0 %t.handed 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#define THREADS 9000
static atomic_int done;
int plain_count;                      /* not static: the stores stay */

#define FIRST_REUSER 8188              /* ids 1..8188 are fresh: 0 is main's */
#define READERS(i) ((i) == 1 || (i) == FIRST_REUSER + 1)   /* the second and its id's next */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int under_lock;

static void *work(void *arg)
{
	long index = (long)arg;
#ifdef RACE
	plain_count++; /* RACY */
	atomic_fetch_add_explicit(&done, 1, memory_order_relaxed);  /* orders nothing */
#elif defined(HANDED_ON)
	if (index == 0 || READERS(index)) {
		pthread_mutex_lock(&lock);
		if (index == 0)
			under_lock = 42;
		else if (under_lock != 42)
			printf("not handed on\n");
		pthread_mutex_unlock(&lock);
	}
	atomic_fetch_add_explicit(&done, 1, memory_order_relaxed);  /* orders nothing */
#else
	(void)index;
	atomic_fetch_add_explicit(&done, 1, memory_order_release);
#endif
	return NULL;
}

int main(void)
{
	for (int i = 0; i < THREADS; i++) {
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		if (i % 2)
			pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		pthread_t t;
		if (pthread_create(&t, &attr, work, (void *)(long)i)) {
			perror("pthread_create");
			return 1;
		}
		pthread_attr_destroy(&attr);
		if (i % 4 == 0)
			pthread_detach(t);            /* before it finishes, most likely */
		while (atomic_load_explicit(&done, memory_order_acquire) <= i)
			;
		if (i % 4 == 2)
			pthread_detach(t);            /* after it finished */
	}
	printf("%d threads done\n", atomic_load(&done));
	return 0;
}
// CHECK-NOT: WARNING: SlabSan
// CHECK: SlabSan: note: more than 8189 thread ids used: ids of finished detached threads are reused, so a race with one of those threads' last accesses may go unreported
// CHECK-NOT: WARNING: SlabSan
// CHECK: 9000 threads done

// RACE: WARNING: SlabSan: data race
// RACE-NEXT: {{Read|Write}} of size 4 at {{.*}} by thread T[[#]]:
// RACE-NEXT: #0 work {{.*}}detached_threads.c:31
// RACE: Previous write at {{.*}} by thread T[[#]]:
// RACE-NEXT: #0 work {{.*}}detached_threads.c:31
// RACE: Thread T[[#]] (tid={{[0-9]+}}, {{running|finished}}) created by main thread (T0) at:
// RACE-NEXT: #0 main {{.*}}detached_threads.c:58
// RACE: SUMMARY: SlabSan: data race {{.*}}detached_threads.c:31 in work
// RACE: 9000 threads done
