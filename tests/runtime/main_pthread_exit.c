// SPDX-License-Identifier: Apache-2.0
// The main thread ends with pthread_exit() while a worker runs on; the
// worker's report comes after /proc/self/exe has become unreadable (it is
// once the main thread is gone) and still names main's frames by function
// and line: the executable's path is read at start-up.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

int shared;                           /* not static: the stores stay */

static void *worker(void *arg)
{
	(void)arg;
	char path[256];
	while (readlink("/proc/self/exe", path, sizeof path) > 0)
		usleep(1000);                 /* until the main thread is gone */
	shared = 2; /* WORKER_WRITE */
	printf("worker done\n");
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL); /* CREATE */
	shared = 1; /* MAIN_WRITE */
	pthread_exit(NULL);
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Write of size 4 at {{.*}} by thread T1:
// CHECK-NEXT: #0 worker {{.*}}main_pthread_exit.c:19
// CHECK-NEXT: Previous write at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}main_pthread_exit.c:28
// CHECK-NEXT: Location is global 'shared' (4 bytes at 0x{{[0-9a-f]+}}).
// CHECK-NEXT: Thread T1 (tid={{[0-9]+}}, running) created by main thread (T0) at:
// CHECK-NEXT: #0 main {{.*}}main_pthread_exit.c:27
// CHECK-NEXT: SUMMARY: SlabSan: data race {{.*}}main_pthread_exit.c:19 in worker
// CHECK: worker done
