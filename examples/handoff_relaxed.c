/* The seed's question, in userspace: the allocating thread fills an object
 * and publishes the pointer with a relaxed store; the receiving thread picks
 * it up with a relaxed load and frees it. Nothing orders the allocation and
 * the write before the free: SlabSan reports "free without acquire". */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

struct object {
	long refs;
	char payload[56];
};

static _Atomic(struct object *) mailbox;

static void *receiver(void *arg)
{
	struct object *obj;
	(void)arg;
	while (!(obj = atomic_load_explicit(&mailbox, memory_order_relaxed)))
		sched_yield();
	free(obj);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, receiver, NULL);
	struct object *obj = malloc(sizeof *obj);
	obj->refs = 1;
	atomic_store_explicit(&mailbox, obj, memory_order_relaxed);
	pthread_join(t, NULL);
	return 0;
}
