// Every allocation entry point returns usable, correctly aligned memory that
// frees cleanly: realloc(NULL, n), realloc(p, 0), calloc (zeroed, small and
// big), posix_memalign, aligned_alloc, memalign, reallocarray; aligned_alloc and
// memalign round an alignment that is no power of two up, as glibc does
// (posix_memalign refuses it); a size that cannot be had fails with ENOMEM;
// malloc_usable_size answers for live blocks and is 0 for other pointers.
// Silent, exit 0.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// Without a quarantine a freed block goes back to glibc at once, and the
// big callocs get the dirty memory back:
// RUN: env SLABSAN_OPTIONS=quarantine_size_mb=0 %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -fslabsan-mode=focused -O1 -g %s -o %t.focused && env SLABSAN_OPTIONS=quarantine_size_mb=0 %expect-exit 0 %t.focused 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// glibc fills new chunks, mapped ones too, when MALLOC_PERTURB_ is set:
// RUN: env MALLOC_PERTURB_=165 SLABSAN_OPTIONS=quarantine_size_mb=0 %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what)
{
	printf("FAILED: %s\n", what);
	return 1;
}

int main(void)
{
	char *p = realloc(NULL, 40);
	if (!p)
		return fail("realloc(NULL, 40)");
	memset(p, 'a', 40);
	p = realloc(p, 4000);
	if (!p || p[39] != 'a')
		return fail("realloc grow keeps contents");
	p[3999] = 'z';
	p = realloc(p, 10);
	if (!p || p[9] != 'a')
		return fail("realloc shrink keeps contents");
	if (realloc(p, 0) != NULL) /* frees p, as glibc does */
		return fail("realloc(p, 0) returns NULL");

	int *z = calloc(100, sizeof *z);
	for (int i = 0; i < 100; i++)
		if (!z || z[i] != 0)
			return fail("calloc zeroes");
	z[99] = 1;
	free(z);
	/* big ones too, where a dirty block of the same size was: glibc maps
	 * the first of each size for it alone (fresh, zero: not cleared
	 * again), then, its threshold raised, takes later ones from its heap */
	for (size_t big = 64 << 10; big <= (8u << 20); big *= 2) {
		for (int round = 0; round < 2; round++) {
			unsigned char *dirty = malloc(big);
			memset(dirty, 0xa5, big);
			free(dirty);
			unsigned char *zeroed = calloc(1, big);
			for (size_t i = 0; i < big; i += 1021)
				if (zeroed[i])
					return fail("big calloc zeroes");
			if (zeroed[big - 1])
				return fail("big calloc zeroes its last byte");
			free(zeroed);
		}
	}
	volatile size_t huge = SIZE_MAX / 2;
	void *volatile big = calloc(huge, 4); /* volatile: the call must happen */
	if (big != NULL)
		return fail("calloc overflow returns NULL");

	void *a = NULL;
	if (posix_memalign(&a, 64, 100) || ((uintptr_t)a & 63))
		return fail("posix_memalign(64)");
	memset(a, 1, 100);
	free(a);
	if (posix_memalign(&a, 3, 100) == 0)
		return fail("posix_memalign rejects alignment 3");

	long *b = aligned_alloc(256, 512);
	if (!b || ((uintptr_t)b & 255))
		return fail("aligned_alloc(256)");
	b[63] = 7;
	free(b);
	/* as glibc 2.36: an alignment that is no power of two is rounded up */
	volatile size_t odd = 24, too_big = SIZE_MAX;
	char *d = aligned_alloc(odd, 48);
	if (!d || ((uintptr_t)d & 31))
		return fail("aligned_alloc(24) gives 32-byte alignment");
	d[47] = 1;
	free(d);
	errno = 0;
	void *volatile none = aligned_alloc(too_big, 1);
	if (none || errno != EINVAL)
		return fail("aligned_alloc(SIZE_MAX) fails with EINVAL");

	double *c = memalign(4096, 100);
	if (!c || ((uintptr_t)c & 4095))
		return fail("memalign(4096)");
	c[11] = 1.5;
	c = realloc(c, 2000); /* realloc of an over-aligned block */
	if (!c || c[11] != 1.5)
		return fail("realloc of memalign'ed block");
	free(c);
	odd = 3;
	d = memalign(odd, 48);
	if (!d)
		return fail("memalign(3) allocates");
	free(d);

	errno = 0;
	none = pvalloc(too_big);   /* the size rounded up to pages wraps */
	if (none || errno != ENOMEM)
		return fail("pvalloc(SIZE_MAX) fails with ENOMEM");

	short *r = reallocarray(NULL, 10, sizeof *r);
	if (!r)
		return fail("reallocarray");
	r[9] = 9;
	free(r);
	free(NULL);

	/* malloc_usable_size: at least what was asked for a live block (ours
	 * and glibc's, plain and over-aligned); 0 for anything else, where
	 * glibc's would read a chunk header that is not there */
	static const size_t sizes[] = {1, 16, 17, 256, 257, 4000, 1 << 20};
	for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		char *u = malloc(sizes[i]);
		if (!u || malloc_usable_size(u) < sizes[i])
			return fail("malloc_usable_size covers the request");
		memset(u, 1, malloc_usable_size(u));
		if (malloc_usable_size(u + 16) != 0)
			return fail("malloc_usable_size of an inner pointer is 0");
		free(u);
	}
	void *m = memalign(512, 300);
	if (!m || malloc_usable_size(m) < 300)
		return fail("malloc_usable_size of a memalign'ed block");
	free(m);
	static long not_heap[4];
	if (malloc_usable_size(NULL) || malloc_usable_size(not_heap) ||
	    malloc_usable_size((void *)0x1234) || malloc_usable_size((void *)0x1230))
		return fail("malloc_usable_size of no block is 0");
	return 0;
}
// CLEAN-NOT: SlabSan
// CLEAN-NOT: FAILED
