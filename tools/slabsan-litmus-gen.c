// SPDX-License-Identifier: Apache-2.0
/* slabsan-litmus's generator: one litmus test becomes one C program that runs
 * it many times under SlabSan and prints what it observed (format at main()). */
#define _GNU_SOURCE
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "slabsan-litmus.h"

/* Writes text and counts lines, so #line can send the compiler back to the
 * generated file after a stretch of the litmus file. */
struct emitter {
	FILE *out;
	int line;   /* lines written so far */
	const char *litmus_path;
	const char *c_path;
};

static void __attribute__((format(printf, 2, 3))) emit(struct emitter *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = lt_xvasprintf(fmt, ap);
	va_end(ap);
	for (char *c = text; *c; c++)
		e->line += *c == '\n';
	fputs(text, e->out);
	free(text);
}

static void emit_quoted(struct emitter *e, const char *s)
{
	emit(e, "\"");
	for (; *s; s++)
		emit(e, *s == '"' || *s == '\\' ? "\\%c" : "%c", *s);
	emit(e, "\"");
}

/* From here on, reports and diagnostics name `path` from line `line`. */
static void emit_line_directive(struct emitter *e, int line, const char *path)
{
	emit(e, "#line %d ", line);
	emit_quoted(e, path);
	emit(e, "\n");
}

static void emit_back_to_generated(struct emitter *e)
{
	/* the directive's own line is e->line + 1, so the next is + 2 */
	emit_line_directive(e, e->line + 2, e->c_path);
}

/* The shared variables are the members of a struct litmus_shared, one struct
 * per run (so a test may also call a variable `index` or `time` without
 * meeting libc); `s` points to the current run's. */
#define SHARED "s->"

/* An initializer as written, with the shared variables it names made
 * members of the current run's struct. */
static void emit_renamed(struct emitter *e, const struct lt_test *test, const char *expr)
{
	for (const char *c = expr; *c;) {
		if (!(isalpha((unsigned char)*c) || *c == '_')) {
			emit(e, "%c", *c++);
			continue;
		}
		const char *start = c;
		while (isalnum((unsigned char)*c) || *c == '_')
			c++;
		char *word = lt_xstrndup(start, (size_t)(c - start));
		bool member = start > expr && (start[-1] == '.' || start[-1] == '>');
		emit(e, "%s%s", !member && lt_find_var(test, word) >= 0 ? SHARED : "", word);
		free(word);
	}
}

/* ---- fixed parts of every program */

static const char prologue[] =
	"#define _GNU_SOURCE\n"
	"#include <pthread.h>\n"
	"#include <sched.h>\n"
	"#include <stdatomic.h>\n"
	"#include <stdbool.h>\n"
	"#include <stddef.h>\n"
	"#include <stdint.h>\n"
	"#include <stdio.h>\n"
	"#include <stdlib.h>\n"
	"#include <string.h>\n"
	"#include <slabsan/lkmm.h>\n"
	"\n"
	"/* The kernel's fixed-width types, which litmus tests may use. */\n"
	"typedef uint8_t u8; typedef uint16_t u16; typedef uint32_t u32; typedef uint64_t u64;\n"
	"typedef int8_t s8; typedef int16_t s16; typedef int32_t s32; typedef int64_t s64;\n"
	"\n"
	"/* The harness itself is not instrumented: SlabSan must see only the test,\n"
	" * and nothing here may order one thread of a run after another. */\n"
	"#define LITMUS_UNSEEN __attribute__((disable_sanitizer_instrumentation, noinline))\n"
	"#if defined(__x86_64__) || defined(__i386__)\n"
	"#define LITMUS_PAUSE() __builtin_ia32_pause()\n"
	"#else\n"
	"#define LITMUS_PAUSE() __asm__ __volatile__(\"\" ::: \"memory\")\n"
	"#endif\n";

/* Starting, randomizing and ending the threads of one run. The threads meet
 * on a counter they only touch in uninstrumented code (relaxed atomics, so
 * no happens-before either way): a pthread barrier would order everything
 * before it and hide every race. */
