// SPDX-License-Identifier: Apache-2.0
/* Exploration support: a seeded schedule perturbation (schedule_seed=N) and
 * the invisible test barrier. Both live in the runtime, which is never
 * instrumented, so neither creates happens-before between the threads it
 * moves around. */
#include <sched.h>
#include <time.h>

#include "internal.h"
#include <slabsan/slabsan.h>

/* xorshift, per thread, seeded by the option and the thread id */
static _Thread_local uint64_t rng __attribute__((tls_model("initial-exec")));

void sl_schedule_perturb(void)
{
	if (!rng)
		rng = ((uint64_t)sl_opt.schedule_seed * 0x9e3779b97f4a7c15ull) ^
		      ((uint64_t)(sl_cur_thread ? sl_cur_thread->tid + 1 : 0) << 32) ^ 1;
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	unsigned roll = (unsigned)(rng >> 32) & 63;
	if (roll < 16) {
		sched_yield();
	} else if (roll == 16) {
		struct timespec ts = {0, (long)((rng >> 8) % 100000)};   /* < 100 us */
		nanosleep(&ts, NULL);
	}
}

SL_EXPORT void __slabsan_test_barrier_wait(struct slabsan_test_barrier *b)
{
	unsigned gen = __atomic_load_n(&b->generation, __ATOMIC_ACQUIRE);
	if (__atomic_add_fetch(&b->arrived, 1, __ATOMIC_ACQ_REL) == b->count) {
		__atomic_store_n(&b->arrived, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&b->generation, gen + 1, __ATOMIC_RELEASE);
		return;
	}
	while (__atomic_load_n(&b->generation, __ATOMIC_ACQUIRE) == gen)
		sched_yield();
}
