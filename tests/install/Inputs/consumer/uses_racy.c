// SPDX-License-Identifier: Apache-2.0
// A program linked with the instrumented shared library racy: a thread
// writes through it, main writes too, unordered.
#include <pthread.h>
#include <stdatomic.h>

void racy_write(int *p);
int target;
static atomic_int wrote;

static void *writer(void *arg)
{
	(void)arg;
	racy_write(&target);
	atomic_store_explicit(&wrote, 1, memory_order_relaxed);
	return 0;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, 0, writer, 0);
	while (!atomic_load_explicit(&wrote, memory_order_relaxed))
		;
	target = 2;
	pthread_join(t, 0);
	return 0;
}
