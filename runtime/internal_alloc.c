// SPDX-License-Identifier: Apache-2.0
/* The runtime's own memory: power-of-two size classes carved from mmap'd
 * arenas, free lists under one spinlock, big blocks straight from mmap. It
 * never calls malloc, so it is safe inside malloc, free and reports. */
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

void sl_spin_lock_slow(sl_spinlock *l)
{
	for (;;) {
		if (!atomic_exchange_explicit(&l->locked, 1, memory_order_acquire))
			return;
		while (atomic_load_explicit(&l->locked, memory_order_relaxed))
			sched_yield();
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
	if (p == MAP_FAILED)
		sl_die("out of memory mapping %zu bytes for the runtime", size);
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
	if (b) {
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
