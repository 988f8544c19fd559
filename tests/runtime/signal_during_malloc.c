// A handler that allocates, on a thread that allocates all the time: many
// signals land inside malloc, free or the runtime's own locked sections,
// where running the handler would deadlock (glibc's arena lock, SlabSan's
// spinlocks). SlabSan holds such a signal back until the thread leaves
// malloc or the runtime, so the program always completes. The handler's
// realloc is reported once (one calling line), however often it runs.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIGNALS 5000
#define SLOTS 64

static char *sig_buf;                /* touched by the handler only */
static atomic_long handled;          /* relaxed: counts, orders nothing */
static atomic_int started, stop;     /* relaxed: when, not ordering */
static pthread_mutex_t own_lock = PTHREAD_MUTEX_INITIALIZER;

static void handler(int sig)
{
	(void)sig;
	long n = atomic_fetch_add_explicit(&handled, 1, memory_order_relaxed);
	sig_buf = realloc(sig_buf, 16 + (size_t)(n % 4096)); /* REALLOC */
	sig_buf[0] = 1;
}

/* malloc and free of many sizes (past the per-thread caches, so glibc
 * takes its arena lock), and a mutex (SlabSan's sync-object locks). */
static void *hammer(void *arg)
{
	(void)arg;
	void *slot[SLOTS] = {0};
	unsigned x = 12345;
	atomic_store_explicit(&started, 1, memory_order_relaxed);
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		x = x * 1103515245u + 12345u;
		unsigned i = (x >> 8) % SLOTS;
		free(slot[i]);
		slot[i] = malloc(1 + (x >> 12) % 8192);
		pthread_mutex_lock(&own_lock);
		pthread_mutex_unlock(&own_lock);
	}
	for (unsigned i = 0; i < SLOTS; i++)
		free(slot[i]);
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	pthread_t t;
	pthread_create(&t, NULL, hammer, NULL);
	while (!atomic_load_explicit(&started, memory_order_relaxed))
		sched_yield();
	for (int i = 0; i < SIGNALS; i++) {
		pthread_kill(t, SIGUSR1);
		if (i % 16 == 0)
			sched_yield();
	}
	/* one more, and see it handled while the thread still allocates */
	long before = atomic_load_explicit(&handled, memory_order_relaxed);
	pthread_kill(t, SIGUSR1);
	while (atomic_load_explicit(&handled, memory_order_relaxed) == before)
		sched_yield();
	atomic_store_explicit(&stop, 1, memory_order_relaxed);
	pthread_join(t, NULL);
	long n = atomic_load_explicit(&handled, memory_order_relaxed);
	fprintf(stderr, "done: %s\n", n > 0 && n <= SIGNALS ? "handled" : "lost");
	return 0;
}
// CHECK: WARNING: SlabSan: signal-unsafe call inside a signal handler (pid={{[0-9]+}})
// CHECK-NEXT: Call to realloc by thread T1 in a handler of signal 10 (SIGUSR1):
// CHECK-NEXT: #0 handler {{.*}}signal_during_malloc.c:28
// CHECK: SUMMARY: SlabSan: signal-unsafe call inside a signal handler {{.*}}signal_during_malloc.c:28 in handler
// CHECK-NOT: WARNING: SlabSan
// CHECK: done: handled
// CHECK-NOT: WARNING: SlabSan
