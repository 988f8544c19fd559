/* SPDX-License-Identifier: Apache-2.0 */
/* slabsan-litmus: the parsed form of a C litmus test (herd7's format), shared
 * by the parser (slabsan-litmus-parse.c), the C generator
 * (slabsan-litmus-gen.c) and the driver (slabsan-litmus.c). */
#ifndef SLABSAN_LITMUS_H
#define SLABSAN_LITMUS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Where a condition looks: register `name` of P`proc`, or shared variable
 * `name` when proc is -1. */
struct lt_location {
	int proc;
	char *name;
};

/* The right-hand side of `loc=value`: a number, or a shared variable's name
 * standing for its address (herd7's `0:r0=y`). */
struct lt_value {
	bool is_address;
	long long number;
	char *name;
};

enum lt_cond_kind { LT_COND_TRUE, LT_COND_FALSE, LT_COND_EQ, LT_COND_NOT, LT_COND_AND, LT_COND_OR };

struct lt_cond {
	enum lt_cond_kind kind;
	struct lt_cond *lhs, *rhs;   /* NOT uses lhs only */
	struct lt_location loc;      /* EQ */
	struct lt_value value;       /* EQ */
	int line;
};

/* A shared variable: declared in the initial-state block, or implied by a
 * P parameter or an `&name` there (herd7 makes those int 0). */
struct lt_var {
	char *name;
	char *type;   /* C type, e.g. "int" or "int *" */
	char *init;   /* initializer as written, or NULL for all-zero */
	int line;
};

/* A register: a local of a P function that the final condition may read. */
struct lt_reg {
	char *name;
	char *type;
	bool implicit;   /* assigned in the body but never declared (herd7 allows it) */
};

struct lt_proc {
	int index;
	int line;            /* of "Pn(" */
	char *header;        /* "Pn(int *x, ...)" up to the body's '{', as written */
	char **params;       /* parameter names, in order: shared variables */
	int nparams;
	char *body;          /* "{ ... }" with registers zero-initialized, same lines */
	struct lt_reg *regs; /* top-level locals and implicit registers */
	int nregs;
	bool uses_locks;     /* calls spin_lock/spin_trylock/spin_unlock */
};

enum lt_final_kind { LT_EXISTS, LT_NOT_EXISTS, LT_FORALL };

struct lt_test {
	char *path;          /* as given on the command line */
	char *name;          /* from the header line `C name` */
	struct lt_var *vars;
	int nvars;
	struct lt_proc *procs;
	int nprocs;
	struct lt_cond *filter;         /* NULL when there is none */
	struct lt_cond *final;
	enum lt_final_kind final_kind;
	char *final_text;               /* the condition as written, for output */
	struct lt_location *shown;      /* what an outcome lists: `locations` + conditions */
	int nshown;
};

/* Parses `path`. On failure returns false with "FILE:LINE: error: ..." in err. */
bool lt_parse(const char *path, struct lt_test *test, char *err, size_t err_size);
void lt_free(struct lt_test *test);

/* Writes the C program that runs the test. Its #line directives name
 * `litmus_path` (so reports name the litmus file) and `c_path`, the name the
 * generated file will have, for the stretches that are the harness's own. */
void lt_generate(const struct lt_test *test, const char *litmus_path, const char *c_path,
		 FILE *out);

/* Small helpers used by more than one file. */
void *lt_xmalloc(size_t size);
char *lt_xstrdup(const char *s);
char *lt_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *lt_xvasprintf(const char *fmt, va_list ap);
char *lt_xstrndup(const char *s, size_t n);
/* Appends one zeroed element to a malloc'ed array and yields its address:
 * `struct lt_var *v = LT_PUSH(test->vars, test->nvars);` */
void *lt_grow(void *array, int count, size_t size);
#define LT_PUSH(array, count) \
	((array) = lt_grow((array), (count), sizeof *(array)), &(array)[(count)++])
int lt_find_var(const struct lt_test *test, const char *name);
int lt_find_reg(const struct lt_proc *proc, const char *name);

#endif
