// SPDX-License-Identifier: Apache-2.0
/* The stack a report is written on. Explaining and symbolizing a report
 * takes about 24 KiB of stack, more than is left on a 16 KiB stack the
 * program allocated itself (a thread's, given to pthread_attr_setstack(),
 * or a signal handler's alternate stack), and more than the runtime can
 * promise on a coroutine's stack, which it cannot measure: the report then
 * overflowed, and came out as a deadly signal inside SlabSan. Such reports
 * now run on a stack of the runtime's. The switch (ucontext: a system call
 * each way for the signal mask) is made only when the thread's stack is
 * short, so the repeats of a racy loop's report cost no more than before;
 * the same holds for stack walks through code SlabSan did not compile,
 * which stop at the switch (the shadow stack stands in for them).
 * One stack serves every thread: a report holds the report lock. */
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "report_internal.h"

#define REPORT_NEEDS_STACK (32u << 10)
#define REPORT_STACK_BYTES (256u << 10)
#define GUARD_BYTES 4096u

static char *report_stack;          /* its lowest page a guard; NULL: not mapped yet */
static bool report_stack_busy;      /* a deadly signal in a report on it: not again */
static ucontext_t on_report_stack, left;
static void (*pending_write)(void *);
static void *pending_args;

/* The report stack's entry point; returning goes back to left (uc_link). */
static void write_pending(void) { pending_write(pending_args); }

static bool map_report_stack(void)
{
	if (report_stack)
		return true;
	char *mem = sl_raw_mmap(NULL, REPORT_STACK_BYTES, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
	if (mem == MAP_FAILED)
		return false;
	/* an overflow of it faults (a deadly signal) instead of writing below */
	mprotect(mem, GUARD_BYTES, PROT_NONE);
	report_stack = mem;
	return true;
}

/* Runs write(args) on the report stack; false if it could not. */
static bool write_on_report_stack(void (*write)(void *), void *args)
{
	if (report_stack_busy || !map_report_stack() || getcontext(&on_report_stack) != 0)
		return false;
	on_report_stack.uc_stack.ss_sp = report_stack + GUARD_BYTES;
	on_report_stack.uc_stack.ss_size = REPORT_STACK_BYTES - GUARD_BYTES;
	on_report_stack.uc_link = &left;
	makecontext(&on_report_stack, write_pending, 0);
	pending_write = write;
	pending_args = args;
	report_stack_busy = true;
	bool ran = swapcontext(&left, &on_report_stack) == 0;
	report_stack_busy = false;
	return ran;
}

bool sl_report_stack_short(const struct sl_thread *thr)
{
	return thr && sl_stack_left(thr) < REPORT_NEEDS_STACK;
}

void sl_report_write(struct sl_thread *thr, void (*write)(void *), void *args)
{
	if (!sl_report_stack_short(thr) || !write_on_report_stack(write, args))
		write(args);
}

void sl_report_run(struct sl_thread *thr, void (*write)(void *), void *args)
{
	LOCKED_REPORT(thr);
	sl_report_write(thr, write, args);
	UNLOCK_REPORT(thr);
}
