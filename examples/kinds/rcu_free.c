/* An RCU-protected configuration: a reader uses it inside rcu_read_lock(),
 * and the updater replaces it and frees the old one with kfree() right
 * away instead of after a grace period (kfree_rcu(), call_rcu(), or
 * synchronize_rcu() first). (The READ_ONCE/WRITE_ONCE flags only make the
 * order of the two threads, and so the report, the same in every run.) */
#include <pthread.h>
#include <sched.h>
#include <slabsan/slab.h>

struct config {
	int timeout;
	struct rcu_head rcu;
};
static struct config *current_config;
static int reader_has_read, updater_done;

static void *reader(void *arg)
{
	(void)arg;
	rcu_read_lock();
	struct config *c = rcu_dereference(current_config);
	int timeout = c->timeout;
	WRITE_ONCE(reader_has_read, 1);
	while (!READ_ONCE(updater_done))
		sched_yield();
	rcu_read_unlock();
	return (void *)(long)timeout;
}

int main(void)
{
	pthread_t t;
	struct config *old = kzalloc(sizeof *old, GFP_KERNEL);
	old->timeout = 5;
	rcu_assign_pointer(current_config, old);
	pthread_create(&t, NULL, reader, NULL);
	while (!READ_ONCE(reader_has_read))
		sched_yield();
	struct config *new = kzalloc(sizeof *new, GFP_KERNEL);
	new->timeout = 7;
	rcu_assign_pointer(current_config, new);
	kfree(old);   /* the bug: kfree_rcu(old, rcu) */
	WRITE_ONCE(updater_done, 1);
	pthread_join(t, NULL);
	kfree(new);
	return 0;
}
