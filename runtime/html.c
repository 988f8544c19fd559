// SPDX-License-Identifier: Apache-2.0
/* The HTML page (html_path): one self-contained page, one SVG timeline per
 * finding. Owner: the outputs (with output.c). No JavaScript, no external
 * resources; built from the finding alone, with stack buffers only. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "finding.h"
#include "internal.h"
#include "out.h"

/* ---- escaping */

/* Text and attribute values alike: everything a finding holds comes from
 * the program (paths, function names), so nothing goes out unescaped. */
static void esc(struct sl_out *o, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': sl_out_lit(o, "&amp;"); break;
		case '<': sl_out_lit(o, "&lt;"); break;
		case '>': sl_out_lit(o, "&gt;"); break;
		case '"': sl_out_lit(o, "&quot;"); break;
		case '\'': sl_out_lit(o, "&#39;"); break;
		default: sl_out_raw(o, s, 1);
		}
	}
}

/* file:///path#L<line>: percent-encoding keeps the URI valid for any path
 * (and leaves nothing an attribute would need escaped). */
static void uri(struct sl_out *o, const struct sl_frame_text *f)
{
	if (f->file[0] == '/')
		sl_out_lit(o, "file://");
	for (const unsigned char *p = (const unsigned char *)f->file; *p; p++) {
		bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9') || strchr("/._~-+", *p);
		if (plain)
			sl_out_raw(o, (const char *)p, 1);
		else
			sl_out_fmt(o, "%%%02X", *p);
	}
	if (f->line)
		sl_out_fmt(o, "#L%u", f->line);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* "file.c:12", its front cut to fit a timeline column. */
static void loc_label(char *buf, size_t size, const struct sl_frame_text *f)
{
	enum { MAX = 24 };
	char line[16] = "";
	if (f->line)
		snprintf(line, sizeof line, ":%u", f->line);
	const char *name = f->file[0] ? base_name(f->file) : "?";
	size_t n = strlen(name), room = MAX - strlen(line);
	if (n > room)
		snprintf(buf, size, "\xe2\x80\xa6%s%s", name + n - (room - 1), line);
	else
		snprintf(buf, size, "%s%s", name, line);
}

/* A class name from a kind: "assert: race" -> "assert-race". */
static void slug(struct sl_out *o, const char *s)
{
	bool dash = false;
	for (; *s; s++) {
		char c = *s;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash)
				sl_out_lit(o, "-");
			sl_out_raw(o, &c, 1);
			dash = false;
		} else if (c >= 'A' && c <= 'Z') {
			c = (char)(c - 'A' + 'a');
			if (dash)
				sl_out_lit(o, "-");
			sl_out_raw(o, &c, 1);
			dash = false;
		} else {
			dash = true;
		}
	}
}

/* ---- reading the finding: the report's headings are the only place some
 * facts live (who created a thread, the memory orders of a hand-over). */

/* "... created by main thread (T0) at" / "... created by thread T3 at" */
static int creator_of(const struct sl_event *e)
{
	const char *p = strstr(e->text, "created by ");
	for (; p && *p; p++)
		if (p[0] == 'T' && p[1] >= '0' && p[1] <= '9') {
			int tid = 0;
			for (p++; *p >= '0' && *p <= '9'; p++)
				tid = tid * 10 + (*p - '0');
			return tid;
		}
	return -1;
}

/* Does the store or load of e order as one of orders does, or through the
 * fence its text names? */
static bool orders_as(const struct sl_event *e, const char *const *orders)
{
	for (; e->order && *orders; orders++)
		if (!strcmp(e->order, *orders))
			return true;
	return e->fenced;
}

/* ---- layout: marks on lanes, left to right in causal order */

#define MAX_MARKS (2 * SL_FINDING_EVENTS)
#define UNKNOWN_TID 0xffffu

struct mark {
	int ev;            /* index in f->events, or -1: the start of thread 'child' */
	uint32_t tid;      /* the lane */
	uint32_t child;    /* for creations and starts: the thread created */
	unsigned rank, sub;
};

