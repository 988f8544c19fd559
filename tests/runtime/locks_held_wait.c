// A condvar wait gives its mutex up and takes it back, but the waiter
// holds it again when the wait returns: a race report names the mutex as
// held by the write after the wait, taken where the program locked it (not
// at the wait). POSIX (pthread_cond_timedwait) and C11 (cnd_timedwait):
// each wait times out at once and takes the mutex back; the worker then
// writes the same memory without it.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t posix 2>&1 | FileCheck %s --check-prefixes=CHECK,POSIX
// RUN: %expect-exit 66 %t c11 2>&1 | FileCheck %s --check-prefixes=CHECK,C11
// RUN: %expect-exit 0 %t clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <threads.h>
#include <time.h>

static pthread_mutex_t posix_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t posix_cond = PTHREAD_COND_INITIALIZER;
static mtx_t c11_lock;
static cnd_t c11_cond;
long balance; /* not static: LLVM would shrink it */
static atomic_int main_done; /* relaxed: forces real-time order, creates no edge */

static void *worker(void *arg)
{
	while (!atomic_load_explicit(&main_done, memory_order_relaxed))
		sched_yield();
	if (strcmp(arg, "clean")) {
		balance += 10; /* WORKER */
	} else {
		pthread_mutex_lock(&posix_lock);
		balance += 10;
		pthread_mutex_unlock(&posix_lock);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "clean";
	struct timespec now;
	pthread_t t;
	mtx_init(&c11_lock, mtx_plain);
	cnd_init(&c11_cond);
	pthread_create(&t, NULL, worker, (void *)mode);
	clock_gettime(CLOCK_REALTIME, &now);
	if (!strcmp(mode, "c11")) {
		mtx_lock(&c11_lock); /* C11_LOCK */
		cnd_timedwait(&c11_cond, &c11_lock, &now);
		balance -= 5; /* C11_WRITE */
		mtx_unlock(&c11_lock);
	} else {
		pthread_mutex_lock(&posix_lock); /* POSIX_LOCK */
		pthread_cond_timedwait(&posix_cond, &posix_lock, &now);
		balance -= 5; /* POSIX_WRITE */
		pthread_mutex_unlock(&posix_lock);
	}
	atomic_store_explicit(&main_done, 1, memory_order_relaxed);
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Write of size 8 at {{.*}} by thread T1:
// CHECK-NEXT: #0 worker {{.*}}locks_held_wait.c:30
// CHECK-NEXT: Previous write at {{.*}} by main thread (T0), holding lock M0:
// POSIX-NEXT: #0 main {{.*}}locks_held_wait.c:56
// C11-NEXT: #0 main {{.*}}locks_held_wait.c:51
// CHECK-NEXT: Location is global 'balance'
// POSIX-NEXT: Lock M0 is in global 'posix_lock' ({{.*}}), taken by main thread (T0) at:
// POSIX-NEXT: #0 main {{.*}}locks_held_wait.c:54
// C11-NEXT: Lock M0 is in global 'c11_lock' ({{.*}}), taken by main thread (T0) at:
// C11-NEXT: #0 main {{.*}}locks_held_wait.c:49
// CHECK-NEXT: Fix: The previous write at
// CHECK: SUMMARY: SlabSan: data race {{.*}}locks_held_wait.c:30 in worker
// CHECK-NOT: WARNING: SlabSan

// CLEAN-NOT: WARNING: SlabSan
