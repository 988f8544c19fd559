// SPDX-License-Identifier: Apache-2.0
/* Machine-readable and visual outputs: every finding so far, rewritten as a
 * whole after each new one, so the files are complete and valid even if the
 * program dies later. JSON (own schema, docs/reports.md), SARIF 2.1.0 and
 * a self-contained HTML page with one SVG timeline per finding. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "finding.h"
#include "internal.h"

/* ---- a tiny buffered writer over a file descriptor */
struct out {
	int fd;
	size_t used;
	char buf[8192];
};

static void out_flush(struct out *o)
{
	size_t off = 0;
	while (off < o->used) {
		ssize_t n = write(o->fd, o->buf + off, o->used - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	o->used = 0;
}

static void out_raw(struct out *o, const char *s, size_t n)
{
	while (n) {
		if (o->used == sizeof o->buf)
			out_flush(o);
		size_t k = sizeof o->buf - o->used < n ? sizeof o->buf - o->used : n;
		memcpy(o->buf + o->used, s, k);
		o->used += k;
		s += k;
		n -= k;
	}
}

#define out_lit(o, lit) out_raw((o), (lit), sizeof(lit) - 1)
static void out_str(struct out *o, const char *s) { out_raw(o, s, strlen(s)); }

static void out_fmt(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out_fmt(struct out *o, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		out_raw(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* A JSON string literal. */
static void out_json_str(struct out *o, const char *s)
{
	out_lit(o, "\"");
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			out_raw(o, e, 2);
		} else if (c < 0x20) {
			out_fmt(o, "\\u%04x", c);
		} else {
			out_raw(o, (const char *)&c, 1);
		}
	}
	out_lit(o, "\"");
}

static bool open_out(struct out *o, const char *path)
{
	o->used = 0;
	o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	return o->fd >= 0;
}

static void close_out(struct out *o)
{
	out_flush(o);
	close(o->fd);
}

/* An unwritable output path is a configuration error: say so before main. */
static void check_writable(const char *option, const char *path)
{
	if (!path[0])
		return;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		sl_die("cannot write %s '%s': %m", option, path);
	close(fd);
}

void sl_output_init(void)
{
	check_writable("json_path", sl_opt.json_path);
	check_writable("sarif_path", sl_opt.sarif_path);
	check_writable("html_path", sl_opt.html_path);
}

/* ---- JSON */

static void json_frames(struct out *o, const struct sl_event *e)
{
	out_lit(o, "[");
	for (unsigned i = 0; i < e->nframes; i++) {
		const struct sl_frame_text *f = &e->frames[i];
		out_str(o, i ? ",{\"function\":" : "{\"function\":");
		out_json_str(o, f->function);
		out_lit(o, ",\"file\":");
		out_json_str(o, f->file);
		out_fmt(o, ",\"line\":%u}", f->line);
	}
	out_lit(o, "]");
}

static void json_finding(struct out *o, const struct sl_finding *f, unsigned index)
{
	out_fmt(o, "{\"id\":%u,\"kind\":", index + 1);
	out_json_str(o, f->kind);
	out_fmt(o, ",\"pid\":%d,\"occurrences\":%lu,", f->pid, f->occurrences);
	if (f->edge_of >= 0)
		out_fmt(o, "\"consequence_of\":%d,", f->edge_of + 1);
	out_lit(o, "\"location\":{\"function\":");
	out_json_str(o, f->summary.function);
	out_lit(o, ",\"file\":");
	out_json_str(o, f->summary.file);
	out_fmt(o, ",\"line\":%u},\"explanation\":", f->summary.line);
	out_json_str(o, f->note);
	out_lit(o, ",\"fix\":");
	out_json_str(o, f->fix);
	out_lit(o, ",\"events\":[");
	for (unsigned i = 0; i < f->nevents; i++) {
		const struct sl_event *e = &f->events[i];
		out_str(o, i ? ",{\"role\":" : "{\"role\":");
		out_json_str(o, e->role);
		if (e->tid != 0xffff)
			out_fmt(o, ",\"thread\":%u", e->tid);
		out_lit(o, ",\"text\":");
		out_json_str(o, e->text);
		out_lit(o, ",\"stack\":");
		json_frames(o, e);
		out_lit(o, "}");
	}
	out_lit(o, "]}");
}

static void write_json(struct sl_finding *const *fs, unsigned n)
{
	struct out o;
	if (!open_out(&o, sl_opt.json_path))
		return;
	out_lit(&o, "{\"tool\":\"SlabSan\",\"version\":1,\"findings\":[\n");
	for (unsigned i = 0; i < n; i++) {
		json_finding(&o, fs[i], i);
		out_str(&o, i + 1 < n ? ",\n" : "\n");
	}
	out_lit(&o, "]}\n");
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
};
#define NRULES (sizeof rule_ids / sizeof rule_ids[0])

static const char *rule_id(const char *kind)
{
	for (unsigned i = 0; i < NRULES; i++)
		if (!strcmp(kind, rule_ids[i][0]))
			return rule_ids[i][1];
	return "other";
}

static void sarif_location(struct out *o, const struct sl_frame_text *f, const char *message)
{
	out_lit(o, "{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
	/* SARIF wants URIs: absolute paths become file:// URIs. */
	char uri[300];
	snprintf(uri, sizeof uri, "%s%s", f->file[0] == '/' ? "file://" : "", f->file);
	out_json_str(o, uri);
	out_lit(o, "}");
	if (f->line)
		out_fmt(o, ",\"region\":{\"startLine\":%u}", f->line);
	out_lit(o, "}");
	if (message) {
		out_lit(o, ",\"message\":{\"text\":");
		out_json_str(o, message);
		out_lit(o, "}");
	}
	out_lit(o, "}");
}

static void sarif_result(struct out *o, const struct sl_finding *f)
{
	out_lit(o, "{\"ruleId\":");
	out_json_str(o, rule_id(f->kind));
	out_lit(o, ",\"level\":\"error\",\"message\":{\"text\":");
	char msg[1700];
	snprintf(msg, sizeof msg, "%s in %s. %s%s%s", f->kind, f->summary.function, f->note,
		 f->fix[0] ? " Fix: " : "", f->fix);
	out_json_str(o, msg);
	out_lit(o, "},\"locations\":[");
	if (f->summary.file[0])
		sarif_location(o, &f->summary, NULL);
	out_lit(o, "],\"codeFlows\":[{\"threadFlows\":[");
	unsigned flows = 0;
	for (unsigned i = 0; i < f->nevents; i++) {
		const struct sl_event *e = &f->events[i];
		if (!e->nframes)
			continue;
		out_str(o, flows++ ? ",{\"message\":{\"text\":" : "{\"message\":{\"text\":");
		out_json_str(o, e->text);
		out_lit(o, "},\"locations\":[");
		for (unsigned j = 0; j < e->nframes; j++) {
			out_str(o, j ? ",{\"location\":" : "{\"location\":");
			sarif_location(o, &e->frames[j], e->frames[j].function);
			out_fmt(o, ",\"nestingLevel\":%u}", j);
		}
		out_lit(o, "]}");
	}
	out_lit(o, "]}]");
	if (f->occurrences > 1)
		out_fmt(o, ",\"occurrenceCount\":%lu", f->occurrences);
	out_lit(o, "}");
}

static void write_sarif(struct sl_finding *const *fs, unsigned n)
{
	struct out o;
	if (!open_out(&o, sl_opt.sarif_path))
		return;
	out_fmt(&o, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
		    "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"SlabSan\","
		    "\"informationUri\":\"https://example.invalid/slabsan\",\"rules\":[");
	for (unsigned i = 0; i < NRULES; i++) {
		out_fmt(&o, "%s{\"id\":\"%s\",\"name\":\"%s\",\"shortDescription\":{\"text\":",
			i ? "," : "", rule_ids[i][1], rule_ids[i][1]);
		out_json_str(&o, rule_ids[i][0]);
		out_lit(&o, "}}");
	}
	out_lit(&o, "]}},\"results\":[\n");
	for (unsigned i = 0; i < n; i++) {
		sarif_result(&o, fs[i]);
		out_str(&o, i + 1 < n ? ",\n" : "\n");
	}
	out_lit(&o, "]}]}\n");
	close_out(&o);
}

/* ---- HTML (html.c renders; declared here to keep outputs in one list) */
void sl_write_html(int fd, struct sl_finding *const *fs, unsigned n);

static void write_html(struct sl_finding *const *fs, unsigned n)
{
	int fd = open(sl_opt.html_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	sl_write_html(fd, fs, n);
	close(fd);
}

void sl_output_write(struct sl_finding *const *findings, unsigned n)
{
	if (sl_opt.json_path[0])
		write_json(findings, n);
	if (sl_opt.sarif_path[0])
		write_sarif(findings, n);
	if (sl_opt.html_path[0])
		write_html(findings, n);
}