struct layout {
	const struct sl_finding *f;
	unsigned id;                 /* 1-based, as in the JSON */
	struct mark m[MAX_MARKS];    /* sorted: index = column */
	unsigned nm;
	uint32_t lanes[MAX_MARKS];   /* ascending tid, unknown last */
	unsigned nlanes;
	int cur;                     /* the mark of events[0], the reported action */
	int publish, consume;        /* marks, or -1 */
	int release, acquire;        /* a relay's link before the publish: marks, or -1 */
	bool sync;                   /* publish releases and consume acquires */
};

static bool is(const struct sl_event *e, const char *role) { return !strcmp(e->role, role); }

/* Does the finding show where thread tid was created (so its lane starts)? */
static bool created_here(const struct sl_finding *f, uint32_t tid)
{
	for (unsigned i = 0; i < f->nevents; i++) {
		const struct sl_event *e = &f->events[i];
		if (is(e, "thread") && e->tid == tid && creator_of(e) >= 0)
			return true;
	}
	return false;
}

/* Where an event goes. Thread creations come first in the creating lane:
 * anything there that the finding calls unordered with the child must come
 * after the creation, or the creation would order it. The reported action
 * (events[0]) comes last. In a free without acquire the allocation is itself
 * unordered, so after the creation; elsewhere, and as "allocated" in a free
 * without acquire whose allocation is ordered, it is context, drawn first
 * (but never before the start of its own thread).
 * Publish precedes consume; when they synchronize, what is still unordered
 * on the publishing lane must follow the publish, so they move up front.
 * A relay's link (release, then acquire) comes between the unordered
 * access it carried and the relay's publish. */
static unsigned rank_of(const struct layout *L, const struct sl_event *e)
{
	bool fwa = !strcmp(L->f->kind, "free without acquire");
	/* a stale pointer was stored before the block now there was allocated */
	bool stale = L->f->cause && !strcmp(L->f->cause, SL_CAUSE_STALE_POINTER);
	if (is(e, "allocation") || is(e, "allocated"))
		return (fwa || stale) && is(e, "allocation") ? 10
		       : created_here(L->f, e->tid) ? 3 : 1;
	if (is(e, "thread"))
		return 2;
	if (is(e, "publish"))
		return L->sync ? 5 : 40;
	if (is(e, "consume"))
		return L->sync ? 6 : 50;
	if (is(e, "lock"))       /* taken just before the access that held it */
		return e->tid == L->f->events[0].tid ? 90 : 15;
	if (is(e, "previous") || is(e, "write"))
		return 20;
	if (is(e, "release"))
		return 25;
	if (is(e, "acquire"))
		return 35;
	if (is(e, "first-free") || is(e, "free"))
		return 30;
	return 60;
}

static bool before(const struct mark *a, const struct mark *b)
{
	if (a->rank != b->rank)
		return a->rank < b->rank;
	if (a->sub != b->sub)
		return a->sub < b->sub;
	return a->ev < b->ev;
}

static void add_lane(struct layout *L, uint32_t tid)
{
	for (unsigned i = 0; i < L->nlanes; i++)
		if (L->lanes[i] == tid)
			return;
	unsigned i = L->nlanes++;
	for (; i && L->lanes[i - 1] > tid; i--)
		L->lanes[i] = L->lanes[i - 1];
	L->lanes[i] = tid;
}

static unsigned lane_of(const struct layout *L, uint32_t tid)
{
	for (unsigned i = 0; i < L->nlanes; i++)
		if (L->lanes[i] == tid)
			return i;
	return 0;
}

