// A fault the program has no handler for (SIGSEGV, SIGFPE, SIGILL left at
// SIG_DFL) is reported, with the faulting code's stack, the address and
// what it is, before the process dies of the signal as it would have (the
// same exit status, a core dump where enabled). Faults in libc show the
// program's call of it; a stack overflow runs the report on an alternate
// stack. A handler of the program's own runs instead, and the program
// reads SIG_DFL back from sigaction as long as it set none.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 139 %t null 2>&1 | FileCheck %s --check-prefix=NULL
// RUN: %expect-exit 139 %t strlen 2>&1 | FileCheck %s --check-prefix=STRLEN
// RUN: %expect-exit 136 %t divide 2>&1 | FileCheck %s --check-prefix=DIVIDE
// RUN: %expect-exit 132 %t trap 2>&1 | FileCheck %s --check-prefix=TRAP
// RUN: %expect-exit 139 %t overflow 2>&1 | FileCheck %s --check-prefix=OVERFLOW
// RUN: %expect-exit 0 %t handler 2>&1 | FileCheck %s --check-prefix=HANDLER
// RUN: env SLABSAN_OPTIONS=handle_deadly_signals=0 %expect-exit 139 %t null 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// RUN: env SLABSAN_OPTIONS=json_path=%t.json:sarif_path=%t.sarif %expect-exit 139 %t null > /dev/null 2>&1
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: FileCheck %s --check-prefix=SARIF < %t.sarif
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g %s -o %t.focused
// RUN: %expect-exit 139 %t.focused null 2>&1 | FileCheck %s --check-prefix=NULL
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int *volatile nowhere;
static const char *volatile no_string;

__attribute__((noinline)) static void store_through(int *p)
{
	*p = 42; /* NULL_STORE */
}

__attribute__((noinline)) static size_t measure(const char *s)
{
	return strlen(s); /* STRLEN_CALL */
}

__attribute__((noinline)) static int divide(int a, int b)
{
	return a / b; /* DIVIDE */
}

__attribute__((noinline)) static int recurse(int n)
{
	volatile char frame[256];
	frame[0] = (char)n;
	return recurse(n + 1) + frame[0]; /* RECURSE */
}

static void *overflow_thread(void *arg)
{
	return (void *)(long)recurse((int)(long)arg);
}

static sigjmp_buf recover;
static void on_segv(int sig)
{
	siglongjmp(recover, sig);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	if (!strcmp(what, "null")) {
		store_through(nowhere);
	} else if (!strcmp(what, "strlen")) {
		printf("%zu\n", measure(no_string));
	} else if (!strcmp(what, "divide")) {
		printf("%d\n", divide(argc, argc - 2));
	} else if (!strcmp(what, "trap")) {
		__builtin_trap(); /* TRAP */
	} else if (!strcmp(what, "overflow")) {
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 256 << 10);
		pthread_t t;
		pthread_create(&t, &attr, overflow_thread, (void *)1L);
		pthread_join(t, NULL);
	} else if (!strcmp(what, "handler")) {
		struct sigaction old;
		sigaction(SIGSEGV, NULL, &old);
		printf("default before: %s\n", old.sa_handler == SIG_DFL ? "yes" : "no");
		signal(SIGSEGV, on_segv);
		if (sigsetjmp(recover, 1) == 0)
			store_through(nowhere);
		signal(SIGSEGV, SIG_DFL);
		sigaction(SIGSEGV, NULL, &old);
		printf("recovered; default again: %s\n", old.sa_handler == SIG_DFL ? "yes" : "no");
	}
	return 0;
}
// NULL: WARNING: SlabSan: deadly signal (pid={{[0-9]+}})
// NULL-NEXT: SIGSEGV on a write to {{.*}} (address not mapped) by main thread (T0):
// NULL-NEXT: #0 store_through {{.*}}deadly_signal.c:33
// NULL-NEXT: #1 main {{.*}}deadly_signal.c:68
// NULL-NEXT: The address is in the first page: a null pointer dereference.
// NULL-NEXT: SUMMARY: SlabSan: deadly signal {{.*}}deadly_signal.c:33 in store_through
// NULL-NOT: SlabSan

// The interceptor between them is SlabSan's own, and not shown.
// STRLEN: SIGSEGV on a read of {{.*}} (address not mapped) by main thread (T0):
// STRLEN-NEXT: #0 {{.*}}strlen
// STRLEN-NEXT: #1 measure {{.*}}deadly_signal.c:38
// STRLEN-NEXT: #2 main {{.*}}deadly_signal.c:70
// STRLEN: SUMMARY: SlabSan: deadly signal {{.*}}deadly_signal.c:38 in measure

// DIVIDE: SIGFPE (integer divide by zero) by main thread (T0):
// DIVIDE-NEXT: #0 divide {{.*}}deadly_signal.c:43
// DIVIDE: SUMMARY: SlabSan: deadly signal {{.*}}deadly_signal.c:43 in divide

// TRAP: SIGILL (illegal instruction (__builtin_trap()?)) by main thread (T0):
// TRAP-NEXT: #0 main {{.*}}deadly_signal.c:74

// OVERFLOW: SIGSEGV on a write to {{.*}} by thread T1:
// OVERFLOW-NEXT: #0 recurse {{.*}}deadly_signal.c:
// OVERFLOW: ... the frame above {{[0-9]+}} more times
// OVERFLOW: Stack overflow: the address is next to the stack pointer
// OVERFLOW: Thread T1 (tid={{[0-9]+}}, running) created by main thread (T0) at:
// OVERFLOW: SUMMARY: SlabSan: deadly signal {{.*}}deadly_signal.c:{{4[7-9]|50}} in recurse

// HANDLER-NOT: SlabSan
// HANDLER: default before: yes
// HANDLER: recovered; default again: yes

// OFF-NOT: SlabSan

// JSON: "kind":"deadly signal",{{.*}}"location":{"function":"store_through"
// SARIF: {"ruleId":"deadly-signal","level":"error","message":{"text":"deadly signal in store_through.
