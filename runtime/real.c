// SPDX-License-Identifier: Apache-2.0
/* The libc definitions our interceptors stand in front of. The program
 * links the runtime first, so the next definition of a name after ours
 * (RTLD_NEXT) is libc's. Without it an interceptor has nothing to call:
 * the runtime stops with the name rather than crash on a null pointer. */
#include <dlfcn.h>

#include "internal.h"

void *sl_real_function(const char *name, const char *version)
{
	void *f = version ? dlvsym(RTLD_NEXT, name, version) : NULL;
	if (!f)   /* libc's dlsym: ours answers some names with our own (dlsym.c) */
		f = sl_real_dlsym(RTLD_NEXT, name);
	if (!f)
		sl_die("cannot find %s: %s", name, dlerror());
	return f;
}
