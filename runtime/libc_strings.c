// SPDX-License-Identifier: Apache-2.0
/* <string.h> functions that read and write the program's memory for it:
 * their accesses are the caller's, checked where plain accesses are (full
 * mode) and reported at the call. A strlen() or memcmp() of a buffer
 * another thread is still filling is a race like a loop over it (libuv's
 * fs_partial_write test compares a buffer before joining the thread that
 * read() into it), and a strcpy() into a freed block a use after free.
 *
 * Each function counts the bytes its definition must touch: a string up
 * to its terminator, a search up to what it found, a comparison up to the
 * first difference. memcmp() and bcmp() count both ranges whole, as
 * ThreadSanitizer's strict_memcmp does, since which bytes decide depends
 * on the data. memcpy(), memmove() and memset() come from the pass
 * (__slabsan_memcpy & co., with sites); their _FORTIFY_SOURCE forms
 * (__memcpy_chk & co.), which no pass sees, are checked here.
 *
 * The runtime's own calls are not checked: it makes them inside the
 * runtime (sl_program_thread) or before start-up. */
#include <ctype.h>
#include <string.h>

#include "shadow.h"

/* Whether this call's accesses are checked: the program's call, in full
 * mode. Asked first, so unchecked calls cost one test. */
static SL_ALWAYS_INLINE bool checked(void)
{
	return !sl_records_tracked() && sl_program_thread();
}

static void reads(const void *p, size_t n, uintptr_t caller)
{
	sl_access_in_call(p, n, false, caller);
}

static void writes(void *p, size_t n, uintptr_t caller)
{
	sl_access_in_call(p, n, true, caller);
}

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

/* Bytes a comparison of a and b reads of each, at most n: up to and with
 * the first that differs or ends both. */
static size_t compared(const char *a, const char *b, size_t n, bool fold_case)
{
	size_t i = 0;
	while (i < n) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		i++;
		if (fold_case ? tolower(x) != tolower(y) : x != y)
			break;
		if (!x)
			break;
	}
	return i;
}

