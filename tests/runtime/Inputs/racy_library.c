// SPDX-License-Identifier: Apache-2.0
// An instrumented shared library for tests/runtime/dlopen_library.c.
void library_write(int *p)
{
	*p = 1; /* LIBRARY_WRITE */
}
