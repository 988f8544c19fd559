// SPDX-License-Identifier: Apache-2.0
/* Signal handlers. sigaction() and signal() (and bsd_signal, sysv_signal)
 * are intercepted so that the kernel calls sl_signal_wrapper, which calls
 * the program's handler; the program still sees its own handler in oldact
 * and signal()'s result. The wrapper does two things, as ThreadSanitizer's
 * does:
 *
 * - It never lets a handler run while its thread is inside the runtime:
 *   holding a runtime lock or inside the malloc family (sl_runtime_depth >
 *   0; glibc's arena locks are as deadly as ours), or inside a runtime
 *   section (in_runtime), where the handler's accesses, fences and atomic
 *   stores would go unseen. Such a signal is recorded and the handler runs
 *   when the thread leaves the runtime (sl_runtime_leave,
 *   sl_runtime_section_end -> sl_signal_deliver_pending), with every signal
 *   but the synchronous faults blocked, errno preserved, and no ucontext.
 *   A synchronous fault (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS
 *   from the kernel, or one of those or SIGABRT that the process raised
 *   itself) is never deferred: returning would fault again, or abort()
 *   would go on without the handler.
 * - It counts the handlers running on the thread (sl_in_signal_handler),
 *   so that interceptors of async-signal-unsafe functions (the malloc
 *   family, pthread locks, condvars) can report a call from a handler:
 *   kind "signal-unsafe call inside a signal handler", once per call site.
 *
 * - A fault the program has no handler for (SIGSEGV, SIGBUS, SIGFPE,
 *   SIGILL left at SIG_DFL) is reported, with the faulting code's stack,
 *   the address and what it points into, before the process dies of it as
 *   it would have (handle_deadly_signals): the kernel runs the wrapper for
 *   these even while the program asks for the default, and the program
 *   still reads SIG_DFL back.
 *
 * SA_SIGINFO, SA_RESETHAND (the program's handler is forgotten at delivery,
 * like the kernel's), SA_NODEFER, SA_RESTART, SA_ONSTACK and the mask go to
 * the kernel as given; SIG_IGN and SIG_DFL are installed as they are. A
 * handler that leaves by siglongjmp/longjmp leaves the handler count too
 * (the jump functions are intercepted). */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "report.h"

_Thread_local int sl_runtime_depth __attribute__((tls_model("initial-exec")));
_Thread_local volatile int sl_signal_pending __attribute__((tls_model("initial-exec")));
_Thread_local int sl_in_signal_handler __attribute__((tls_model("initial-exec")));
/* the signal whose handler runs innermost on this thread, for reports */
static _Thread_local int handler_signo __attribute__((tls_model("initial-exec")));

/* The program's disposition of each signal, as it asked for it. */
struct action {
	_Atomic uintptr_t handler;   /* sa_handler / sa_sigaction, SIG_DFL, SIG_IGN */
	atomic_int flags;
	sigset_t mask;
	atomic_bool known;           /* set through sigaction() here */
};
static struct action actions[NSIG];

/* A signal that arrived inside the runtime, with what it is to run. */
struct pending {
	volatile sig_atomic_t armed;
	uintptr_t handler;
	int flags;
	siginfo_t info;
};
/* Made at the first such signal, not static TLS: NSIG of them are 10 KiB,
 * and glibc carves a thread's static TLS out of its stack, which left a
 * PTHREAD_STACK_MIN thread too little to run (its first lazily bound
 * call overflowed). A nested handler may race to make it: one wins. */
#define PENDING_TABLE_BYTES (NSIG * sizeof(struct pending))
static _Thread_local struct pending *_Atomic pending_table
	__attribute__((tls_model("initial-exec")));

static struct pending *pending_table_now(void)
{
	struct pending *table = atomic_load_explicit(&pending_table, memory_order_relaxed);
	if (table)
		return table;
	struct pending *fresh = sl_raw_mmap(NULL, PENDING_TABLE_BYTES, PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS);
	if (fresh == MAP_FAILED)
		return NULL;
	if (atomic_compare_exchange_strong(&pending_table, &table, fresh))
		return fresh;
	sl_raw_munmap(fresh, PENDING_TABLE_BYTES);
	return table;
}

