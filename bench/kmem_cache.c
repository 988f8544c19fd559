// SPDX-License-Identifier: Apache-2.0
// Slab workload: threads in a ring each allocate from a kmem_cache (3 in 4)
// or kmalloc (1 in 4, 32..512 bytes) through the SLUB model, fill the object
// and pass it to the next thread over a release/acquire SPSC ring; the
// receiver checks and frees it, so every free is a remote free.
// usage: kmem_cache [objects_per_thread=5e5] [threads=4] [lockstep]
// lockstep: the threads take turns (turns.h), each freeing what arrived and
// sending a batch, for bench/run --count; the checksum is the same.
#include <pthread.h>
#include <string.h>

#include <slabsan/slab.h>

#include "bench.h"
#include "turns.h"

struct node {
	uint64_t seq;
	uint32_t from, size;   /* size 0: from the cache */
	uint64_t words[6];     /* 64 bytes in all */
};

static struct kmem_cache *node_cache;
static struct bench_ring *rings;   /* rings[t]: thread t -> thread t+1 */
static long objects, threads;
static struct bench_turns *turns;  /* lockstep mode */
#define TURN_BATCH 256             /* objects sent per turn; a ring holds 1024 */

static struct node *make(uint32_t self, uint64_t i)
{
	uint64_t r = bench_mix(((uint64_t)self << 32) | i);
	struct node *n;
	uint32_t size = 0;
	if ((r & 3) == 3) {
		size = 32 + (uint32_t)(r >> 8 & 0x1e0);   /* 32..512 */
		n = kmalloc(size < sizeof *n ? sizeof *n : size, GFP_KERNEL);
	} else {
		n = kmem_cache_alloc(node_cache, GFP_KERNEL);
	}
	n->seq = i;
	n->from = self;
	n->size = size;
	for (int k = 0; k < 6; k++)
		n->words[k] = r + (uint64_t)k;
	return n;
}

static uint64_t consume(struct node *n)
{
	uint64_t v = n->seq * 131 + n->from + n->size;
	for (int k = 0; k < 6; k++)
		v ^= n->words[k] >> k;
	if (n->size)
		kfree(n);
	else
		kmem_cache_free(node_cache, n);
	return v;
}

/* Free what has arrived, up to a batch; returns how many. */
static long drain(struct bench_ring *in, uint64_t *sum, long max)
{
	long got = 0;
	struct node *n;
	while (got < max && (n = bench_ring_pop(in))) {
		*sum += consume(n);
		got++;
	}
	return got;
}

/* Lockstep: in its turn a thread frees all its predecessor sent in its
 * own turn, then sends a batch, which its successor frees in the next. */
static uint64_t take_turns(uint32_t self, struct bench_ring *out, struct bench_ring *in)
{
	uint64_t sum = 0;
	long made = 0, received = 0;
	while (made < objects || received < objects) {
		bench_turn_wait(turns, self);
		received += drain(in, &sum, BENCH_RING_SLOTS);
		for (long k = 0; k < TURN_BATCH && made < objects; k++, made++)
			if (!bench_ring_push(out, make(self, (uint64_t)made))) {
				fprintf(stderr, "kmem_cache: lockstep ring full\n");
				exit(2);
			}
		bench_turn_pass(turns, self, made == objects && received == objects);
	}
	return sum;
}

static void *worker(void *arg)
{
	uint32_t self = (uint32_t)(long)arg;
	struct bench_ring *out = &rings[self];
	struct bench_ring *in = &rings[(self + threads - 1) % threads];
	if (turns)
		return (void *)(uintptr_t)take_turns(self, out, in);
	uint64_t sum = 0;
	long received = 0;
	unsigned spins = 0;
	for (long i = 0; i < objects; i++) {
		struct node *n = make(self, (uint64_t)i);
		while (!bench_ring_push(out, n)) {
			/* Our successor is behind: free what our predecessor
			 * sent meanwhile, so the ring of threads cannot stall. */
			long got = drain(in, &sum, BENCH_RING_SLOTS);
			received += got;
			if (!got)
				bench_backoff(&spins);
		}
		received += drain(in, &sum, 4);
	}
	while (received < objects) {
		long got = drain(in, &sum, BENCH_RING_SLOTS);
		received += got;
		if (!got)
			bench_backoff(&spins);
	}
	return (void *)(uintptr_t)sum;
}

int main(int argc, char **argv)
{
	objects = bench_arg(argc, argv, 1, 500000);
	threads = bench_arg(argc, argv, 2, 4);
	if (threads < 2) {
		fprintf(stderr, "kmem_cache: needs at least 2 threads\n");
		return 2;
	}
	turns = bench_lockstep_arg(argc, argv, 3, threads, "kmem_cache");
	node_cache = kmem_cache_create("bench_node", sizeof(struct node), 0,
				       SLAB_HWCACHE_ALIGN, NULL);
	rings = aligned_alloc(64, (size_t)threads * sizeof *rings);
	memset(rings, 0, (size_t)threads * sizeof *rings);
	pthread_t *th = malloc((size_t)threads * sizeof *th);
	for (long t = 0; t < threads; t++)
		pthread_create(&th[t], NULL, worker, (void *)t);
	uint64_t sum = 0;
	for (long t = 0; t < threads; t++) {
		void *ret;
		pthread_join(th[t], &ret);
		sum += (uint64_t)(uintptr_t)ret;
	}
	kmem_cache_destroy(node_cache);
	if (turns)
		bench_turns_destroy(turns);
	free(th);
	free(rings);
	bench_checksum(sum);
	return 0;
}
