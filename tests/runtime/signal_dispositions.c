// SlabSan installs its own wrapper for every handler the program installs;
// the program must not notice. Checked here, silently: an SA_SIGINFO
// handler gets the siginfo sigqueue() sent; SA_RESETHAND runs the handler
// once and then the default action applies (and sigaction reports SIG_DFL);
// SIG_IGN ignores; oldact and signal() give back the program's handler;
// a synchronous SIGSEGV handler runs at once and may leave by siglongjmp,
// after which malloc is not taken for a call inside a handler. With -std=c11,
// signal() is glibc's System V one (one delivery).
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s
// RUN: %slabsan-cc -O1 -g -std=c11 -DSYSV %s -o %t.sysv && %expect-exit 0 %t.sysv 2>&1 | FileCheck %s --check-prefix=SYSV
#ifdef SYSV
#define _POSIX_C_SOURCE 200809L   /* no _DEFAULT_SOURCE: signal() is __sysv_signal */
#else
#define _GNU_SOURCE
#endif
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t info_value, info_code, resets, sysv_hits;
static sigjmp_buf recover;
static char *volatile keep;

static void with_info(int sig, siginfo_t *si, void *uctx)
{
	(void)sig, (void)uctx;
	info_value = si->si_value.sival_int;
	info_code = si->si_code;
}

static void once(int sig) { (void)sig; resets++; }
static void on_segv(int sig) { (void)sig; siglongjmp(recover, 1); }
static void sysv(int sig) { (void)sig; sysv_hits++; }

int main(void)
{
	struct sigaction sa, old;
#ifdef SYSV
	signal(SIGUSR2, sysv);
	raise(SIGUSR2);
	struct sigaction now;
	sigaction(SIGUSR2, NULL, &now);
	fprintf(stderr, "sysv: hits=%d reset=%d\n", (int)sysv_hits, now.sa_handler == SIG_DFL);
	return 0;
#endif
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = with_info;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 42});
	fprintf(stderr, "siginfo: value=%d queued=%d\n", (int)info_value, info_code == SI_QUEUE);
	sigaction(SIGUSR1, NULL, &old);
	fprintf(stderr, "oldact: ours=%d siginfo=%d\n", old.sa_sigaction == with_info,
		!!(old.sa_flags & SA_SIGINFO));

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = once;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	sigaction(SIGUSR2, NULL, &old);
	fprintf(stderr, "resethand: runs=%d now_default=%d\n", (int)resets, old.sa_handler == SIG_DFL);

	signal(SIGUSR2, SIG_IGN);
	raise(SIGUSR2);
	fprintf(stderr, "ignored: runs=%d previous=%d\n", (int)resets, signal(SIGUSR2, once) == SIG_IGN);

	signal(SIGSEGV, on_segv);
	if (!sigsetjmp(recover, 1))
		*(volatile int *)8 = 1;   /* faults */
	keep = malloc(8);             /* not inside a handler any more */
	free(keep);
	fprintf(stderr, "segv: recovered\n");
	return 0;
}
// CHECK-NOT: SlabSan
// CHECK: siginfo: value=42 queued=1
// CHECK-NEXT: oldact: ours=1 siginfo=1
// CHECK-NEXT: resethand: runs=1 now_default=1
// CHECK-NEXT: ignored: runs=1 previous=1
// CHECK-NEXT: segv: recovered
// CHECK-NOT: SlabSan
// SYSV: sysv: hits=1 reset=1
