// log_path=PATH writes reports to PATH.<pid> instead of stderr.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: rm -f %t.log.*
// RUN: env SLABSAN_OPTIONS=log_path=%t.log %expect-exit 66 %t 2>%t.stderr
// RUN: cat %t.log.* | FileCheck %s
// RUN: FileCheck %s --allow-empty --check-prefix=STDERR < %t.stderr
// RUN: env SLABSAN_OPTIONS=log_path=stdout %expect-exit 66 %t 2>%t.stderr | FileCheck %s
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

long value; /* not static: LLVM would shrink it */
static atomic_int written; /* relaxed: orders nothing */

static void *writer(void *arg)
{
	(void)arg;
	value = 3; /* WRITE */
	atomic_store_explicit(&written, 1, memory_order_relaxed);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
	while (!atomic_load_explicit(&written, memory_order_relaxed))
		sched_yield();
	long v = value; /* READ */
	pthread_join(t, NULL);
	return v == 3 ? 0 : 1;
}
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK: #0 main {{.*}}opt_log_path.c:29
// CHECK: #0 writer {{.*}}opt_log_path.c:18
// CHECK: SUMMARY: SlabSan: data race {{.*}}opt_log_path.c:29 in main
// CHECK-NOT: WARNING: SlabSan
// STDERR-NOT: SlabSan
