// A race report names the locks each access held, where each lock is and
// where it was taken, and the fix they point to. One case per run:
//   wrong:    the two writes hold different mutexes
//   forgot:   the earlier write held the mutex, the later holds none
//   unlocked: the later write holds the mutex, the earlier held none
//   clean:    both writes under the same mutex: ordered, no report
//   shared:   a write and a read, both under an rwlock's read lock
//   nested:   the earlier write held two locks (a heap mutex and a spinlock)
//   forgot2:  the same earlier write, and the later one holds no lock
//   old:      the earlier write's locks have left its thread's lock log
//   reorder:  the earlier write held one of two locks, the first taken
//             given up before it (not the last taken first)
//   many:     the earlier thread made more distinct lock sets than its id's
//             tree keeps before the write: the tree started again, and
//             the write's locks are known
//   restart:  ... after the write: the write's set was in the tree's
//             earlier generation, so its locks are unknown
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t wrong 2>&1 | FileCheck %s --check-prefix=WRONG
// RUN: %expect-exit 66 %t forgot 2>&1 | FileCheck %s --check-prefix=FORGOT
// RUN: %expect-exit 66 %t unlocked 2>&1 | FileCheck %s --check-prefix=UNLOCKED
// RUN: %expect-exit 66 %t shared 2>&1 | FileCheck %s --check-prefix=SHARED
// RUN: %expect-exit 66 %t nested 2>&1 | FileCheck %s --check-prefix=NESTED
// RUN: %expect-exit 66 %t forgot2 2>&1 | FileCheck %s --check-prefix=FORGOT2
// RUN: %expect-exit 66 %t old 2>&1 | FileCheck %s --check-prefix=OLD
// RUN: %expect-exit 66 %t reorder 2>&1 | FileCheck %s --check-prefix=REORDER
// RUN: %expect-exit 66 %t many 2>&1 | FileCheck %s --check-prefix=MANY
// RUN: %expect-exit 66 %t restart 2>&1 | FileCheck %s --check-prefix=RESTART
// With a thread id's epochs so few that main goes on under a new id about
// every 8 locks (thread.c), also while it holds a lock ('renew'):
// RUN: env SLABSAN_OPTIONS=epochs_per_id=16 %expect-exit 66 %t many 2>&1 | FileCheck %s --check-prefix=MANY
// RUN: env SLABSAN_OPTIONS=epochs_per_id=16 %expect-exit 66 %t renew 2>&1 | FileCheck %s --check-prefix=RENEW
// RUN: %expect-exit 0 %t clean 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct account {
	pthread_mutex_t lock;
	long balance;
};
static struct account acct = {PTHREAD_MUTEX_INITIALIZER, 0};
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t other_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_spinlock_t spin;
static pthread_mutex_t *heap_lock;
static pthread_mutex_t many_locks[1100];
static const char *mode;
long seen; /* not static: read by nobody, the store would go */
static atomic_int main_done; /* relaxed: forces real-time order, creates no edge */

static int is(const char *m) { return !strcmp(mode, m); }

/* Each lock a set of its own: more sets than a thread id's tree keeps. */
static void many_sets(void)
{
	for (int i = 0; i < 1100; i++) {
		pthread_mutex_lock(&many_locks[i]);
		pthread_mutex_unlock(&many_locks[i]);
	}
}

static void *worker(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&main_done, memory_order_relaxed))
		sched_yield();
	if (is("wrong") || is("nested") || is("old") || is("reorder") || is("many") ||
	    is("restart") || is("renew")) {
		pthread_mutex_lock(&stats_lock);
		acct.balance += 10; /* WORKER_WRONG */
		pthread_mutex_unlock(&stats_lock);
	} else if (is("forgot") || is("forgot2")) {
		acct.balance += 10; /* WORKER_FORGOT */
	} else if (is("unlocked") || is("clean")) {
		pthread_mutex_lock(&acct.lock);
		acct.balance += 10; /* WORKER_LOCKED */
		pthread_mutex_unlock(&acct.lock);
	} else if (is("shared")) {
		pthread_rwlock_rdlock(&table_lock);
		seen = acct.balance; /* WORKER_READ */
		pthread_rwlock_unlock(&table_lock);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	mode = argc > 1 ? argv[1] : "clean";
	pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
	heap_lock = malloc(sizeof *heap_lock);
	pthread_mutex_init(heap_lock, NULL);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	if (is("unlocked")) {
		acct.balance -= 5; /* MAIN_UNLOCKED */
	} else if (is("shared")) {
		pthread_rwlock_rdlock(&table_lock);
		acct.balance -= 5; /* MAIN_SHARED */
		pthread_rwlock_unlock(&table_lock);
	} else if (is("nested") || is("forgot2")) {
		pthread_mutex_lock(heap_lock);
		pthread_spin_lock(&spin);
		acct.balance -= 5; /* MAIN_NESTED */
		pthread_spin_unlock(&spin);
		pthread_mutex_unlock(heap_lock);
	} else if (is("renew")) {
		pthread_mutex_lock(heap_lock);
		for (int i = 0; i < 40; i++) {   /* epochs go by, the heap lock held */
			pthread_mutex_lock(&other_lock);
			pthread_mutex_unlock(&other_lock);
		}
		acct.balance -= 5; /* MAIN_RENEW */
		pthread_mutex_unlock(heap_lock);
	} else if (is("reorder")) {
		pthread_mutex_lock(heap_lock);
		pthread_mutex_lock(&other_lock);
		pthread_mutex_unlock(heap_lock);
		acct.balance -= 5; /* MAIN_REORDER */
		pthread_mutex_unlock(&other_lock);
	} else {
		if (is("many"))
			many_sets();
		pthread_mutex_lock(&acct.lock);
		acct.balance -= 5; /* MAIN_LOCKED */
		pthread_mutex_unlock(&acct.lock);
	}
	if (is("restart"))
		many_sets();
	if (is("old"))   /* more lock changes than the log keeps */
		for (int i = 0; i < 5000; i++) {
			pthread_mutex_lock(&other_lock);
			pthread_mutex_unlock(&other_lock);
		}
	atomic_store_explicit(&main_done, 1, memory_order_relaxed);
	pthread_join(t, NULL);
	free(heap_lock);
	return 0;
}


