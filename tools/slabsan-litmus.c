// SPDX-License-Identifier: Apache-2.0
/* slabsan-litmus: runs C litmus tests (herd7's format) under SlabSan and says,
 * per test, whether a data race was found, which, and what outcomes were
 * seen. The driver: options, compile, run, read the reports, print. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "slabsan-litmus.h"

static const char usage[] =
	"usage: slabsan-litmus [options] FILE.litmus...\n"
	"\n"
	"Runs each C litmus test (herd7's format, as in the Linux kernel's\n"
	"tools/memory-model) many times under SlabSan, with its threads released\n"
	"together and random delays, and prints one line per test:\n"
	"\n"
	"  NAME race|no-race | races: VAR (lines A, B), ... | outcomes: COUNT {LOC=V; ...}, ...\n"
	"       | exists: ... | file: FILE\n"
	"\n"
	"  --runs N      runs per test (default 1000); fresh threads every run\n"
	"  --seed S      seed of the random delays (default 1)\n"
	"  --json        one JSON object per test instead of the line\n"
	"  --timeout T   seconds one test's runs may take (default 300)\n"
	"  --keep        keep the generated programs and reports, and say where\n"
	"  --help        this text\n"
	"\n"
	"`race` means SlabSan reported a data race. Races name the shared variable\n"
	"and the two litmus lines; outcomes list the final values of the locations\n"
	"the conditions name. Tests run with SLABSAN_OPTIONS=memory_model=lkmm (the\n"
	"model litmus tests are written for); SLABSAN_OPTIONS from the environment\n"
	"is added after it, except log_path, exitcode and halt_on_error.\n"
	"\n"
	"Errors read FILE:LINE: error: ...; the other files still run.\n"
	"Exit status: 0 when every file ran, 1 when one did not parse, compile or\n"
	"run, 2 on a usage error.\n";

struct options {
	long runs;
	unsigned long long seed;
	bool json;
	bool keep;
	int timeout_s;
};

/* ---- small helpers */


static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, mem);
	fclose(f);
	fclose(mem);
	return text;
}

/* The directory of this executable: slabsan-cc is its neighbour in any
 * build or install tree. */
static char *own_directory(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0) {
		fprintf(stderr, "slabsan-litmus: error: cannot find my own location: %s\n",
			strerror(errno));
		exit(1);
	}
	exe[n] = '\0';
	return lt_xstrdup(dirname(exe));
}

/* ---- running commands */

enum run_result { RUN_EXITED, RUN_SIGNALED, RUN_TIMED_OUT, RUN_CANNOT_START };

/* Runs argv with stdout and stderr into files and SLABSAN_OPTIONS set (when
 * not NULL); a run longer than timeout_s is killed. */
static enum run_result run_command(char *const argv[], const char *out_path, const char *err_path,
				   const char *slabsan_options, int timeout_s, int *code)
{
	pid_t pid = fork();
	if (pid < 0)
		return RUN_CANNOT_START;
	if (pid == 0) {
		FILE *out = freopen(out_path, "w", stdout);
		FILE *err = freopen(err_path, "w", stderr);
		if (!out || !err)
			_exit(127);
		if (slabsan_options)
			setenv("SLABSAN_OPTIONS", slabsan_options, 1);
		execv(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	struct timespec start, now, nap = {0, 2 * 1000 * 1000};
	clock_gettime(CLOCK_MONOTONIC, &start);
	int status;
	for (;;) {
		pid_t done = waitpid(pid, &status, WNOHANG);
		if (done == pid)
			break;
		if (done < 0 && errno != EINTR)
			return RUN_CANNOT_START;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= timeout_s) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return RUN_TIMED_OUT;
		}
		nanosleep(&nap, NULL);
	}
	if (WIFSIGNALED(status)) {
		*code = WTERMSIG(status);
		return RUN_SIGNALED;
	}
	*code = WEXITSTATUS(status);
	return RUN_EXITED;
}

/* ---- what one test produced */

struct frame {
	char *function, *file;
	int line;
};