static const char run_control[] =
	"static atomic_int litmus_arrived;\n"
	"static atomic_bool litmus_finished[LITMUS_THREADS];\n"
	"static atomic_bool litmus_discarded;\n"
	"static unsigned litmus_delay[LITMUS_THREADS];\n"
	"static bool litmus_yield_first[LITMUS_THREADS];\n"
	"static _Thread_local int litmus_self = -1;\n"
	"\n"
	"LITMUS_UNSEEN static uint64_t litmus_random(uint64_t *state)\n"
	"{\n"
	"\t/* xorshift64*: small, and the same --seed gives the same delays */\n"
	"\t*state ^= *state >> 12;\n"
	"\t*state ^= *state << 25;\n"
	"\t*state ^= *state >> 27;\n"
	"\treturn *state * 0x2545f4914f6cdd1dull;\n"
	"}\n"
	"\n"
	"/* Delays of four sizes: none, shorter than a P body, about one, and\n"
	" * longer, so threads overlap in every way and also run in every order. */\n"
	"LITMUS_UNSEEN static void litmus_prepare_run(uint64_t *seed)\n"
	"{\n"
	"\tstatic const unsigned delay_limit[4] = {1, 64, 1024, 16384};\n"
	"\tatomic_store_explicit(&litmus_arrived, 0, memory_order_relaxed);\n"
	"\tatomic_store_explicit(&litmus_discarded, false, memory_order_relaxed);\n"
	"\tfor (int i = 0; i < LITMUS_THREADS; i++) {\n"
	"\t\tuint64_t r = litmus_random(seed);\n"
	"\t\tlitmus_delay[i] = (unsigned)(r >> 8) % delay_limit[r & 3];\n"
	"\t\tlitmus_yield_first[i] = ((r >> 40) & 15) == 0;\n"
	"\t\tatomic_store_explicit(&litmus_finished[i], false, memory_order_relaxed);\n"
	"\t}\n"
	"}\n"
	"\n"
	"LITMUS_UNSEEN static void litmus_start(int self)\n"
	"{\n"
	"\tlitmus_self = self;\n"
	"\tatomic_fetch_add_explicit(&litmus_arrived, 1, memory_order_relaxed);\n"
	"\tfor (unsigned spins = 1; atomic_load_explicit(&litmus_arrived, memory_order_relaxed) <\n"
	"\t\t\t\t  LITMUS_THREADS; spins++) {\n"
	"\t\tif (spins % 128 == 0)\n"
	"\t\t\tsched_yield();   /* more threads than CPUs: let the others arrive */\n"
	"\t\telse\n"
	"\t\t\tLITMUS_PAUSE();\n"
	"\t}\n"
	"\tif (litmus_yield_first[self])\n"
	"\t\tsched_yield();\n"
	"\tfor (unsigned i = 0; i < litmus_delay[self]; i++)\n"
	"\t\tLITMUS_PAUSE();\n"
	"}\n"
	"\n"
	"LITMUS_UNSEEN static void litmus_finish(int self)\n"
	"{\n"
	"\tatomic_store_explicit(&litmus_finished[self], true, memory_order_relaxed);\n"
	"}\n"
	"\n"
	"/* This run has no herd7 execution (a thread waits for a lock that is\n"
	" * never released): its outcome is not counted. */\n"
	"LITMUS_UNSEEN static void litmus_discard_run(void)\n"
	"{\n"
	"\tatomic_store_explicit(&litmus_discarded, true, memory_order_relaxed);\n"
	"}\n"
	"\n"
	"LITMUS_UNSEEN static bool litmus_run_discarded(void)\n"
	"{\n"
	"\treturn atomic_load_explicit(&litmus_discarded, memory_order_relaxed);\n"
	"}\n";

/* herd7 has no execution in which a process takes a lock that another left
 * held at its end; a real run would wait forever. The waiter sees that the
 * owner finished, abandons its P (goto) and the run is discarded. Owners are
 * kept beside the locks, by address, in uninstrumented code. */