/* Characters of s before its terminator, at most max. */
static size_t length(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

/* Bytes of s a function reading it to its end touches, at most max: with
 * the terminator if it comes within max. */
static size_t string_bytes(const char *s, size_t max)
{
	size_t n = length(s, max);
	return n < max ? n + 1 : max;
}

/* ---- lengths and searches: the string up to what they found */

SL_EXPORT size_t strlen(const char *s)
{
	size_t n;
	SL_REAL_RESULT(n, strlen, s);
	if (checked())
		reads(s, n + 1, SL_CALLER);
	return n;
}

SL_EXPORT size_t strnlen(const char *s, size_t max)
{
	size_t n;
	SL_REAL_RESULT(n, strnlen, s, max);
	if (checked())
		reads(s, min_size(n + 1, max), SL_CALLER);
	return n;
}

/* A search through s whose answer is found (or NULL): reads s up to and
 * with found, or all of it. */
static void search_read(const char *s, const char *found, size_t max, uintptr_t caller)
{
	reads(s, found ? (size_t)(found - s) + 1 : string_bytes(s, max), caller);
}

SL_EXPORT char *strchr(const char *s, int c)
{
	char *found;
	SL_REAL_RESULT(found, strchr, s, c);
	if (checked())
		search_read(s, found, SIZE_MAX, SL_CALLER);
	return found;
}

SL_EXPORT char *strchrnul(const char *s, int c)
{
	char *found;
	SL_REAL_RESULT(found, strchrnul, s, c);
	if (checked())
		search_read(s, found, SIZE_MAX, SL_CALLER);
	return found;
}

SL_EXPORT char *strrchr(const char *s, int c)
{
	char *found;
	SL_REAL_RESULT(found, strrchr, s, c);
	if (checked())
		reads(s, string_bytes(s, SIZE_MAX), SL_CALLER);
	return found;
}

SL_EXPORT void *memchr(const void *s, int c, size_t n)
{
	void *found;
	SL_REAL_RESULT(found, memchr, s, c, n);
	if (checked())
		reads(s, found ? (size_t)((const char *)found - (const char *)s) + 1 : n, SL_CALLER);
	return found;
}

SL_EXPORT char *strstr(const char *haystack, const char *needle)
{
	char *found;
	SL_REAL_RESULT(found, strstr, haystack, needle);
	if (checked()) {
		size_t needle_len = length(needle, SIZE_MAX);
		reads(needle, needle_len + 1, SL_CALLER);
		reads(haystack, found ? (size_t)(found - haystack) + needle_len
				      : string_bytes(haystack, SIZE_MAX), SL_CALLER);
	}
	return found;
}

/* ---- comparisons */

static void both_read(const void *a, const void *b, size_t n, uintptr_t caller)
{
	reads(a, n, caller);
	reads(b, n, caller);
}

SL_EXPORT int memcmp(const void *a, const void *b, size_t n)
{
	if (checked())
		both_read(a, b, n, SL_CALLER);
	int ret;
	SL_REAL_RESULT(ret, memcmp, a, b, n);
	return ret;
}

SL_EXPORT int bcmp(const void *a, const void *b, size_t n)
{
	if (checked())
		both_read(a, b, n, SL_CALLER);
	int ret;
	SL_REAL_RESULT(ret, bcmp, a, b, n);
	return ret;
}

#define STRING_COMPARE(name, params, limit, fold_case, ...)		\
	SL_EXPORT int name params					\
	{								\
		if (checked())						\
			both_read(a, b, compared(a, b, limit, fold_case), SL_CALLER); \
		int ret;						\
		SL_REAL_RESULT(ret, name, __VA_ARGS__);			\
		return ret;						\
	}
STRING_COMPARE(strcmp, (const char *a, const char *b), SIZE_MAX, false, a, b)
STRING_COMPARE(strncmp, (const char *a, const char *b, size_t n), n, false, a, b, n)
STRING_COMPARE(strcasecmp, (const char *a, const char *b), SIZE_MAX, true, a, b)
STRING_COMPARE(strncasecmp, (const char *a, const char *b, size_t n), n, true, a, b, n)

/* ---- copies: the source read, the destination written */

/* strcpy() and its kin: src read and dst written to src's terminator. */
static void copy_string(char *dst, const char *src, uintptr_t caller)
{
	size_t n = string_bytes(src, SIZE_MAX);
	reads(src, n, caller);
	writes(dst, n, caller);
}

SL_EXPORT char *strcpy(char *restrict dst, const char *restrict src)
{
	if (checked())
		copy_string(dst, src, SL_CALLER);
	char *ret;
	SL_REAL_RESULT(ret, strcpy, dst, src);
	return ret;
}

SL_EXPORT char *stpcpy(char *restrict dst, const char *restrict src)
{
	if (checked())
		copy_string(dst, src, SL_CALLER);
	char *ret;
	SL_REAL_RESULT(ret, stpcpy, dst, src);
	return ret;
}

/* strncpy() reads src to its terminator or n, and pads dst with zeros
 * to n. */
static void copy_bounded(char *dst, const char *src, size_t n, uintptr_t caller)
{
	reads(src, string_bytes(src, n), caller);
	writes(dst, n, caller);
}

SL_EXPORT char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
	if (checked())
		copy_bounded(dst, src, n, SL_CALLER);
	char *ret;
	SL_REAL_RESULT(ret, strncpy, dst, src, n);
	return ret;
}

/* strcat() and strncat() read dst to its end and write there src's
 * characters (at most max) and a terminator. */
static void append(char *dst, const char *src, size_t max, uintptr_t caller)
{
	size_t dst_len = length(dst, SIZE_MAX), src_len = length(src, max);
	reads(dst, dst_len + 1, caller);
	reads(src, string_bytes(src, max), caller);
	writes(dst + dst_len, src_len + 1, caller);
}

