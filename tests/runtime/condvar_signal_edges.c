// A signal orders what came before it for the waiter it wakes (POSIX), and
// SlabSan leaves that release out only when the signaller holds the
// waiters' mutex, whose unlock orders the same and more. Here the signaller
// allocates and writes the item after giving the waiters' mutex up, so only
// the signal orders it: silent when it signals with no mutex
// (SIGNAL_UNLOCKED) or under an unrelated one (SIGNAL_OTHER_MUTEX), in
// both modes (focused checks the free against the allocation); through
// C11 <threads.h> too. BROKEN writes the item again after the signal
// (the waiter reads it after a relaxed flag says so): a data race, so the
// test can fail.
// RUN: %slabsan-cc -O1 -g -DSIGNAL_UNLOCKED %s -o %t.u && %expect-exit 0 %t.u 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DSIGNAL_OTHER_MUTEX %s -o %t.o && %expect-exit 0 %t.o 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -fslabsan-mode=focused -DSIGNAL_UNLOCKED %s -o %t.fu && %expect-exit 0 %t.fu 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -fslabsan-mode=focused -DSIGNAL_OTHER_MUTEX %s -o %t.fo && %expect-exit 0 %t.fo 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DC11 -DSIGNAL_UNLOCKED %s -o %t.cu && %expect-exit 0 %t.cu 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DC11 -DSIGNAL_OTHER_MUTEX %s -o %t.co && %expect-exit 0 %t.co 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DSIGNAL_UNLOCKED -DBROKEN %s -o %t.b && %expect-exit 66 %t.b 2>&1 | FileCheck %s
#include <stdatomic.h>
#include <stdlib.h>

#ifdef C11
#include <threads.h>
typedef mtx_t mutex;
#define LOCK mtx_lock
#define UNLOCK mtx_unlock
#define WAIT cnd_wait
#define SIGNAL cnd_signal
static cnd_t c;
#else
#include <pthread.h>
typedef pthread_mutex_t mutex;
#define LOCK pthread_mutex_lock
#define UNLOCK pthread_mutex_unlock
#define WAIT pthread_cond_wait
#define SIGNAL pthread_cond_signal
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
#endif

static mutex m, other;
static int waiting, ready;
static _Atomic int rewritten; /* BROKEN only: relaxed, orders nothing */
long *item; /* not static: LLVM would shrink it */

static void *waiter(void *arg)
{
	(void)arg;
	LOCK(&m);
	waiting = 1;
	while (!ready)
		WAIT(&c, &m);
	UNLOCK(&m);
#ifdef BROKEN
	while (!atomic_load_explicit(&rewritten, memory_order_relaxed))
		;
#endif
	long v = *item; /* READ_ITEM */
	free(item);
	return (void *)v;
}

static void signaller(void)
{
	/* The waiter sets `waiting` under m and gives m up only inside the
	 * wait: once we see it, the waiter is blocked there. */
	for (int seen = 0; !seen;) {
		LOCK(&m);
		seen = waiting;
		if (seen)
			ready = 1;
		UNLOCK(&m);
	}
	item = malloc(sizeof *item);
	*item = 42;
#ifdef SIGNAL_OTHER_MUTEX
	LOCK(&other);
	SIGNAL(&c);
	UNLOCK(&other);
#else
	SIGNAL(&c);
#endif
#ifdef BROKEN
	*item = 43; /* LATE_WRITE */
	atomic_store_explicit(&rewritten, 1, memory_order_relaxed);
#endif
}

#ifdef C11
static int waiter_c11(void *arg) { return (int)(long)waiter(arg); }
int main(void)
{
	mtx_init(&m, mtx_plain);
	mtx_init(&other, mtx_plain);
	cnd_init(&c);
	thrd_t t;
	thrd_create(&t, waiter_c11, NULL);
	signaller();
	thrd_join(t, NULL);
	return 0;
}
#else
int main(void)
{
	pthread_mutex_init(&m, NULL);
	pthread_mutex_init(&other, NULL);
	pthread_t t;
	pthread_create(&t, NULL, waiter, NULL);
	signaller();
	pthread_join(t, NULL);
	return 0;
}
#endif
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 waiter {{.*}}condvar_signal_edges.c:56
// CHECK-NEXT: Previous write at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 signaller {{.*}}condvar_signal_edges.c:82
// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 waiter {{.*}}condvar_signal_edges.c:57
// CHECK-NEXT: is not ordered after this write at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 signaller {{.*}}condvar_signal_edges.c:82
// CHECK-NOT: WARNING: SlabSan
