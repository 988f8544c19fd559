// SPDX-License-Identifier: Apache-2.0
// Access-heavy workload: two threads each build an open-addressing hash table
// (plain loads and stores, no atomics), meet at a barrier, then both look up
// keys in both tables. Reading the other thread's table is ordered by the
// barrier, so the only synchronization is three barriers and two joins.
// usage: hash_table [keys_per_thread=5e5] [lookups_per_thread=4e6]
#include <pthread.h>
#include <string.h>

#include "bench.h"

struct slot {
	uint64_t key;   /* 0: empty */
	uint64_t value;
};

struct table {
	struct slot *slots;
	uint64_t mask;
	uint64_t inserted, probes;   /* plain per-table statistics */
};

static struct table tables[2];
static long keys, lookups;
static pthread_barrier_t barrier;
static uint64_t sums[2];

static uint64_t key_of(int owner, uint64_t i)
{
	return bench_mix(((uint64_t)owner << 40) | i) | 1;   /* never 0 */
}

static void insert(struct table *t, uint64_t key, uint64_t value)
{
	for (uint64_t h = bench_mix(key) & t->mask;; h = (h + 1) & t->mask) {
		t->probes++;
		if (t->slots[h].key == key) {
			t->slots[h].value += value;
			return;
		}
		if (t->slots[h].key == 0) {
			t->slots[h].key = key;
			t->slots[h].value = value;
			t->inserted++;
			return;
		}
	}
}

static uint64_t lookup(const struct table *t, uint64_t key)
{
	for (uint64_t h = bench_mix(key) & t->mask;; h = (h + 1) & t->mask) {
		if (t->slots[h].key == key)
			return t->slots[h].value;
		if (t->slots[h].key == 0)
			return 0;
	}
}

static void *worker(void *arg)
{
	int self = (int)(long)arg;
	struct table *mine = &tables[self];
	for (long i = 0; i < keys; i++)
		insert(mine, key_of(self, (uint64_t)i), (uint64_t)i);
	pthread_barrier_wait(&barrier);

	/* Half the lookups hit (in either table), half miss. */
	uint64_t sum = 0;
	for (long j = 0; j < lookups; j++) {
		uint64_t r = bench_mix((uint64_t)j ^ ((uint64_t)self << 50));
		int owner = (int)(r & 1);
		uint64_t key = (r & 2) ? key_of(owner, (r >> 8) % (uint64_t)keys)
				       : key_of(2 + owner, r >> 8);   /* never inserted */
		sum += lookup(&tables[owner], key) * 31 + (r & 0xff);
	}
	pthread_barrier_wait(&barrier);

	/* Each thread rescales its own table's values: stores after reads by
	 * the other thread, ordered by the barrier above. */
	for (uint64_t h = 0; h <= mine->mask; h++)
		if (mine->slots[h].key)
			mine->slots[h].value = mine->slots[h].value * 3 + 1;
	sums[self] = sum;
	return NULL;
}

int main(int argc, char **argv)
{
	keys = bench_arg(argc, argv, 1, 500000);
	lookups = bench_arg(argc, argv, 2, 4000000);
	uint64_t size = 1;
	while (size < (uint64_t)keys * 2)
		size <<= 1;
	for (int t = 0; t < 2; t++) {
		tables[t].slots = calloc(size, sizeof(struct slot));
		tables[t].mask = size - 1;
	}
	pthread_barrier_init(&barrier, NULL, 2);
	pthread_t th[2];
	for (long t = 0; t < 2; t++)
		pthread_create(&th[t], NULL, worker, (void *)t);
	for (int t = 0; t < 2; t++)
		pthread_join(th[t], NULL);

	uint64_t sum = sums[0] ^ (sums[1] << 1);
	for (int t = 0; t < 2; t++) {
		sum += tables[t].inserted * 7 + tables[t].probes;
		for (uint64_t h = 0; h <= tables[t].mask; h += 97)
			sum += tables[t].slots[h].value;
		free(tables[t].slots);
	}
	pthread_barrier_destroy(&barrier);
	bench_checksum(sum);
	return 0;
}
