// SPDX-License-Identifier: Apache-2.0
/* slabsan-cc: a drop-in `cc` that compiles with the SlabSan pass and links
 * the runtime. It adds arguments around the user's and execs clang; it
 * never reinterprets the user's own arguments. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SLABSAN_CLANG
#define SLABSAN_CLANG "clang"
#endif
#ifndef SLABSAN_SOURCE_INCLUDE
#define SLABSAN_SOURCE_INCLUDE ""
#endif

static const char usage[] =
	"usage: slabsan-cc [-fslabsan-mode=full|focused] [cc arguments...]\n"
	"\n"
	"Compiles and links C programs like cc (clang), instrumented by SlabSan:\n"
	"the pass checks accesses, atomics and fences; the runtime checks that\n"
	"every free() is ordered after the allocation and other threads' writes.\n"
	"\n"
	"  -fslabsan-mode=full     check every load and store (default)\n"
	"  -fslabsan-mode=focused  check only synchronization, alloc/free and\n"
	"                          __slabsan_meta fields (cheap enough for every CI run)\n"
	"  --help                  this text\n"
	"\n"
	"Without -g, -gline-tables-only is added so reports can name lines.\n"
	"With -shared, the runtime is left out: the program that loads the library\n"
	"(built with slabsan-cc too) provides it.\n"
	"Environment: SLABSAN_CLANG overrides the compiler; SLABSAN_OPTIONS is\n"
	"read by the instrumented program at run time (docs/usage.md).\n";

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "slabsan-cc: error: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static bool exists(const char *path) { return access(path, R_OK) == 0; }

/* The directory this executable is in, so a build or install tree can be
 * used from anywhere. */
static void self_dir(char *out, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		die("cannot find my own location: %s", strerror(errno));
	exe[n] = '\0';
	snprintf(out, size, "%s", dirname(exe));
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

/* A sanitizer in a -fsanitize= list whose runtime, like ours, replaces
 * malloc or the thread functions (or keeps its own shadow memory): the two
 * cannot share a process (ThreadSanitizer's crashed at its first thread).
 * UndefinedBehaviorSanitizer and the like combine fine. */
static const char *conflicting_sanitizer(const char *arg)
{
	static const char *const conflicting[] = {"thread", "address", "memory", "hwaddress",
						  "kernel-address", "dataflow", "leak"};
	if (strncmp(arg, "-fsanitize=", 11))
		return NULL;
	static char list[256];
	snprintf(list, sizeof list, "%s", arg + 11);
	for (char *save, *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save))
		for (size_t i = 0; i < sizeof conflicting / sizeof *conflicting; i++)
			if (!strcmp(name, conflicting[i]))
				return conflicting[i];
	return NULL;
}

static bool is_source(const char *arg)
{
	static const char *suffixes[] = {".c", ".i", ".cc", ".cpp", ".cxx", ".C", ".m"};
	if (arg[0] == '-')
		return !strcmp(arg, "-");   /* stdin with -x */
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++)
		if (has_suffix(arg, suffixes[i]))
			return true;
	return false;
}

/* What the arguments ask for, as far as slabsan-cc must know. */
struct invocation {
	const char *mode;          /* -fslabsan-mode */
	bool link, compiles, debug, any_input, shared;
	bool gold;                 /* -fuse-ld=gold */
	const char *static_link;   /* -static or -static-pie, if given */
};

static void take_slabsan_option(struct invocation *inv, const char *a)
{
	if (strncmp(a, "-fslabsan-mode=", 15))
		die("unknown SlabSan option '%s' (see slabsan-cc --help)", a);
	inv->mode = a + 15;
	if (strcmp(inv->mode, "full") && strcmp(inv->mode, "focused"))
		die("unknown -fslabsan-mode '%s' (expected full or focused)", inv->mode);
}

/* Options that take the next argument as their value. */
static bool takes_value(const char *a)
{
	static const char *const with_value[] = {"-o", "-x", "-I", "-D", "-U", "-include", "-MF",
						 "-MT", "-MQ", "-isystem", "-L", "-l"};
	for (size_t i = 0; i < sizeof with_value / sizeof *with_value; i++)
		if (!strcmp(a, with_value[i]))
			return true;
	return false;
}

