// SPDX-License-Identifier: Apache-2.0
// Alloc/free-heavy workload: a producer mallocs objects of 16..256 bytes,
// fills them and publishes them through a release/acquire SPSC ring; the
// consumer reads each one and frees it. Every free is cross-thread and
// ordered after the allocation only through the ring's acquire load.
// usage: ring_alloc [objects=3e6] [lockstep]
// lockstep: the two sides take turns (turns.h), a ringful at a time, for
// bench/run --count; the objects and their checksum are the same.
#include <pthread.h>

#include "bench.h"
#include "turns.h"

struct object {
	uint64_t seq;
	uint64_t size;
	uint64_t words[];   /* (size - 16) / 8 words */
};

static struct bench_ring ring;
static long objects;
static struct bench_turns *turns;   /* lockstep mode; producer 0, consumer 1 */

static struct object *make(long i)
{
	uint64_t r = bench_mix((uint64_t)i);
	size_t size = 16 + (r & 0xf0);
	struct object *o = malloc(size);
	o->seq = (uint64_t)i;
	o->size = size;
	for (size_t k = 0; k < (size - 16) / 8; k++)
		o->words[k] = r + k;
	return o;
}

/* sum, updated with what o holds; frees o */
static uint64_t consume(struct object *o, uint64_t sum)
{
	sum += o->seq * o->size;
	for (size_t k = 0; k < (o->size - 16) / 8; k++)
		sum ^= o->words[k] << (k & 7);
	free(o);
	return sum;
}

/* Lockstep: the producer fills the ring, then the consumer empties it. */
static void produce_in_turns(void)
{
	for (long i = 0; i < objects;) {
		bench_turn_wait(turns, 0);
		for (long k = 0; k < BENCH_RING_SLOTS && i < objects; k++, i++)
			bench_ring_push(&ring, make(i));   /* empty at each turn: cannot fail */
		bench_turn_pass(turns, 0, i == objects);
	}
}

static uint64_t consume_in_turns(void)
{
	uint64_t sum = 0;
	for (long i = 0; i < objects;) {
		bench_turn_wait(turns, 1);
		for (struct object *o; (o = bench_ring_pop(&ring)); i++)
			sum = consume(o, sum);
		bench_turn_pass(turns, 1, i == objects);
	}
	return sum;
}

static void *producer(void *arg)
{
	(void)arg;
	if (turns) {
		produce_in_turns();
		return NULL;
	}
	unsigned spins = 0;
	for (long i = 0; i < objects; i++) {
		struct object *o = make(i);
		while (!bench_ring_push(&ring, o))
			bench_backoff(&spins);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	if (turns) {
		*(uint64_t *)arg = consume_in_turns();
		return NULL;
	}
	uint64_t sum = 0;
	unsigned spins = 0;
	for (long i = 0; i < objects; i++) {
		struct object *o;
		while (!(o = bench_ring_pop(&ring)))
			bench_backoff(&spins);
		sum = consume(o, sum);
	}
	*(uint64_t *)arg = sum;
	return NULL;
}

int main(int argc, char **argv)
{
	objects = bench_arg(argc, argv, 1, 3000000);
	turns = bench_lockstep_arg(argc, argv, 2, 2, "ring_alloc");
	uint64_t sum = 0;
	pthread_t p, c;
	pthread_create(&c, NULL, consumer, &sum);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	if (turns)
		bench_turns_destroy(turns);
	bench_checksum(sum);
	return 0;
}
