// SPDX-License-Identifier: Apache-2.0
/* fork() from a multithreaded program: the child has only the forking
 * thread, so any runtime lock another thread held at that moment would stay
 * held forever. The child frees them all; the structures they guard were
 * left consistent by every holder except, rarely, one caught mid-update,
 * which is the price of never deadlocking. And the child is ordered after
 * everything the other threads did, since they stop at the fork. */
#include <unistd.h>

#include "shadow.h"

extern sl_spinlock *const __start_slabsan_locks[];
extern sl_spinlock *const __stop_slabsan_locks[];
void sl_sync_after_fork_child(void);
void sl_heap_after_fork_child(void);

static pid_t (*real_fork)(void);

SL_EXPORT pid_t fork(void)
{
	if (!real_fork)
		real_fork = sl_real_function("fork", NULL);
	pid_t pid = real_fork();
	if (pid == 0) {
		bool was = sl_runtime_work_begin();
		for (sl_spinlock *const *l = __start_slabsan_locks; l < __stop_slabsan_locks; l++)
			atomic_store_explicit(&(*l)->locked, 0, memory_order_relaxed);
		sl_sync_after_fork_child();
		if (sl_cur_thread)
			sl_thread_after_fork_child(sl_cur_thread);
		sl_heap_after_fork_child();
		sl_symbolize_after_fork_child();
		sl_report_after_fork_child();
		sl_runtime_work_end(was);
	}
	return pid;
}

/* A vfork() child shares our memory until it execs, so whatever it does
 * through the interceptors (a close() of every descriptor, say) would
 * change the parent's state: it gets a copy of its own, as under
 * ThreadSanitizer. */
SL_EXPORT pid_t vfork(void)
{
	return fork();
}
