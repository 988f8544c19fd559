// SPDX-License-Identifier: Apache-2.0
// Live-object scaling: two threads each malloc half of N 16-byte objects into
// a linked list, so all N are live at once; after a barrier each walks its
// own list `passes` times updating every object, and after another barrier
// each reads and frees the other thread's list (cross-thread frees).
// usage: live_objects [objects=1e6] [passes=4]
#include <pthread.h>

#include "bench.h"

struct object {
	struct object *next;
	uint32_t key, value;
};
_Static_assert(sizeof(struct object) == 16, "small objects keep the 1e7 run's memory sane");

static struct object *lists[2];
static long objects, passes;
static pthread_barrier_t barrier;

static void *worker(void *arg)
{
	int self = (int)(long)arg;
	long mine = objects / 2 + (self == 0 ? objects % 2 : 0);
	struct object *list = NULL;
	for (long i = 0; i < mine; i++) {
		struct object *o = malloc(sizeof *o);
		o->key = (uint32_t)bench_mix(((uint64_t)self << 40) | (uint64_t)i);
		o->value = (uint32_t)i;
		o->next = list;
		list = o;
	}
	lists[self] = list;
	pthread_barrier_wait(&barrier);

	for (long p = 0; p < passes; p++)
		for (struct object *o = list; o; o = o->next)
			o->value = o->value * 31 + o->key;
	pthread_barrier_wait(&barrier);

	uint64_t sum = 0;
	for (struct object *o = lists[1 - self], *next; o; o = next) {
		next = o->next;
		sum += (uint64_t)o->key * o->value;
		free(o);
	}
	return (void *)(uintptr_t)sum;
}

int main(int argc, char **argv)
{
	objects = bench_arg(argc, argv, 1, 1000000);
	passes = bench_arg(argc, argv, 2, 4);
	pthread_barrier_init(&barrier, NULL, 2);
	pthread_t th[2];
	for (long t = 0; t < 2; t++)
		pthread_create(&th[t], NULL, worker, (void *)t);
	uint64_t sum = 0;
	for (int t = 0; t < 2; t++) {
		void *ret;
		pthread_join(th[t], &ret);
		sum += (uint64_t)(uintptr_t)ret;
	}
	pthread_barrier_destroy(&barrier);
	bench_checksum(sum);
	return 0;
}
