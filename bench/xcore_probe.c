// SPDX-License-Identifier: Apache-2.0
// The host's cross-core latency, measured between bench/run's runs: two
// threads pass one cache line back and forth and the mean round trip of
// the run's fastest tenth is printed. On a shared VM it moves by run
// between about 50-115 ns and 320-400 ns (where the host places the two
// virtual CPUs), and the rows whose threads hand data over one at a time,
// ring_alloc above all, run up to 8x slower in the slow state in every
// variant (docs/performance.md). bench/run shows it beside each cell, so
// that a median that mixes states can be told from a slow build. Not a
// workload: built natively only.
// usage: xcore_probe [round_trips=5e4]
#include <pthread.h>
#include <time.h>

#include "bench.h"

static _Alignas(64) _Atomic long ball;   /* odd: the helper's turn; even: main's */
static long round_trips;

/* Wait for ball to become want: spin, since a yield would be part of what
 * is timed (bench_backoff's 64 spins before one doubled the round trip),
 * but give the core away now and then, which one CPU needs. */
static void wait_for(long want)
{
	unsigned spins = 0;
	while (atomic_load_explicit(&ball, memory_order_acquire) != want)
		if (++spins % 4096 == 0)
			sched_yield();
}

static void *helper(void *arg)
{
	(void)arg;
	for (long i = 0; i < round_trips; i++) {
		wait_for(2 * i + 1);
		atomic_store_explicit(&ball, 2 * i + 2, memory_order_release);
	}
	return NULL;
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The mean round trip of each tenth of the run; the fastest is printed:
 * the new thread often begins on main's CPU and is moved milliseconds
 * later, and other disturbances only ever add time. */
#define WINDOWS 10

int main(int argc, char **argv)
{
	round_trips = bench_arg(argc, argv, 1, 50000) / WINDOWS * WINDOWS;
	if (round_trips == 0) {
		fprintf(stderr, "%s: needs at least %d round trips\n", argv[0], WINDOWS);
		return 2;
	}
	pthread_t t;
	if (pthread_create(&t, NULL, helper, NULL)) {
		fprintf(stderr, "%s: cannot start its second thread\n", argv[0]);
		return 1;
	}
	long per_window = round_trips / WINDOWS;
	double fastest = 0;
	for (long w = 0, i = 0; w < WINDOWS; w++) {
		double start = seconds();
		for (long end = i + per_window; i < end; i++) {
			atomic_store_explicit(&ball, 2 * i + 1, memory_order_release);
			wait_for(2 * i + 2);
		}
		double mean = (seconds() - start) * 1e9 / (double)per_window;
		fastest = w == 0 || mean < fastest ? mean : fastest;
	}
	pthread_join(t, NULL);
	printf("round trip %.0f ns\n", fastest);
	return 0;
}
