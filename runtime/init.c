// SPDX-License-Identifier: Apache-2.0
/* Start-up and shut-down. The runtime starts from .preinit_array, before any
 * constructor of the program, or earlier from whichever hook runs first
 * (malloc, a module constructor registering sites). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "finding.h"
#include "history.h"
#include "report.h"
#include "shadow.h"

atomic_bool sl_initialized;

void sl_die(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof msg - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof msg - 2)
		n = sizeof msg - 2;
	msg[n++] = '\n';
	if (sl_sys_write(2, "SlabSan: error: ", 16) < 0 || sl_sys_write(2, msg, (size_t)n) < 0)
		_exit(1);
	_exit(1);
}

atomic_int sl_memory_state;

void sl_init_memory_slow(void)
{
	int expected = SL_MEMORY_NEW;
	if (!atomic_compare_exchange_strong(&sl_memory_state, &expected, SL_MEMORY_STARTING)) {
		while (atomic_load(&sl_memory_state) != SL_MEMORY_READY)
			;
		return;
	}
	sl_shadow_init();
	sl_stack_init();
	atomic_store_explicit(&sl_memory_state, SL_MEMORY_READY, memory_order_release);
}

/* The program's buffered output, before an _exit that skips libc's own
 * flush. Not fflush(NULL): that locks every stream, and exit() may come
 * while another thread sits blocked holding one (in fgets on a pipe, say),
 * which would hang the exit for good. glibc's own exit flushes without the
 * locks; here a stream another thread holds is skipped instead. */
#ifdef __GLIBC__
extern FILE *_IO_list_all;   /* every open stream, chained by _chain */
static void flush_streams(void)
{
	for (FILE *f = _IO_list_all; f; f = f->_chain)
		if (ftrylockfile(f) == 0) {
			fflush_unlocked(f);
			funlockfile(f);
		}
}
#else
static void flush_streams(void)
{
	fflush(stdout);
	fflush(stderr);
}
#endif

atomic_bool sl_exiting;

static void at_exit(void)
{
	atomic_store_explicit(&sl_exiting, true, memory_order_relaxed);
	bool was = sl_runtime_work_begin();
	sl_report_finish();
	sl_runtime_work_end(was);
	if (sl_report_count()) {
		flush_streams();
		_exit(sl_opt.exitcode);
	}
}

/* .preinit_array runs before libc's own initializer has set environ, so
 * start-up reads the environment it was handed. */
static char **start_envp;

static const char *env_lookup(const char *name)
{
	size_t n = strlen(name);
	if (start_envp)
		for (char **e = start_envp; *e; e++)
			if (!strncmp(*e, name, n) && (*e)[n] == '=')
				return *e + n + 1;
	return getenv(name);
}

void sl_init(void)
{
	static atomic_bool started;
	if (sl_likely(atomic_load_explicit(&sl_initialized, memory_order_acquire)))
		return;
	if (atomic_exchange(&started, true))
		return;                /* re-entered from inside start-up */
	sl_init_memory();
	sl_options_init(env_lookup("SLABSAN_OPTIONS"));
	sl_sites_init();
	sl_history_init();
	sl_report_init();
	sl_symbolize_init();
	sl_output_init();
	sl_suppressions_init();
	sl_posix_init();
	sl_signal_init();
	sl_mmap_init();
	sl_c11threads_init();
	sl_thread_init_main();
	atexit(at_exit);
	atomic_store_explicit(&sl_initialized, true, memory_order_release);
}

static void preinit(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv;
	start_envp = envp;
	sl_init();
}
__attribute__((section(".preinit_array"), used))
static void (*slabsan_preinit)(int, char **, char **) = preinit;