static void lay_out(struct layout *L, const struct sl_finding *f, unsigned id)
{
	static const char *const releases[] = {"release", "acq_rel", "seq_cst", NULL};
	static const char *const acquires[] = {"acquire", "acq_rel", "seq_cst", "consume", NULL};
	memset(L, 0, sizeof *L);
	L->f = f;
	L->id = id;
	int pub = -1, con = -1;
	for (unsigned i = 0; i < f->nevents; i++) {
		if (is(&f->events[i], "publish"))
			pub = (int)i;
		if (is(&f->events[i], "consume"))
			con = (int)i;
	}
	L->sync = pub >= 0 && con >= 0 && orders_as(&f->events[pub], releases) &&
		  orders_as(&f->events[con], acquires);

	for (unsigned i = 0; i < f->nevents && L->nm < MAX_MARKS; i++) {
		const struct sl_event *e = &f->events[i];
		struct mark m = {.ev = (int)i, .tid = e->tid, .rank = rank_of(L, e)};
		if (i == 0)
			m.rank = 100;
		if (is(e, "thread")) {
			/* The creation stack is the creator's: its lane. */
			int parent = creator_of(e);
			m.child = e->tid;
			m.sub = 2 * e->tid;
			if (parent >= 0 && (uint32_t)parent != e->tid) {
				m.tid = (uint32_t)parent;
				if (L->nm + 1 < MAX_MARKS)
					L->m[L->nm++] = (struct mark){.ev = -1, .tid = e->tid,
						.child = e->tid, .rank = 2, .sub = 2 * e->tid + 1};
			}
		}
		L->m[L->nm++] = m;
	}
	/* insertion sort: a dozen marks */
	for (unsigned i = 1; i < L->nm; i++) {
		struct mark m = L->m[i];
		unsigned j = i;
		for (; j && before(&m, &L->m[j - 1]); j--)
			L->m[j] = L->m[j - 1];
		L->m[j] = m;
	}
	L->cur = L->publish = L->consume = L->release = L->acquire = -1;
	for (unsigned i = 0; i < L->nm; i++) {
		add_lane(L, L->m[i].tid);
		if (L->m[i].ev == 0)
			L->cur = (int)i;
		if (L->m[i].ev >= 0 && L->m[i].ev == pub)
			L->publish = (int)i;
		if (L->m[i].ev >= 0 && L->m[i].ev == con)
			L->consume = (int)i;
		if (L->m[i].ev > 0 && is(&f->events[L->m[i].ev], "release"))
			L->release = (int)i;
		if (L->m[i].ev > 0 && is(&f->events[L->m[i].ev], "acquire"))
			L->acquire = (int)i;
	}
}

/* ---- geometry (user units = CSS px) */

enum { LEFT = 130, COLW = 155, TOP = 14, LANEH = 124, R = 8 };

static int mx(unsigned col) { return LEFT + 30 + (int)col * COLW; }
static int my(const struct layout *L, unsigned col)
{
	return TOP + LANEH / 2 + (int)lane_of(L, L->m[col].tid) * LANEH;
}

static void mark_id(struct sl_out *o, const struct layout *L, unsigned col)
{
	const struct mark *m = &L->m[col];
	if (m->ev >= 0)
		sl_out_fmt(o, "f%u-e%d", L->id, m->ev);
	else
		sl_out_fmt(o, "f%u-start-T%u", L->id, m->child);
}

/* An arrow from one mark to another. A label sits where the line crosses
 * the middle of the first gap between lanes (clear of the marks' own text),
 * on the line's left (side < 0) or right, so edges leaving one mark keep
 * their labels apart. */
static void edge(struct sl_out *o, const struct layout *L, const char *cls, const char *arrow,
		 unsigned from, unsigned to, const char *label, int side)
{
	int x1 = mx(from), y1 = my(L, from), x2 = mx(to), y2 = my(L, to);
	sl_out_fmt(o, "<g class=\"edge %s\" data-from=\"", cls);
	mark_id(o, L, from);
	sl_out_lit(o, "\" data-to=\"");
	mark_id(o, L, to);
	sl_out_fmt(o, "\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" marker-end=\"url(#f%u-%s)\"/>",
		   x1, y1, x2, y2, L->id, arrow);
	if (label) {
		int ly = y1 == y2 ? y1 - 10 : y1 + (y2 > y1 ? LANEH / 2 : -LANEH / 2);
		int lx = y1 == y2 ? (x1 + x2) / 2 : x1 + (x2 - x1) * (ly - y1) / (y2 - y1);
		sl_out_fmt(o, "<text class=\"edge-label\" x=\"%d\" y=\"%d\" text-anchor=\"%s\">",
			   lx + (side < 0 ? -8 : 8), ly + 4, side < 0 ? "end" : "start");
		esc(o, label);
		sl_out_lit(o, "</text>");
	}
	sl_out_lit(o, "</g>\n");
}

