/* SPDX-License-Identifier: Apache-2.0 */
/* What the checks tell report.c. Every function formats and prints one
 * report (unless it is a duplicate or suppressed) and returns. */
#ifndef SLABSAN_REPORT_H
#define SLABSAN_REPORT_H

#include <signal.h>

#include "internal.h"

/* An access or event recorded in a shadow slot. */
struct sl_prev_access { uint64_t w0, w1; };

/* cur_w0 and prev_w0 are shadow words (shadow.h) of the two accesses. */
void sl_report_race(struct sl_thread *thr, uintptr_t addr, size_t size, uint64_t cur_w0,
		    slabsan_site_t site, uint64_t prev_w0, uint64_t prev_w1);
void sl_report_use_after_free(struct sl_thread *thr, uintptr_t addr, size_t size,
			      bool is_write, bool is_marked, slabsan_site_t site,
			      uint64_t free_w1);
/* A free concurrent with another thread's read. */
void sl_report_free_race(struct sl_thread *thr, const struct sl_heap_block *b,
			 sl_stack_id free_stack, uint64_t prev_w0, uint64_t prev_w1,
			 uintptr_t prev_addr);
/* A free not ordered after the allocation (alloc_unordered) and/or after a
 * write by another thread (write_w0 != 0, at write_addr). */
void sl_report_free_without_acquire(struct sl_thread *thr, const struct sl_heap_block *b,
				    sl_stack_id free_stack, bool alloc_unordered,
				    uint64_t write_w0, uint64_t write_w1, uintptr_t write_addr);
void sl_report_double_free(struct sl_thread *thr, const struct sl_heap_block *b,
			   sl_stack_id free_stack);
void sl_report_invalid_free(struct sl_thread *thr, uintptr_t addr, sl_stack_id free_stack,
			    const char *why);
/* A deadly signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL) the program has no
 * handler for, from the signal handler; uctx is its ucontext_t, or NULL. */
void sl_report_deadly_signal(int sig, const siginfo_t *info, const void *uctx);
/* A call to an async-signal-unsafe function (call) from a handler of sig. */
void sl_report_signal_unsafe(struct sl_thread *thr, const char *call, int sig,
			     sl_stack_id stack);

#endif
