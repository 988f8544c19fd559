// SPDX-License-Identifier: Apache-2.0
/* Machine-readable and visual outputs: every finding so far, rewritten as a
 * whole after each new one, so the files are complete and valid even if the
 * program dies later. JSON (own schema, docs/output-formats.md), SARIF 2.1.0 and
 * a self-contained HTML page with one SVG timeline per finding. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "finding.h"
#include "internal.h"
#include "out.h"

/* A JSON string literal. */
static void out_json_str(struct sl_out *o, const char *s)
{
	sl_out_lit(o, "\"");
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			sl_out_raw(o, e, 2);
		} else if (c < 0x20) {
			sl_out_fmt(o, "\\u%04x", c);
		} else {
			sl_out_raw(o, (const char *)&c, 1);
		}
	}
	sl_out_lit(o, "\"");
}

static bool open_out(struct sl_out *o, const char *path)
{
	o->used = 0;
	o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	return o->fd >= 0;
}

static void close_out(struct sl_out *o)
{
	sl_out_flush(o);
	close(o->fd);
}

/* The files written, from the options with each "%p" replaced by the
 * process id: every process of a test run that shares SLABSAN_OPTIONS
 * rewrote one file whole, and only the last one's findings were left. */
#define FILE_PATH 4096
static char json_file[FILE_PATH], sarif_file[FILE_PATH], html_file[FILE_PATH];

static void expand_path(char out[FILE_PATH], const char *pattern)
{
	const size_t size = FILE_PATH;
	size_t used = 0;
	for (const char *c = pattern; *c && used + 1 < size; c++) {
		if (c[0] == '%' && c[1] == 'p') {
			used += (size_t)snprintf(out + used, size - used, "%d", (int)getpid());
			used = used < size ? used : size - 1;
			c++;
		} else {
			out[used++] = *c;
		}
	}
	out[used] = '\0';
}

/* An unwritable output path is a configuration error: say so before main. */
static void check_writable(const char *option, char *file, const char *pattern)
{
	expand_path(file, pattern);
	if (!file[0])
		return;
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		sl_die("cannot write %s '%s': %m", option, file);
	close(fd);
}

static void open_outputs(struct sl_finding *const *findings, unsigned n)
{
	check_writable("json_path", json_file, sl_opt.json_path);
	check_writable("sarif_path", sarif_file, sl_opt.sarif_path);
	check_writable("html_path", html_file, sl_opt.html_path);
	sl_output_write(findings, n);   /* a clean run leaves valid, empty documents */
}

void sl_output_init(void)
{
	open_outputs(NULL, 0);
}

/* A child that fork() made without "%p" in the paths writes its parent's
 * files, holding the findings it inherited and its own. */
static bool writes_parents_files;
static unsigned inherited;

/* A forked child writes files of its own where the paths hold "%p",
 * starting with the findings it inherited; otherwise it rewrites its
 * parent's, and says so once it has a finding of its own
 * (docs/output-formats.md). */
void sl_output_after_fork_child(struct sl_finding *const *findings, unsigned n)
{
	if (strstr(sl_opt.json_path, "%p") || strstr(sl_opt.sarif_path, "%p") ||
	    strstr(sl_opt.html_path, "%p"))
		open_outputs(findings, n);
	else if (json_file[0] || sarif_file[0] || html_file[0])
		writes_parents_files = true, inherited = n;
}

/* ---- JSON */

static void json_frames(struct sl_out *o, const struct sl_event *e)
{
	sl_out_lit(o, "[");
	for (unsigned i = 0; i < e->nframes; i++) {
		const struct sl_frame_text *f = &e->frames[i];
		sl_out_str(o, i ? ",{\"function\":" : "{\"function\":");
		out_json_str(o, f->function);
		sl_out_lit(o, ",\"file\":");
		out_json_str(o, f->file);
		sl_out_fmt(o, ",\"line\":%u}", f->line);
	}
	sl_out_lit(o, "]");
}

static void json_finding(struct sl_out *o, const struct sl_finding *f, unsigned index)
{
	sl_out_fmt(o, "{\"id\":%u,\"kind\":", index + 1);
	out_json_str(o, f->kind);
	sl_out_fmt(o, ",\"pid\":%d,\"occurrences\":%lu,", f->pid, f->occurrences);
	if (f->edge_of >= 0)
		sl_out_fmt(o, "\"consequence_of\":%d,", f->edge_of + 1);
	sl_out_lit(o, "\"location\":{\"function\":");
	out_json_str(o, f->summary.function);
	sl_out_lit(o, ",\"file\":");
	out_json_str(o, f->summary.file);
	sl_out_fmt(o, ",\"line\":%u},\"explanation\":", f->summary.line);
	out_json_str(o, f->note);
	sl_out_lit(o, ",\"fix\":");
	out_json_str(o, f->fix);
	sl_out_lit(o, ",\"events\":[");
	for (unsigned i = 0; i < f->nevents; i++) {
		const struct sl_event *e = &f->events[i];
		sl_out_str(o, i ? ",{\"role\":" : "{\"role\":");
		out_json_str(o, e->role);
		if (e->tid != 0xffff)
			sl_out_fmt(o, ",\"thread\":%u", e->tid);
		if (e->member[0]) {
			sl_out_lit(o, ",\"member\":");
			out_json_str(o, e->member);
		}
		if (e->order) {
			sl_out_lit(o, ",\"order\":");
			out_json_str(o, e->order);
		}
		if (e->fenced)
			sl_out_lit(o, ",\"fence\":true");
		sl_out_lit(o, ",\"text\":");
		out_json_str(o, e->text);
		sl_out_lit(o, ",\"stack\":");
		json_frames(o, e);
		sl_out_lit(o, "}");
	}
	sl_out_lit(o, "]}");
}