/* Learn from one argument of the compiler's (value: the next one's, for
 * an option that takes it). */
static void note_arg(struct invocation *inv, const char *a, const char *value)
{
	const char *other = conflicting_sanitizer(a);
	if (other)
		die("-fsanitize=%s cannot be combined with SlabSan: both runtimes replace "
		    "malloc or the thread functions; build a separate binary for it", other);
	if (!strcmp(a, "-c") || !strcmp(a, "-S") || !strcmp(a, "-E") || !strcmp(a, "-M") ||
	    !strcmp(a, "-MM") || !strcmp(a, "-fsyntax-only"))
		inv->link = false;
	if (!strncmp(a, "-g", 2) && strcmp(a, "-g0"))
		inv->debug = true;
	if (!strcmp(a, "-shared"))
		inv->shared = true;
	if (!strcmp(a, "-fuse-ld=gold"))
		inv->gold = true;
	if (!strcmp(a, "-static") || !strcmp(a, "-static-pie"))
		inv->static_link = a;
	if (value && !strcmp(a, "-x"))
		inv->compiles = true;
	if (!value && is_source(a))
		inv->compiles = true;
	if (!value && a[0] != '-')
		inv->any_input = true;
}

/* @file: more arguments, which build systems use for long command lines;
 * clang expands it, and slabsan-cc must see what is in it too (a "-c" or
 * a source there decides whether to instrument and link). Arguments are
 * separated by white space, quoted with ' or ", and \ escapes one
 * character, as GCC and clang read them. */
static void scan_response_file(struct invocation *inv, const char *path, int depth)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return;                    /* clang will say it cannot read it */
	if (depth > 8)
		die("response files nest too deep at @%s", path);
	char arg[PATH_MAX + 256], prev[PATH_MAX + 256] = "";
	size_t len = 0;
	bool in_arg = false, pending_value = false;
	int quote = 0, c;
	do {
		c = fgetc(f);
		bool ends = c == EOF || (!quote && isspace(c));
		if (!ends) {
			if (!quote && (c == '\'' || c == '"')) {
				quote = c;
			} else if (quote && c == quote) {
				quote = 0;
			} else {
				if (c == '\\' && quote != '\'') {
					int next = fgetc(f);
					if (next != EOF)
						c = next;
				}
				if (len + 1 < sizeof arg)
					arg[len++] = (char)c;
			}
			in_arg = true;
			continue;
		}
		if (!in_arg)
			continue;
		arg[len] = '\0';
		if (pending_value) {
			note_arg(inv, prev, arg);
			pending_value = false;
		} else if (!strncmp(arg, "-fslabsan", 9)) {
			die("%s is in a response file: put SlabSan's options on the command line", arg);
		} else if (arg[0] == '@') {
			scan_response_file(inv, arg + 1, depth + 1);
		} else if (takes_value(arg)) {
			snprintf(prev, sizeof prev, "%s", arg);
			pending_value = true;
		} else {
			note_arg(inv, arg, NULL);
		}
		len = 0;
		in_arg = false;
	} while (c != EOF);
	fclose(f);
}