static const char lock_support[] =
	"#define LITMUS_MAX_LOCKS 16\n"
	"static struct {\n"
	"\t_Atomic(const void *) lock;\n"
	"\tatomic_int owner;   /* thread index, or -1 while free */\n"
	"} litmus_locks[LITMUS_MAX_LOCKS];\n"
	"\n"
	"LITMUS_UNSEEN static void litmus_reset_locks(void)\n"
	"{\n"
	"\tfor (int i = 0; i < LITMUS_MAX_LOCKS; i++) {\n"
	"\t\tatomic_store(&litmus_locks[i].lock, NULL);\n"
	"\t\tatomic_store(&litmus_locks[i].owner, -1);\n"
	"\t}\n"
	"}\n"
	"\n"
	"LITMUS_UNSEEN static atomic_int *litmus_lock_owner(const void *lock)\n"
	"{\n"
	"\tfor (int i = 0; i < LITMUS_MAX_LOCKS; i++) {\n"
	"\t\tconst void *seen = NULL;\n"
	"\t\tif (atomic_compare_exchange_strong(&litmus_locks[i].lock, &seen, lock) ||\n"
	"\t\t    seen == lock)\n"
	"\t\t\treturn &litmus_locks[i].owner;\n"
	"\t}\n"
	"\tfprintf(stderr, \"slabsan-litmus: more than %d locks in one test\\n\", LITMUS_MAX_LOCKS);\n"
	"\tabort();\n"
	"}\n"
	"\n"
	"LITMUS_UNSEEN static void litmus_lock_taken(const void *lock)\n"
	"{\n"
	"\tatomic_store(litmus_lock_owner(lock), litmus_self);\n"
	"}\n"
	"\n"
	"LITMUS_UNSEEN static void litmus_lock_given_back(const void *lock)\n"
	"{\n"
	"\tatomic_store(litmus_lock_owner(lock), -1);\n"
	"}\n"
	"\n"
	"/* An owner clears itself before unlocking, so an owner that finished\n"
	" * while still named never unlocked. */\n"
	"LITMUS_UNSEEN static bool litmus_lock_held_forever(const void *lock)\n"
	"{\n"
	"\tint owner = atomic_load(litmus_lock_owner(lock));\n"
	"\treturn owner >= 0 && atomic_load(&litmus_finished[owner]);\n"
	"}\n"
	"\n"
	"LITMUS_UNSEEN static void litmus_lock_wait(void) { LITMUS_PAUSE(); }\n"
	"\n"
	"/* Instrumented, so SlabSan sees the lock's acquire and release. */\n"
	"static bool litmus_spin_trylock(spinlock_t *lock)\n"
	"{\n"
	"\tif (!spin_trylock(lock))\n"
	"\t\treturn false;\n"
	"\tlitmus_lock_taken(lock);\n"
	"\treturn true;\n"
	"}\n"
	"\n"
	"static bool litmus_spin_lock(spinlock_t *lock)\n"
	"{\n"
	"\twhile (!litmus_spin_trylock(lock)) {\n"
	"\t\tif (litmus_lock_held_forever(lock))\n"
	"\t\t\treturn false;\n"
	"\t\tlitmus_lock_wait();\n"
	"\t}\n"
	"\treturn true;\n"
	"}\n"
	"\n"
	"#define spin_lock(lock) \\\n"
	"\tdo { if (!litmus_spin_lock(lock)) goto litmus_lock_never_free; } while (0)\n"
	"#define spin_trylock(lock) litmus_spin_trylock(lock)\n"
	"#define spin_unlock(lock) (litmus_lock_given_back(lock), spin_unlock(lock))\n";

/* Outcomes are counted in the program: printing one line per run would be
 * slower than the runs. */
static const char outcome_support[] =
	"#define LITMUS_OUTCOME_SIZE 512\n"
	"#define LITMUS_MAX_OUTCOMES 1024\n"
	"static struct { char text[LITMUS_OUTCOME_SIZE]; long count; } litmus_outcomes[LITMUS_MAX_OUTCOMES];\n"
	"static int litmus_noutcomes;\n"
	"static long litmus_other_outcomes;   /* beyond the table */\n"
	"\n"
	"/* `loc=value; `, a value equal to a shared variable's address by its name */\n"
	"LITMUS_UNSEEN static void litmus_put(char *text, const struct litmus_shared *s,\n"
	"\t\t\t\t       const char *loc, intptr_t value)\n"
	"{\n"
	"\tsize_t used = strlen(text), room = LITMUS_OUTCOME_SIZE - used;\n"
	"\tfor (size_t i = 0; i < sizeof litmus_vars / sizeof *litmus_vars; i++)\n"
	"\t\tif ((intptr_t)((char *)s + litmus_vars[i].offset) == value) {\n"
	"\t\t\tsnprintf(text + used, room, \"%s=%s; \", loc, litmus_vars[i].name);\n"
	"\t\t\treturn;\n"
	"\t\t}\n"
	"\tsnprintf(text + used, room, \"%s=%jd; \", loc, (intmax_t)value);\n"
	"}\n"
	"\n"
	"LITMUS_UNSEEN static void litmus_count(const char *text)\n"
	"{\n"
	"\tfor (int i = 0; i < litmus_noutcomes; i++)\n"
	"\t\tif (!strcmp(litmus_outcomes[i].text, text)) {\n"
	"\t\t\tlitmus_outcomes[i].count++;\n"
	"\t\t\treturn;\n"
	"\t\t}\n"
	"\tif (litmus_noutcomes == LITMUS_MAX_OUTCOMES) {\n"
	"\t\tlitmus_other_outcomes++;\n"
	"\t\treturn;\n"
	"\t}\n"
	"\tsnprintf(litmus_outcomes[litmus_noutcomes].text, LITMUS_OUTCOME_SIZE, \"%s\", text);\n"
	"\tlitmus_outcomes[litmus_noutcomes++].count = 1;\n"
	"}\n";