/* One SlabSan report: its kind, and the first frame of its first two
 * accesses (for a race, this access and the previous one). */
struct report {
	char *kind;
	uintptr_t addr;
	struct frame access[2];
	int naccesses;
	/* filled in by place_reports() */
	bool placed;
	const char *var;   /* the shared variable at addr, or NULL */
	int lines[2];      /* litmus lines of the accesses in the litmus file, ascending */
	int nlines;
};

/* A shared variable: at `offset` in each run's struct of the pool. */
struct shared_var {
	char *name;
	size_t offset, size;
};

struct outcome {
	long count;
	char *text;   /* "1:r0=0; 1:r1=y; " as the program printed it */
};

struct results {
	uintptr_t pool;
	size_t pool_stride;
	long pool_count;
	struct shared_var *vars;
	int nvars;
	struct report *reports;
	int nreports;
	struct outcome *outcomes;
	int noutcomes;
	long runs, discarded, filtered, satisfied, other_outcomes;
	bool complete;   /* the program printed its totals */
};

static void free_report(struct report *rep)
{
	free(rep->kind);
	for (int k = 0; k < rep->naccesses; k++) {
		free(rep->access[k].function);
		free(rep->access[k].file);
	}
}

static void free_results(struct results *r)
{
	for (int i = 0; i < r->nvars; i++)
		free(r->vars[i].name);
	for (int i = 0; i < r->nreports; i++)
		free_report(&r->reports[i]);
	for (int i = 0; i < r->noutcomes; i++)
		free(r->outcomes[i].text);
	free(r->vars);
	free(r->reports);
	free(r->outcomes);
	memset(r, 0, sizeof *r);
}

/* Calls fn on each line of text (without its newline). */
static void for_each_line(const char *text, void (*fn)(char *line, void *ctx), void *ctx)
{
	for (const char *line = text; line && *line;) {
		const char *eol = strchr(line, '\n');
		char *copy = lt_xstrndup(line, eol ? (size_t)(eol - line) : strlen(line));
		fn(copy, ctx);
		free(copy);
		line = eol ? eol + 1 : NULL;
	}
}

/* The generated program's output; its format is described at emit_main(). */
static void read_program_line(char *l, void *results)
{
	struct results *r = results;
	char name[256];
	unsigned long long addr;
	size_t offset, size;
	int used = 0;
	long count;
	if (sscanf(l, "litmus-pool %llx %zu %ld", &addr, &r->pool_stride, &r->pool_count) == 3) {
		r->pool = (uintptr_t)addr;
	} else if (sscanf(l, "litmus-var %255s %zu %zu", name, &offset, &size) == 3) {
		struct shared_var *v = LT_PUSH(r->vars, r->nvars);
		v->name = lt_xstrdup(name);
		v->offset = offset;
		v->size = size;
	} else if (sscanf(l, "litmus-outcome %ld %n", &count, &used) == 1 && used) {
		struct outcome *o = LT_PUSH(r->outcomes, r->noutcomes);
		o->count = count;
		o->text = lt_xstrdup(l + used);
	} else if (sscanf(l, "litmus-runs %ld", &r->runs) == 1) {
		r->complete = true;
	} else {
		sscanf(l, "litmus-discarded %ld", &r->discarded);
		sscanf(l, "litmus-filtered %ld", &r->filtered);
		sscanf(l, "litmus-satisfied %ld", &r->satisfied);
		sscanf(l, "litmus-other-outcomes %ld", &r->other_outcomes);
	}
}

/* Reads reports in SlabSan's fixed shape:
 *   WARNING: SlabSan: KIND (pid=N)
 *     Read of size 4 at 0x... by thread T1:     (an access: "... at 0x...")
 *       #0 FUNCTION FILE:LINE
 *     Previous write at 0x... by thread T2:
 *       #0 FUNCTION FILE:LINE
 *   SUMMARY: SlabSan: ...
 * The report being read is the last one. */
struct report_reader {
	struct results *results;
	bool want_frame;   /* an access's header was read: its #0 frame is next */
};

