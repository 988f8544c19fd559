// SPDX-License-Identifier: Apache-2.0
/* Suppressions (suppressions=FILE), ThreadSanitizer's format: one
 * `type:pattern` per line, '#' comments. Kept apart from the checks so the
 * rules that silence reports can be audited in one place. A pattern matches
 * a function, file or module name of any frame of the report, or the struct
 * member an access of the report reached (`race:struct stats::hits`, as
 * ThreadSanitizer matches a raced global's name); '*' matches any run
 * of characters, a leading '^' / trailing '$' anchor it, otherwise it may
 * match anywhere. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "finding.h"
#include "internal.h"

#define MAX_SUPPRESSIONS 256

struct suppression {
	char type[32];
	char pattern[224];
	unsigned long hits;
};
static struct suppression rules[MAX_SUPPRESSIONS];
static unsigned nrules;

/* Types are the report kinds with '_' for ' '; "race" covers every kind
 * that is about missing ordering. */
static const char *const types[][2] = {
	{"data_race", "data race"},
	{"free_without_acquire", "free without acquire"},
	{"use_after_free", "use after free"},
	{"double_free", "double free"},
	{"invalid_free", "invalid free"},
	{"assert_race", "assert: race"},
	{"signal_unsafe_call", "signal-unsafe call inside a signal handler"},
	{"race", NULL},
};

static bool type_known(const char *t)
{
	for (unsigned i = 0; i < sizeof types / sizeof types[0]; i++)
		if (!strcmp(t, types[i][0]))
			return true;
	return false;
}

static bool type_covers(const char *t, const char *kind)
{
	if (!strcmp(t, "race"))
		return !strcmp(kind, "data race") || !strcmp(kind, "free without acquire") ||
		       !strcmp(kind, "assert: race");
	for (unsigned i = 0; i < sizeof types / sizeof types[0]; i++)
		if (types[i][1] && !strcmp(t, types[i][0]))
			return !strcmp(kind, types[i][1]);
	return false;
}

static void parse_line(const char *path, unsigned lineno, char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	size_t n = strlen(line);
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (!n || line[0] == '#')
		return;
	char *colon = strchr(line, ':');
	if (!colon || colon == line || !colon[1])
		sl_die("suppressions %s:%u: expected 'type:pattern', got '%s'", path, lineno, line);
	*colon = '\0';
	if (!type_known(line))
		sl_die("suppressions %s:%u: unknown type '%s' (data_race, free_without_acquire, "
		       "use_after_free, double_free, invalid_free, assert_race, signal_unsafe_call, race)",
		       path, lineno, line);
	if (nrules == MAX_SUPPRESSIONS)
		sl_die("suppressions %s:%u: more than %u suppressions", path, lineno,
		       MAX_SUPPRESSIONS);
	if (strlen(colon + 1) >= sizeof rules[0].pattern)
		sl_die("suppressions %s:%u: pattern too long", path, lineno);
	struct suppression *r = &rules[nrules++];
	snprintf(r->type, sizeof r->type, "%s", line);
	snprintf(r->pattern, sizeof r->pattern, "%s", colon + 1);
}

void sl_suppressions_init(void)
{
	const char *path = sl_opt.suppressions;
	if (!path[0])
		return;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		sl_die("cannot read suppressions file '%s': %s", path, strerror(errno));
	static char text[64 << 10];
	ssize_t len = sl_sys_read(fd, text, sizeof text - 1);
	close(fd);
	if (len < 0)
		sl_die("cannot read suppressions file '%s': %s", path, strerror(errno));
	if ((size_t)len == sizeof text - 1)
		sl_die("suppressions file '%s' is larger than %zu bytes", path, sizeof text - 1);
	text[len] = '\0';
	unsigned lineno = 0;
	for (char *save, *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		parse_line(path, lineno, line);
	}
}

/* Glob with '*', anchored at both ends. */
static bool glob(const char *p, const char *s)
{
	if (!*p)
		return !*s;
	if (*p == '*')
		return glob(p + 1, s) || (*s && glob(p, s + 1));
	return *s == *p && glob(p + 1, s + 1);
}

static bool pattern_matches(const char *pattern, const char *text)
{
	if (!text || !text[0])
		return false;
	char p[sizeof rules[0].pattern + 2];
	size_t n = strlen(pattern);
	bool head = pattern[0] == '^', tail = n && pattern[n - 1] == '$';
	snprintf(p, sizeof p, "%s%.*s%s", head ? "" : "*", (int)(n - head - tail),
		 pattern + head, tail ? "" : "*");
	return glob(p, text);
}

/* Does the pattern name what the event's access reached (a struct member)
 * or a function, file or module of its stack? */
static bool event_matches(const char *pattern, const struct sl_event *e)
{
	if (pattern_matches(pattern, e->member))
		return true;
	for (unsigned k = 0; k < e->nframes; k++) {
		const struct sl_frame_text *fr = &e->frames[k];
		if (pattern_matches(pattern, fr->function) || pattern_matches(pattern, fr->file) ||
		    pattern_matches(pattern, fr->module))
			return true;
	}
	return false;
}

bool sl_suppressed(const struct sl_finding *f)
{
	for (unsigned i = 0; i < nrules; i++) {
		if (!type_covers(rules[i].type, f->kind))
			continue;
		for (unsigned e = 0; e < f->nevents; e++)
			if (event_matches(rules[i].pattern, &f->events[e])) {
				rules[i].hits++;
				return true;
			}
	}
	return false;
}

void sl_suppressions_print_stats(int fd)
{
	if (sl_opt.verbosity < 1 || !nrules)
		return;
	char line[400];
	int n = snprintf(line, sizeof line, "SlabSan: suppressions used (%s):\n",
			 sl_opt.suppressions);
	if (sl_sys_write(fd, line, (size_t)n) < 0)
		return;
	for (unsigned i = 0; i < nrules; i++) {
		n = snprintf(line, sizeof line, "  %lu %s:%s\n", rules[i].hits, rules[i].type,
			     rules[i].pattern);
		if (sl_sys_write(fd, line, (size_t)n) < 0)
			return;
	}
}
