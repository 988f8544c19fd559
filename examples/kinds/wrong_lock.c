/* Two threads update a balance under different mutexes: each access holds
 * a lock, but not the same one, so nothing orders them. (The relaxed flag
 * only makes the order of the two updates, and so the report, the same in
 * every run; relaxed atomics order nothing else.) */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

struct account {
	pthread_mutex_t lock;   /* guards balance */
	long balance;
};
struct account savings = {PTHREAD_MUTEX_INITIALIZER, 0};
pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int main_done;

static void *worker(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&main_done, memory_order_relaxed))
		sched_yield();
	pthread_mutex_lock(&stats_lock);   /* the wrong lock */
	savings.balance += 10;
	pthread_mutex_unlock(&stats_lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&savings.lock);
	savings.balance -= 5;
	pthread_mutex_unlock(&savings.lock);
	atomic_store_explicit(&main_done, 1, memory_order_relaxed);
	pthread_join(t, NULL);
	return 0;
}
