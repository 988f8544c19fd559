// SPDX-License-Identifier: Apache-2.0
/* SLABSAN_OPTIONS parsing. The table is options.def; a bad key or value stops
 * the program before main with a message naming it, as a typo in a CI job's
 * options must not silently turn checks off. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct sl_options sl_opt = {
#define SL_OPTION(type, name, default_value, description) .name = default_value,
#include "options.def"
#undef SL_OPTION
};

static char value_store[4096];   /* string option values live here */
static size_t value_used;

static bool parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes")) {
		*out = true;
		return true;
	}
	if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no")) {
		*out = false;
		return true;
	}
	return false;
}

static bool parse_int(const char *v, int *out)
{
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	if (!*v || *end || errno || x < INT_MIN || x > INT_MAX)
		return false;
	*out = (int)x;
	return true;
}

static bool parse_string(const char *v, const char **out)
{
	size_t n = strlen(v) + 1;
	if (value_used + n > sizeof value_store)
		return false;
	memcpy(value_store + value_used, v, n);
	*out = value_store + value_used;
	value_used += n;
	return true;
}

static bool parse_memory_model(const char *v, enum sl_memory_model *out)
{
	if (!strcmp(v, "strict"))
		*out = SL_MM_STRICT;
	else if (!strcmp(v, "lkmm"))
		*out = SL_MM_LKMM;
	else
		return false;
	return true;
}

#define PARSE(field, v) _Generic((field),				\
	bool: parse_bool,						\
	int: parse_int,							\
	enum sl_memory_model: parse_memory_model,			\
	const char *: parse_string)((v), &(field))

static void set_option(const char *key, const char *value)
{
#define SL_OPTION(type, name, default_value, description)		\
	if (!strcmp(key, #name)) {					\
		if (!PARSE(sl_opt.name, value))				\
			sl_die("SLABSAN_OPTIONS: bad value '%s' for option '%s' (%s)", \
			       value, key, description);		\
		return;							\
	}
#include "options.def"
#undef SL_OPTION
	sl_die("SLABSAN_OPTIONS: unknown option '%s'; known options: "
#define SL_OPTION(type, name, default_value, description) #name " "
#include "options.def"
#undef SL_OPTION
	       , key);
}

static void print_value(bool v) { fprintf(stderr, "%s", v ? "true" : "false"); }
static void print_int(int v) { fprintf(stderr, "%d", v); }
static void print_string(const char *v) { fprintf(stderr, "'%s'", v); }
static void print_memory_model(enum sl_memory_model v)
{
	fprintf(stderr, "%s", v == SL_MM_LKMM ? "lkmm" : "strict");
}
#define PRINT(field) _Generic((field),					\
	bool: print_value,						\
	int: print_int,							\
	enum sl_memory_model: print_memory_model,			\
	const char *: print_string)(field)

/* help=1: every option, its value now, and what it does. */
static void print_help(void)
{
	fprintf(stderr, "SlabSan options (SLABSAN_OPTIONS=name=value:name=value):\n");
#define SL_OPTION(type, name, default_value, description)		\
	fprintf(stderr, "  %s=", #name);				\
	PRINT(sl_opt.name);						\
	fprintf(stderr, "\n      %s\n", description);
#include "options.def"
#undef SL_OPTION
}

static void validate(void)
{
	if (sl_opt.exitcode < 0 || sl_opt.exitcode > 255)
		sl_die("SLABSAN_OPTIONS: exitcode=%d is out of range (0..255)", sl_opt.exitcode);
	if (sl_opt.verbosity < 0 || sl_opt.verbosity > 3)
		sl_die("SLABSAN_OPTIONS: verbosity=%d is out of range (0..3)", sl_opt.verbosity);
	if (sl_opt.quarantine_size_mb < 0 || sl_opt.quarantine_size_mb > 65536)
		sl_die("SLABSAN_OPTIONS: quarantine_size_mb=%d is out of range (0..65536)",
		       sl_opt.quarantine_size_mb);
	if (sl_opt.history_size < 256 || sl_opt.history_size > (1 << 24))
		sl_die("SLABSAN_OPTIONS: history_size=%d is out of range (256..16777216)",
		       sl_opt.history_size);
	if (sl_opt.epochs_per_id != 0 && sl_opt.epochs_per_id < 16)
		sl_die("SLABSAN_OPTIONS: epochs_per_id=%d is out of range (0, or 16..2147483647)",
		       sl_opt.epochs_per_id);
}

void sl_options_init(const char *env)
{
	if (env) {
		char buf[4096];
		if (strlen(env) >= sizeof buf)
			sl_die("SLABSAN_OPTIONS is too long (%zu bytes, at most %zu)",
			       strlen(env), sizeof buf - 1);
		strcpy(buf, env);
		/* ':' separates like ThreadSanitizer's; spaces and ',' too. */
		for (char *save, *tok = strtok_r(buf, ": ,\t\n", &save); tok;
		     tok = strtok_r(NULL, ": ,\t\n", &save)) {
			char *eq = strchr(tok, '=');
			if (!eq)
				sl_die("SLABSAN_OPTIONS: '%s' is not of the form key=value", tok);
			*eq = '\0';
			set_option(tok, eq + 1);
		}
	}
	validate();
	if (sl_opt.help)
		print_help();
}
