// A fork() child is ordered after everything the parent's other threads
// did: they do not exist in the child. A worker reads `config`, writes
// `scratch` and allocates `block` with no synchronization, then idles; the
// child writes both and frees the block: silent, in both modes (libuv's
// fork_threadpool_queue_work_simple re-initializes its thread pool so).
// BROKEN does the same in the parent, where the worker still exists: a
// data race and a free without acquire.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -fslabsan-mode=focused %s -o %t.f && %expect-exit 0 %t.f 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.b && %expect-exit 66 %t.b 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

long config, scratch; /* not static: LLVM would shrink them */
long *block;
static atomic_int started; /* relaxed: orders nothing */

static void *worker(void *arg)
{
	(void)arg;
	scratch = config + 1; /* WORKER_ACCESS */
	block = malloc(sizeof *block);
	atomic_store_explicit(&started, 1, memory_order_relaxed);
	for (;;)
		pause();
	return NULL;
}

static int reinitialize(void)
{
	config = 42; /* REINIT */
	scratch = 0;
	free(block); /* FREE */
	return 0;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	while (!atomic_load_explicit(&started, memory_order_relaxed))
		usleep(1000);
#ifdef BROKEN
	return reinitialize();
#else
	pid_t pid = fork();
	if (pid == 0)
		_exit(reinitialize());
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
#endif
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Write of size 8 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 reinitialize {{.*}}fork_child_ordered.c:34
// CHECK: Previous read at {{.*}} by thread T1:
// CHECK-NEXT: #0 worker {{.*}}fork_child_ordered.c:24
// CHECK: WARNING: SlabSan: free without acquire
// CHECK-NEXT: Free of heap block of size 8 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 reinitialize {{.*}}fork_child_ordered.c:36
