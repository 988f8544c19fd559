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
 * mode. An unchecked call costs this test and no counting. */
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

/* The two shapes of an interceptor here: `check` before the real call
 * (a copy's source and destination), or after it, seeing its result as
 * `got` (a search's find). Either runs only when checked(). */
#define CHECK_BEFORE(ret, name, params, check, ...)			\
	SL_EXPORT ret name params					\
	{								\
		if (checked())						\
			check;						\
		ret got;						\
		SL_REAL_RESULT(got, name, __VA_ARGS__);			\
		return got;						\
	}
#define CHECK_AFTER(ret, name, params, check, ...)			\
	SL_EXPORT ret name params					\
	{								\
		ret got;						\
		SL_REAL_RESULT(got, name, __VA_ARGS__);			\
		if (checked())						\
			check;						\
		return got;						\
	}

/* ---- lengths and searches: the string up to what they found */

/* A search through s whose answer is found (or NULL): reads s up to and
 * with found, or to its end (at most max bytes). */
static void search_read(const void *s, const void *found, size_t max, uintptr_t caller)
{
	reads(s, found ? (size_t)((const char *)found - (const char *)s) + 1
		       : string_bytes(s, max), caller);
}

/* strstr() reads the needle whole, the haystack up to the match's end. */
static void substring_read(const char *haystack, const char *needle, const char *found,
			   uintptr_t caller)
{
	size_t needle_len = length(needle, SIZE_MAX);
	reads(needle, needle_len + 1, caller);
	reads(haystack, found ? (size_t)(found - haystack) + needle_len
			      : string_bytes(haystack, SIZE_MAX), caller);
}

CHECK_AFTER(size_t, strlen, (const char *s), reads(s, got + 1, SL_CALLER), s)
CHECK_AFTER(size_t, strnlen, (const char *s, size_t max), reads(s, min_size(got + 1, max), SL_CALLER),
	    s, max)
CHECK_AFTER(char *, strchr, (const char *s, int c), search_read(s, got, SIZE_MAX, SL_CALLER), s, c)
CHECK_AFTER(char *, strchrnul, (const char *s, int c), search_read(s, got, SIZE_MAX, SL_CALLER), s,
	    c)
CHECK_AFTER(char *, strrchr, (const char *s, int c), reads(s, string_bytes(s, SIZE_MAX), SL_CALLER),
	    s, c)
/* memchr() is no string function: without a find it read all n bytes */
CHECK_AFTER(void *, memchr, (const void *s, int c, size_t n),
	    reads(s, got ? (size_t)((const char *)got - (const char *)s) + 1 : n, SL_CALLER), s, c, n)
CHECK_AFTER(char *, strstr, (const char *haystack, const char *needle),
	    substring_read(haystack, needle, got, SL_CALLER), haystack, needle)

/* ---- comparisons */

static void both_read(const void *a, const void *b, size_t n, uintptr_t caller)
{
	reads(a, n, caller);
	reads(b, n, caller);
}

CHECK_BEFORE(int, memcmp, (const void *a, const void *b, size_t n), both_read(a, b, n, SL_CALLER), a,
	     b, n)
CHECK_BEFORE(int, bcmp, (const void *a, const void *b, size_t n), both_read(a, b, n, SL_CALLER), a, b,
	     n)
CHECK_BEFORE(int, strcmp, (const char *a, const char *b),
	     both_read(a, b, compared(a, b, SIZE_MAX, false), SL_CALLER), a, b)
CHECK_BEFORE(int, strncmp, (const char *a, const char *b, size_t n),
	     both_read(a, b, compared(a, b, n, false), SL_CALLER), a, b, n)
CHECK_BEFORE(int, strcasecmp, (const char *a, const char *b),
	     both_read(a, b, compared(a, b, SIZE_MAX, true), SL_CALLER), a, b)
