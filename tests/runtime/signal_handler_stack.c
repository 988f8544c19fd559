// A handler that runs while a libc call's buffer is being checked (here a
// 1 MiB memcmp racing with the thread that filled the buffer, while a
// profiling timer interrupts the comparing thread every 100 us of CPU
// time) leaves the call's stack as it found it: the whole range is the
// memcmp line's read, one report. Before, the handler's calls and returns
// dropped the cached call-site stack and the rest of the range was checked
// under the caller's (libuv's fs_partial_write showed a second report at
// main's line).
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/time.h>

#define SIZE (1 << 20)
char buffer[SIZE], expected[SIZE];
static atomic_int filled; /* relaxed: no edge */
static atomic_int rounds;
static int ticks;

static void tick(int sig)
{
	(void)sig;
	ticks++; /* instrumented: calls and returns of its own */
}

static void *filler(void *arg)
{
	memset(buffer, 1, SIZE);
	atomic_store_explicit(&filled, 1, memory_order_relaxed);
	return arg;
}

__attribute__((noinline)) static int compare(void)
{
	return memcmp(buffer, expected, SIZE); /* COMPARE */
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, filler, NULL);
	while (!atomic_load_explicit(&filled, memory_order_relaxed))
		;
	signal(SIGPROF, tick);
	struct itimerval every = {{0, 100}, {0, 100}}, off = {{0, 0}, {0, 0}};
	setitimer(ITIMER_PROF, &every, NULL);
	int differ = 0;
	for (int i = 0; i < 5; i++) {
		differ |= compare();
		/* a new epoch: the next compare checks the whole range again */
		atomic_store_explicit(&rounds, i, memory_order_release);
	}
	setitimer(ITIMER_PROF, &off, NULL);
	pthread_join(t, NULL);
	return differ == 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size {{[0-9]+}} at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 compare {{.*}}signal_handler_stack.c:37
// CHECK-NOT: WARNING: SlabSan
