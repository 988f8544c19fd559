// SPDX-License-Identifier: Apache-2.0
/* libc functions that read the program's memory for it: their reads are
 * the caller's, checked where plain accesses are. A memcmp() of a buffer
 * another thread is still filling is a race like a loop over it (libuv's
 * fs_partial_write test compares a buffer before joining the thread that
 * read() into it; ThreadSanitizer reports it). Both ranges count whole,
 * as ThreadSanitizer's strict_memcmp does: which bytes decide the answer
 * depends on the data. The runtime compares nothing through these. */
#include <string.h>

#include "shadow.h"

static void both_read(const void *a, const void *b, size_t n, uintptr_t caller)
{
	sl_access_in_call(a, n, false, caller);
	sl_access_in_call(b, n, false, caller);
}

SL_EXPORT int memcmp(const void *a, const void *b, size_t n)
{
	both_read(a, b, n, SL_CALLER);
	int ret;
	SL_REAL_RESULT(ret, memcmp, a, b, n);
	return ret;
}

SL_EXPORT int bcmp(const void *a, const void *b, size_t n)
{
	both_read(a, b, n, SL_CALLER);
	int ret;
	SL_REAL_RESULT(ret, bcmp, a, b, n);
	return ret;
}
