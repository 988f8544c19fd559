// SPDX-License-Identifier: Apache-2.0
/* dlsym() in front of libc's, for one question: a program that asks for
 * the next "pthread_create" (dlsym(RTLD_NEXT, ...), as jemalloc does to
 * start its background threads) would get libc's and start a thread
 * SlabSan never sees created, with no edge from its creator: every value
 * the creator set up before would race with the thread's reads of it. It
 * gets SlabSan's pthread_create instead, which calls libc's.
 *
 * Every other lookup goes to libc's dlsym by a jump, not a call: libc
 * resolves RTLD_NEXT relative to the object its caller's return address
 * lies in, so that address must stay the program's. GCC cannot promise a
 * tail call, hence the few lines of assembly (x86-64, as the runtime). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "internal.h"

typedef void *dlsym_fn(void *, const char *);

/* libc's dlsym, for the stub's jump below; found on first use (two first
 * callers at once find the same one). */
__attribute__((visibility("hidden"))) dlsym_fn *_Atomic sl_libc_dlsym;

static dlsym_fn *libc_dlsym(void)
{
	dlsym_fn *f = atomic_load_explicit(&sl_libc_dlsym, memory_order_relaxed);
	if (f)
		return f;
	/* glibc 2.34 moved dlsym into libc under a new version */
	void *found = dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.34");
	if (!found)
		found = dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.2.5");
	if (!found)
		sl_die("cannot find libc's dlsym");
	f = (dlsym_fn *)found;
	atomic_store_explicit(&sl_libc_dlsym, f, memory_order_relaxed);
	return f;
}

/* The runtime's own lookups (real.c). */
void *sl_real_dlsym(void *handle, const char *name)
{
	return libc_dlsym()(handle, name);
}

/* The answer SlabSan gives itself, or NULL for libc's (the stub below);
 * finds libc's dlsym first, for the stub's jump. */
__attribute__((visibility("hidden"), used)) void *sl_dlsym_answer(void *handle,
								 const char *name)
{
	libc_dlsym();
	if (handle == RTLD_NEXT && name && !strcmp(name, "pthread_create"))
		return (void *)pthread_create;
	return NULL;
}

/* dlsym(handle, name): sl_dlsym_answer's, else a jump to libc's with the
 * arguments and return address as the program's call left them. */
__asm__(".text\n"
	".globl dlsym\n"
	".type dlsym, @function\n"
	"dlsym:\n"
	"	push %rdi\n"
	"	push %rsi\n"
	"	sub $8, %rsp\n"               /* the call below wants a 16-byte aligned stack */
	"	call sl_dlsym_answer\n"
	"	add $8, %rsp\n"
	"	pop %rsi\n"
	"	pop %rdi\n"
	"	test %rax, %rax\n"
	"	jz 1f\n"
	"	ret\n"
	"1:	jmp *sl_libc_dlsym(%rip)\n"
	".size dlsym, .-dlsym\n");