static void lane_name(char *buf, size_t size, uint32_t tid)
{
	if (tid == 0)
		snprintf(buf, size, "T0 (main)");
	else if (tid == UNKNOWN_TID)
		snprintf(buf, size, "T? (unknown)");
	else
		snprintf(buf, size, "T%u", tid);
}

static void svg_lanes(struct sl_out *o, const struct layout *L, int width)
{
	for (unsigned i = 0; i < L->nlanes; i++) {
		char name[32];
		int y = TOP + LANEH / 2 + (int)i * LANEH;
		lane_name(name, sizeof name, L->lanes[i]);
		sl_out_fmt(o, "<g class=\"lane\" id=\"f%u-lane-", L->id);
		if (L->lanes[i] == UNKNOWN_TID)
			sl_out_lit(o, "unknown");
		else
			sl_out_fmt(o, "T%u", L->lanes[i]);
		sl_out_fmt(o, "\"><rect class=\"lane-bg\" x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\"/>"
			   "<text class=\"lane-label\" x=\"12\" y=\"%d\">%s</text>"
			   "<line class=\"lane-line\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/></g>\n",
			   y - LANEH / 2, width, LANEH, y + 5, name, LEFT, y, width - 10, y);
	}
}

/* Program order inside each lane; the creation of each thread; a relay's
 * release to its acquire; publish to consume; and the happens-before edge
 * the finding is about, in red. */
static void svg_edges(struct sl_out *o, const struct layout *L)
{
	const struct sl_finding *f = L->f;
	for (unsigned i = 0; i < L->nm; i++)
		for (unsigned j = i + 1; j < L->nm; j++)
			if (L->m[j].tid == L->m[i].tid) {
				edge(o, L, "po", "po", i, j, NULL, 1);
				break;
			}
	for (unsigned i = 0; i < L->nm; i++) {
		const struct mark *m = &L->m[i];
		if (m->ev < 0 || !is(&f->events[m->ev], "thread") || m->tid == m->child)
			continue;
		for (unsigned j = 0; j < L->nm; j++)
			if (L->m[j].ev < 0 && L->m[j].child == m->child)
				edge(o, L, "create", "hb", i, j, "thread creation", 1);
	}
	if (L->release >= 0 && L->acquire >= 0)
		/* unlabelled: the marks say release and acquire, and the red
		 * edge from the access before them crosses the same gap */
		edge(o, L, "sync", "hb", (unsigned)L->release, (unsigned)L->acquire, NULL, 1);
	if (L->publish >= 0 && L->consume >= 0 &&
	    L->m[L->publish].tid != L->m[L->consume].tid) {
		if (L->sync)
			edge(o, L, "sync", "hb", (unsigned)L->publish, (unsigned)L->consume,
			     "release \xe2\x86\x92 acquire", 1);
		else
			edge(o, L, "reads-from", "rf", (unsigned)L->publish, (unsigned)L->consume,
			     "reads-from, no happens-before", -1);
	}
	/* The missing edge: from the last event of each other lane that the
	 * finding says is unordered with the reported action. */
	bool fwa = !strcmp(f->kind, "free without acquire");
	bool race = !strcmp(f->kind, "data race") || !strcmp(f->kind, "assert: race");
	if (L->cur < 0 || !(fwa || race))
		return;
	for (unsigned lane = 0; lane < L->nlanes; lane++) {
		int last = -1;
		if (L->lanes[lane] == L->m[L->cur].tid)
			continue;
		for (unsigned i = 0; i < L->nm; i++) {
			const struct mark *m = &L->m[i];
			if (m->tid != L->lanes[lane] || m->ev <= 0)
				continue;
			const struct sl_event *e = &f->events[m->ev];
			bool unordered = race ? is(e, "previous")
					      : is(e, "allocation") || is(e, "write") ||
						(is(e, "publish") && !L->sync);
			if (unordered)
				last = (int)i;
		}
		if (last >= 0)
			edge(o, L, "missing", "missing", (unsigned)last, (unsigned)L->cur,
			     "missing happens-before", 1);
	}
}