static void read_report_line(char *l, void *reader)
{
	struct report_reader *rr = reader;
	struct results *r = rr->results;
	bool *want_frame = &rr->want_frame;
	struct report *cur = r->nreports ? &r->reports[r->nreports - 1] : NULL;
	const char *warning = strstr(l, "WARNING: SlabSan: ");
	if (warning) {
		const char *kind = warning + strlen("WARNING: SlabSan: ");
		const char *pid = strstr(kind, " (pid=");
		cur = LT_PUSH(r->reports, r->nreports);
		cur->kind = lt_xstrndup(kind, pid ? (size_t)(pid - kind) : strlen(kind));
		*want_frame = false;
	} else if (!cur) {
		return;
	} else if (!strncmp(l, "  ", 2) && l[2] != ' ' && strstr(l, " at 0x") && cur->naccesses < 2) {
		if (cur->naccesses == 0)
			cur->addr = (uintptr_t)strtoull(strstr(l, " at 0x") + 4, NULL, 16);
		*want_frame = true;
	} else if (*want_frame && !strncmp(l, "    #0 ", 7)) {
		struct frame *f = &cur->access[cur->naccesses++];
		char *function = l + 7, *where = strchr(function, ' ');
		if (where) {
			*where++ = '\0';
			char *colon = strrchr(where, ':');
			if (colon) {
				*colon = '\0';
				f->line = atoi(colon + 1);
			}
			f->file = lt_xstrdup(where);
		}
		f->function = lt_xstrdup(function);
		*want_frame = false;
	}
}

static void read_report_logs(const char *dir, struct results *r)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *ent; (ent = readdir(d));) {
		if (strncmp(ent->d_name, "report.", 7))
			continue;
		char *path = lt_xasprintf("%s/%s", dir, ent->d_name);
		char *text = slurp(path);
		struct report_reader reader = {.results = r};
		for_each_line(text, read_report_line, &reader);
		free(text);
		free(path);
	}
	closedir(d);
}

static const char *var_at(const struct results *r, uintptr_t addr)
{
	if (!r->pool_stride || addr < r->pool ||
	    addr >= r->pool + r->pool_stride * (uintptr_t)r->pool_count)
		return NULL;
	size_t offset = (addr - r->pool) % r->pool_stride;
	for (int i = 0; i < r->nvars; i++)
		if (offset >= r->vars[i].offset && offset < r->vars[i].offset + r->vars[i].size)
			return r->vars[i].name;
	return NULL;
}

static bool is_race(const struct report *rep) { return !strcmp(rep->kind, "data race"); }

static int compare_reports(const void *a, const void *b)
{
	const struct report *x = a, *y = b;
	int c = is_race(y) - is_race(x);
	if (!c)
		c = strcmp(x->kind, y->kind);
	if (!c)
		c = strcmp(x->var ? x->var : "", y->var ? y->var : "");
	for (int i = 0; !c && i < 2; i++)
		c = (i < x->nlines ? x->lines[i] : 0) - (i < y->nlines ? y->lines[i] : 0);
	return c;
}

/* strverscmp: 2:r1=6 before 2:r1=12 */
static int compare_outcomes(const void *a, const void *b)
{
	return strverscmp(((const struct outcome *)a)->text, ((const struct outcome *)b)->text);
}

/* Names each report's variable and litmus lines, and puts reports and
 * outcomes in a stable order (races first, by variable and line; outcomes
 * by text, numbers by value): the same observations print the same. */
static void place_reports(struct results *r, const char *litmus_path)
{
	for (int i = 0; i < r->nreports; i++) {
		struct report *rep = &r->reports[i];
		if (rep->placed)
			continue;
		rep->placed = true;
		rep->var = var_at(r, rep->addr);
		for (int k = 0; k < rep->naccesses; k++)
			if (rep->access[k].file && !strcmp(rep->access[k].file, litmus_path))
				rep->lines[rep->nlines++] = rep->access[k].line;
		if (rep->nlines == 2 && rep->lines[0] > rep->lines[1]) {
			int t = rep->lines[0];
			rep->lines[0] = rep->lines[1];
			rep->lines[1] = t;
		}
	}
	qsort(r->reports, (size_t)r->nreports, sizeof *r->reports, compare_reports);
	qsort(r->outcomes, (size_t)r->noutcomes, sizeof *r->outcomes, compare_outcomes);
}