CHECK_BEFORE(int, strncasecmp, (const char *a, const char *b, size_t n),
	     both_read(a, b, compared(a, b, n, true), SL_CALLER), a, b, n)

/* ---- copies: the source read, the destination written */

/* strcpy() and its kin: src read and dst written to src's terminator. */
static void copy_string(char *dst, const char *src, uintptr_t caller)
{
	size_t n = string_bytes(src, SIZE_MAX);
	reads(src, n, caller);
	writes(dst, n, caller);
}

/* strncpy() reads src to its terminator or n, and pads dst with zeros
 * to n. */
static void copy_bounded(char *dst, const char *src, size_t n, uintptr_t caller)
{
	reads(src, string_bytes(src, n), caller);
	writes(dst, n, caller);
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

static void copy_bytes(void *dst, const void *src, size_t n, uintptr_t caller)
{
	reads(src, n, caller);
	writes(dst, n, caller);
}

CHECK_BEFORE(char *, strcpy, (char *restrict dst, const char *restrict src),
	     copy_string(dst, src, SL_CALLER), dst, src)
CHECK_BEFORE(char *, stpcpy, (char *restrict dst, const char *restrict src),
	     copy_string(dst, src, SL_CALLER), dst, src)
CHECK_BEFORE(char *, strncpy, (char *restrict dst, const char *restrict src, size_t n),
	     copy_bounded(dst, src, n, SL_CALLER), dst, src, n)
CHECK_BEFORE(char *, strcat, (char *restrict dst, const char *restrict src),
	     append(dst, src, SIZE_MAX, SL_CALLER), dst, src)
CHECK_BEFORE(char *, strncat, (char *restrict dst, const char *restrict src, size_t n),
	     append(dst, src, n, SL_CALLER), dst, src, n)
/* The copy lands in a block malloc() just made; only the source counts. */
CHECK_BEFORE(char *, strdup, (const char *s), reads(s, string_bytes(s, SIZE_MAX), SL_CALLER), s)
CHECK_BEFORE(char *, strndup, (const char *s, size_t n), reads(s, string_bytes(s, n), SL_CALLER), s,
	     n)

/* ---- _FORTIFY_SOURCE's checked forms, which the compiler emits instead
 * of the builtins the pass would have seen */

CHECK_BEFORE(void *, __memcpy_chk,
	     (void *restrict dst, const void *restrict src, size_t n, size_t dst_len),
	     copy_bytes(dst, src, n, SL_CALLER), dst, src, n, dst_len)
CHECK_BEFORE(void *, __memmove_chk, (void *dst, const void *src, size_t n, size_t dst_len),
	     copy_bytes(dst, src, n, SL_CALLER), dst, src, n, dst_len)
CHECK_BEFORE(void *, __memset_chk, (void *dst, int c, size_t n, size_t dst_len),
	     writes(dst, n, SL_CALLER), dst, c, n, dst_len)
CHECK_BEFORE(char *, __strcpy_chk, (char *restrict dst, const char *restrict src, size_t dst_len),
	     copy_string(dst, src, SL_CALLER), dst, src, dst_len)
CHECK_BEFORE(char *, __stpcpy_chk, (char *restrict dst, const char *restrict src, size_t dst_len),
	     copy_string(dst, src, SL_CALLER), dst, src, dst_len)
CHECK_BEFORE(char *, __strncpy_chk,
	     (char *restrict dst, const char *restrict src, size_t n, size_t dst_len),
	     copy_bounded(dst, src, n, SL_CALLER), dst, src, n, dst_len)
CHECK_BEFORE(char *, __strcat_chk, (char *restrict dst, const char *restrict src, size_t dst_len),
	     append(dst, src, SIZE_MAX, SL_CALLER), dst, src, dst_len)
CHECK_BEFORE(char *, __strncat_chk,
	     (char *restrict dst, const char *restrict src, size_t n, size_t dst_len),
	     append(dst, src, n, SL_CALLER), dst, src, n, dst_len)
