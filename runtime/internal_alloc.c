// SPDX-License-Identifier: Apache-2.0
/* The runtime's own memory: power-of-two size classes carved from mmap'd
 * arenas, free lists under one spinlock, big blocks straight from mmap. It
 * never calls malloc, so it is safe inside malloc, free and reports. */
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

/* Pauses before a waiter starts yielding: the runtime's critical sections
 * (a clock join or copy) take about a hundred nanoseconds, and a yield is a
 * system call that costs more than that wait. A spin on an acquire load
 * takes the location's lock while the other side releases into it:
 * ring_alloc met 0.96 M contended locks per run, and the run made 200 k
 * sched_yield calls (3 s of system time) while a waiter yielded at once,
 * 15-35 k (0.2-0.5 s) with the pauses (docs/performance.md). A preempted
 * holder is still waited for with yields, after about a microsecond. */
#define SPINS_BEFORE_YIELD 64

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

void sl_spin_lock_slow(sl_spinlock *l)
{
	for (unsigned spins = 0;;) {
		if (!atomic_exchange_explicit(&l->locked, 1, memory_order_acquire))
			return;
		while (atomic_load_explicit(&l->locked, memory_order_relaxed)) {
			if (spins < SPINS_BEFORE_YIELD) {
				spins++;
				cpu_relax();
			} else {
				sched_yield();
			}
		}
	}
}

#define MIN_CLASS 4            /* 16 bytes */
#define MAX_CLASS 16           /* 64 KiB; bigger goes to mmap */
#define ARENA_SIZE (4u << 20)

struct free_block { struct free_block *next; };
static struct free_block *free_lists[MAX_CLASS + 1];
static char *arena_cur, *arena_end;
SL_GLOBAL_LOCK(alloc_lock);

/* Raw system calls: the program's mmap/munmap are intercepted (mmap.c) and
 * the runtime's own mappings must not go through that. */
void *sl_raw_mmap(void *addr, size_t size, int prot, int flags)
{
	return (void *)syscall(SYS_mmap, addr, size, prot, flags, -1, 0);
}

void sl_raw_munmap(void *addr, size_t size)
{
	syscall(SYS_munmap, addr, size);
}

static void *map(size_t size, int extra_flags)
{
	void *p = sl_raw_mmap(NULL, size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | extra_flags);
	if (p == MAP_FAILED) {
		/* most runtime mappings are reservations it never touches whole
		 * (the shadow's table alone is 1 GiB), which an address-space
		 * limit counts in full */
		struct rlimit as;
		if (!getrlimit(RLIMIT_AS, &as) && as.rlim_cur != RLIM_INFINITY)
			sl_die("out of memory mapping %zu bytes for the runtime: the address-space "
			       "limit (ulimit -v) is %llu MiB; SlabSan reserves a few GiB it mostly "
			       "never touches, so raise or lift the limit",
			       size, (unsigned long long)as.rlim_cur >> 20);
		sl_die("out of memory mapping %zu bytes for the runtime", size);
	}
	return p;
}

void *sl_mmap_reserve(size_t size)
{
	return map(size, MAP_NORESERVE);
}

static unsigned size_class(size_t size)
{
	unsigned c = MIN_CLASS;
	while (((size_t)1 << c) < size)
		c++;
	return c;
}

void *sl_alloc(size_t size)
{
	if (size == 0)
		size = 1;
	unsigned c = size_class(size);
	if (c > MAX_CLASS)
		return map(size, 0);
	size_t csize = (size_t)1 << c;
	sl_spin_lock(&alloc_lock);
	struct free_block *b = free_lists[c];
	bool used = b != NULL;
	if (used) {
		free_lists[c] = b->next;
	} else {
		if ((size_t)(arena_end - arena_cur) < csize) {
			arena_cur = map(ARENA_SIZE, 0);
			arena_end = arena_cur + ARENA_SIZE;
		}
		b = (struct free_block *)arena_cur;
		arena_cur += csize;
	}
	sl_spin_unlock(&alloc_lock);
	/* A block new from the arena is zero already (fresh mmap): clearing
	 * it would touch pages the caller may never use (a quarantine ring
	 * sized for few threads, shrunk before it fills). */
	if (used)
		memset(b, 0, csize);
	return b;
}

void sl_free(void *p, size_t size)
{
	if (!p)
		return;
	if (size == 0)
		size = 1;
	unsigned c = size_class(size);
	if (c > MAX_CLASS) {
		sl_raw_munmap(p, size);
		return;
	}
	struct free_block *b = p;
	sl_spin_lock(&alloc_lock);
	b->next = free_lists[c];
	free_lists[c] = b;
	sl_spin_unlock(&alloc_lock);
}