static int (*real_sigaction)(int, const struct sigaction *, struct sigaction *);

static void sl_signal_wrapper(int sig, siginfo_t *info, void *uctx);

static bool is_fault(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
	       sig == SIGTRAP || sig == SIGSYS;
}

/* Must the handler run now, wherever the thread is? */
static bool synchronous(int sig, const siginfo_t *info)
{
	if (!is_fault(sig) && sig != SIGABRT)
		return false;
	if (!info)
		return true;
	if (info->si_code > 0 && is_fault(sig))
		return true;                 /* the kernel: this thread faulted */
	/* raise(), abort(), pthread_kill() by this process */
	return info->si_code == SI_TKILL && info->si_pid == getpid();
}

/* A fault that kills the process when the program leaves it at SIG_DFL,
 * which SlabSan reports first. */
static bool reported_when_deadly(int sig)
{
	return (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL) &&
	       sl_opt.handle_deadly_signals;
}

/* The default action of a signal whose handler was replaced by SIG_DFL
 * after it arrived: raise it again; it is blocked until the handler we are
 * in returns, and then the default action applies. */
static void reraise(int sig)
{
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
}

/* What the kernel runs for a deadly signal the program leaves at SIG_DFL:
 * the wrapper, on the thread's alternate stack if it has one. */
static struct sigaction deadly_action(void)
{
	struct sigaction act;
	memset(&act, 0, sizeof act);
	act.sa_sigaction = sl_signal_wrapper;
	act.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&act.sa_mask);
	return act;
}

/* The deadly signal being reported, for the watchdog. */
static volatile sig_atomic_t dying_of;

/* A report that cannot finish (a fault inside glibc's malloc, whose lock
 * starting the symbolizer needs) must not hang the program: the signal it
 * is dying of is unblocked, at its default action, and ends it. */
static void watchdog(int alarm_sig)
{
	(void)alarm_sig;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, dying_of);
	reraise(dying_of);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

/* A deadly signal the program leaves at SIG_DFL: report it, then die of
 * it. The kernel's default goes back first, so that a fault in the report
 * kills at once; a fault the kernel raised comes again when the faulting
 * instruction does (and dumps core where the program faulted), one sent
 * by kill() or raise() is sent again and waits until the handler returns.
 * A second thread faulting meanwhile waits for the first to finish, and
 * a report still unfinished after 10 seconds is given up (watchdog). */
static void die_of(int sig, siginfo_t *info, void *uctx)
{
	static atomic_bool reporting;
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	real_sigaction(sig, &dfl, NULL);
	if (atomic_exchange(&reporting, true)) {
		for (;;)
			pause();
	}
	dying_of = sig;
	struct sigaction wake;
	memset(&wake, 0, sizeof wake);
	wake.sa_handler = watchdog;
	sigemptyset(&wake.sa_mask);
	real_sigaction(SIGALRM, &wake, NULL);
	sigset_t alarm_set;
	sigemptyset(&alarm_set);
	sigaddset(&alarm_set, SIGALRM);
	pthread_sigmask(SIG_UNBLOCK, &alarm_set, NULL);
	alarm(10);
	sl_report_deadly_signal(sig, info, uctx);
	alarm(0);
	if (!info || info->si_code <= 0)
		reraise(sig);
}

static void sl_call_handler(int sig, uintptr_t handler, int flags, siginfo_t *info,
			    void *uctx)
{
	if (handler == (uintptr_t)SIG_IGN)
		return;
	if (handler == (uintptr_t)SIG_DFL) {
		if (reported_when_deadly(sig))
			die_of(sig, info, uctx);
		else
			reraise(sig);
		return;
	}
	int outer_signo = handler_signo;
	handler_signo = sig;
	sl_in_signal_handler++;
	/* The handler's calls and returns drop the interrupted code's cached
	 * stack, which may be no stack of the shadow frames at all: the call
	 * site of a libc function whose buffer is being checked
	 * (sl_access_by_call). It stands again once the handler is done. */
	struct sl_thread *thr = sl_cur_thread;
	sl_stack_id interrupted_stack = thr ? thr->access_stack : 0;
	atomic_signal_fence(memory_order_seq_cst);
	if (flags & SA_SIGINFO)
		((void (*)(int, siginfo_t *, void *))handler)(sig, info, uctx);
	else
		((void (*)(int))handler)(sig);
	atomic_signal_fence(memory_order_seq_cst);
	if (thr)
		thr->access_stack = interrupted_stack;
	sl_in_signal_handler--;
	handler_signo = outer_signo;
}

