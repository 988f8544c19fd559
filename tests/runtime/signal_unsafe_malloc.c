// malloc and free are not async-signal-safe: a handler that calls them
// deadlocks or corrupts the heap when the signal lands inside malloc. Each
// such call is reported once per calling line, as "signal-unsafe call
// inside a signal handler", with the handler's line; the handler still runs
// (three times) and the program completes. A handler that only sets a
// volatile sig_atomic_t is silent, and so is the report under a
// signal_unsafe_call suppression. sigaction's oldact and signal()'s result
// give the program's own handler back, not SlabSan's. With -DLOCK, a
// handler that takes a mutex gets the same report for the lock and the
// unlock; its sem_post (async-signal-safe) is not reported.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: printf 'signal_unsafe_call:handler\n' > %t.supp
// RUN: env SLABSAN_OPTIONS=suppressions=%t.supp %expect-exit 0 %t 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DLOCK %s -o %t.lock && %expect-exit 66 %t.lock 2>&1 | FileCheck %s --check-prefix=LOCK
// RUN: %slabsan-cc -O1 -g -DSAFE %s -o %t.safe
// RUN: %expect-exit 0 %t.safe 2>&1 | FileCheck %s --check-prefix=CLEAN
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t seen;
static char *volatile last;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static sem_t posted;

static void handler(int sig)
{
	(void)sig;
	seen++;
#if defined(LOCK)
	pthread_mutex_lock(&m); /* LOCK */
	pthread_mutex_unlock(&m); /* UNLOCK */
	sem_post(&posted);
#elif !defined(SAFE)
	last = malloc(32); /* MALLOC */
	last[0] = 'x';
	free(last); /* FREE */
#endif
}

static void other(int sig) { (void)sig; }

int main(void)
{
	struct sigaction sa, old;
	sem_init(&posted, 0, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR1, NULL, &old);
	if (old.sa_handler != handler)
		return 2;
	if (signal(SIGUSR2, other) != SIG_DFL || signal(SIGUSR2, SIG_IGN) != other)
		return 3;
	for (int i = 0; i < 3; i++) {
		raise(SIGUSR1); /* RAISE */
		last = malloc(16);
		free(last);
	}
	fprintf(stderr, "done: %d signals\n", (int)seen);
	return seen == 3 ? 0 : 1;
}
// CHECK: WARNING: SlabSan: signal-unsafe call inside a signal handler (pid={{[0-9]+}})
// CHECK-NEXT: Call to malloc by main thread (T0) in a handler of signal 10 (SIGUSR1):
// CHECK-NEXT: #0 handler {{.*}}signal_unsafe_malloc.c:38
// CHECK: malloc is not async-signal-safe
// CHECK: SUMMARY: SlabSan: signal-unsafe call inside a signal handler {{.*}}signal_unsafe_malloc.c:38 in handler
// CHECK: WARNING: SlabSan: signal-unsafe call inside a signal handler (pid={{[0-9]+}})
// CHECK-NEXT: Call to free by main thread (T0) in a handler of signal 10 (SIGUSR1):
// CHECK-NEXT: #0 handler {{.*}}signal_unsafe_malloc.c:40
// CHECK: SUMMARY: SlabSan: signal-unsafe call inside a signal handler {{.*}}signal_unsafe_malloc.c:40 in handler
// CHECK-NOT: WARNING: SlabSan
// CHECK: done: 3 signals
// CHECK-NOT: WARNING: SlabSan
// CLEAN-NOT: SlabSan
// CLEAN: done: 3 signals
// CLEAN-NOT: SlabSan
// LOCK: WARNING: SlabSan: signal-unsafe call inside a signal handler
// LOCK-NEXT: Call to pthread_mutex_lock by main thread (T0) in a handler of signal 10 (SIGUSR1):
// LOCK-NEXT: #0 handler {{.*}}signal_unsafe_malloc.c:34
// LOCK: WARNING: SlabSan: signal-unsafe call inside a signal handler
// LOCK-NEXT: Call to pthread_mutex_unlock by main thread (T0) in a handler of signal 10 (SIGUSR1):
// LOCK-NEXT: #0 handler {{.*}}signal_unsafe_malloc.c:35
// LOCK-NOT: WARNING: SlabSan
// LOCK: done: 3 signals