SL_EXPORT char *strcat(char *restrict dst, const char *restrict src)
{
	if (checked())
		append(dst, src, SIZE_MAX, SL_CALLER);
	char *ret;
	SL_REAL_RESULT(ret, strcat, dst, src);
	return ret;
}

SL_EXPORT char *strncat(char *restrict dst, const char *restrict src, size_t n)
{
	if (checked())
		append(dst, src, n, SL_CALLER);
	char *ret;
	SL_REAL_RESULT(ret, strncat, dst, src, n);
	return ret;
}

/* The copy lands in a block malloc() just made; only the source counts. */
SL_EXPORT char *strdup(const char *s)
{
	if (checked())
		reads(s, string_bytes(s, SIZE_MAX), SL_CALLER);
	char *ret;
	SL_REAL_RESULT(ret, strdup, s);
	return ret;
}

SL_EXPORT char *strndup(const char *s, size_t n)
{
	if (checked())
		reads(s, string_bytes(s, n), SL_CALLER);
	char *ret;
	SL_REAL_RESULT(ret, strndup, s, n);
	return ret;
}

/* ---- _FORTIFY_SOURCE's checked forms, which the compiler emits instead
 * of the builtins the pass would have seen */

static void copy_bytes(void *dst, const void *src, size_t n, uintptr_t caller)
{
	reads(src, n, caller);
	writes(dst, n, caller);
}

SL_EXPORT void *__memcpy_chk(void *restrict dst, const void *restrict src, size_t n,
			     size_t dst_len)
{
	if (checked())
		copy_bytes(dst, src, n, SL_CALLER);
	void *ret;
	SL_REAL_RESULT(ret, __memcpy_chk, dst, src, n, dst_len);
	return ret;
}

SL_EXPORT void *__memmove_chk(void *dst, const void *src, size_t n, size_t dst_len)
{
	if (checked())
		copy_bytes(dst, src, n, SL_CALLER);
	void *ret;
	SL_REAL_RESULT(ret, __memmove_chk, dst, src, n, dst_len);
	return ret;
}

SL_EXPORT void *__memset_chk(void *dst, int c, size_t n, size_t dst_len)
{
	if (checked())
		writes(dst, n, SL_CALLER);
	void *ret;
	SL_REAL_RESULT(ret, __memset_chk, dst, c, n, dst_len);
	return ret;
}

SL_EXPORT char *__strcpy_chk(char *restrict dst, const char *restrict src, size_t dst_len)
{
	if (checked())
		copy_string(dst, src, SL_CALLER);
	char *ret;
	SL_REAL_RESULT(ret, __strcpy_chk, dst, src, dst_len);
	return ret;
}

SL_EXPORT char *__stpcpy_chk(char *restrict dst, const char *restrict src, size_t dst_len)
{
	if (checked())
		copy_string(dst, src, SL_CALLER);
	char *ret;
	SL_REAL_RESULT(ret, __stpcpy_chk, dst, src, dst_len);
	return ret;
}

SL_EXPORT char *__strncpy_chk(char *restrict dst, const char *restrict src, size_t n,
			      size_t dst_len)
{
	if (checked())
		copy_bounded(dst, src, n, SL_CALLER);
	char *ret;
	SL_REAL_RESULT(ret, __strncpy_chk, dst, src, n, dst_len);
	return ret;
}

SL_EXPORT char *__strcat_chk(char *restrict dst, const char *restrict src, size_t dst_len)
{
	if (checked())
		append(dst, src, SIZE_MAX, SL_CALLER);
	char *ret;
	SL_REAL_RESULT(ret, __strcat_chk, dst, src, dst_len);
	return ret;
}

SL_EXPORT char *__strncat_chk(char *restrict dst, const char *restrict src, size_t n,
			      size_t dst_len)
{
	if (checked())
		append(dst, src, n, SL_CALLER);
	char *ret;
	SL_REAL_RESULT(ret, __strncat_chk, dst, src, n, dst_len);
	return ret;
}
