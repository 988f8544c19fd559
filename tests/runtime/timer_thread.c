// timer_create() with SIGEV_THREAD runs its function on a thread libc
// starts itself, which SlabSan meets only when that function runs. Handed
// over under a mutex, the timer's message is silent (-DLOCKED); written to
// a plain variable main polls, it is a data race and a free without
// acquire, and the thread is named as started unseen.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DLOCKED %s -o %t.locked
// RUN: %expect-exit 0 %t.locked 2>&1 | FileCheck %s --allow-empty --check-prefix=LOCKED
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fired = PTHREAD_COND_INITIALIZER;
static char *message;

static void on_timer(union sigval v)
{
	char *m = malloc(32);
	snprintf(m, 32, "tick %d", v.sival_int);
#ifdef LOCKED
	pthread_mutex_lock(&lock);
	message = m;
	pthread_cond_signal(&fired);
	pthread_mutex_unlock(&lock);
#else
	message = m;
#endif
}

static char *wait_for_message(void)
{
#ifdef LOCKED
	pthread_mutex_lock(&lock);
	while (!message)
		pthread_cond_wait(&fired, &lock);
	char *m = message;
	pthread_mutex_unlock(&lock);
	return m;
#else
	while (!message)
		usleep(1000);
	return message;
#endif
}

int main(void)
{
	timer_t timer;
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_notify_function = on_timer;
	ev.sigev_value.sival_int = 7;
	if (timer_create(CLOCK_MONOTONIC, &ev, &timer))
		return 1;
	struct itimerspec once = { .it_value = { 0, 1000000 } };
	timer_settime(timer, 0, &once, NULL);
	char *m = wait_for_message();
	printf("%s\n", m);
	free(m);
	timer_delete(timer);
	return 0;
}

// CHECK:      WARNING: SlabSan: data race
// CHECK:      Location is global 'message'
// CHECK-NEXT: Thread T1 (tid={{[0-9]+}}, running) started unseen, by a creator SlabSan does not know:
// CHECK-NEXT:   <not through SlabSan's pthread_create (a thread of libc's own, as timer_create() starts for SIGEV_THREAD;
// CHECK:      WARNING: SlabSan: free without acquire
// CHECK-NEXT:   Free of heap block of size 32 at {{.*}} by main thread (T0):
// CHECK-NEXT:     #0 main {{.*}}timer_thread.c:66
// CHECK-NEXT:   is not ordered after its allocation by thread T1:
// CHECK-NEXT:     #0 on_timer {{.*}}timer_thread.c:24
// CHECK:      SUMMARY: SlabSan: free without acquire {{.*}}timer_thread.c:66 in main
// LOCKED-NOT: SlabSan
