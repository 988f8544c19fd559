// A lock is named by where it lies, with its offset: a member of the struct
// it guards ("in global 'acct' (..., offset 8)", not "global 'acct'", which
// read as though the struct were the lock; "in heap block ... (offset 8)")
// and a lock on a thread's stack ("on the stack of main thread (T0)"). The
// two accesses hold different locks; the one beside the raced memory, in
// the same global or heap block, is named as its likely guard.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,GLOBAL
// RUN: %expect-exit 66 %t heap 2>&1 | FileCheck %s --check-prefixes=CHECK,HEAP
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct account {
	long id;
	pthread_mutex_t lock;   /* guards balance */
	long balance;
};
static struct account global_acct = {1, PTHREAD_MUTEX_INITIALIZER, 0};
static struct account *acct = &global_acct;
static atomic_int main_done; /* relaxed: orders the two in real time only */

static void *worker(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&main_done, memory_order_relaxed))
		sched_yield();
	pthread_mutex_lock(&acct->lock); /* WORKER_LOCK */
	acct->balance += 10; /* WORKER_ADD */
	pthread_mutex_unlock(&acct->lock);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "heap")) {
		acct = calloc(1, sizeof *acct); /* HEAP_ALLOC */
		pthread_mutex_init(&acct->lock, NULL);
	}
	pthread_mutex_t mine;
	pthread_mutex_init(&mine, NULL);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&mine); /* MAIN_LOCK */
	acct->balance -= 5; /* MAIN_ADD */
	pthread_mutex_unlock(&mine);
	atomic_store_explicit(&main_done, 1, memory_order_relaxed);
	pthread_join(t, NULL);
	pthread_mutex_destroy(&mine);
	return 0;
}
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Write of size 8 at 0x{{[0-9a-f]+}} (struct account::balance) by thread T1, holding lock M0:
// CHECK-NEXT: #0 worker {{.*}}lock_location.c:31
// CHECK-NEXT: Previous write at 0x{{[0-9a-f]+}} (struct account::balance) by main thread (T0), holding lock M1:
// CHECK-NEXT: #0 main {{.*}}lock_location.c:47
// GLOBAL-NEXT: Location is global 'global_acct' (56 bytes at 0x{{[0-9a-f]+}}, offset 48).
// GLOBAL-NEXT: Lock M0 is in global 'global_acct' (56 bytes at 0x{{[0-9a-f]+}}, offset 8), taken by thread T1 at:
// HEAP-NEXT: Location is heap block of size 56 at 0x{{[0-9a-f]+}} (offset 48) allocated by main thread (T0):
// HEAP-NEXT: #0 main {{.*}}lock_location.c:39
// HEAP-NEXT: Lock M0 is in heap block of size 56 at 0x{{[0-9a-f]+}} (offset 8), taken by thread T1 at:
// CHECK-NEXT: #0 worker {{.*}}lock_location.c:30
// CHECK-NEXT: Lock M1 is on the stack of main thread (T0), taken by main thread (T0) at:
// CHECK-NEXT: #0 main {{.*}}lock_location.c:46
// GLOBAL-NEXT: Fix: The two accesses hold no lock in common, and M0 lies in the same global
// GLOBAL-NEXT: 'global_acct' as this memory, so it likely guards it: take it for the write at
// GLOBAL-NEXT: lock_location.c:47 too.
// HEAP-NEXT: Fix: The two accesses hold no lock in common, and M0 lies in the same heap
// HEAP-NEXT: block as this memory, so it likely guards it: take it for the write at
// HEAP-NEXT: lock_location.c:47 too.
// CHECK: SUMMARY: SlabSan: data race {{.*}}lock_location.c:31 in worker
// CHECK-NOT: WARNING: SlabSan
