// A handler's fences and atomic stores order its thread like any other code
// of that thread, wherever the signal lands: often inside the runtime (an
// atomic load's entry point), where the handler waits until the thread
// leaves it. liburcu's urcu-signal grace period, reduced: the writer asks the
// reader for a barrier with pthread_kill(); the reader's handler runs
// fence(seq_cst), a relaxed store of need_mb = 0, fence(seq_cst); the writer
// sees it, runs fence(seq_cst) and frees the object the reader read before
// the signal. Fence-to-fence synchronization orders the read before the
// free: silent whether the reader waits spinning on atomic loads or in
// sigsuspend() (SUSPEND). Without the handler's fences (NO_FENCE) nothing
// orders them: a data race on the free.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DSUSPEND %s -o %t.s && %expect-exit 0 %t.s 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DNO_FENCE %s -o %t.b && %expect-exit 66 %t.b 2>&1 | FileCheck %s
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>

#define ROUNDS 200
static _Atomic(int *) object;
static atomic_int round_no, read_value, need_mb;
static pthread_t reader_thread;

static void barrier_handler(int sig)
{
	(void)sig;
#ifndef NO_FENCE
	atomic_thread_fence(memory_order_seq_cst);
#endif
	atomic_store_explicit(&need_mb, 0, memory_order_relaxed);
#ifndef NO_FENCE
	atomic_thread_fence(memory_order_seq_cst);
#endif
}

static void *reader(void *arg)
{
	(void)arg;
	sigset_t none;
	sigemptyset(&none);
	for (int i = 1; i <= ROUNDS; i++) {
		while (atomic_load_explicit(&round_no, memory_order_acquire) != i)
			;
		int *p = atomic_load_explicit(&object, memory_order_acquire);
		int v = *p; /* READ */
		atomic_store_explicit(&read_value, v, memory_order_relaxed);
#ifdef SUSPEND
		sigsuspend(&none); /* the only place SIGUSR1 is unblocked */
#else
		while (atomic_load_explicit(&need_mb, memory_order_relaxed) ||
		       atomic_load_explicit(&round_no, memory_order_relaxed) == i)
			;
#endif
	}
	return NULL;
}

int main(void)
{
	struct sigaction sa = {.sa_handler = barrier_handler};
	sigaction(SIGUSR1, &sa, NULL);
#ifdef SUSPEND
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL); /* the reader inherits it */
#endif
	pthread_create(&reader_thread, NULL, reader, NULL);
	for (int i = 1; i <= ROUNDS; i++) {
		int *p = malloc(sizeof *p);
		*p = i;
		atomic_store_explicit(&object, p, memory_order_release);
		atomic_store_explicit(&round_no, i, memory_order_release);
		while (atomic_load_explicit(&read_value, memory_order_relaxed) != i)
			; /* relaxed: no edge */
		atomic_store_explicit(&need_mb, 1, memory_order_relaxed);
		pthread_kill(reader_thread, SIGUSR1);
		while (atomic_load_explicit(&need_mb, memory_order_relaxed))
			;
		atomic_thread_fence(memory_order_seq_cst);
		free(p); /* FREE */
		atomic_store_explicit(&round_no, -i, memory_order_relaxed);
	}
	pthread_join(reader_thread, NULL);
	return 0;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Free of heap block of size 4 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}signal_handler_fences.c:82
// CHECK-NEXT: Previous read at {{.*}} by thread T1:
// CHECK-NEXT: #0 reader {{.*}}signal_handler_fences.c:46
