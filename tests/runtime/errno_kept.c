// The runtime's own system calls leave the program's errno as it was:
// malloc and free of every size (the shadow given back with madvise for
// big blocks), and pthread_create, which reaps finished detached threads
// and asked the kernel whether each one's OS thread is gone (errno ESRCH
// when it is: pthread_create then "changed" errno to 3).
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g %s -o %t.focused && %expect-exit 0 %t.focused 2>&1 | FileCheck %s
// CHECK-NOT: changed
// CHECK: errno kept
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *nothing(void *arg)
{
	return arg;
}

int main(void)
{
	int changed = 0;
	for (size_t size = 16; size <= (64u << 20); size *= 4) {
		errno = 1234;
		void *p = malloc(size);
		if (errno != 1234)
			printf("malloc(%zu) changed errno to %d\n", size, errno), changed++;
		errno = 1234;
		free(p);
		if (errno != 1234)
			printf("free(%zu) changed errno to %d\n", size, errno), changed++;
	}
	pthread_attr_t detached;
	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	for (int i = 0; i < 20; i++) {
		pthread_t t;
		errno = 1234;
		pthread_create(&t, &detached, nothing, NULL);
		if (errno != 1234)
			printf("pthread_create changed errno to %d\n", errno), changed++;
		usleep(2000);   /* the detached thread exits, to be reaped by the next create */
	}
	if (!changed)
		puts("errno kept");
	return 0;
}