static void svg_marks(struct sl_out *o, const struct layout *L)
{
	const struct sl_finding *f = L->f;
	for (unsigned i = 0; i < L->nm; i++) {
		const struct mark *m = &L->m[i];
		int x = mx(i), y = my(L, i);
		if (m->ev < 0) {
			sl_out_fmt(o, "<g class=\"thread-start\" id=\"f%u-start-T%u\">"
				   "<circle class=\"start\" cx=\"%d\" cy=\"%d\" r=\"6\"/>"
				   "<text class=\"role\" x=\"%d\" y=\"%d\">start T%u</text></g>\n",
				   L->id, m->child, x, y, x, y - 16, m->child);
			continue;
		}
		const struct sl_event *e = &f->events[m->ev];
		const struct sl_frame_text *top = e->nframes ? &e->frames[0] : NULL;
		char loc[64] = "?", role[40];
		if (top)
			loc_label(loc, sizeof loc, top);
		if (is(e, "thread"))
			snprintf(role, sizeof role, "create T%u", m->child);
		else
			snprintf(role, sizeof role, "%s", e->role);
		sl_out_lit(o, "<g class=\"event role-");
		esc(o, e->role);
		sl_out_fmt(o, "%s\" id=\"f%u-e%d\" data-thread=\"%u\" data-col=\"%u\">",
			   (int)i == L->cur ? " current" : "", L->id, m->ev, m->tid, i);
		if (top && top->file[0]) {
			sl_out_lit(o, "<a href=\"");
			uri(o, top);
			sl_out_lit(o, "\" xlink:href=\"");
			uri(o, top);
			sl_out_lit(o, "\">");
		}
		/* the tooltip: the report's own heading and stack */
		sl_out_lit(o, "<title>");
		esc(o, e->text);
		for (unsigned k = 0; k < e->nframes; k++) {
			sl_out_fmt(o, "\n#%u ", k);
			esc(o, e->frames[k].function);
			sl_out_lit(o, " ");
			esc(o, e->frames[k].file);
			sl_out_fmt(o, ":%u", e->frames[k].line);
		}
		sl_out_fmt(o, "</title><circle class=\"mark\" cx=\"%d\" cy=\"%d\" r=\"%d\"/>"
			   "<text class=\"role\" x=\"%d\" y=\"%d\">", x, y, R, x, y - 16);
		esc(o, role);
		sl_out_fmt(o, "</text><text class=\"loc\" x=\"%d\" y=\"%d\">", x, y + 24);
		esc(o, loc);
		sl_out_lit(o, "</text>");
		if (top && top->function[0]) {
			sl_out_fmt(o, "<text class=\"fn\" x=\"%d\" y=\"%d\">", x, y + 38);
			esc(o, top->function);
			sl_out_lit(o, "</text>");
		}
		if (top && top->file[0])
			sl_out_lit(o, "</a>");
		sl_out_lit(o, "</g>\n");
	}
}

static void svg_arrow(struct sl_out *o, unsigned id, const char *name)
{
	/* refX puts the tip on the edge of the target's circle */
	sl_out_fmt(o, "<marker id=\"f%u-%s\" class=\"arrow-%s\" viewBox=\"0 0 10 10\" refX=\"%d\" "
		   "refY=\"5\" markerWidth=\"10\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" "
		   "orient=\"auto\"><path d=\"M0,0L10,5L0,10z\"/></marker>", id, name, name, 10 + R + 2);
}

