// A null pointer dereference in a program that set its own 8 KiB alternate
// signal stack (with a guard page below it): SlabSan's deadly-signal
// handler runs there, and its first call into libc through the PLT (the
// lazy binding saves the vector registers) ran off its end, so the process
// died with no report. When the handler's stack is short the report is
// written on the runtime's report stack, its stack the shadow stack's; the
// process still dies of the signal.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 139 %t 2>&1 | FileCheck %s
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>

#define GUARD 4096
#define ALT_STACK 8192

static int *volatile nowhere;

static int deref(void)
{
	return *nowhere;
}

int main(void)
{
	char *mem = mmap(NULL, GUARD + ALT_STACK, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || mprotect(mem, GUARD, PROT_NONE))
		return 1;
	stack_t alt = {.ss_sp = mem + GUARD, .ss_size = ALT_STACK};
	if (sigaltstack(&alt, NULL))
		return 1;
	puts("faulting");
	fflush(stdout);
	return deref();
}

// CHECK:      faulting
// CHECK:      WARNING: SlabSan: deadly signal
// CHECK-NEXT:   SIGSEGV on a read of 0x0 (address not mapped) by main thread (T0):
// CHECK-NEXT:     #0 deref {{.*}}deadly_signal_small_altstack.c:21
// CHECK-NEXT:     #1 main {{.*}}deadly_signal_small_altstack.c:35
// CHECK-NEXT:   The address is in the first page: a null pointer dereference.
// CHECK-NEXT: SUMMARY: SlabSan: deadly signal {{.*}}deadly_signal_small_altstack.c:21 in deref
