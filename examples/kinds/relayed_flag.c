/* A data race across three threads whose missing edge is one link down a
 * chain of hand-offs: the loader fills a table and releases it to the
 * dispatcher, which acquires it and then tells the worker, with a relaxed
 * store, that the work is ready; the worker reads the table. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

static int table[16];
static atomic_int loaded, go;

static void *loader(void *arg)
{
	for (int i = 0; i < 16; i++)
		table[i] = i * i;
	atomic_store_explicit(&loaded, 1, memory_order_release);
	return arg;
}

static void *dispatcher(void *arg)
{
	while (!atomic_load_explicit(&loaded, memory_order_acquire))
		sched_yield();
	atomic_store_explicit(&go, 1, memory_order_relaxed);
	return arg;
}

static void *worker(void *arg)
{
	while (!atomic_load_explicit(&go, memory_order_acquire))
		sched_yield();
	long sum = 0;
	for (int i = 0; i < 16; i++)
		sum += table[i];
	return (void *)sum;
}

int main(void)
{
	pthread_t w, d, l;
	pthread_create(&w, NULL, worker, NULL);
	pthread_create(&d, NULL, dispatcher, NULL);
	pthread_create(&l, NULL, loader, NULL);
	pthread_join(l, NULL);
	pthread_join(d, NULL);
	pthread_join(w, NULL);
	return 0;
}
