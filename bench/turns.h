/* SPDX-License-Identifier: Apache-2.0 */
/* Lockstep turns, for counting instructions. The handoff workloads wait by
 * spinning, and under valgrind (one thread at a time) how long a waiting
 * thread spins depends on the schedule, so their counts did not repeat.
 * Their lockstep mode (bench/run --count) instead lets threads run in
 * turns, in a fixed order, each woken alone by the thread before it: the
 * same work on every run. Timed runs never use it. */
#ifndef SLABSAN_BENCH_TURNS_H
#define SLABSAN_BENCH_TURNS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bench_turns {
	pthread_mutex_t lock;
	pthread_cond_t *wake;   /* wake[t]: thread t's turn has come */
	bool *left;             /* left[t]: thread t is out of the rotation */
	long n, turn;
};

/* n threads, thread 0 first. */
static inline void bench_turns_init(struct bench_turns *t, long n)
{
	pthread_mutex_init(&t->lock, NULL);
	t->wake = calloc((size_t)n, sizeof *t->wake);
	t->left = calloc((size_t)n, sizeof *t->left);
	if (!t->wake || !t->left) {
		fprintf(stderr, "bench: out of memory\n");
		exit(2);
	}
	for (long i = 0; i < n; i++)
		pthread_cond_init(&t->wake[i], NULL);
	t->n = n;
	t->turn = 0;
}

static inline void bench_turn_wait(struct bench_turns *t, long self)
{
	pthread_mutex_lock(&t->lock);
	while (t->turn != self)
		pthread_cond_wait(&t->wake[self], &t->lock);
	pthread_mutex_unlock(&t->lock);
}

/* The next thread still in the rotation goes on; `leaving`: self is done. */
static inline void bench_turn_pass(struct bench_turns *t, long self, bool leaving)
{
	pthread_mutex_lock(&t->lock);
	t->left[self] = leaving;
	long next = self;
	do
		next = (next + 1) % t->n;
	while (t->left[next] && next != self);
	t->turn = next;
	pthread_cond_signal(&t->wake[next]);
	pthread_mutex_unlock(&t->lock);
}

/* The workload's optional last argument argv[i]: "lockstep" gives turns
 * for n threads, nothing gives NULL (timed mode), anything else exits 2. */
static inline struct bench_turns *bench_lockstep_arg(int argc, char **argv, int i, long n,
						     const char *workload)
{
	static struct bench_turns turns;
	if (argc <= i)
		return NULL;
	if (strcmp(argv[i], "lockstep")) {
		fprintf(stderr, "%s: expected 'lockstep', got '%s'\n", workload, argv[i]);
		exit(2);
	}
	bench_turns_init(&turns, n);
	return &turns;
}

static inline void bench_turns_destroy(struct bench_turns *t)
{
	for (long i = 0; i < t->n; i++)
		pthread_cond_destroy(&t->wake[i]);
	pthread_mutex_destroy(&t->lock);
	free(t->wake);
	free(t->left);
}

#endif
