// pthread_create can fail (here: a stack no machine has); the child never
// runs. Its thread id and state were kept as if it were alive, so a
// program retrying a failing create stopped after 8189 tries ("more than
// 8189 threads alive or unjoined at once"). 9000 failures, then a thread
// that starts and is joined: silent, exit 0.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s
// CHECK-NOT: SlabSan
// CHECK: 9000 failed, then 0
// CHECK-NOT: SlabSan
#include <pthread.h>
#include <stdio.h>

static long shared;

static void *child(void *arg)
{
	shared++;
	return arg;
}

int main(void)
{
	pthread_attr_t impossible;
	pthread_attr_init(&impossible);
	pthread_attr_setstacksize(&impossible, (size_t)1 << 46);
	int failed = 0;
	for (int i = 0; i < 9000; i++) {
		pthread_t t;
		if (pthread_create(&t, &impossible, child, NULL) != 0)
			failed++;
		else
			pthread_join(t, NULL);
	}
	pthread_t t;
	int ret = pthread_create(&t, NULL, child, NULL);
	if (ret == 0)
		pthread_join(t, NULL);
	shared++;
	printf("%d failed, then %d\n", failed, ret);
	return 0;
}
