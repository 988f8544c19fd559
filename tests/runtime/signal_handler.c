// A signal handler runs on the thread it interrupts: its write to shared
// data races with another thread's unsynchronized write, as ThreadSanitizer
// reports too. A handler that only sets a volatile sig_atomic_t the other
// thread never touches is silent, and nothing deadlocks.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -DSAFE %s -o %t.safe
// RUN: %expect-exit 0 %t.safe 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

long shared;
static volatile sig_atomic_t seen;
static atomic_int other_done; /* relaxed: when, not ordering */

static void handler(int sig)
{
	(void)sig;
#ifdef SAFE
	seen = 1;
#else
	shared = 1; /* HANDLER */
#endif
}

static void *other(void *arg)
{
	(void)arg;
#ifndef SAFE
	shared = 2; /* OTHER */
#endif
	atomic_store_explicit(&other_done, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigaction(SIGUSR1, &sa, NULL);
	pthread_t t;
	pthread_create(&t, NULL, other, NULL);
	while (!atomic_load_explicit(&other_done, memory_order_relaxed))
		sched_yield();
	raise(SIGUSR1);
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Write of size 8 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 handler {{.*}}signal_handler.c:24
// CHECK: Previous write at {{.*}} by thread T1:
// CHECK-NEXT: #0 other {{.*}}signal_handler.c:32
// CLEAN-NOT: SlabSan
