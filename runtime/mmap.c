// SPDX-License-Identifier: Apache-2.0
/* Memory that comes and goes under the program: mmap, munmap, mremap. A new
 * mapping holds no history, so its shadow and sync objects are forgotten;
 * otherwise a page mapped again at an old address would inherit the
 * previous mapping's accesses and report them as races. */
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shadow.h"

static void *(*real_mmap)(void *, size_t, int, int, int, off_t);
static int (*real_munmap)(void *, size_t);
static void *(*real_mremap)(void *, size_t, size_t, int, ...);

void sl_mmap_init(void)
{
	SL_FIND_REAL(mmap);
	SL_FIND_REAL(munmap);
	SL_FIND_REAL(mremap);
}

static void forget(void *addr, size_t size)
{
	if (!sl_initialized || addr == MAP_FAILED || !addr)
		return;
	sl_sync_remove_range((uintptr_t)addr, size);
	sl_shadow_clear((uintptr_t)addr, size);
}

SL_EXPORT void *mmap(void *addr, size_t size, int prot, int flags, int fd, off_t off)
{
	void *p = real_mmap ? real_mmap(addr, size, prot, flags, fd, off)
			    : (void *)syscall(SYS_mmap, addr, size, prot, flags, fd, off);
	forget(p, size);
	return p;
}

SL_EXPORT void *mmap64(void *addr, size_t size, int prot, int flags, int fd, off_t off)
	__attribute__((alias("mmap")));

SL_EXPORT int munmap(void *addr, size_t size)
{
	forget(addr, size);
	return real_munmap ? real_munmap(addr, size) : (int)syscall(SYS_munmap, addr, size);
}

SL_EXPORT void *mremap(void *old, size_t old_size, size_t new_size, int flags, ...)
{
	void *new_addr = NULL;
	if (flags & MREMAP_FIXED) {
		va_list ap;
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	void *p = real_mremap(old, old_size, new_size, flags, new_addr);
	if (p != MAP_FAILED) {
		/* The contents moved; their access history did not follow. */
		forget(old, old_size);
		forget(p, new_size);
	}
	return p;
}
