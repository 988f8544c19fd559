/* SPDX-License-Identifier: Apache-2.0 */
/* For dlsym_next_pthread_create.c: a library that defines probe() too and
 * asks for the next definition after its own, which no object has. */
#define _GNU_SOURCE
#include <dlfcn.h>

int probe(void)
{
	return 2;
}

void *next_probe(void)
{
	return dlsym(RTLD_NEXT, "probe");
}
