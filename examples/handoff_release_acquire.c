/* The corrected hand-off: the pointer travels with a release store and is
 * picked up with an acquire load, so the allocation and every write before
 * the store happen before the free. SlabSan stays silent. */
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
	while (!(obj = atomic_load_explicit(&mailbox, memory_order_acquire)))
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
	atomic_store_explicit(&mailbox, obj, memory_order_release);
	pthread_join(t, NULL);
	return 0;
}
