// A handler on an 8 KiB alternate signal stack of the program's own, with
// a guard page below it, calls malloc() and free(): each call's report
// (signal-unsafe) is made on that stack, which cannot hold one. The reports
// ran off its end (into the program's memory, here the guard page) or lost
// their symbols; they now run on a stack of the runtime's, whole.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define GUARD 4096
#define ALT_STACK 8192

static volatile sig_atomic_t length;

static void on_alarm(int sig)
{
	char *copy = malloc(32);
	strcpy(copy, "copied");
	length = (sig_atomic_t)strlen(copy) + sig - sig;
	free(copy);
}

int main(void)
{
	char *mem = mmap(NULL, GUARD + ALT_STACK, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || mprotect(mem, GUARD, PROT_NONE))
		return 1;
	stack_t alt = {.ss_sp = mem + GUARD, .ss_size = ALT_STACK};
	struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = SA_ONSTACK};
	if (sigaltstack(&alt, NULL) || sigaction(SIGALRM, &sa, NULL))
		return 1;
	raise(SIGALRM);
	printf("length %d\n", (int)length);
	return 0;
}

// CHECK:      WARNING: SlabSan: signal-unsafe call inside a signal handler
// CHECK-NEXT:   Call to malloc by main thread (T0) in a handler of signal 14 (SIGALRM):
// CHECK-NEXT:     #0 on_alarm {{.*}}signal_small_altstack_report.c:21
// CHECK-NEXT:   malloc is not async-signal-safe
// CHECK:      SUMMARY: SlabSan: signal-unsafe call inside a signal handler {{.*}}signal_small_altstack_report.c:21 in on_alarm
// CHECK:      WARNING: SlabSan: signal-unsafe call inside a signal handler
// CHECK-NEXT:   Call to free by main thread (T0) in a handler of signal 14 (SIGALRM):
// CHECK-NEXT:     #0 on_alarm {{.*}}signal_small_altstack_report.c:24
// CHECK-NEXT:   free is not async-signal-safe
// CHECK:      SUMMARY: SlabSan: signal-unsafe call inside a signal handler {{.*}}signal_small_altstack_report.c:24 in on_alarm
// CHECK:      length 6