// WRONG: WARNING: SlabSan: data race
// WRONG-NEXT: Write of size 8 at {{.*}} by thread T1, holding lock M0:
// WRONG-NEXT: #0 worker {{.*}}locks_held.c:74
// WRONG-NEXT: Previous write at {{.*}} by main thread (T0), holding lock M1:
// WRONG-NEXT: #0 main {{.*}}locks_held.c:128
// WRONG-NEXT: Location is global 'acct'
// WRONG-NEXT: Lock M0 is in global 'stats_lock' ({{.*}}), taken by thread T1 at:
// WRONG-NEXT: #0 worker {{.*}}locks_held.c:73
// WRONG-NEXT: Lock M1 is in global 'acct' ({{[0-9]+}} bytes at 0x{{[0-9a-f]+}}, offset 0), taken by main thread (T0) at:
// WRONG-NEXT: #0 main {{.*}}locks_held.c:127
// WRONG-NEXT: Fix: The two accesses hold no lock in common, and M1 lies in the same global
// WRONG-NEXT: 'acct' as this memory, so it likely guards it: take it for the write at
// WRONG-NEXT: locks_held.c:74 too.
// WRONG-NOT: WARNING: SlabSan

// FORGOT: Write of size 8 at {{.*}} by thread T1:
// FORGOT-NEXT: #0 worker {{.*}}locks_held.c:77
// FORGOT-NEXT: Previous write at {{.*}} by main thread (T0), holding lock M0:
// FORGOT-NEXT: #0 main {{.*}}locks_held.c:128
// FORGOT-NEXT: Location is global 'acct'
// FORGOT-NEXT: Lock M0 is in global 'acct' ({{.*}}), taken by main thread (T0) at:
// FORGOT-NEXT: #0 main {{.*}}locks_held.c:127
// FORGOT-NEXT: Fix: The previous write at locks_held.c:128 held lock M0, this write holds no
// FORGOT-NEXT: lock. M0 lies in the same global 'acct' as this memory, so it likely guards
// FORGOT-NEXT: it: take it around the write at locks_held.c:77 too.

// UNLOCKED: Write of size 8 at {{.*}} by thread T1, holding lock M0:
// UNLOCKED-NEXT: #0 worker {{.*}}locks_held.c:80
// UNLOCKED-NEXT: Previous write at {{.*}} by main thread (T0):
// UNLOCKED-NEXT: #0 main {{.*}}locks_held.c:99
// UNLOCKED-NEXT: Location is global 'acct'
// UNLOCKED-NEXT: Lock M0 is in global 'acct' ({{.*}}), taken by thread T1 at:
// UNLOCKED-NEXT: #0 worker {{.*}}locks_held.c:79
// UNLOCKED-NEXT: Fix: This write holds lock M0, the previous write at locks_held.c:99 held no
// UNLOCKED-NEXT: lock. M0 lies in the same global 'acct' as this memory, so it likely guards
// UNLOCKED-NEXT: it: take it around that write too.

// SHARED: Read of size 8 at {{.*}} by thread T1, holding lock M0 (shared):
// SHARED-NEXT: #0 worker {{.*}}locks_held.c:84
// SHARED-NEXT: Previous write at {{.*}} by main thread (T0), holding lock M0 (shared):
// SHARED-NEXT: #0 main {{.*}}locks_held.c:102
// SHARED-NEXT: Location is global 'acct'
// SHARED-NEXT: Lock M0 is in global 'table_lock' ({{.*}}), taken by thread T1 at:
// SHARED-NEXT: #0 worker {{.*}}locks_held.c:83
// SHARED-NEXT: Fix: Both accesses hold lock M0, but only shared, which does not keep out a
// SHARED-NEXT: write: take it exclusively for the write at locks_held.c:102.

