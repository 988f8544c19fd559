/* Two threads attach an extension vector to the same slab at once, as
 * SLUB's alloc_slab_obj_exts() does: each allocates and fills a vector,
 * and the one whose compare-exchange fails frees its own and uses the
 * winner's. The compare-exchange acquires when it stores, but the loser
 * took the winner's vector from a failed one, which loads with its
 * failure order: relaxed here, so the loser reads the vector's count
 * unordered after the winner's write of it. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <slabsan/slabsan.h>

struct obj_exts {
	unsigned int count;
	long cgroup[8];
};
struct slab {
	struct obj_exts *_Atomic exts __slabsan_meta;
};

/* The unlucky timing, every run: main attaches its vector while the
 * worker is between allocating its own and its compare-exchange. These
 * barriers are invisible to SlabSan: they order nothing. */
static struct slabsan_test_barrier both_allocated = {.count = 2}, main_attached = {.count = 2};

static struct obj_exts *attach_exts(struct slab *slab, bool is_main)
{
	struct obj_exts *mine = calloc(1, sizeof *mine);
	mine->count = 8;
	slabsan_test_barrier_wait(&both_allocated);
	if (!is_main)
		slabsan_test_barrier_wait(&main_attached);
	struct obj_exts *seen = NULL;
	bool attached = atomic_compare_exchange_strong_explicit(
		&slab->exts, &seen, mine, memory_order_acq_rel, memory_order_relaxed);
	if (is_main)
		slabsan_test_barrier_wait(&main_attached);
	if (attached)
		return mine;
	free(mine);
	return seen;
}

static void *worker(void *slab)
{
	struct obj_exts *exts = attach_exts(slab, false);
	return (void *)(long)exts->count;
}

int main(void)
{
	struct slab *slab = calloc(1, sizeof *slab);
	pthread_t t;
	pthread_create(&t, NULL, worker, slab);
	attach_exts(slab, true);
	void *count;
	pthread_join(t, &count);
	free(slab->exts);
	free(slab);
	return (long)count == 8 ? 0 : 1;
}
