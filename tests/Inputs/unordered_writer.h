/* SPDX-License-Identifier: Apache-2.0 */
/* For tests that need a race at a place of their choosing: a thread
 * writes *var through write(), and the caller goes on once it has, with
 * nothing ordering the two (a relaxed flag), so the caller's next access
 * to *var races with that write. */
#include <pthread.h>
#include <stdatomic.h>

struct unordered_writer {
	void (*write)(int *var);
	int *var;
	atomic_int wrote;
};

/* The usual write(): store 1. */
static void unordered_write_one(int *var)
{
	*var = 1; /* WRITE_ONE */
}

static void *unordered_writer_run(void *arg)
{
	struct unordered_writer *w = arg;
	w->write(w->var);
	atomic_store_explicit(&w->wrote, 1, memory_order_relaxed);   /* orders nothing */
	return NULL;
}

/* Starts the writer and returns once it has written; join the result. */
static inline pthread_t start_unordered_writer(struct unordered_writer *w)
{
	pthread_t t;
	atomic_store(&w->wrote, 0);
	pthread_create(&t, NULL, unordered_writer_run, w);
	while (!atomic_load_explicit(&w->wrote, memory_order_relaxed))
		;
	return t;
}
