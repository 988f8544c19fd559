/* KCSAN-style assertion: only the owner may write `state`, but a helper
 * thread updates it too. (The relaxed flag fixes the order of the two, so
 * the report is the same in every run; it orders nothing else.) */
#include <pthread.h>
#include <sched.h>
#include <slabsan/lkmm.h>

static int state, owner_done;

static void *helper(void *arg)
{
	(void)arg;
	while (!READ_ONCE(owner_done))
		sched_yield();
	WRITE_ONCE(state, 2);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, helper, NULL);
	ASSERT_EXCLUSIVE_WRITER(state);
	WRITE_ONCE(state, 1);
	WRITE_ONCE(owner_done, 1);
	pthread_join(t, NULL);
	return 0;
}
