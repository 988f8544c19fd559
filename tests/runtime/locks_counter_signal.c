// SPDX-License-Identifier: Apache-2.0
// A race whose earlier write held a lock the racing read does not is
// explained by the lock. A relaxed counter both threads bump after their
// accesses (jemalloc's stress counted its checked objects so) is a signal,
// not the program's hand-off: it is not offered as the missing edge too.
// Without the lock (-DNO_LOCK) nothing else explains the race, and the
// counter the read's thread loaded after the write is named as the edge.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,LOCKED
// RUN: %slabsan-cc -O1 -g -DNO_LOCK %s -o %t.nolock && %expect-exit 66 %t.nolock 2>&1 | FileCheck %s --check-prefixes=CHECK,UNLOCKED
#include <stdatomic.h>
#include <stdlib.h>

#include "Inputs/worker_then_main.h"

static pthread_mutex_t guard = PTHREAD_MUTEX_INITIALIZER;
long balance;   /* not static: GlobalOpt would make it a bool */
static atomic_long operations;

static void *worker(void *arg)
{
	(void)arg;
#ifndef NO_LOCK
	pthread_mutex_lock(&guard);
#endif
	balance = 12345; /* WRITE */
#ifndef NO_LOCK
	pthread_mutex_unlock(&guard);
#endif
	atomic_fetch_add_explicit(&operations, 1, memory_order_relaxed); /* BUMP */
	worker_done();
	return NULL;
}

static void audit(void)
{
	atomic_fetch_add_explicit(&operations, 1, memory_order_relaxed);
	if (balance != 12345) /* READ */
		abort();
}

int main(void)
{
	return run_worker_then(worker, audit);
}
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by main thread (T0):
// CHECK-NEXT: #0 audit {{.*}}locks_counter_signal.c:37
// LOCKED: Previous write at 0x{{[0-9a-f]+}} by thread T1, holding lock M0:
// UNLOCKED: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// CHECK-NEXT: #0 worker {{.*}}locks_counter_signal.c:25
// LOCKED-NOT: stored to 'operations'
// LOCKED: Fix: The previous write at locks_counter_signal.c:25 held lock M0, this read
// UNLOCKED: After its write, thread T1 stored to 'operations'
// UNLOCKED: Fix: make the read-modify-write at locks_counter_signal.c:29
// CHECK: SUMMARY: SlabSan: data race {{.*}}locks_counter_signal.c:37 in audit
// CHECK-NOT: WARNING: SlabSan