/* ---- presenting a test's results */

/* "x (lines 13, 19)"; an access outside the litmus file (the harness, a
 * header) is named by file:line. Other kinds than races say their kind. */
static char *describe_report(const struct report *rep, const char *litmus_path)
{
	char *where = lt_xstrdup("");
	for (int k = 0; k < rep->naccesses; k++) {
		const struct frame *f = &rep->access[k];
		if (f->file && !strcmp(f->file, litmus_path))
			continue;
		char *more = lt_xasprintf("%s%s%s:%d", where, *where ? ", " : "",
				       f->file ? basename(f->file) : f->function, f->line);
		free(where);
		where = more;
	}
	char *lines = rep->nlines == 2 ? lt_xasprintf("lines %d, %d", rep->lines[0], rep->lines[1])
		      : rep->nlines == 1 ? lt_xasprintf("line %d", rep->lines[0]) : lt_xstrdup("");
	char *var = rep->var ? lt_xstrdup(rep->var) : lt_xasprintf("0x%" PRIxPTR, rep->addr);
	char *text = lt_xasprintf("%s%s%s (%s%s%s)", is_race(rep) ? "" : rep->kind,
			       is_race(rep) ? "" : " on ", var, lines, *lines && *where ? ", " : "",
			       where);
	free(var);
	free(lines);
	free(where);
	return text;
}

/* Prints the descriptions of the races (or the other reports) after
 * `heading`, each once: SlabSan may report one pair of places twice. */
static void print_reports(const struct results *r, const char *litmus_path, bool races,
			  const char *heading)
{
	char *last = NULL;
	for (int i = 0; i < r->nreports; i++) {
		if (is_race(&r->reports[i]) != races)
			continue;
		char *d = describe_report(&r->reports[i], litmus_path);
		if (last && !strcmp(last, d)) {
			free(d);
			continue;
		}
		printf("%s%s", last ? ", " : heading, d);
		free(last);
		last = d;
	}
	free(last);
}

static bool any_race(const struct results *r)
{
	for (int i = 0; i < r->nreports; i++)
		if (is_race(&r->reports[i]))
			return true;
	return false;
}

static long counted_runs(const struct results *r)
{
	return r->runs - r->discarded - r->filtered;
}

static const char *final_keyword(enum lt_final_kind kind)
{
	return kind == LT_EXISTS ? "exists" : kind == LT_NOT_EXISTS ? "~exists" : "forall";
}

static char *describe_condition(const struct lt_test *test, const struct results *r)
{
	long counted = counted_runs(r), s = r->satisfied;
	const char *kw = final_keyword(test->final_kind);
	if (test->final_kind == LT_FORALL)
		return s == counted ? lt_xasprintf("%s: held in all %ld runs", kw, counted)
				    : lt_xasprintf("%s: failed in %ld of %ld runs", kw, counted - s, counted);
	const char *what = test->final_kind == LT_EXISTS ? "" : "condition ";
	return s ? lt_xasprintf("%s: %sseen in %ld of %ld runs", kw, what, s, counted)
		 : lt_xasprintf("%s: %snever seen in %ld runs", kw, what, counted);
}

/* "1:r0=0; 1:r1=y; " -> "1:r0=0; 1:r1=y" */
static char *trimmed_outcome(const char *text)
{
	size_t n = strlen(text);
	while (n && (text[n - 1] == ' ' || text[n - 1] == ';'))
		n--;
	return lt_xstrndup(text, n);
}