static bool inside_runtime(void)
{
	struct sl_thread *thr = sl_cur_thread;
	return sl_runtime_depth > 0 || (thr && thr->in_runtime);
}

static void sl_signal_wrapper(int sig, siginfo_t *info, void *uctx)
{
	if (sig <= 0 || sig >= NSIG)
		return;
	struct action *a = &actions[sig];
	int flags = atomic_load_explicit(&a->flags, memory_order_relaxed);
	uintptr_t handler = flags & SA_RESETHAND
		? atomic_exchange(&a->handler, (uintptr_t)SIG_DFL)
		: atomic_load_explicit(&a->handler, memory_order_acquire);
	struct pending *table;
	if (inside_runtime() && !synchronous(sig, info) && (table = pending_table_now())) {
		struct pending *p = &table[sig];
		if (!p->armed) {          /* a second one merges, as in the kernel */
			p->handler = handler;
			p->flags = flags;
			if (info)
				p->info = *info;
			else
				memset(&p->info, 0, sizeof p->info);
			atomic_signal_fence(memory_order_seq_cst);
			p->armed = 1;
		}
		atomic_signal_fence(memory_order_seq_cst);
		sl_signal_pending = 1;
		return;
	}
	sl_call_handler(sig, handler, flags, info, uctx);
}

/* While deferred handlers run: the signal mask to restore after them (or
 * when one of them jumps out). */
static _Thread_local bool delivering __attribute__((tls_model("initial-exec")));
static _Thread_local sigset_t mask_before_delivery __attribute__((tls_model("initial-exec")));

void sl_signal_deliver_pending(void)
{
	/* a lock's release inside a section: its end delivers */
	if (delivering || inside_runtime())
		return;
	/* before the mask changes: a handler that runs at once in between
	 * must not start a delivery of its own */
	delivering = true;
	atomic_signal_fence(memory_order_seq_cst);
	int saved_errno = errno;
	sigset_t block, old;
	sigfillset(&block);
	for (int sig = 1; sig < NSIG; sig++)
		if (is_fault(sig))
			sigdelset(&block, sig);
	pthread_sigmask(SIG_SETMASK, &block, &old);
	mask_before_delivery = old;
	while (sl_signal_pending) {
		sl_signal_pending = 0;
		atomic_signal_fence(memory_order_seq_cst);
		/* made before the flag was set; gone only at the thread's end */
		struct pending *table = atomic_load_explicit(&pending_table, memory_order_relaxed);
		for (int sig = 1; table && sig < NSIG; sig++) {
			struct pending *p = &table[sig];
			if (!p->armed)
				continue;
			siginfo_t info = p->info;
			uintptr_t handler = p->handler;
			int flags = p->flags;
			p->armed = 0;
			/* Blocked now: we are inside a handler whose mask blocks it
			 * (it arrived in the instant between a runtime section's end
			 * and this delivery, and that handler's read() or write()
			 * entered the runtime), or the program blocked it meanwhile.
			 * The kernel would hold it until unblocked: give it back. */
			if (sigismember(&old, sig))
				reraise(sig);
			else
				sl_call_handler(sig, handler, flags, &info, NULL);
		}
	}
	delivering = false;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = saved_errno;
}

/* ---- reports */

/* Async-signal-safe functions among the intercepted ones (POSIX's list). */
static bool signal_safe(const char *call)
{
	return !strcmp(call, "sem_post");
}

void sl_signal_unsafe_call(const char *call, uintptr_t pc)
{
	if (!atomic_load_explicit(&sl_initialized, memory_order_acquire))
		return;
	struct sl_thread *thr = sl_cur_thread;
	if (!thr || thr->in_runtime || thr->ignore_depth)
		return;
	thr->in_runtime = true;
	if (signal_safe(call)) {
		sl_runtime_section_end(thr);
		return;
	}
	sl_stack_id stack = sl_stack_here(thr, pc);
	sl_runtime_section_end(thr);
	sl_report_signal_unsafe(thr, call, handler_signo, stack);
}