static void write_json(struct sl_finding *const *fs, unsigned n)
{
	struct sl_out o;
	if (!open_out(&o, json_file))
		return;
	sl_out_lit(&o, "{\"tool\":\"SlabSan\",\"version\":1,\"findings\":[\n");
	for (unsigned i = 0; i < n; i++) {
		json_finding(&o, fs[i], i);
		sl_out_str(&o, i + 1 < n ? ",\n" : "\n");
	}
	sl_out_lit(&o, "]}\n");
	close_out(&o);
}

/* ---- SARIF 2.1.0: one rule per kind, the summary frame as the result's
 * location, each event's stack as a thread flow. */

static const char *const rule_ids[][2] = {
	{"data race", "data-race"},
	{"free without acquire", "free-without-acquire"},
	{"use after free", "use-after-free"},
	{"double free", "double-free"},
	{"invalid free", "invalid-free"},
	{"assert: race", "assert-race"},
	{"signal-unsafe call inside a signal handler", "signal-unsafe-call"},
	{"deadly signal", "deadly-signal"},
};
#define NRULES (sizeof rule_ids / sizeof rule_ids[0])

static const char *rule_id(const char *kind)
{
	for (unsigned i = 0; i < NRULES; i++)
		if (!strcmp(kind, rule_ids[i][0]))
			return rule_ids[i][1];
	return "other";
}

static void sarif_location(struct sl_out *o, const struct sl_frame_text *f, const char *message)
{
	sl_out_lit(o, "{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
	/* SARIF wants URIs: absolute paths become file:// URIs. */
	char uri[300];
	snprintf(uri, sizeof uri, "%s%s", f->file[0] == '/' ? "file://" : "", f->file);
	out_json_str(o, uri);
	sl_out_lit(o, "}");
	if (f->line)
		sl_out_fmt(o, ",\"region\":{\"startLine\":%u}", f->line);
	sl_out_lit(o, "}");
	if (message) {
		sl_out_lit(o, ",\"message\":{\"text\":");
		out_json_str(o, message);
		sl_out_lit(o, "}");
	}
	sl_out_lit(o, "}");
}

static void sarif_result(struct sl_out *o, const struct sl_finding *f)
{
	sl_out_lit(o, "{\"ruleId\":");
	out_json_str(o, rule_id(f->kind));
	sl_out_lit(o, ",\"level\":\"error\",\"message\":{\"text\":");
	char msg[1700];
	snprintf(msg, sizeof msg, "%s in %s. %s%s%s", f->kind, f->summary.function, f->note,
		 f->fix[0] ? " Fix: " : "", f->fix);
	out_json_str(o, msg);
	sl_out_lit(o, "},\"locations\":[");
	if (f->summary.file[0])
		sarif_location(o, &f->summary, NULL);
	sl_out_lit(o, "],\"codeFlows\":[{\"threadFlows\":[");
	unsigned flows = 0;
	for (unsigned i = 0; i < f->nevents; i++) {
		const struct sl_event *e = &f->events[i];
		if (!e->nframes)
			continue;
		sl_out_str(o, flows++ ? ",{\"message\":{\"text\":" : "{\"message\":{\"text\":");
		out_json_str(o, e->text);
		sl_out_lit(o, "},\"locations\":[");
		for (unsigned j = 0; j < e->nframes; j++) {
			sl_out_str(o, j ? ",{\"location\":" : "{\"location\":");
			sarif_location(o, &e->frames[j], e->frames[j].function);
			sl_out_fmt(o, ",\"nestingLevel\":%u}", j);
		}
		sl_out_lit(o, "]}");
	}
	sl_out_lit(o, "]}]");
	if (f->occurrences > 1)
		sl_out_fmt(o, ",\"occurrenceCount\":%lu", f->occurrences);
	sl_out_lit(o, "}");
}

static void write_sarif(struct sl_finding *const *fs, unsigned n)
{
	struct sl_out o;
	if (!open_out(&o, sarif_file))
		return;
	sl_out_fmt(&o, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
		    "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"SlabSan\","
		    "\"informationUri\":\"https://example.invalid/slabsan\",\"rules\":[");
	for (unsigned i = 0; i < NRULES; i++) {
		sl_out_fmt(&o, "%s{\"id\":\"%s\",\"name\":\"%s\",\"shortDescription\":{\"text\":",
			i ? "," : "", rule_ids[i][1], rule_ids[i][1]);
		out_json_str(&o, rule_ids[i][0]);
		sl_out_lit(&o, "}}");
	}
	sl_out_lit(&o, "]}},\"results\":[\n");
	for (unsigned i = 0; i < n; i++) {
		sarif_result(&o, fs[i]);
		sl_out_str(&o, i + 1 < n ? ",\n" : "\n");
	}
	sl_out_lit(&o, "]}]}\n");
	close_out(&o);
}

/* ---- HTML (html.c renders; declared here to keep outputs in one list) */
void sl_write_html(int fd, struct sl_finding *const *fs, unsigned n);

static void write_html(struct sl_finding *const *fs, unsigned n)
{
	int fd = open(html_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	sl_write_html(fd, fs, n);
	close(fd);
}

void sl_output_write(struct sl_finding *const *findings, unsigned n)
{
	if (writes_parents_files && n > inherited)
		sl_note_once("a forked child rewrites its parent's json/sarif/html files, and "
			     "the one written last wins: put %%p (the process id) in the paths");
	if (json_file[0])
		write_json(findings, n);
	if (sarif_file[0])
		write_sarif(findings, n);
	if (html_file[0])
		write_html(findings, n);
}
