/* SPDX-License-Identifier: Apache-2.0 */
/* What the bench/ workloads share: argument parsing, a mixing function, the
 * checksum line bench/run compares across variants, and a single-producer
 * single-consumer release/acquire ring. Header-only so every workload stays
 * one compile command. */
#ifndef SLABSAN_BENCH_H
#define SLABSAN_BENCH_H

#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* argv[i] as a positive count; "1e7" is accepted so scaling runs read well. */
static inline long bench_arg(int argc, char **argv, int i, long def)
{
	if (argc <= i)
		return def;
	char *end;
	double v = strtod(argv[i], &end);
	if (*end || v < 1 || v > 1e12) {
		fprintf(stderr, "%s: argument %d: expected a positive count, got '%s'\n",
			argv[0], i, argv[i]);
		exit(2);
	}
	return (long)v;
}

/* splitmix64's finalizer: cheap, and every bit of the input matters. */
static inline uint64_t bench_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* The one line bench/run reads: equal in every variant, or instrumentation
 * changed what the program computed. */
static inline void bench_checksum(uint64_t sum)
{
	printf("checksum %016llx\n", (unsigned long long)sum);
	fflush(stdout);
}

/* ---- SPSC ring of pointers. The producer's plain slot store is published
 * by the release store of tail; the consumer's slot reuse is handed back by
 * the release store of head. Both sides re-read the other index with acquire
 * on every call, as a straightforward ring does. */
#define BENCH_RING_SLOTS 1024u

struct bench_ring {
	_Alignas(64) _Atomic size_t head;    /* next slot to consume */
	_Alignas(64) _Atomic size_t tail;    /* next slot to fill */
	_Alignas(64) void *slot[BENCH_RING_SLOTS];
};

static inline int bench_ring_push(struct bench_ring *r, void *p)
{
	size_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	if (t - atomic_load_explicit(&r->head, memory_order_acquire) == BENCH_RING_SLOTS)
		return 0;
	r->slot[t % BENCH_RING_SLOTS] = p;
	atomic_store_explicit(&r->tail, t + 1, memory_order_release);
	return 1;
}

static inline void *bench_ring_pop(struct bench_ring *r)
{
	size_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
	if (h == atomic_load_explicit(&r->tail, memory_order_acquire))
		return NULL;
	void *p = r->slot[h % BENCH_RING_SLOTS];
	atomic_store_explicit(&r->head, h + 1, memory_order_release);
	return p;
}

/* Waiting side of a ring: spin briefly, then give the core away (the machine
 * this runs on may have fewer cores than the workload has threads). */
static inline void bench_backoff(unsigned *spins)
{
	if (++*spins > 64) {
		sched_yield();
		*spins = 0;
	}
}

#endif
