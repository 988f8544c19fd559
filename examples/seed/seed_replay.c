// SPDX-License-Identifier: Apache-2.0
/* The seed mail's story ("Memory ordering between kmalloc() and kfree()?",
 * linux-mm, 2026-02-26) on SlabSan's userspace SLUB model.
 *
 *   seed_replay unfixed|fix1|fix2            CPU X attaches a slab's obj_exts
 *                                            vector lazily while CPU Y frees
 *                                            another object of that slab
 *   seed_replay fix2 --bad-user              a user hands an object from CPU
 *                                            A to CPU B with WRITE_ONCE and
 *                                            READ_ONCE; B kfree()s it
 *
 * The variant may also come from SLABSAN_SLUB_VARIANT. Build with
 * build/bin/slabsan-cc; examples/seed/replay runs the four stories. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <slabsan/slab.h>

/* ---- story 1: the obj_exts/stride race (reports [3] [4], Shakeel's analysis) */

static struct kmem_cache *xa_node_cache;   /* no SLAB_ACCOUNT, like xarray's */
static void *handed;   /* X -> Y, release/acquire: Y owns the object properly */
static int vec_ready;  /* X -> Y, relaxed: only makes Y run after X */

static void *cpu_x(void *arg)
{
	(void)arg;
	/* A new slab: X's sheaf takes some of its objects, the partial list
	 * the rest. Both objects come from it. */
	void *mine = kmem_cache_alloc(xa_node_cache, GFP_KERNEL);
	void *theirs = kmem_cache_alloc(xa_node_cache, GFP_KERNEL);
	smp_store_release(&handed, theirs);
	/* __GFP_ACCOUNT on a cache without SLAB_ACCOUNT: the slab has no
	 * vector yet, so alloc_slab_obj_exts() attaches one while Y may be
	 * using the slab. */
	void *charged = kmem_cache_alloc(xa_node_cache, GFP_KERNEL_ACCOUNT);
	WRITE_ONCE(vec_ready, 1);
	kmem_cache_free(xa_node_cache, charged);
	kmem_cache_free(xa_node_cache, mine);
	return NULL;
}

static void *cpu_y(void *arg)
{
	void *obj;
	(void)arg;
	while (!(obj = smp_load_acquire(&handed)))
		sched_yield();
	while (!READ_ONCE(vec_ready))
		sched_yield();
	/* memcg_slab_free_hook(): READ_ONCE(obj_exts) is set, then the stride. */
	kmem_cache_free(xa_node_cache, obj);
	return NULL;
}

static void stride_story(void)
{
	pthread_t x, y;
	xa_node_cache = kmem_cache_create("xa_node", 576, 0, 0, NULL);
	pthread_create(&x, NULL, cpu_x, NULL);
	pthread_create(&y, NULL, cpu_y, NULL);
	pthread_join(x, NULL);
	pthread_join(y, NULL);
	kmem_cache_destroy(xa_node_cache);
}

/* ---- story 2: "is somebody breaking that assumption?" */

struct request {
	long id;
	char payload[56];
};
static struct request *mailbox;

static void *cpu_a(void *arg)
{
	(void)arg;
	struct request *rq = kmalloc(sizeof(*rq), GFP_KERNEL);
	rq->id = 42;
	WRITE_ONCE(mailbox, rq);   /* no release */
	return NULL;
}

static void *cpu_b(void *arg)
{
	struct request *rq;
	(void)arg;
	while (!(rq = READ_ONCE(mailbox)))   /* no acquire */
		sched_yield();
	kfree(rq);
	return NULL;
}

static void bad_user_story(void)
{
	pthread_t a, b;
	/* The system has been running: the slab A will allocate from exists
	 * already, so only the user's own mistake is left to report. */
	kfree(kmalloc(sizeof(struct request), GFP_KERNEL));
	pthread_create(&a, NULL, cpu_a, NULL);
	pthread_create(&b, NULL, cpu_b, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
}

int main(int argc, char **argv)
{
	bool bad_user = argc > 2 && !strcmp(argv[2], "--bad-user");
	if (argc > 1) {
		enum slabsan_slub_variant v;
		for (v = SLABSAN_SLUB_UNFIXED; v <= SLABSAN_SLUB_FIX2; v++)
			if (!strcmp(argv[1], slabsan_slub_variant_name(v)))
				break;
		if (v > SLABSAN_SLUB_FIX2 || (argc > 2 && !bad_user)) {
			fprintf(stderr, "usage: %s [unfixed|fix1|fix2] [--bad-user]\n", argv[0]);
			return 2;
		}
		slabsan_slub_set_variant(v);
	}
	if (bad_user)
		bad_user_story();
	else
		stride_story();
	return 0;
}
