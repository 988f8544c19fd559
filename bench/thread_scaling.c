// SPDX-License-Identifier: Apache-2.0
// Thread scaling: a fixed number of operations split over N threads. Each
// operation mallocs an object, swaps it into one of 64 mutex-protected
// stripes and frees the object it displaced, which another thread usually
// allocated: every lock acquires a clock that many threads have released to.
// usage: thread_scaling [threads=2] [total_ops=1.5e6]
#include <pthread.h>

#include "bench.h"

#define STRIPES 64

struct object {
	uint64_t value;
	uint64_t owner;
};

struct stripe {
	_Alignas(64) pthread_mutex_t lock;
	struct object *held;
	uint64_t count, sum;
};

static struct stripe stripes[STRIPES];
static long threads, ops;

static void *worker(void *arg)
{
	long self = (long)arg;
	long mine = ops / threads + (self < ops % threads);
	uint64_t sum = 0;
	for (long i = 0; i < mine; i++) {
		uint64_t r = bench_mix(((uint64_t)self << 32) | (uint64_t)i);
		struct object *o = malloc(sizeof *o);
		o->value = r >> 16;
		o->owner = (uint64_t)self;
		struct stripe *s = &stripes[r % STRIPES];
		pthread_mutex_lock(&s->lock);
		struct object *old = s->held;
		s->held = o;
		s->count++;
		s->sum += r & 0xffff;
		pthread_mutex_unlock(&s->lock);
		if (old) {
			sum += old->value + old->owner;
			free(old);
		}
	}
	return (void *)(uintptr_t)sum;
}

int main(int argc, char **argv)
{
	threads = bench_arg(argc, argv, 1, 2);
	ops = bench_arg(argc, argv, 2, 1500000);
	for (int s = 0; s < STRIPES; s++)
		pthread_mutex_init(&stripes[s].lock, NULL);
	pthread_t *th = malloc((size_t)threads * sizeof *th);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 1 << 20);
	for (long t = 0; t < threads; t++)
		if (pthread_create(&th[t], &attr, worker, (void *)t)) {
			fprintf(stderr, "thread_scaling: cannot create thread %ld\n", t);
			return 1;
		}
	/* Every object's value is counted once: when displaced, or here. */
	uint64_t sum = 0;
	for (long t = 0; t < threads; t++) {
		void *ret;
		pthread_join(th[t], &ret);
		sum += (uint64_t)(uintptr_t)ret;
	}
	for (int s = 0; s < STRIPES; s++) {
		struct object *o = stripes[s].held;
		if (o) {
			sum += o->value + o->owner;
			free(o);
		}
		sum += stripes[s].count * 3 + stripes[s].sum;
		pthread_mutex_destroy(&stripes[s].lock);
	}
	pthread_attr_destroy(&attr);
	free(th);
	bench_checksum(sum);
	return 0;
}
