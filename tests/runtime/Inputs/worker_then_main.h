/* SPDX-License-Identifier: Apache-2.0 */
/* For tests whose main thread acts after a worker's steps, ordered with
 * them in time only: the test barrier (slabsan.h) is invisible to
 * SlabSan, so nothing orders the two threads' accesses. The worker calls
 * worker_done() after its steps; run_worker_then(worker, then) starts it,
 * waits for that, calls `then` on the main thread and joins the worker. */
#include <pthread.h>
#include <slabsan/slabsan.h>

static struct slabsan_test_barrier worker_steps = {.count = 2};

static inline void worker_done(void)
{
	slabsan_test_barrier_wait(&worker_steps);
}

static inline int run_worker_then(void *(*worker)(void *), void (*then)(void))
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	slabsan_test_barrier_wait(&worker_steps);
	then();
	pthread_join(t, NULL);
	return 0;
}
