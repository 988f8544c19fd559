// SPDX-License-Identifier: Apache-2.0
/* Userspace RCU for <slabsan/lkmm.h>'s declarations: reader sections,
 * synchronize_rcu(), and call_rcu()/kfree_rcu() callbacks run by a lazily
 * started thread after a grace period. */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include <slabsan/slab.h>

/* Per-thread reader counters with a full barrier on entry, like liburcu's
 * "memb" flavour without its phase counter: a grace period waits for every
 * reader that is inside a section to leave it. Correct C on its own; under
 * SlabSan the grace period's happens-before edges come from its own atomics:
 * rcu_read_unlock() is a release store that synchronize_rcu() acquires, so
 * every reader section that began before a grace period happens before its
 * end. */

/* ---- readers */

struct rcu_reader {
	/* Odd while inside an outermost section. Written only by the owner,
	 * always with a release, so a grace period that loads any value of it
	 * is ordered after every section the owner had completed. */
	unsigned long seq;
	struct rcu_reader *next;
};

static pthread_mutex_t rcu_registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rcu_reader *rcu_readers;   /* under rcu_registry_lock */
static _Thread_local struct rcu_reader *this_reader;
static _Thread_local unsigned int rcu_nesting;
static pthread_key_t rcu_reader_key;
static pthread_once_t rcu_reader_once = PTHREAD_ONCE_INIT;

static void rcu_unregister(void *arg)
{
	struct rcu_reader *r = arg, **p;
	pthread_mutex_lock(&rcu_registry_lock);
	for (p = &rcu_readers; *p != r; p = &(*p)->next)
		;
	*p = r->next;
	pthread_mutex_unlock(&rcu_registry_lock);
	free(r);
}

static void rcu_reader_key_init(void)
{
	pthread_key_create(&rcu_reader_key, rcu_unregister);
}

static struct rcu_reader *rcu_register(void)
{
	struct rcu_reader *r = calloc(1, sizeof(*r));
	if (!r)
		abort();
	pthread_once(&rcu_reader_once, rcu_reader_key_init);
	pthread_setspecific(rcu_reader_key, r);
	pthread_mutex_lock(&rcu_registry_lock);
	r->next = rcu_readers;
	rcu_readers = r;
	pthread_mutex_unlock(&rcu_registry_lock);
	return this_reader = r;
}

void rcu_read_lock(void)
{
	if (rcu_nesting++)
		return;
	struct rcu_reader *r = this_reader ? this_reader : rcu_register();
	smp_store_release(&r->seq, r->seq + 1);
	/* Pairs with synchronize_rcu()'s first smp_mb(): either it sees this
	 * section, or this section's loads see the updater's removal. */
	smp_mb();
	slabsan_rcu_read_lock();   /* for reports: "inside an RCU read-side ..." */
}

void rcu_read_unlock(void)
{
	if (--rcu_nesting)
		return;
	struct rcu_reader *r = this_reader;
	smp_store_release(&r->seq, r->seq + 1);
	slabsan_rcu_read_unlock();
}

void synchronize_rcu(void)
{
	smp_mb();
	/* New readers wait to register until the grace period ends. */
	pthread_mutex_lock(&rcu_registry_lock);
	for (struct rcu_reader *r = rcu_readers; r; r = r->next) {
		unsigned long snap = smp_load_acquire(&r->seq);
		if (!(snap & 1))
			continue;
		while (smp_load_acquire(&r->seq) == snap)
			sched_yield();
	}
	pthread_mutex_unlock(&rcu_registry_lock);
	smp_mb();
}

/* ---- callbacks: one queue, one thread, under one lock */

static struct {
	pthread_mutex_t lock;
	pthread_cond_t work, done;
	struct rcu_head *head, **tail;
	unsigned long queued, completed;
	pthread_once_t started;
} cbs = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.work = PTHREAD_COND_INITIALIZER,
	.done = PTHREAD_COND_INITIALIZER,
	.tail = &cbs.head,
	.started = PTHREAD_ONCE_INIT,
};

/* Take every queued callback, wait a grace period, run them. Callbacks
 * queued meanwhile wait for the next round: their grace period must start
 * after they were queued. */
static void *rcu_gp_kthread(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&cbs.lock);
		while (!cbs.head)
			pthread_cond_wait(&cbs.work, &cbs.lock);
		struct rcu_head *list = cbs.head;
		cbs.head = NULL;
		cbs.tail = &cbs.head;
		pthread_mutex_unlock(&cbs.lock);

		synchronize_rcu();
		unsigned long n = 0;
		while (list) {
			struct rcu_head *next = list->next;
			list->func(list);
			list = next;
			n++;
		}

		pthread_mutex_lock(&cbs.lock);
		cbs.completed += n;
		pthread_cond_broadcast(&cbs.done);
		pthread_mutex_unlock(&cbs.lock);
	}
	return NULL;
}

static void rcu_start_gp_kthread(void)
{
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, rcu_gp_kthread, NULL))
		abort();
	pthread_attr_destroy(&attr);
}

void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head))
{
	pthread_once(&cbs.started, rcu_start_gp_kthread);
	head->func = func;
	head->next = NULL;
	pthread_mutex_lock(&cbs.lock);
	*cbs.tail = head;
	cbs.tail = &head->next;
	cbs.queued++;
	pthread_cond_signal(&cbs.work);
	pthread_mutex_unlock(&cbs.lock);
}

void rcu_barrier(void)
{
	pthread_mutex_lock(&cbs.lock);
	unsigned long target = cbs.queued;
	while (cbs.completed < target)
		pthread_cond_wait(&cbs.done, &cbs.lock);
	pthread_mutex_unlock(&cbs.lock);
}

static void kfree_rcu_work(struct rcu_head *head)
{
	kfree((char *)head - head->kfree_offset);
}

void __kfree_rcu(struct rcu_head *head, size_t offset)
{
	head->kfree_offset = offset;
	call_rcu(head, kfree_rcu_work);
}
