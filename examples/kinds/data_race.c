/* Two threads update a counter without a lock: a data race. (The relaxed
 * flag makes the order of the two updates, and so the report, the same in
 * every run; relaxed atomics order nothing else, and the report names the
 * flag's store and load as the pair that would, made release/acquire.) */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

long hits;
static atomic_int main_done;

static void *worker(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&main_done, memory_order_relaxed))
		sched_yield();
	hits++;
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	hits++;
	atomic_store_explicit(&main_done, 1, memory_order_relaxed);
	pthread_join(t, NULL);
	return 0;
}