/* ---- interceptors */

SL_EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *oldact)
{
	if (!real_sigaction)
		real_sigaction = sl_real_function("sigaction", NULL);
	if (sig <= 0 || sig >= NSIG)
		return real_sigaction(sig, act, oldact);
	struct action *a = &actions[sig];
	uintptr_t prev_handler = atomic_load(&a->handler);
	int prev_flags = atomic_load(&a->flags);
	sigset_t prev_mask = a->mask;
	bool prev_known = atomic_load(&a->known);
	struct sigaction wrapped;
	const struct sigaction *pass = act;
	if (act) {
		uintptr_t h = (uintptr_t)act->sa_handler;
		if (h != (uintptr_t)SIG_IGN && h != (uintptr_t)SIG_DFL) {
			wrapped = *act;
			wrapped.sa_sigaction = sl_signal_wrapper;
			wrapped.sa_flags |= SA_SIGINFO;
			pass = &wrapped;
		} else if (h == (uintptr_t)SIG_DFL && reported_when_deadly(sig)) {
			wrapped = deadly_action();
			pass = &wrapped;
		}
		/* before the kernel's switch, so the wrapper finds the new handler */
		a->mask = act->sa_mask;
		atomic_store(&a->flags, act->sa_flags);
		atomic_store(&a->handler, h);
		atomic_store(&a->known, true);
	}
	struct sigaction kernel_old;
	int ret = real_sigaction(sig, pass, oldact ? &kernel_old : NULL);
	if (ret != 0) {
		if (act) {
			a->mask = prev_mask;
			atomic_store(&a->flags, prev_flags);
			atomic_store(&a->handler, prev_handler);
			atomic_store(&a->known, prev_known);
		}
		return ret;
	}
	if (oldact) {
		*oldact = kernel_old;
		/* ours (or theirs reset by SA_RESETHAND): show what they asked for */
		if (kernel_old.sa_sigaction == sl_signal_wrapper ||
		    (prev_known && (uintptr_t)kernel_old.sa_handler == prev_handler)) {
			oldact->sa_handler = (void (*)(int))prev_handler;
			oldact->sa_flags = prev_flags;
			oldact->sa_mask = prev_mask;
		}
	}
	return 0;
}

/* ---- alternate stacks: the SIGSEGV of a stack overflow can run its
 * handler only on another stack. Each thread gets one unless it set up its
 * own; a finished thread's goes back to a list, never to the kernel: no
 * handler ever ran on most of them, so their pages cost no memory. */
#define ALT_STACK_BYTES (64u << 10)
SL_GLOBAL_LOCK(alt_stack_lock);
static void *spare_alt_stacks[SL_MAX_THREADS + 1];
static unsigned nspare_alt_stacks;
static _Thread_local void *thread_alt_stack __attribute__((tls_model("initial-exec")));

