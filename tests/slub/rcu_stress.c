// SPDX-License-Identifier: Apache-2.0
// RCU under load: three readers keep dereferencing a published config
// (with nested read-side sections) while two updaters replace it, one
// freeing old versions with kfree_rcu(), the other with synchronize_rcu()
// and kfree(). Every free waits for the readers that might still see the
// old version, so SlabSan is silent; rcu_barrier() then drains callbacks.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty
// CHECK-NOT: SlabSan
#include <pthread.h>
#include <slabsan/slab.h>

#define READERS 3
#define UPDATES 200

struct config {
	long version;
	long check;   /* always -version */
	struct rcu_head rcu;
};

static struct config *current_config;
static DEFINE_SPINLOCK(config_lock);
static int stop, bad;

static void *reader(void *arg)
{
	(void)arg;
	while (!READ_ONCE(stop)) {
		rcu_read_lock();
		struct config *c = rcu_dereference(current_config);
		rcu_read_lock();   /* nested: the outer section still protects c */
		if (c->version != -c->check)
			WRITE_ONCE(bad, 1);
		rcu_read_unlock();
		if (c->version != -c->check)
			WRITE_ONCE(bad, 1);
		rcu_read_unlock();
	}
	return NULL;
}

static void *updater(void *arg)
{
	bool use_kfree_rcu = arg != NULL;
	for (long i = 1; i <= UPDATES; i++) {
		struct config *c = kmalloc(sizeof(*c), GFP_KERNEL);
		spin_lock(&config_lock);
		struct config *old = current_config;
		c->version = old->version + 1;
		c->check = -c->version;
		rcu_assign_pointer(current_config, c);
		spin_unlock(&config_lock);
		if (use_kfree_rcu) {
			kfree_rcu(old, rcu);
		} else {
			synchronize_rcu();
			kfree(old);
		}
	}
	return NULL;
}

int main(void)
{
	pthread_t r[READERS], u[2];
	struct config *c = kzalloc(sizeof(*c), GFP_KERNEL);
	rcu_assign_pointer(current_config, c);
	for (int i = 0; i < READERS; i++)
		pthread_create(&r[i], NULL, reader, NULL);
	pthread_create(&u[0], NULL, updater, (void *)1);
	pthread_create(&u[1], NULL, updater, NULL);
	pthread_join(u[0], NULL);
	pthread_join(u[1], NULL);
	WRITE_ONCE(stop, 1);
	for (int i = 0; i < READERS; i++)
		pthread_join(r[i], NULL);
	rcu_barrier();
	long last = current_config->version;
	kfree(current_config);
	return bad || last != 2 * UPDATES;
}
