/* A data race whose missing edge is not the hand-off of a pointer but the
 * value the reader waited for, in the seed's shape: the writer sets the
 * slab's stride, then attaches a vector with a release store; the reader
 * sees the vector with a relaxed load (READ_ONCE) and reads the stride. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <slabsan/slabsan.h>

struct slab {
	unsigned int stride __slabsan_meta;
	long *_Atomic obj_exts __slabsan_meta;
};
static long vector[4];

static void *attach(void *arg)
{
	struct slab *slab = arg;
	slab->stride = sizeof vector[0];
	atomic_store_explicit(&slab->obj_exts, vector, memory_order_release);
	return NULL;
}

int main(void)
{
	struct slab *slab = calloc(1, sizeof *slab);
	pthread_t t;
	long *exts;
	pthread_create(&t, NULL, attach, slab);
	while (!(exts = atomic_load_explicit(&slab->obj_exts, memory_order_relaxed)))
		sched_yield();
	unsigned int stride = slab->stride;
	pthread_join(t, NULL);
	free(slab);
	return exts[0] + stride == sizeof vector[0] ? 0 : 1;
}
