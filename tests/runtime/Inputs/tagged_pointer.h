/* A pointer with its ABA tag, compare-exchanged as one 16-byte word: the
 * runtime cannot perform such an atomic for the program (the wide_*.c
 * tests). */
#ifndef TAGGED_POINTER_H
#define TAGGED_POINTER_H

#include <stdint.h>

struct tagged {
	long *ptr;
	uintptr_t tag;
};

#endif
