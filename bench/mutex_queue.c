// SPDX-License-Identifier: Apache-2.0
// Sync-heavy workload: a producer hands millions of malloc'd objects to a
// consumer through a mutex/condvar bounded queue; the consumer reads and
// frees them. One lock/unlock pair and one signal per object on each side.
// usage: mutex_queue [objects=2e6] [capacity=256]
#include <pthread.h>

#include "bench.h"

struct item {
	uint64_t seq;
	uint64_t payload[3];
};

static struct item **queue;
static size_t capacity, head, count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static long objects;

static void *producer(void *arg)
{
	(void)arg;
	for (long i = 0; i < objects; i++) {
		struct item *it = malloc(sizeof *it);
		it->seq = (uint64_t)i;
		for (int k = 0; k < 3; k++)
			it->payload[k] = bench_mix((uint64_t)i * 3 + (uint64_t)k);
		pthread_mutex_lock(&lock);
		while (count == capacity)
			pthread_cond_wait(&not_full, &lock);
		queue[(head + count) % capacity] = it;
		count++;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	uint64_t *sum = arg;
	for (long i = 0; i < objects; i++) {
		pthread_mutex_lock(&lock);
		while (count == 0)
			pthread_cond_wait(&not_empty, &lock);
		struct item *it = queue[head];
		head = (head + 1) % capacity;
		count--;
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&lock);
		*sum += it->seq ^ (it->payload[0] + it->payload[1] - it->payload[2]);
		free(it);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	objects = bench_arg(argc, argv, 1, 2000000);
	capacity = (size_t)bench_arg(argc, argv, 2, 256);
	queue = calloc(capacity, sizeof *queue);
	uint64_t sum = 0;
	pthread_t p, c;
	pthread_create(&c, NULL, consumer, &sum);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	free(queue);
	bench_checksum(sum);
	return 0;
}