static void *take_alt_stack(void)
{
	void *mem = NULL;
	sl_spin_lock(&alt_stack_lock);
	if (nspare_alt_stacks)
		mem = spare_alt_stacks[--nspare_alt_stacks];
	sl_spin_unlock(&alt_stack_lock);
	if (mem)
		return mem;
	mem = sl_raw_mmap(NULL, ALT_STACK_BYTES, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
	return mem == MAP_FAILED ? NULL : mem;
}

static void give_back_alt_stack(void *mem)
{
	sl_spin_lock(&alt_stack_lock);
	if (nspare_alt_stacks < sizeof spare_alt_stacks / sizeof spare_alt_stacks[0]) {
		spare_alt_stacks[nspare_alt_stacks++] = mem;
		mem = NULL;
	}
	sl_spin_unlock(&alt_stack_lock);
	if (mem)
		sl_raw_munmap(mem, ALT_STACK_BYTES);
}

void sl_signal_thread_start(void)
{
	stack_t now;
	if (!sl_opt.handle_deadly_signals || sigaltstack(NULL, &now) != 0 ||
	    !(now.ss_flags & SS_DISABLE))
		return;
	int saved_errno = errno;
	void *mem = take_alt_stack();
	stack_t alt = {.ss_sp = mem, .ss_size = ALT_STACK_BYTES, .ss_flags = 0};
	if (mem && sigaltstack(&alt, NULL) == 0)
		thread_alt_stack = mem;
	else if (mem)
		give_back_alt_stack(mem);
	errno = saved_errno;
}

void sl_signal_thread_finish(void)
{
	if (!sl_signal_pending) {   /* else it stays: one signal not lost, 10 KiB kept */
		struct pending *table = atomic_exchange(&pending_table, NULL);
		if (table)
			sl_raw_munmap(table, PENDING_TABLE_BYTES);
	}
	void *mem = thread_alt_stack;
	stack_t now;
	if (!mem || sigaltstack(NULL, &now) != 0 || (now.ss_flags & SS_ONSTACK))
		return;
	thread_alt_stack = NULL;
	int saved_errno = errno;
	stack_t off = {.ss_flags = SS_DISABLE};
	/* (one the program put in place instead stays; ours is unused then) */
	if (now.ss_sp != mem || sigaltstack(&off, NULL) == 0)
		give_back_alt_stack(mem);
	errno = saved_errno;
}

/* Start-up: the deadly signals the program inherited at SIG_DFL get the
 * wrapper (an inherited SIG_IGN or handler stays). */
void sl_signal_init(void)
{
	if (!real_sigaction)
		real_sigaction = sl_real_function("sigaction", NULL);
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction now;
		if (!reported_when_deadly(sig) || real_sigaction(sig, NULL, &now) != 0 ||
		    now.sa_handler != SIG_DFL || (now.sa_flags & SA_SIGINFO))
			continue;
		struct sigaction wrapped = deadly_action();
		real_sigaction(sig, &wrapped, NULL);
	}
}

static sighandler_t set_handler(int sig, sighandler_t handler, int flags, bool mask_self)
{
	struct sigaction act, old;
	memset(&act, 0, sizeof act);
	act.sa_handler = handler;
	act.sa_flags = flags;
	sigemptyset(&act.sa_mask);
	if (mask_self && sigaddset(&act.sa_mask, sig) < 0)
		return SIG_ERR;              /* EINVAL */
	if (sigaction(sig, &act, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

/* glibc's signal(): BSD semantics, the handler stays and blocks its signal. */
SL_EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
	return set_handler(sig, handler, SA_RESTART, true);
}

SL_EXPORT sighandler_t bsd_signal(int sig, sighandler_t handler)
{
	return set_handler(sig, handler, SA_RESTART, true);
}

/* System V semantics: one delivery, not blocked in its own handler
 * (strict ISO C compilations call this one for signal()). */
SL_EXPORT sighandler_t sysv_signal(int sig, sighandler_t handler)
{
	return set_handler(sig, handler, SA_RESETHAND | SA_NODEFER, false);
}

SL_EXPORT sighandler_t __sysv_signal(int sig, sighandler_t handler)
{
	return set_handler(sig, handler, SA_RESETHAND | SA_NODEFER, false);
}

/* ---- leaving a handler by a jump: the handler count drops with it, and a
 * deferred handler's blocked signals are unblocked. A jump inside one
 * handler, to a setjmp of that same handler, is taken for a jump out (rare,
 * and the cost is a missed report, never a false one). */

#define REAL_JUMP(name)							\
	static void (*real_##name)(struct __jmp_buf_tag *, int)		\
		__attribute__((noreturn));					\
	SL_EXPORT __attribute__((noreturn)) void name(struct __jmp_buf_tag env[1], int val) \
	{									\
		if (!real_##name)						\
			real_##name = sl_real_function(#name, NULL);			\
		if (sl_in_signal_handler) {					\
			sl_in_signal_handler = 0;				\
			handler_signo = 0;					\
		}								\
		if (delivering) {						\
			delivering = false;					\
			pthread_sigmask(SIG_SETMASK, &mask_before_delivery, NULL); \
		}								\
		real_##name(env, val);						\
	}
REAL_JUMP(longjmp)
REAL_JUMP(_longjmp)
REAL_JUMP(siglongjmp)
REAL_JUMP(__longjmp_chk)