int main(int argc, char **argv)
{
	/* room for dir plus the longest suffix below */
	char dir[PATH_MAX], plugin[PATH_MAX + 64], runtime[PATH_MAX + 64], slab[PATH_MAX + 64],
		include[PATH_MAX + 64], exports[PATH_MAX + 64];
	self_dir(dir, sizeof dir);
	/* installed: lib/slabsan/; build tree: lib/ */
	snprintf(plugin, sizeof plugin, "%s/../lib/slabsan/slabsan-plugin.so", dir);
	if (!exists(plugin))
		snprintf(plugin, sizeof plugin, "%s/../lib/slabsan-plugin.so", dir);
	snprintf(runtime, sizeof runtime, "%s/../lib/libslabsan_rt.a", dir);
	snprintf(slab, sizeof slab, "%s/../lib/libslabsan_slab.a", dir);
	snprintf(exports, sizeof exports, "%s/../lib/slabsan.dynlist", dir);
	snprintf(include, sizeof include, "%s/../include", dir);
	if (!exists(include) || !exists(strcat(strcpy((char[PATH_MAX + 96]){0}, include),
					       "/slabsan/slabsan.h")))
		snprintf(include, sizeof include, "%s", SLABSAN_SOURCE_INCLUDE);
	if (!exists(plugin))
		die("the SlabSan plugin is missing: %s (build or reinstall SlabSan)", plugin);
	if (!exists(runtime) || !exists(exports))
		die("the SlabSan runtime is missing: %s (build or reinstall SlabSan)",
		    exists(runtime) ? exports : runtime);

	const char *clang = getenv("SLABSAN_CLANG");
	if (!clang || !*clang)
		clang = SLABSAN_CLANG;

	struct invocation inv = {.mode = "full", .link = true};
	char **args = calloc((size_t)argc + 32, sizeof *args);
	int n = 0;
	args[n++] = (char *)clang;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-help")) {
			fputs(usage, stdout);
			return 0;
		}
		if (!strncmp(a, "-fslabsan", 9)) {
			take_slabsan_option(&inv, a);
			continue;                  /* ours: clang never sees it */
		}
		if (a[0] == '@') {
			scan_response_file(&inv, a + 1, 0);
			args[n++] = (char *)a;     /* clang reads the file itself */
			continue;
		}
		if (takes_value(a) && i + 1 < argc) {
			note_arg(&inv, a, argv[i + 1]);
			args[n++] = (char *)a;
			args[n++] = argv[++i];
			continue;
		}
		note_arg(&inv, a, NULL);
		args[n++] = (char *)a;
	}
	if (!inv.any_input) {
		if (argc == 1) {
			fputs(usage, stderr);
			return 1;
		}
		execvp(clang, argv);   /* e.g. --version: clang answers */
		die("cannot run %s", clang);
	}
	static char pass_arg[PATH_MAX + 96], inc_arg[PATH_MAX + 96], export_arg[PATH_MAX + 96];
	if (inv.compiles) {
		/* -fplugin (not -fpass-plugin): clang 14 parses -mllvm before it
		 * loads pass plugins, so the mode must travel as a plugin arg. */
		snprintf(pass_arg, sizeof pass_arg, "-fplugin=%s", plugin);
		args[n++] = pass_arg;
		if (!strcmp(inv.mode, "focused"))
			args[n++] = "-fplugin-arg-slabsan-mode=focused";
		if (include[0]) {
			snprintf(inc_arg, sizeof inc_arg, "-I%s", include);
			args[n++] = inc_arg;
		}
		if (!inv.debug)
			args[n++] = "-gline-tables-only";
	}
	/* The runtime interposes malloc and the pthread functions and finds
	 * the real ones with dlsym(RTLD_NEXT): a static link fails with
	 * "multiple definition of `realloc'", so say why first. */
	if (inv.link && inv.static_link && !inv.shared)
		die("%s is not supported: the runtime replaces malloc and the pthread "
		    "functions, which needs a dynamically linked program", inv.static_link);
	if (inv.link && inv.shared) {
		/* A shared library calls the runtime of the program that loads it:
		 * one runtime per process. Its calls stay undefined until then,
		 * which -Wl,--no-undefined or -z defs (meson's default for
		 * libraries) would refuse: -z undefs, last, allows them again
		 * (bfd and lld; gold does not know it). */
		args[n++] = "-pthread";
		if (!inv.gold)
			args[n++] = "-Wl,-z,undefs";
	} else if (inv.link) {
		args[n++] = "-Wl,--whole-archive";
		args[n++] = runtime;
		args[n++] = "-Wl,--no-whole-archive";
		if (exists(slab))
			args[n++] = slab;
		args[n++] = "-pthread";
		args[n++] = "-ldl";
		/* the entry points for instrumented libraries loaded by dlopen() */
		snprintf(export_arg, sizeof export_arg, "-Wl,--dynamic-list=%s", exports);
		args[n++] = export_arg;
	}
	args[n] = NULL;
	execvp(clang, args);
	die("cannot run the compiler: %s", clang);
	return 1;
}
