// SPDX-License-Identifier: Apache-2.0
// A library built without SlabSan for tests/runtime/uninstrumented_free.c:
// one block handed between threads through its own release/acquire
// exchange, which SlabSan cannot see (as glibc's internal locks).
#include <stdatomic.h>
#include <stdlib.h>

static _Atomic(long *) slot;

void pool_put(void)
{
	long *p = malloc(sizeof *p); /* POOL_MALLOC */
	*p = 1;
	atomic_store_explicit(&slot, p, memory_order_release);
}

long *pool_take(void)
{
	long *p;
	while (!(p = atomic_exchange_explicit(&slot, NULL, memory_order_acquire)))
		;
	return p;
}

/* The block without the acquire: whoever frees it is not ordered after
 * its allocation. */
long *pool_peek(void)
{
	long *p;
	while (!(p = atomic_load_explicit(&slot, memory_order_relaxed)))
		;
	return p;
}

/* Returns 1: work after the free keeps it from being a tail call, whose
 * return address would be the (instrumented) caller's. */
int pool_take_and_free(void)
{
	free(pool_take());
	return 1;
}