static void print_line(const struct lt_test *test, const struct results *r, const char *litmus_path)
{
	printf("%s %s", test->name, any_race(r) ? "race" : "no-race");
	print_reports(r, litmus_path, true, " | races: ");
	print_reports(r, litmus_path, false, " | other reports: ");
	for (int i = 0; i < r->noutcomes; i++) {
		char *o = trimmed_outcome(r->outcomes[i].text);
		printf("%s%ld {%s}", i ? ", " : " | outcomes: ", r->outcomes[i].count, o);
		free(o);
	}
	if (r->other_outcomes)
		printf(", %ld more", r->other_outcomes);
	char *condition = describe_condition(test, r);
	printf(" | %s", condition);
	free(condition);
	if (r->discarded)
		printf(" | discarded: %ld runs (a lock left held forever)", r->discarded);
	if (r->filtered)
		printf(" | filtered: %ld runs", r->filtered);
	printf(" | file: %s\n", test->path);
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* A value as JSON: a number, or the name of the variable it points to. */
static void json_value(const char *v)
{
	char *end;
	strtoll(v, &end, 10);
	if (*v && !*end)
		fputs(v, stdout);
	else
		json_string(v);
}

static void json_reports(const struct results *r, bool races)
{
	bool first = true;
	for (int i = 0; i < r->nreports; i++) {
		const struct report *rep = &r->reports[i];
		if (is_race(rep) != races)
			continue;
		printf("%s{\"kind\":", first ? "" : ",");
		first = false;
		json_string(rep->kind);
		printf(",\"variable\":");
		if (rep->var)
			json_string(rep->var);
		else
			printf("null");
		printf(",\"lines\":[");
		for (int k = 0; k < rep->nlines; k++)
			printf("%s%d", k ? "," : "", rep->lines[k]);
		printf("],\"accesses\":[");
		for (int k = 0; k < rep->naccesses; k++) {
			const struct frame *f = &rep->access[k];
			printf("%s{\"function\":", k ? "," : "");
			json_string(f->function ? f->function : "");
			printf(",\"file\":");
			json_string(f->file ? f->file : "");
			printf(",\"line\":%d}", f->line);
		}
		printf("]}");
	}
}

/* {"1:r0":0,"1:r1":"y"} from "1:r0=0; 1:r1=y; " */
static void json_outcome_values(const char *text)
{
	char *copy = lt_xstrdup(text), *save = NULL;
	bool first = true;
	putchar('{');
	for (char *item = strtok_r(copy, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
		while (*item == ' ')
			item++;
		char *eq = strchr(item, '=');
		if (!eq)
			continue;
		*eq = '\0';
		printf("%s", first ? "" : ",");
		first = false;
		json_string(item);
		putchar(':');
		json_value(eq + 1);
	}
	putchar('}');
	free(copy);
}

static void print_json(const struct lt_test *test, const struct results *r,
		       const struct options *opt)
{
	printf("{\"name\":");
	json_string(test->name);
	printf(",\"file\":");
	json_string(test->path);
	printf(",\"verdict\":\"%s\",\"runs\":%ld,\"seed\":%llu,\"counted\":%ld,"
	       "\"discarded\":%ld,\"filtered\":%ld,\"races\":[",
	       any_race(r) ? "race" : "no-race", r->runs, opt->seed, counted_runs(r), r->discarded,
	       r->filtered);
	json_reports(r, true);
	printf("],\"other_reports\":[");
	json_reports(r, false);
	printf("],\"outcomes\":[");
	for (int i = 0; i < r->noutcomes; i++) {
		printf("%s{\"count\":%ld,\"values\":", i ? "," : "", r->outcomes[i].count);
		json_outcome_values(r->outcomes[i].text);
		putchar('}');
	}
	printf("],\"condition\":{\"kind\":\"%s\",\"text\":", final_keyword(test->final_kind));
	json_string(test->final_text);
	printf(",\"satisfied\":%ld,\"runs\":%ld}}\n", r->satisfied, counted_runs(r));
}

/* ---- one test */

struct session {
	struct options opt;
	char *compiler;   /* slabsan-cc */
	char *tmpdir;
	int ntests;
};

static void print_file_tail(const char *path, const char *indent)
{
	char *text = slurp(path);
	if (!text)
		return;
	/* The end of a long output is where the error is. */
	size_t n = strlen(text);
	const char *from = n > 4000 ? text + n - 4000 : text;
	for (const char *line = from; *line;) {
		const char *eol = strchr(line, '\n');
		int len = eol ? (int)(eol - line) : (int)strlen(line);
		fprintf(stderr, "%s%.*s\n", indent, len, line);
		line = eol ? eol + 1 : line + len;
	}
	free(text);
}

static bool compile_test(struct session *s, const struct lt_test *test, const char *dir,
			 const char *litmus_path, char **binary)
{
	char *c_path = lt_xasprintf("%s/test.c", dir);
	FILE *c = fopen(c_path, "w");
	if (!c) {
		fprintf(stderr, "%s: error: cannot write %s: %s\n", test->path, c_path, strerror(errno));
		free(c_path);
		return false;
	}
	lt_generate(test, litmus_path, c_path, c);
	fclose(c);
	*binary = lt_xasprintf("%s/test", dir);
	char *log = lt_xasprintf("%s/compile.log", dir);
	/* -O0: every access the test writes stays an access (herd7 optimizes
	 * nothing). -w: tests are terse C, e.g. `int *r1; r1 = *a;`; the
	 * -Wno-error ones keep newer clangs from refusing exactly that. */
	char *argv[] = {s->compiler, "-O0", "-g", "-w", "-Wno-error=int-conversion",
			"-Wno-error=incompatible-pointer-types", "-o", *binary, c_path, NULL};
	int code = 0;
	enum run_result how = run_command(argv, log, log, NULL, s->opt.timeout_s, &code);
	bool ok = how == RUN_EXITED && code == 0;
	if (!ok) {
		fprintf(stderr, "%s: error: the generated program does not compile%s:\n", test->path,
			s->opt.keep ? "" : " (--keep keeps it)");
		print_file_tail(log, "  ");
	}
	free(log);
	free(c_path);
	return ok;
}

/* Runs the program once for `runs` runs from `seed`; its reports go to dir. */
static bool run_program(struct session *s, const struct lt_test *test, const char *dir,
			const char *binary, long runs_wanted, unsigned long long seed_value,
			struct results *r)
{
	char *runs = lt_xasprintf("%ld", runs_wanted), *seed = lt_xasprintf("%llu", seed_value);
	char *out = lt_xasprintf("%s/run.out", dir), *err = lt_xasprintf("%s/run.err", dir);
	const char *user = getenv("SLABSAN_OPTIONS");
	/* The runtime's schedule perturbation follows the seed too (its seed
	 * must be a nonzero int). */
	char *options = lt_xasprintf("memory_model=lkmm:schedule_seed=%d:%s:log_path=%s/report:"
				  "exitcode=66:halt_on_error=0",
				  (int)(seed_value % 2147483647) + 1, user ? user : "", dir);
	char *argv[] = {(char *)binary, runs, seed, NULL};
	int code = 0;
	enum run_result how = run_command(argv, out, err, options, s->opt.timeout_s, &code);
	bool ok = how == RUN_EXITED && (code == 0 || code == 66);
	if (ok) {
		char *text = slurp(out);
		for_each_line(text, read_program_line, r);
		free(text);
		read_report_logs(dir, r);
		ok = r->complete;
	}
	if (!ok) {
		char *why = how == RUN_TIMED_OUT ? lt_xasprintf("timed out after %d s", s->opt.timeout_s)
			    : how == RUN_SIGNALED ? lt_xasprintf("was killed by signal %d (%s)", code,
							      strsignal(code))
			    : how == RUN_CANNOT_START ? lt_xasprintf("could not be started")
			    : lt_xasprintf("exited with status %d", code);
		fprintf(stderr, "%s: error: the test program %s:\n", test->path, why);
		print_file_tail(err, "  ");
		free(why);
	}
	free(options);
	free(runs);
	free(seed);
	free(out);
	free(err);
	return ok;
}

/* The same kind on the same variable between the same lines: one pair of
 * places, as the runtime itself would report it once. */
static bool already_reported(const struct results *r, const struct report *rep)
{
	for (int i = 0; i < r->nreports; i++) {
		const struct report *old = &r->reports[i];
		if (!strcmp(old->kind, rep->kind) && old->var == rep->var &&
		    old->nlines == rep->nlines && !memcmp(old->lines, rep->lines, sizeof old->lines))
			return true;
	}
	return false;
}

/* Adds one run's results to the test's. Its reports are placed first, with
 * the run's own addresses, and then name the test's variables. */
static void merge_run(struct results *into, struct results *run, const char *litmus_path)
{
	place_reports(run, litmus_path);
	if (!into->nvars)
		for (int i = 0; i < run->nvars; i++) {
			struct shared_var *v = LT_PUSH(into->vars, into->nvars);
			*v = run->vars[i];
			v->name = lt_xstrdup(run->vars[i].name);
		}
	for (int i = 0; i < run->nreports; i++) {
		struct report rep = run->reports[i];
		for (int v = 0; rep.var && v < into->nvars; v++)
			if (!strcmp(into->vars[v].name, rep.var))
				rep.var = into->vars[v].name;
		if (already_reported(into, &rep))
			free_report(&rep);
		else
			*LT_PUSH(into->reports, into->nreports) = rep;
	}
	run->nreports = 0;    /* moved: their strings now belong to `into` */
	for (int i = 0; i < run->noutcomes; i++) {
		int k = 0;
		while (k < into->noutcomes && strcmp(into->outcomes[k].text, run->outcomes[i].text))
			k++;
		if (k == into->noutcomes) {
			struct outcome *o = LT_PUSH(into->outcomes, into->noutcomes);
			o->text = lt_xstrdup(run->outcomes[i].text);
		}
		into->outcomes[k].count += run->outcomes[i].count;
	}
	into->runs += run->runs;
	into->discarded += run->discarded;
	into->satisfied += run->satisfied;
	into->other_outcomes += run->other_outcomes;
	into->complete = true;
}

/* A test with a `filter` clause: herd7 judges only the executions the
 * filter keeps, so a race must be tied to its run. SlabSan reports a pair of
 * places once per program, so every run gets a program of its own, and the
 * races of the runs the filter removes are dropped. */
static bool run_filtered(struct session *s, const struct lt_test *test, const char *dir,
			 const char *binary, const char *litmus_path, struct results *r)
{
	for (long i = 0; i < s->opt.runs; i++) {
		char *run_dir = lt_xasprintf("%s/run-%ld", dir, i);
		struct results one = {0};
		bool ok = mkdir(run_dir, 0700) == 0;
		if (!ok)
			fprintf(stderr, "%s: error: cannot create %s: %s\n", test->path, run_dir,
				strerror(errno));
		ok = ok && run_program(s, test, run_dir, binary, 1, s->opt.seed + (unsigned long long)i,
				       &one);
		if (ok && one.filtered) {
			r->runs += one.runs;
			r->filtered += one.filtered;
		} else if (ok) {
			merge_run(r, &one, litmus_path);
		}
		free_results(&one);
		free(run_dir);
		if (!ok)
			return false;
	}
	return true;
}

static bool run_test(struct session *s, const struct lt_test *test, const char *dir,
		     const char *binary, const char *litmus_path, struct results *r)
{
	if (test->filter)
		return run_filtered(s, test, dir, binary, litmus_path, r);
	return run_program(s, test, dir, binary, s->opt.runs, s->opt.seed, r);
}

static bool run_file(struct session *s, const char *path)
{
	struct lt_test test;
	char err[1024];
	if (!lt_parse(path, &test, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		lt_free(&test);
		return false;
	}
	/* Reports name the litmus file by the absolute path #line gave it, so
	 * they match it from any working directory. */
	/* SlabSan does not reuse thread ids yet: a program may create 65534
	 * threads in all, and every run creates fresh ones. */
	if (s->opt.runs * test.nprocs > 65000) {
		fprintf(stderr, "%s: error: %ld runs of %d threads exceed the 65000 threads SlabSan "
			"allows one program; use --runs %ld or fewer\n", path, s->opt.runs,
			test.nprocs, 65000L / test.nprocs);
		lt_free(&test);
		return false;
	}
	char real[PATH_MAX];
	const char *litmus_path = realpath(path, real) ? real : path;
	char *dir = lt_xasprintf("%s/%d", s->tmpdir, ++s->ntests);
	bool ok = mkdir(dir, 0700) == 0;
	if (!ok)
		fprintf(stderr, "%s: error: cannot create %s: %s\n", path, dir, strerror(errno));
	char *binary = NULL;
	struct results results = {0};
	ok = ok && compile_test(s, &test, dir, litmus_path, &binary) &&
	     run_test(s, &test, dir, binary, litmus_path, &results);
	if (ok)
		place_reports(&results, litmus_path);
	if (ok && s->opt.json)
		print_json(&test, &results, &s->opt);
	else if (ok)
		print_line(&test, &results, litmus_path);
	fflush(stdout);
	free_results(&results);
	free(binary);
	free(dir);
	lt_free(&test);
	return ok;
}

/* ---- main */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static bool parse_number(const char *text, long long min, long long max, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 0);
	if (errno || end == text || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static _Noreturn void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "slabsan-litmus: error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(see slabsan-litmus --help)\n");
	exit(2);
}

/* --name VALUE or --name=VALUE; returns the value, or NULL if argv[*i] is
 * not this option. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n))
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc)
		usage_error("%s needs a value", name);
	return argv[++*i];
}

int main(int argc, char **argv)
{
	struct session s = {.opt = {.runs = 1000, .seed = 1, .timeout_s = 300}};
	char **files = lt_xmalloc((size_t)argc * sizeof *files);
	int nfiles = 0;
	bool options_done = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		long long n;
		if (options_done || a[0] != '-' || !strcmp(a, "-")) {
			files[nfiles++] = argv[i];
		} else if (!strcmp(a, "--")) {
			options_done = true;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(a, "--json")) {
			s.opt.json = true;
		} else if (!strcmp(a, "--keep")) {
			s.opt.keep = true;
		} else if ((v = option_value(argc, argv, &i, "--runs"))) {
			if (!parse_number(v, 1, 60000, &n))
				usage_error("--runs wants a number of runs from 1 to 60000, not '%s'", v);
			s.opt.runs = (long)n;
		} else if ((v = option_value(argc, argv, &i, "--seed"))) {
			if (!parse_number(v, 0, LLONG_MAX, &n))
				usage_error("--seed wants a non-negative number, not '%s'", v);
			s.opt.seed = (unsigned long long)n;
		} else if ((v = option_value(argc, argv, &i, "--timeout"))) {
			if (!parse_number(v, 1, 86400, &n))
				usage_error("--timeout wants seconds from 1 to 86400, not '%s'", v);
			s.opt.timeout_s = (int)n;
		} else {
			usage_error("unknown option '%s'", a);
		}
	}
	if (nfiles == 0)
		usage_error("%s", "no litmus files given");

	char *dir = own_directory();
	s.compiler = lt_xasprintf("%s/slabsan-cc", dir);
	free(dir);
	if (access(s.compiler, X_OK)) {
		fprintf(stderr, "slabsan-litmus: error: cannot find slabsan-cc next to me: %s\n",
			s.compiler);
		return 1;
	}
	const char *tmp = getenv("TMPDIR");
	s.tmpdir = lt_xasprintf("%s/slabsan-litmus.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(s.tmpdir)) {
		fprintf(stderr, "slabsan-litmus: error: cannot create a directory in %s: %s\n",
			tmp && *tmp ? tmp : "/tmp", strerror(errno));
		return 1;
	}

	int failed = 0;
	for (int i = 0; i < nfiles; i++)
		failed += !run_file(&s, files[i]);

	if (s.opt.keep)
		fprintf(stderr, "slabsan-litmus: generated programs and reports kept in %s\n", s.tmpdir);
	else
		nftw(s.tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(s.tmpdir);
	free(s.compiler);
	free(files);
	return failed ? 1 : 0;
}
