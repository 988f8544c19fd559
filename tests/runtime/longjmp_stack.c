// A longjmp skips the exits of the frames it leaves, so the shadow stack
// kept them: every later report of the thread named those frames as
// callers (here `deep` twice above main, at the setjmp's line). Functions
// that call setjmp (sigsetjmp, any returns_twice function) now cut the
// stack back to their own depth when the call returns again. Both ways
// out: longjmp from nested calls, siglongjmp from a signal handler.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <slabsan/slabsan.h>
#include <stdio.h>

static jmp_buf env;
static sigjmp_buf sigenv;
static int depth_reached, shared;
static struct slabsan_test_barrier written = {.count = 2};

__attribute__((noinline)) static void deep(int n)
{
	if (n == 0)
		longjmp(env, 1);
	deep(n - 1);
	depth_reached++;
}

__attribute__((noinline)) static void handler(int sig)
{
	(void)sig;
	siglongjmp(sigenv, 1);
}

static void *writer(void *arg)
{
	shared = 1; /* WRITE */
	slabsan_test_barrier_wait(&written);
	return arg;
}

__attribute__((noinline)) static void reader(void)
{
	printf("%d\n", shared); /* READ */
}

int main(void)
{
	for (int i = 0; i < 1000; i++)
		if (!setjmp(env))
			deep(5);
	signal(SIGUSR1, handler);
	for (int i = 0; i < 10; i++)
		if (!sigsetjmp(sigenv, 1))
			raise(SIGUSR1);
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
	slabsan_test_barrier_wait(&written);
	reader(); /* CALL */
	pthread_join(t, NULL);
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size {{[0-9]+}} at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 reader {{.*}}longjmp_stack.c:42
// CHECK-NEXT: #1 main {{.*}}longjmp_stack.c:57
// CHECK-NEXT: Previous write at {{.*}} by thread T1:
// CHECK-NEXT: #0 writer {{.*}}longjmp_stack.c:35
// CHECK: SUMMARY: SlabSan: data race {{.*}}longjmp_stack.c:42 in reader