/* ---- the parts that depend on the test */

/* Each run gets its own struct, never used before: SlabSan's shadow keeps a
 * few accesses per 8 bytes, and stale ones from earlier runs would crowd out
 * the accesses of this one. Each variable gets 8 bytes to itself likewise. */
static void emit_shared_variables(struct emitter *e, const struct lt_test *test)
{
	emit(e, "\n/* Shared variables, one struct a run. */\nstruct litmus_shared {\n");
	for (int i = 0; i < test->nvars; i++)
		emit(e, "\t%s %s __attribute__((aligned(8)));\n", test->vars[i].type,
		     test->vars[i].name);
	emit(e, "\tchar litmus_none;   /* a struct needs a member */\n};\n\n");
	emit(e, "/* The initial state, in the order it was written. */\n"
		"LITMUS_UNSEEN static void litmus_init_shared(struct litmus_shared *s)\n{\n");
	for (int i = 0; i < test->nvars; i++) {
		const struct lt_var *v = &test->vars[i];
		if (!v->init)
			continue;   /* the pool is zeroed */
		emit_line_directive(e, v->line, e->litmus_path);
		emit(e, "\t" SHARED "%s = (%s){", v->name, v->type);
		emit_renamed(e, test, v->init);
		emit(e, "};\n");
	}
	emit_back_to_generated(e);
	emit(e, "}\n\n");
	emit(e, "static const struct { const char *name; size_t offset, size; } litmus_vars[] = {\n");
	for (int i = 0; i < test->nvars; i++)
		emit(e, "\t{\"%s\", offsetof(struct litmus_shared, %s), "
			"sizeof(((struct litmus_shared *)0)->%s)},\n",
		     test->vars[i].name, test->vars[i].name, test->vars[i].name);
	emit(e, "};\n");
}

static void emit_registers(struct emitter *e, const struct lt_test *test)
{
	emit(e, "\n/* Each P's registers as it ended, for the final condition. */\n"
		"static struct {\n");
	for (int i = 0; i < test->nprocs; i++)
		for (int k = 0; k < test->procs[i].nregs; k++)
			emit(e, "\tintptr_t P%d_%s;\n", i, test->procs[i].regs[k].name);
	emit(e, "\tchar litmus_none;   /* a struct needs a member */\n} litmus_registers;\n");
}

/* The P function exactly as written, on its own lines; the end of its body
 * copies its registers out (which also keeps -O from dropping their loads). */
static void emit_process(struct emitter *e, const struct lt_proc *proc)
{
	emit(e, "\n");
	emit_line_directive(e, proc->line, e->litmus_path);
	emit(e, "static void %s", proc->header);
	size_t body_len = strlen(proc->body);
	/* everything but the closing brace */
	emit(e, "%.*s", (int)(body_len - 1), proc->body);
	for (int k = 0; k < proc->nregs; k++)
		emit(e, " litmus_registers.P%d_%s = (intptr_t)(%s);", proc->index,
		     proc->regs[k].name, proc->regs[k].name);
	if (proc->uses_locks)
		emit(e, " return; litmus_lock_never_free: litmus_discard_run();");
	emit(e, " }\n");
	emit_back_to_generated(e);
	emit(e, "static void *litmus_thread_P%d(void *shared)\n{\n"
		"\tstruct litmus_shared *s = shared;\n"
		"\tlitmus_start(%d);\n\tP%d(", proc->index, proc->index, proc->index);
	for (int k = 0; k < proc->nparams; k++)
		emit(e, "%s&" SHARED "%s", k ? ", " : "", proc->params[k]);
	emit(e, ");\n\tlitmus_finish(%d);\n\treturn NULL;\n}\n", proc->index);
}

