// A handler running on an alternate signal stack that calls into libc,
// which allocates (strdup): the signal-unsafe call's stack goes through
// libc's frame to the handler's line, the runtime unwinding on the
// alternate stack, whose room it asks of sigaltstack().
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t length;

static void on_alarm(int sig)
{
	char *copy = strdup("copied in a handler");
	length = (sig_atomic_t)strlen(copy);
	free(copy);
}

int main(void)
{
	stack_t alt = { .ss_sp = malloc(64 << 10), .ss_size = 64 << 10 };
	if (!alt.ss_sp || sigaltstack(&alt, NULL))
		return 2;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGALRM, &sa, NULL);
	free(strdup("learns strdup's route on the thread's own stack"));
	raise(SIGALRM);
	fprintf(stderr, "copied %d bytes\n", (int)length);
	return 0;
}

// CHECK:      WARNING: SlabSan: signal-unsafe call inside a signal handler
// CHECK-NEXT:   Call to malloc by main thread (T0) in a handler of signal 14 (SIGALRM):
// CHECK-NEXT:     #0 strdup{{( \(.*\)| string/strdup.c:[0-9]+)?$}}
// CHECK-NEXT:     #1 on_alarm {{.*}}signal_altstack_libc_call.c:15
// CHECK:      SUMMARY: SlabSan: signal-unsafe call inside a signal handler {{.*}}signal_altstack_libc_call.c:15 in on_alarm
// CHECK:      copied 19 bytes
