// SPDX-License-Identifier: Apache-2.0
/* The reports about signals: a call a handler must not make, and the
 * deadly signal that ends the program (where it faulted, and why). */
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <ucontext.h>

#include "report_internal.h"

/* "SIGSEGV", or NULL for a signal without a name of its own. */
static const char *signal_abbrev(int sig)
{
	static const char *const names[32] = {
		[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
		[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
		[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGUSR1] = "SIGUSR1",
		[SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2", [SIGPIPE] = "SIGPIPE",
		[SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM", [SIGCHLD] = "SIGCHLD",
		[SIGCONT] = "SIGCONT", [SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN",
		[SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG", [SIGXCPU] = "SIGXCPU",
		[SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF",
		[SIGWINCH] = "SIGWINCH", [SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR",
		[SIGSYS] = "SIGSYS",
	};
	return sig > 0 && sig < 32 ? names[sig] : NULL;
}

static void signal_name(int sig, char *out, size_t size)
{
	if (signal_abbrev(sig))
		snprintf(out, size, "%d (%s)", sig, signal_abbrev(sig));
	else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(out, size, "%d (SIGRTMIN+%d)", sig, sig - SIGRTMIN);
	else
		snprintf(out, size, "%d", sig);
}

#define SIGNAL_UNSAFE "signal-unsafe call inside a signal handler"

struct signal_unsafe_report {
	struct sl_thread *thr;
	const char *call;
	int sig;
	sl_stack_id stack;
};

static void write_signal_unsafe(void *args)
{
	const struct signal_unsafe_report *r = args;
	if (!sl_report_seen_before(7, sl_report_top_pc(r->stack), 0)) {   /* once per calling place */
		char who[32], signal[40];
		sl_report_begin(SIGNAL_UNSAFE, r->thr);
		sl_report_thread_name(who, sizeof who, r->thr->tid);
		signal_name(r->sig, signal, sizeof signal);
		sl_report_section("call", r->thr->tid, "Call to %s by %s in a handler of signal %s",
				  r->call, who, signal);
		sl_report_stack(0, r->stack);
		sl_report_note("%s is not async-signal-safe: had the signal arrived while this "
			       "thread was inside %s, or held a lock %s takes, the handler would "
			       "deadlock or corrupt its state.\n", r->call, r->call, r->call);
		sl_report_fix("in the handler, only record that the signal came (a volatile "
			      "sig_atomic_t flag, write() to a pipe, sem_post()) and call %s "
			      "outside it, or receive the signal synchronously (sigwait(), "
			      "signalfd()).\n", r->call);
		sl_report_end(SIGNAL_UNSAFE);
	}
}

void sl_report_signal_unsafe(struct sl_thread *thr, const char *call, int sig,
			     sl_stack_id stack)
{
	struct signal_unsafe_report args = {thr, call, sig, stack};
	if (should_report(thr))
		sl_report_run(thr, write_signal_unsafe, &args);
}

/* ---- deadly signals */

/* What the kernel says went wrong, as a phrase. */
static const char *fault_cause(int sig, int code)
{
	switch (sig) {
	case SIGSEGV:
		return code == SEGV_ACCERR ? "no permission for the access" : "address not mapped";
	case SIGBUS:
		return code == BUS_ADRALN ? "misaligned address"
		       : code == BUS_ADRERR ? "no backing memory (past the end of a mapped file?)"
		       : "bus error";
	case SIGFPE:
		return code == FPE_INTDIV ? "integer divide by zero"
		       : code == FPE_INTOVF ? "integer overflow" : "arithmetic exception";
	default:
		return "illegal instruction (__builtin_trap()?)";
	}
}

/* Where the thread was when it faulted. */
struct fault {
	uintptr_t pc, sp;
	const char *access;      /* "a write to", "a read of"; NULL: not a page fault */
};

static struct fault fault_of(const void *uctx, int sig, int code)
{
	struct fault f = {0, 0, NULL};
#if defined(__x86_64__)
	if (uctx) {
		const mcontext_t *m = &((const ucontext_t *)uctx)->uc_mcontext;
		if (sig == SIGSEGV && (code == SEGV_MAPERR || code == SEGV_ACCERR))  /* x86's page-fault error code */
			f.access = m->gregs[REG_ERR] & 2 ? "a write to" : "a read of";
		f.pc = (uintptr_t)m->gregs[REG_RIP];
		f.sp = (uintptr_t)m->gregs[REG_RSP];
	}
#else
	(void)uctx, (void)sig, (void)code;
#endif
	return f;
}

/* A fault next to the stack pointer: the stack ran out. */
static bool stack_overflow(uintptr_t addr, uintptr_t sp)
{
	const uintptr_t near = 64u << 10;
	return sp && addr + near >= sp && addr <= sp + near;
}

/* The stack the unwinder finds through the signal frame, from the faulting
 * instruction pc on (as a return address: +1, so that the -1 every frame
 * gets lands on it), into out; 0 when it does not pass through pc (no
 * unwind tables, a smashed stack). It has the frames of code SlabSan did
 * not compile (libc's strlen and its caller's place in the program), which
 * the shadow stack lacks. */
static uint32_t unwound_from(uintptr_t pc, uintptr_t *out, uint32_t room)
{
	void *frames[SL_MAX_FRAMES + 16];
	int n = pc ? backtrace(frames, (int)(sizeof frames / sizeof frames[0])) : 0;
	for (int i = 0; i < n; i++) {
		if ((uintptr_t)frames[i] != pc)
			continue;
		uint32_t k = 0;
		out[k++] = pc + 1;
		for (int j = i + 1; j < n && k < room; j++)
			out[k++] = (uintptr_t)frames[j];
		return k;
	}
	return 0;
}

struct deadly_signal_report {
	struct sl_thread *thr;
	int sig;
	const siginfo_t *info;
	const void *uctx;
	bool in_runtime;
	bool unwind;           /* on the stack the signal came on: backtrace() can */
};

static void write_deadly_signal(void *args)
{
	const struct deadly_signal_report *r = args;
	struct sl_thread *thr = r->thr;
	int sig = r->sig, code = r->info ? r->info->si_code : SI_USER;
	struct fault f = fault_of(r->uctx, sig, code);
	uintptr_t pc = f.pc;
	uintptr_t addr = r->info ? (uintptr_t)r->info->si_addr : 0;
	char name[40], who[48], what[160];
	snprintf(name, sizeof name, "%s", signal_abbrev(sig));
	if (thr)
		sl_report_thread_name(who, sizeof who, thr->tid);
	else
		snprintf(who, sizeof who, "a thread SlabSan does not know");
	if (code <= 0)
		snprintf(what, sizeof what, "%s, sent by process %d,", name,
			 r->info ? (int)r->info->si_pid : 0);
	else if (sig == SIGSEGV || sig == SIGBUS)
		snprintf(what, sizeof what, "%s on %s 0x%lx (%s)", name,   /* %p says "(nil)" */
			 f.access ? f.access : "address", (unsigned long)addr, fault_cause(sig, code));
	else
		snprintf(what, sizeof what, "%s (%s)", name, fault_cause(sig, code));
	sl_report_begin(DEADLY_SIGNAL, thr);
	sl_report_section("fault", thr ? thr->tid : 0, "%s by %s", what, who);
	/* Else the shadow stack under the faulting instruction, read as it
	 * is: the depot's lock may be the one this thread holds. */
	uintptr_t pcs[SL_MAX_FRAMES + 1];
	uint32_t depth = r->unwind ? unwound_from(pc, pcs, SL_MAX_FRAMES + 1) : 0;
	if (!depth)
		depth = thr ? sl_stack_now(thr, pc + 1, pcs) : (pcs[0] = pc + 1, 1);
	/* (no faulting pc: a signal sent while the thread was inside the
	 * runtime, delivered later without its context) */
	bool has_pc = pc != 0;
	sl_report_pcs(pcs + !has_pc, depth - !has_pc);
	if ((sig == SIGSEGV || sig == SIGBUS) && code > 0) {
		if (addr < 4096)
			sl_report_note("The address is in the first page: a null pointer "
				       "dereference.\n");
		else if (sig == SIGSEGV && stack_overflow(addr, f.sp))
			sl_report_note("Stack overflow: the address is next to the stack pointer %p, "
				       "so the thread's stack ran out (unbounded recursion, or large "
				       "local arrays).\n", (void *)f.sp);
		else if (!r->in_runtime)
			sl_report_location(addr);
	}
	if (r->in_runtime)
		sl_report_note("The fault is inside the SlabSan runtime (pc %p): a bug in SlabSan, "
			       "or memory of its own that the program overwrote. Please report it "
			       "with this output.\n", (void *)pc);
	sl_report_end(DEADLY_SIGNAL);
}

/* On a handler's stack that is short (an alternate stack the program set,
 * of 8 KiB: a first call through the PLT takes most of it), the whole
 * report is written on the runtime's report stack, its stack the shadow
 * stack's: backtrace() walks from where it runs, which must be the stack
 * the signal came on. */
void sl_report_deadly_signal(int sig, const siginfo_t *info, const void *uctx)
{
	struct sl_thread *thr = sl_cur_thread;
	struct deadly_signal_report args = {
		thr, sig, info, uctx, sl_runtime_depth > 0 || (thr && thr->in_runtime), true};
	/* bounded: the fault may have come inside a report of this thread's */
	bool locked = sl_report_lock_for_exit();
	if (thr)
		thr->in_runtime = true;
	args.unwind = !sl_report_stack_short(thr);
	sl_report_write(thr, write_deadly_signal, &args);
	if (locked)
		sl_report_unlock_for_exit();
}
