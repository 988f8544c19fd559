// The symbolizer the first report starts holds none of the program's
// descriptors: a program that reports, then closes its pipe's write end and
// reads the read end, sees EOF (libuv's fs_partial_write test does). Before,
// the symbolizer inherited the write end and the read waited forever; the
// alarm turns that into a failure.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

long counter; /* raced on purpose: the report */

static void *bump(void *arg)
{
	counter++;
	return arg;
}

int main(void)
{
	int fds[2];
	if (pipe(fds)) /* not close-on-exec */
		return 1;
	pthread_t t;
	pthread_create(&t, NULL, bump, NULL);
	counter++; /* RACE */
	pthread_join(t, NULL);
	alarm(20);
	close(fds[1]);
	char byte;
	ssize_t got = read(fds[0], &byte, 1);
	fprintf(stderr, "read: %s\n", got == 0 ? "EOF" : "not EOF");
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK: SUMMARY: SlabSan: data race
// CHECK: read: EOF