static void svg_timeline(struct sl_out *o, const struct layout *L)
{
	int width = mx(L->nm ? L->nm - 1 : 0) + COLW / 2 + 70;   /* room for a last label */
	int height = TOP * 2 + (int)L->nlanes * LANEH;
	sl_out_fmt(o, "<svg class=\"timeline\" id=\"f%u-timeline\" xmlns=\"http://www.w3.org/2000/svg\" "
		   "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"timeline of finding %u\">\n<defs>",
		   L->id, width, height, width, height, L->id);
	svg_arrow(o, L->id, "po");
	svg_arrow(o, L->id, "hb");
	svg_arrow(o, L->id, "rf");
	svg_arrow(o, L->id, "missing");
	sl_out_lit(o, "</defs>\n");
	svg_lanes(o, L, width);
	svg_edges(o, L);
	svg_marks(o, L);
	sl_out_lit(o, "</svg>\n");
}

/* ---- the page */

static const char style[] =
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#1d2330;"
	"background:#f6f7f9}\n"
	"h1{font-size:22px;margin:0 0 16px}\n"
	".finding{background:#fff;border:1px solid #d8dce3;border-left:5px solid #c62828;"
	"border-radius:6px;padding:14px 18px;margin:0 0 22px;overflow-x:auto}\n"
	".finding h2{font-size:18px;margin:0 0 6px}\n"
	".kind{color:#c62828}\n.meta{color:#5b6474;font-size:13px;margin:0 0 8px}\n"
	".fix{background:#eef7ee;border-left:3px solid #2e7d32;padding:6px 10px}\n"
	"code,.loc,.stacks{font-family:ui-monospace,'DejaVu Sans Mono',monospace}\n"
	"a{color:#1a56b0}\n"
	"svg.timeline{display:block;margin:10px 0;font-size:12px}\n"
	".lane-bg{fill:#fafbfc}.lane:nth-of-type(even) .lane-bg{fill:#f1f3f6}\n"
	".lane-label{font-weight:600;font-size:13px;fill:#333}\n"
	".lane-line{stroke:#b9c0cc;stroke-width:2}\n"
	".event .mark{fill:#607d8b;stroke:#fff;stroke-width:2}\n"
	".role-allocation .mark,.role-allocated .mark{fill:#2e7d32}.role-write .mark,.role-previous .mark{fill:#ef6c00}\n"
	".role-publish .mark,.role-consume .mark{fill:#6a1b9a}\n"
	".role-free .mark,.role-first-free .mark,.role-access .mark,.role-call .mark{fill:#1565c0}\n"
	".role-thread .mark{fill:#455a64}.role-lock .mark{fill:#00838f}\n"
	".event.current .mark{fill:#c62828;stroke:#ffcdd2;stroke-width:4}\n"
	".start{fill:#fff;stroke:#455a64;stroke-width:2}\n"
	"text.role,text.loc,text.fn{paint-order:stroke;stroke:#fff;stroke-width:4px;"
	"stroke-linejoin:round}\n"
	"text.role{text-anchor:middle;font-weight:600;fill:#222}\n"
	"text.loc{text-anchor:middle;fill:#1a56b0;text-decoration:underline}\n"
	"text.fn{text-anchor:middle;fill:#5b6474;font-size:11px}\n"
	".edge line{stroke-width:2;fill:none}\n"
	".edge.po line{stroke:#9aa3b0}.arrow-po{fill:#9aa3b0}\n"
	".edge.create line,.edge.sync line{stroke:#222}.arrow-hb{fill:#222}\n"
	".edge.reads-from line{stroke:#8a8f98;stroke-dasharray:6 4}.arrow-rf{fill:#8a8f98}\n"
	".edge.missing line{stroke:#d50000;stroke-width:3;stroke-dasharray:9 5}"
	".arrow-missing{fill:#d50000}\n"
	".edge-label{font-size:12px;paint-order:stroke;stroke:#fff;stroke-width:4px;"
	"stroke-linejoin:round;fill:#444}\n"
	".edge.missing .edge-label{fill:#d50000;font-weight:700}\n"
	".legend{list-style:none;padding:0;margin:4px 0 10px;font-size:13px;color:#444}\n"
	".legend li{display:inline-block;margin-right:18px}\n"
	".sw{display:inline-block;width:28px;vertical-align:middle;margin-right:6px;"
	"border-top:2px solid #9aa3b0}\n"
	".sw.hb{border-top-color:#222}.sw.rf{border-top:2px dashed #8a8f98}"
	".sw.missing{border-top:3px dashed #d50000}\n"
	".stacks{font-size:13px}.stacks ol{margin:2px 0 6px}\n";