// NESTED: Write of size 8 at {{.*}} by thread T1, holding lock M0:
// NESTED: Previous write at {{.*}} by main thread (T0), holding locks M1 and M2:
// NESTED-NEXT: #0 main {{.*}}locks_held.c:107
// NESTED-NEXT: Location is global 'acct'
// NESTED-NEXT: Lock M0 is in global 'stats_lock' ({{.*}}), taken by thread T1 at:
// NESTED-NEXT: #0 worker {{.*}}locks_held.c:73
// NESTED-NEXT: Lock M1 is in heap block of size 40 at {{.*}} (offset 0), taken by main thread (T0) at:
// NESTED-NEXT: #0 main {{.*}}locks_held.c:105
// NESTED-NEXT: Lock M2 is in global 'spin' ({{.*}}), taken by main thread (T0) at:
// NESTED-NEXT: #0 main {{.*}}locks_held.c:106
// NESTED-NEXT: Fix: The two accesses hold no lock in common

// OLD: Write of size 8 at {{.*}} by thread T1, holding lock M0:
// OLD-NEXT: #0 worker {{.*}}locks_held.c:74
// OLD-NEXT: Previous write at {{.*}} by main thread (T0), its locks unknown:
// OLD-NEXT: #0 main {{.*}}locks_held.c:128
// OLD-NEXT: Location is global 'acct'
// OLD-NEXT: Lock M0 is in global 'stats_lock' ({{.*}}), taken by thread T1 at:
// OLD-NEXT: #0 worker {{.*}}locks_held.c:73
// OLD-NOT: Fix:
// OLD: SUMMARY: SlabSan: data race {{.*}}locks_held.c:74 in worker

// REORDER: Previous write at {{.*}} by main thread (T0), holding lock M1:
// REORDER-NEXT: #0 main {{.*}}locks_held.c:122
// REORDER-NEXT: Location is global 'acct'
// REORDER-NEXT: Lock M0 is in global 'stats_lock' ({{.*}}), taken by thread T1 at:
// REORDER-NEXT: #0 worker {{.*}}locks_held.c:73
// REORDER-NEXT: Lock M1 is in global 'other_lock' ({{.*}}), taken by main thread (T0) at:
// REORDER-NEXT: #0 main {{.*}}locks_held.c:120
// REORDER-NEXT: Fix: The two accesses hold no lock in common

// MANY: Write of size 8 at {{.*}} by thread T1, holding lock M0:
// MANY-NEXT: #0 worker {{.*}}locks_held.c:74
// MANY-NEXT: Previous write at {{.*}} by main thread (T0), holding lock M1:
// MANY-NEXT: #0 main {{.*}}locks_held.c:128
// MANY-NEXT: Location is global 'acct'
// MANY-NEXT: Lock M0 is in global 'stats_lock' ({{.*}}), taken by thread T1 at:
// MANY-NEXT: #0 worker {{.*}}locks_held.c:73
// MANY-NEXT: Lock M1 is in global 'acct' ({{.*}}), taken by main thread (T0) at:
// MANY-NEXT: #0 main {{.*}}locks_held.c:127
// MANY-NEXT: Fix: The two accesses hold no lock in common

// RESTART: Write of size 8 at {{.*}} by thread T1, holding lock M0:
// RESTART-NEXT: #0 worker {{.*}}locks_held.c:74
// RESTART-NEXT: Previous write at {{.*}} by main thread (T0), its locks unknown:
// RESTART-NEXT: #0 main {{.*}}locks_held.c:128
// RESTART-NEXT: Location is global 'acct'
// RESTART-NEXT: Lock M0 is in global 'stats_lock' ({{.*}}), taken by thread T1 at:
// RESTART-NOT: Fix:
// RESTART: SUMMARY: SlabSan: data race

// RENEW: Write of size 8 at {{.*}} by thread T1, holding lock M0:
// RENEW-NEXT: #0 worker {{.*}}locks_held.c:74
// RENEW-NEXT: Previous write at {{.*}} by main thread (T0), holding lock M1:
// RENEW-NEXT: #0 main {{.*}}locks_held.c:116
// RENEW-NEXT: Location is global 'acct'
// RENEW-NEXT: Lock M0 is in global 'stats_lock' ({{.*}}), taken by thread T1 at:
// RENEW-NEXT: #0 worker {{.*}}locks_held.c:73
// RENEW-NEXT: Lock M1 is in heap block of size 40 at {{.*}} (offset 0), taken by main thread (T0) at:
// RENEW-NEXT: #0 main {{.*}}locks_held.c:111

// FORGOT2: Previous write at {{.*}} by main thread (T0), holding locks M0 and M1:
// FORGOT2: Fix: The previous write at locks_held.c:107 held locks M0 and M1, this write
// FORGOT2-NEXT: holds no lock: if one of them guards this memory, take that one around the
// FORGOT2-NEXT: write at locks_held.c:77 too.

// CLEAN-NOT: WARNING: SlabSan
