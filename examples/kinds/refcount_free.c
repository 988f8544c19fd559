/* A reference count dropped with relaxed decrements: the last owner frees
 * the object without acquiring what the other owner did with it. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct session {
	atomic_int refs;
	long bytes_sent;
};

static struct session *session;
static atomic_int first_done;	/* only makes the order of the two owners fixed */

static void put_session(struct session *s)
{
	if (atomic_fetch_sub_explicit(&s->refs, 1, memory_order_relaxed) == 1)
		free(s);
}

static void *first_owner(void *arg)
{
	(void)arg;
	session->bytes_sent += 100;
	put_session(session);
	atomic_store_explicit(&first_done, 1, memory_order_relaxed);
	return NULL;
}

static void *last_owner(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&first_done, memory_order_relaxed))
		;
	put_session(session);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	session = calloc(1, sizeof *session);
	atomic_init(&session->refs, 2);
	pthread_create(&a, NULL, first_owner, NULL);
	pthread_create(&b, NULL, last_owner, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
