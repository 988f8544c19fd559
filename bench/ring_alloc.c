// SPDX-License-Identifier: Apache-2.0
// Alloc/free-heavy workload: a producer mallocs objects of 16..256 bytes,
// fills them and publishes them through a release/acquire SPSC ring; the
// consumer reads each one and frees it. Every free is cross-thread and
// ordered after the allocation only through the ring's acquire load.
// usage: ring_alloc [objects=3e6]
#include <pthread.h>

#include "bench.h"

struct object {
	uint64_t seq;
	uint64_t size;
	uint64_t words[];   /* (size - 16) / 8 words */
};

static struct bench_ring ring;
static long objects;

static void *producer(void *arg)
{
	(void)arg;
	unsigned spins = 0;
	for (long i = 0; i < objects; i++) {
		uint64_t r = bench_mix((uint64_t)i);
		size_t size = 16 + (r & 0xf0);
		struct object *o = malloc(size);
		o->seq = (uint64_t)i;
		o->size = size;
		for (size_t k = 0; k < (size - 16) / 8; k++)
			o->words[k] = r + k;
		while (!bench_ring_push(&ring, o))
			bench_backoff(&spins);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	uint64_t sum = 0;
	unsigned spins = 0;
	for (long i = 0; i < objects; i++) {
		struct object *o;
		while (!(o = bench_ring_pop(&ring)))
			bench_backoff(&spins);
		sum += o->seq * o->size;
		for (size_t k = 0; k < (o->size - 16) / 8; k++)
			sum ^= o->words[k] << (k & 7);
		free(o);
	}
	*(uint64_t *)arg = sum;
	return NULL;
}

int main(int argc, char **argv)
{
	objects = bench_arg(argc, argv, 1, 3000000);
	uint64_t sum = 0;
	pthread_t p, c;
	pthread_create(&c, NULL, consumer, &sum);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	bench_checksum(sum);
	return 0;
}