static void emit_location(struct emitter *e, const struct lt_location *loc)
{
	if (loc->proc >= 0)
		emit(e, "litmus_registers.P%d_%s", loc->proc, loc->name);
	else
		emit(e, "(intptr_t)" SHARED "%s", loc->name);
}

static void emit_condition(struct emitter *e, const struct lt_cond *c)
{
	switch (c->kind) {
	case LT_COND_TRUE:
		emit(e, "true");
		break;
	case LT_COND_FALSE:
		emit(e, "false");
		break;
	case LT_COND_NOT:
		emit(e, "!");
		emit_condition(e, c->lhs);
		break;
	case LT_COND_AND:
	case LT_COND_OR:
		emit(e, "(");
		emit_condition(e, c->lhs);
		emit(e, c->kind == LT_COND_AND ? " && " : " || ");
		emit_condition(e, c->rhs);
		emit(e, ")");
		break;
	case LT_COND_EQ:
		emit(e, "(");
		emit_location(e, &c->loc);
		if (c->value.is_address)
			emit(e, " == (intptr_t)&" SHARED "%s)", c->value.name);
		else
			emit(e, " == (intptr_t)%lldLL)", c->value.number);
		break;
	}
}

static void emit_conditions(struct emitter *e, const struct lt_test *test)
{
	emit(e, "\nLITMUS_UNSEEN static bool litmus_filter(const struct litmus_shared *s)\n"
		"{\n\t(void)s;\n\treturn ");
	if (test->filter)
		emit_condition(e, test->filter);
	else
		emit(e, "true");
	emit(e, ";\n}\n\n");
	emit(e, "LITMUS_UNSEEN static bool litmus_condition(const struct litmus_shared *s)\n"
		"{\n\t(void)s;\n\treturn ");
	emit_condition(e, test->final);
	emit(e, ";\n}\n\n");
	emit(e, "LITMUS_UNSEEN static void litmus_record_outcome(const struct litmus_shared *s)\n{\n"
		"\tchar text[LITMUS_OUTCOME_SIZE] = \"\";\n");
	for (int i = 0; i < test->nshown; i++) {
		const struct lt_location *loc = &test->shown[i];
		emit(e, "\tlitmus_put(text, s, \"");
		if (loc->proc >= 0)
			emit(e, "%d:", loc->proc);
		emit(e, "%s\", ", loc->name);
		emit_location(e, loc);
		emit(e, ");\n");
	}
	emit(e, "\tlitmus_count(text);\n}\n");
}

/* Output, one item a line, for slabsan-litmus to read:
 *   litmus-pool ADDRESS STRIDE COUNT   where the runs' structs are
 *   litmus-var NAME OFFSET SIZE        where each variable is in them
 *   litmus-runs N                      runs made
 *   litmus-discarded N                 runs with no herd7 execution (locks)
 *   litmus-filtered N                  runs the filter clause removed
 *   litmus-satisfied N                 counted runs satisfying the condition
 *   litmus-outcome COUNT LOC=V; ...    each distinct outcome
 *   litmus-other-outcomes N            outcomes beyond the table */