static void frame_link(struct sl_out *o, const struct sl_frame_text *fr)
{
	sl_out_lit(o, "<code>");
	esc(o, fr->function);
	sl_out_lit(o, "</code> ");
	if (!fr->file[0])
		return;
	sl_out_lit(o, "<a href=\"");
	uri(o, fr);
	sl_out_lit(o, "\">");
	esc(o, fr->file);
	if (fr->line)
		sl_out_fmt(o, ":%u", fr->line);
	sl_out_lit(o, "</a>");
}

static void html_finding(struct sl_out *o, const struct sl_finding *f, unsigned id)
{
	struct layout L;
	lay_out(&L, f, id);
	sl_out_lit(o, "<section class=\"finding kind-");
	slug(o, f->kind);
	sl_out_fmt(o, "\" id=\"finding-%u\">\n<h2>%u. <span class=\"kind\">", id, id);
	esc(o, f->kind);
	sl_out_lit(o, "</span> in ");
	frame_link(o, &f->summary);
	sl_out_fmt(o, "</h2>\n<p class=\"meta\">pid %d", f->pid);
	if (f->occurrences > 1)
		sl_out_fmt(o, " &middot; seen %lu times", f->occurrences);
	if (f->edge_of >= 0)
		sl_out_fmt(o, " &middot; a consequence of the %s in "
			      "<a href=\"#finding-%d\">finding %d</a>", f->cause, f->edge_of + 1,
			      f->edge_of + 1);
	sl_out_lit(o, "</p>\n");
	if (f->note[0]) {
		sl_out_lit(o, "<p class=\"explanation\">");
		esc(o, f->note);
		sl_out_lit(o, "</p>\n");
	}
	if (f->fix[0]) {
		sl_out_lit(o, "<p class=\"fix\"><strong>Fix:</strong> ");
		esc(o, f->fix);
		sl_out_lit(o, "</p>\n");
	}
	svg_timeline(o, &L);
	sl_out_lit(o, "<ul class=\"legend\"><li><span class=\"sw\"></span>program order</li>"
		      "<li><span class=\"sw hb\"></span>happens-before</li>"
		      "<li><span class=\"sw rf\"></span>reads-from, no happens-before</li>"
		      "<li><span class=\"sw missing\"></span>missing happens-before</li></ul>\n");
	sl_out_lit(o, "<details class=\"stacks\" open><summary>Stacks</summary><ol>\n");
	for (unsigned i = 0; i < f->nevents; i++) {
		const struct sl_event *e = &f->events[i];
		sl_out_lit(o, "<li class=\"role-");
		esc(o, e->role);
		sl_out_lit(o, "\"><strong>");
		esc(o, e->role);
		sl_out_lit(o, "</strong>: ");
		esc(o, e->text);
		sl_out_lit(o, "<ol start=\"0\">");
		for (unsigned k = 0; k < e->nframes; k++) {
			sl_out_lit(o, "<li>");
			frame_link(o, &e->frames[k]);
			sl_out_lit(o, "</li>");
		}
		sl_out_lit(o, "</ol></li>\n");
	}
	sl_out_lit(o, "</ol></details>\n</section>\n");
}

void sl_write_html(int fd, struct sl_finding *const *fs, unsigned n)
{
	struct sl_out o = {.fd = fd};
	sl_out_fmt(&o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		       "<title>SlabSan: %u finding%s</title>\n<style>\n", n, n == 1 ? "" : "s");
	sl_out_lit(&o, style);
	sl_out_fmt(&o, "</style></head>\n<body>\n<h1>SlabSan: %u finding%s</h1>\n", n,
		   n == 1 ? "" : "s");
	for (unsigned i = 0; i < n; i++)
		html_finding(&o, fs[i], i + 1);
	sl_out_lit(&o, "</body></html>\n");
	sl_out_flush(&o);
}