static void emit_main(struct emitter *e, const struct lt_test *test, bool uses_locks)
{
	emit(e, "\nint main(int argc, char **argv)\n{\n"
		"\tlong runs = argc > 1 ? atol(argv[1]) : 1000;\n"
		"\tuint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;\n"
		"\tseed = seed * 0x9e3779b97f4a7c15ull + 1;   /* xorshift needs a non-zero state */\n"
		"\tlong discarded = 0, filtered = 0, satisfied = 0;\n"
		"\tstruct litmus_shared *pool = calloc((size_t)runs, sizeof *pool);\n"
		"\tif (!pool) {\n"
		"\t\tperror(\"calloc\");\n"
		"\t\treturn 3;\n"
		"\t}\n"
		"\tprintf(\"litmus-pool %%p %%zu %%ld\\n\", (void *)pool, sizeof *pool, runs);\n"
		"\tfor (size_t i = 0; i < sizeof litmus_vars / sizeof *litmus_vars; i++)\n"
		"\t\tprintf(\"litmus-var %%s %%zu %%zu\\n\", litmus_vars[i].name, litmus_vars[i].offset,\n"
		"\t\t       litmus_vars[i].size);\n"
		"\t/* SlabSan forgets the shadow of a new thread's whole stack: small\n"
		"\t * stacks keep thousands of thread starts cheap. */\n"
		"\tpthread_attr_t attr;\n"
		"\tpthread_attr_init(&attr);\n"
		"\tpthread_attr_setstacksize(&attr, 256 * 1024);\n"
		"\tstatic void *(*const procs[LITMUS_THREADS])(void *) = {");
	for (int i = 0; i < test->nprocs; i++)
		emit(e, "%slitmus_thread_P%d", i ? ", " : "", i);
	emit(e, "};\n"
		"\tfor (long run = 0; run < runs; run++) {\n"
		"\t\tstruct litmus_shared *s = &pool[run];\n"
		"\t\tlitmus_init_shared(s);\n"
		"\t\tmemset(&litmus_registers, 0, sizeof litmus_registers);\n"
		"\t\tlitmus_prepare_run(&seed);\n");
	if (uses_locks)
		emit(e, "\t\tlitmus_reset_locks();\n");
	emit(e, "\t\t/* fresh threads every run: create and join order each run after\n"
		"\t\t * the last, so runs never look racy against each other */\n"
		"\t\tpthread_t threads[LITMUS_THREADS];\n"
		"\t\tfor (int i = 0; i < LITMUS_THREADS; i++)\n"
		"\t\t\tif (pthread_create(&threads[i], &attr, procs[i], s)) {\n"
		"\t\t\t\tperror(\"pthread_create\");\n"
		"\t\t\t\treturn 3;\n"
		"\t\t\t}\n"
		"\t\tfor (int i = 0; i < LITMUS_THREADS; i++)\n"
		"\t\t\tpthread_join(threads[i], NULL);\n"
		"\t\tif (litmus_run_discarded()) {\n"
		"\t\t\tdiscarded++;\n"
		"\t\t\tcontinue;\n"
		"\t\t}\n"
		"\t\tif (!litmus_filter(s)) {\n"
		"\t\t\tfiltered++;\n"
		"\t\t\tcontinue;\n"
		"\t\t}\n"
		"\t\tsatisfied += litmus_condition(s);\n"
		"\t\tlitmus_record_outcome(s);\n"
		"\t}\n"
		"\tprintf(\"litmus-runs %%ld\\nlitmus-discarded %%ld\\nlitmus-filtered %%ld\\n\"\n"
		"\t       \"litmus-satisfied %%ld\\n\", runs, discarded, filtered, satisfied);\n"
		"\tfor (int i = 0; i < litmus_noutcomes; i++)\n"
		"\t\tprintf(\"litmus-outcome %%ld %%s\\n\", litmus_outcomes[i].count, litmus_outcomes[i].text);\n"
		"\tif (litmus_other_outcomes)\n"
		"\t\tprintf(\"litmus-other-outcomes %%ld\\n\", litmus_other_outcomes);\n"
		"\treturn 0;\n}\n");
}

void lt_generate(const struct lt_test *test, const char *litmus_path, const char *c_path,
		 FILE *out)
{
	struct emitter e = {.out = out, .litmus_path = litmus_path, .c_path = c_path};
	bool uses_locks = false;
	for (int i = 0; i < test->nprocs; i++)
		uses_locks |= test->procs[i].uses_locks;

	emit(&e, "/* Generated by slabsan-litmus from %s (test %s). */\n", test->path, test->name);
	emit(&e, "%s", prologue);
	emit(&e, "#define LITMUS_THREADS %d\n", test->nprocs);
	emit_shared_variables(&e, test);
	emit_registers(&e, test);
	emit(&e, "\n%s", run_control);
	if (uses_locks)
		emit(&e, "\n%s", lock_support);
	for (int i = 0; i < test->nprocs; i++)
		emit_process(&e, &test->procs[i]);
	emit(&e, "\n%s", outcome_support);
	emit_conditions(&e, test);
	emit_main(&e, test, uses_locks);
}
