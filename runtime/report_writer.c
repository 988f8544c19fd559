// SPDX-License-Identifier: Apache-2.0
/* Writing one report: its text, built in one buffer under the report lock
 * and written with one write() so reports from many threads never
 * interleave, and its finding (finding.h), the same report as data for
 * the json, sarif and html outputs. The shape is fixed so people and tests
 * can grep it:
 *
 *   WARNING: SlabSan: <kind> (pid=N)
 *     <what happened> by <thread>:
 *       #0 function file:line
 *     ...cause, heap block, thread creation...
 *   SUMMARY: SlabSan: <kind> file:line in function
 *
 * Also here: how a report names threads, accesses, sites and memory, the
 * findings so far, and the duplicates (same kind and same pair of code
 * locations), which are dropped before any symbolizing. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "finding.h"
#include "report_internal.h"
#include "shadow.h"

/* ---- the report lock, and where reports go */
SL_GLOBAL_LOCK(report_lock);
static int out_fd = 2;
static atomic_ulong reports;

bool sl_report_lock(struct sl_thread *thr)
{
	bool was_in_runtime = thr->in_runtime;
	thr->in_runtime = true;
	sl_spin_lock(&report_lock);
	return was_in_runtime;
}

void sl_report_unlock(struct sl_thread *thr, bool was_in_runtime)
{
	sl_spin_unlock(&report_lock);
	sl_runtime_section_restore(thr, was_in_runtime);
}

/* ---- output buffer */
static char buf[1 << 16];
static size_t used;

void sl_report_put(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + used, sizeof buf - used, fmt, ap);
	va_end(ap);
	if (n > 0)
		used = used + (size_t)n < sizeof buf ? used + (size_t)n : sizeof buf - 1;
}

static void flush(void)
{
	size_t off = 0;
	while (off < used) {
		ssize_t n = sl_sys_write(out_fd, buf + off, used - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	used = 0;
}

/* ---- the finding being built, and every finding so far */
#define MAX_FINDINGS 512
static struct sl_finding cur;
/* the heap block (user address) cur has shown (sl_report_show_block) */
static uintptr_t shown_block;
static struct sl_finding *findings[MAX_FINDINGS];
static unsigned nfindings;

static void count_repeat(int owner)
{
	if (owner > 0)
		findings[owner - 1]->occurrences++;
}

void sl_report_show_block(uintptr_t user) { shown_block = user; }
uintptr_t sl_report_shown_block(void) { return shown_block; }
bool sl_report_has_fix(void) { return cur.fix[0] != '\0'; }
void sl_report_set_cause(const char *cause, uint64_t key)
{
	cur.cause = cause;
	cur.edge_key = key;
}

/* A section's heading, "  text:" with a stack to follow, and its event
 * (with the struct member: "" for none) while the finding has room. */
static struct sl_event *section(const char *role, uint32_t tid, const char *member,
				const char *fmt, va_list ap)
{
	char text[sizeof cur.events[0].text];
	vsnprintf(text, sizeof text, fmt, ap);
	sl_report_put("  %s:\n", text);
	if (cur.nevents == SL_FINDING_EVENTS)
		return NULL;
	struct sl_event *e = &cur.events[cur.nevents++];
	e->role = role;
	e->tid = sl_thread_first_tid(tid);
	e->nframes = 0;
	snprintf(e->member, sizeof e->member, "%s", member);
	memcpy(e->text, text, sizeof text);
	e->order = NULL;
	e->fenced = false;
	return e;
}

void sl_report_section(const char *role, uint32_t tid, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	section(role, tid, "", fmt, ap);
	va_end(ap);
}

void sl_report_access_section(const char *role, uint32_t tid, uint32_t site_id,
			      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	section(role, tid, sl_report_field_of(site_id), fmt, ap);
	va_end(ap);
}

void sl_report_order_section(const char *role, uint32_t tid, const char *order, bool fenced,
			     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct sl_event *e = section(role, tid, "", fmt, ap);
	va_end(ap);
	if (e) {
		e->order = order;
		e->fenced = fenced;
	}
}

/* Prose for the machine outputs: one line, no indentation. */
static void append_prose(char *dst, size_t size, const char *text)
{
	size_t n = strlen(dst);
	if (n && n + 1 < size)
		dst[n++] = ' ';
	for (const char *p = text; *p && n + 1 < size; p++) {
		if (*p == '\n') {
			while (p[1] == ' ')
				p++;
			if (p[1])
				dst[n++] = ' ';
			continue;
		}
		dst[n++] = *p;
	}
	dst[n] = '\0';
}

/* Reports are read in terminals and CI logs: prose is filled to this
 * width, whatever lengths the file names and lines put into it have. */
#define PROSE_WIDTH 80

/* A thread's name ends in its number ("thread T1", "main thread (T0)"),
 * which reads badly alone at the start of a line: is the word at p one? */
static bool thread_number(const char *p)
{
	p += *p == '(';
	return p[0] == 'T' && p[1] >= '0' && p[1] <= '9';
}

/* Print the one-line text `flat`, indented by two columns, after `label`,
 * breaking lines between words. A word wider than a line gets one alone. */
static void put_filled(const char *label, const char *flat)
{
	size_t column = 2 + strlen(label);
	sl_report_put("  %s", label);
	bool line_empty = true;
	for (const char *p = flat; *p;) {
		size_t word = strcspn(p, " ");
		while (p[word] == ' ' && thread_number(p + word + 1))
			word += 1 + strcspn(p + word + 1, " ");
		if (!line_empty && column + 1 + word > PROSE_WIDTH) {
			sl_report_put("\n  ");
			column = 2;
			line_empty = true;
		}
		sl_report_put("%s%.*s", line_empty ? "" : " ", (int)word, p);
		column += word + !line_empty;
		line_empty = false;
		p += word;
		p += strspn(p, " ");
	}
	sl_report_put("\n");
}

/* Explanation text, one paragraph (line breaks in fmt do not matter):
 * printed under the report (after `label`), filled to PROSE_WIDTH, and
 * kept as one line of prose in the finding field `dst`. */
static void prose(const char *label, char *dst, size_t size, const char *fmt, va_list ap)
{
	char text[1024], flat[1024] = "";
	vsnprintf(text, sizeof text, fmt, ap);
	append_prose(flat, sizeof flat, text);
	put_filled(label, flat);
	append_prose(dst, size, flat);
}

void sl_report_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	prose("", cur.note, sizeof cur.note, fmt, ap);
	va_end(ap);
}

void sl_report_fix(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	prose("Fix: ", cur.fix, sizeof cur.fix, fmt, ap);
	va_end(ap);
}

void sl_note_once(const char *fmt, ...)
{
	static char seen[8][96];
	static unsigned nseen;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	for (unsigned i = 0; i < nseen; i++)
		if (!strncmp(seen[i], line, sizeof seen[i] - 1))
			return;
	if (nseen < 8) {
		memcpy(seen[nseen], line, sizeof seen[0] - 1);   /* line is longer */
		seen[nseen++][sizeof seen[0] - 1] = '\0';
	}
	char out[600];
	int n = snprintf(out, sizeof out, "SlabSan: note: %s\n", line);
	if (sl_sys_write(out_fd, out, (size_t)n) < 0)
		return;
}

static bool log_to_file(void)
{
	const char *p = sl_opt.log_path;
	return p[0] && strcmp(p, "stderr") && strcmp(p, "stdout");
}

static void open_log(void)
{
	char path[4096];
	snprintf(path, sizeof path, "%s.%d", sl_opt.log_path, (int)getpid());
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		sl_die("cannot open log_path '%s': %m", path);
	out_fd = fd;
}

void sl_report_init(void)
{
	if (!strcmp(sl_opt.log_path, "stdout"))
		out_fd = 1;
	else if (log_to_file())
		open_log();
}

/* A forked child reports into a log of its own pid, as a process started
 * anew does, and writes output files of its own where their paths ask
 * for it ("%p", output.c). */
void sl_report_after_fork_child(void)
{
	if (log_to_file()) {
		close(out_fd);
		open_log();
	}
	sl_output_after_fork_child(findings, nfindings);
}

unsigned long sl_report_count(void) { return atomic_load(&reports); }

/* ---- dedup: (kind, location, location) seen before? */
#define DEDUP_SLOTS 4096
static uint64_t dedup[DEDUP_SLOTS];

static int dedup_owner[DEDUP_SLOTS];   /* finding index + 1; 0: none (suppressed) */
static int dedup_current = -1;         /* slot of the report being built */

/* Was this pair reported before? Then count the repeat on its finding. */
bool sl_report_seen_before(unsigned kind, uint64_t a, uint64_t b)
{
	uint64_t key = (a * 0x9e3779b97f4a7c15ull) ^ (b * 0xc2b2ae3d27d4eb4full) ^ kind;
	key |= 1;
	for (unsigned i = 0; i < DEDUP_SLOTS; i++) {
		unsigned idx = (unsigned)((key + i) % DEDUP_SLOTS);
		if (dedup[idx] == key) {
			count_repeat(dedup_owner[idx]);
			return true;
		}
		if (dedup[idx] == 0) {
			dedup[idx] = key;
			dedup_current = (int)idx;
			return false;
		}
	}
	return true;   /* table full: stop reporting new pairs rather than flood */
}

/* ---- stacks, and the frame the SUMMARY line names */

static struct sl_frame_text summary_frame;
static bool have_summary;
static bool summary_in_system;  /* the summary frame is in a system library */
/* sl_report_summary_names_caller: the next frame to become the summary
 * gives way to its caller (summary_from_callee) */
static bool summary_names_caller, summary_from_callee;
static bool reached_main;   /* frames below main are libc's start-up */

/* llvm-symbolizer 14 puts a relative compilation directory before a DWARF
 * 5 file name that already starts with it: Debian's glibc ("./string")
 * gives "./string/./string/strdup.c" for string/strdup.c. The path from
 * the second "./" on, when it repeats what comes before. */
static const char *undoubled(const char *path)
{
	const char *again = strstr(path, "/./");
	size_t dir = again ? (size_t)(again - path) : 0;
	if (dir > 2 && path[0] == '.' && path[1] == '/' && !strncmp(again + 1, path, dir) &&
	    again[1 + dir] == '/')
		return again + 1;
	return path;
}

/* A path as the compiler recorded it, with "./" and "dir/../" folded so
 * the same file reads the same from debug info and from the symbolizer. */
static const char *display_path(const char *path, char *out, size_t size)
{
	size_t n = 0;
	path = undoubled(path);
	for (const char *p = path; *p && n + 1 < size;) {
		if (p[0] == '.' && p[1] == '/' && (p == path || p[-1] == '/')) {
			p += 2;
			continue;
		}
		if (p[0] == '.' && p[1] == '.' && p[2] == '/' && (p == path || p[-1] == '/') &&
		    n >= 2) {
			/* drop the previous component unless it is itself ".." */
			size_t k = n - 1;
			while (k > 0 && out[k - 1] != '/')
				k--;
			if (strncmp(out + k, "../", 3) != 0) {
				n = k;
				p += 3;
				continue;
			}
		}
		out[n++] = *p++;
	}
	out[n] = '\0';
	return out;
}

/* Prose names a file without its directories; the stacks have the path. */
const char *sl_report_basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* A frame of the runtime itself, which an unwound stack passes through (an
 * interceptor): its source file lies beside this one. */
static bool runtime_source(const char *file)
{
	const char *slash = strrchr(__FILE__, '/');
	return slash && file && !strncmp(file, __FILE__, (size_t)(slash - __FILE__) + 1);
}

/* The system's shared libraries (libc's strlen): a SUMMARY line names the
 * first frame outside them, the program's place, if there is one. */
static bool system_module(const char *module)
{
	return module && (!strncmp(module, "/lib/", 5) || !strncmp(module, "/lib64/", 7) ||
			  !strncmp(module, "/usr/lib/", 9));
}

static void frame_line(unsigned *n, const char *function, const char *file, unsigned line,
		       const char *module)
{
	/* Below main is libc's start-up; an sl_ function is the runtime
	 * starting a thread or a once routine; slabsan_ ones are the inline
	 * annotation wrappers of <slabsan/slabsan.h>. None says anything. */
	if (!strcmp(function, "sl_thread_start")) {
		reached_main = true;   /* an unwound stack: glibc's thread start below */
		return;
	}
	if (!strncmp(function, "sl_", 3) || !strncmp(function, "slabsan_", 8) ||
	    runtime_source(file))
		return;
	if (!strcmp(function, "main"))
		reached_main = true;
	/* libc's start-up itself: reached when main's own frame is not in the
	 * stack (a signal handler that interrupted main, say) */
	if (!strncmp(function, "__libc_start", 12)) {
		reached_main = true;
		return;
	}
	/* (a system header's inline function, getline() calling getdelim(),
	 * is the system's too, though compiled into the program) */
	bool in_system = system_module(module) || (file && !strncmp(file, "/usr/include/", 13));
	if (!have_summary || (summary_in_system && !in_system) || summary_from_callee) {
		have_summary = true;
		summary_in_system = in_system;
		summary_from_callee = summary_names_caller;
		summary_names_caller = false;
		snprintf(summary_frame.function, sizeof summary_frame.function, "%s", function);
		display_path(file ? file : "", summary_frame.file, sizeof summary_frame.file);
		summary_frame.line = line;
	}
	char path[512];
	if (cur.nevents && cur.events[cur.nevents - 1].nframes < SL_EVENT_FRAMES) {
		struct sl_event *e = &cur.events[cur.nevents - 1];
		struct sl_frame_text *f = &e->frames[e->nframes++];
		snprintf(f->function, sizeof f->function, "%s", function);
		display_path(file ? file : "", f->file, sizeof f->file);
		snprintf(f->module, sizeof f->module, "%s", module ? module : "");
		f->line = line;
	}
	if (file && file[0] && line)
		sl_report_put("    #%u %s %s:%u\n", (*n)++, function,
			      display_path(file, path, sizeof path), line);
	else if (file && file[0])
		sl_report_put("    #%u %s (%s)\n", (*n)++, function, file);
	else
		sl_report_put("    #%u %s\n", (*n)++, function);
}

/* Frames from return addresses, innermost first, down to main. A run of
 * one return address (recursion: a stack overflow's 64 frames) shows its
 * first few and a count. */
static void print_pcs(unsigned *n, const uintptr_t *pc, uint32_t depth)
{
	const uint32_t shown_of_run = 3;
	for (uint32_t i = 0; i < depth && !reached_main; i++) {
		uint32_t run = 0;
		while (i >= shown_of_run && i + run < depth &&
		       pc[i + run] == pc[i - shown_of_run] && pc[i - 1] == pc[i - shown_of_run])
			run++;
		if (run) {
			sl_report_put("    ... the frame above %u more time%s\n", run,
				      run == 1 ? "" : "s");
			i += run - 1;
			continue;
		}
		struct sl_frame_text f[8];
		/* return addresses point after the call; -1 lands inside it */
		int k = sl_symbolize_pc(pc[i] - 1, f, 8);
		for (int j = 0; j < k; j++)
			frame_line(n, f[j].function, f[j].file, f[j].line, f[j].module);
	}
}

void sl_report_pcs(const uintptr_t *pc, uint32_t depth)
{
	unsigned n = 0;
	reached_main = false;
	print_pcs(&n, pc, depth);
	if (n == 0)
		sl_report_put("    <no stack>\n");
	summary_names_caller = summary_from_callee = false;
}

void sl_report_summary_names_caller(void)
{
	summary_names_caller = true;
}

/* A site, its inlining chain and then the shadow stack of the access. */
void sl_report_stack(uint32_t site_id, sl_stack_id stack)
{
	unsigned n = 0;
	reached_main = false;
	char module[128] = "";
	slabsan_site_t first = sl_site_get(site_id);
	if (first)   /* a site lives in the module its code is in */
		sl_module_of((uintptr_t)first, module, sizeof module);
	for (slabsan_site_t s = first; s; s = s->inlined_at)
		frame_line(&n, s->function ? s->function : "??", s->file, s->line, module);
	const struct sl_stack *st = sl_stack_get(stack);
	if (st)
		print_pcs(&n, st->pc, st->depth);
	if (n == 0)
		sl_report_put("    <no stack>\n");
	summary_names_caller = summary_from_callee = false;   /* within one stack only */
}

/* The stack of an earlier access, from the site word its thread's history
 * kept (history.h); 0 when the history has moved on since. */
void sl_report_recorded_stack(uint64_t w1)
{
	if (w1)
		sl_report_stack((uint32_t)(w1 >> 32), (sl_stack_id)w1);
	else
		sl_report_put("    <not kept: older than its thread's history (history_size=%d)>\n",
		    sl_opt.history_size);
}

/* ---- threads, and a report's beginning and end */

/* A thread is named by the id it started with, whichever id made the
 * record (sl_thread_renew). */
void sl_report_thread_name(char *out, size_t size, uint32_t tid)
{
	tid = sl_thread_first_tid(tid);
	if (tid == 0)
		snprintf(out, size, "main thread (T0)");
	else
		snprintf(out, size, "thread T%u", tid);
}

static uint32_t threads_seen[8];
static unsigned nthreads_seen;

void sl_report_mention_thread(uint32_t tid)
{
	tid = sl_thread_first_tid(tid);
	for (unsigned i = 0; i < nthreads_seen; i++)
		if (threads_seen[i] == tid)
			return;
	if (nthreads_seen < 8)
		threads_seen[nthreads_seen++] = tid;
}

static void print_threads(void)
{
	for (unsigned i = 0; i < nthreads_seen; i++) {
		const struct sl_thread_info *info = sl_thread_info_now(threads_seen[i]);
		if (!info || info->first_tid == 0)
			continue;
		const char *state = info->finished ? "finished" : "running";
		if (info->unseen_start) {
			sl_report_section("thread", info->first_tid,
					  "Thread T%u (tid=%lu, %s) started unseen, by a creator "
					  "SlabSan does not know", info->first_tid, info->os_tid, state);
			sl_report_put("    <not through SlabSan's pthread_create (a thread of "
				      "libc's own, as timer_create() starts for SIGEV_THREAD; "
				      "one found with dlsym(RTLD_NEXT); clone): nothing orders "
				      "what its creator did before it>\n");
			continue;
		}
		char parent[32];
		sl_report_thread_name(parent, sizeof parent, info->parent_tid);
		sl_report_section("thread", info->first_tid,
				  "Thread T%u (tid=%lu, %s) created by %s at", info->first_tid,
				  info->os_tid, state, parent);
		sl_report_stack(0, info->create_stack);
	}
}

void sl_report_begin(const char *kind, struct sl_thread *thr)
{
	memset(&cur, 0, sizeof cur);
	shown_block = 0;
	cur.kind = kind;
	cur.pid = (int)getpid();
	cur.occurrences = 1;
	cur.edge_of = -1;
	used = 0;
	have_summary = false;
	nthreads_seen = 0;
	sl_report_locks_forget();
	if (thr)
		sl_report_mention_thread(thr->tid);
	sl_report_put("==================\nWARNING: SlabSan: %s (pid=%d)\n", kind, (int)getpid());
}

/* Findings with one cause (a missing edge: the same publishing store and
 * consuming load; or a stale pointer loaded there) are consequences of the
 * first one that showed it. */
static void link_to_edge(void)
{
	if (!cur.edge_key)
		return;
	for (unsigned i = 0; i < nfindings; i++)
		if (findings[i]->edge_key == cur.edge_key && !strcmp(findings[i]->cause, cur.cause)) {
			cur.edge_of = (int)i;
			sl_report_put("  Same %s as SlabSan finding #%u (%s): a consequence of it.\n",
				      cur.cause, i + 1, findings[i]->kind);
			return;
		}
}

void sl_report_end(const char *kind)
{
	link_to_edge();
	print_threads();
	if (sl_opt.print_summary) {
		if (summary_frame.file[0] && summary_frame.line)
			sl_report_put("SUMMARY: SlabSan: %s %s:%u in %s\n", kind, summary_frame.file,
				      summary_frame.line, summary_frame.function);
		else if (summary_frame.file[0])   /* a line the optimizer made up */
			sl_report_put("SUMMARY: SlabSan: %s %s in %s\n", kind, summary_frame.file,
				      summary_frame.function);
		else
			sl_report_put("SUMMARY: SlabSan: %s in %s\n", kind, summary_frame.function);
	}
	sl_report_put("==================\n");
	cur.summary = summary_frame;
	if (sl_suppressed(&cur)) {
		used = 0;              /* dropped, and its repeats with it */
		return;
	}
	flush();
	atomic_fetch_add(&reports, 1);
	if (nfindings < MAX_FINDINGS) {
		struct sl_finding *f = sl_alloc(sizeof *f);
		*f = cur;
		findings[nfindings++] = f;
		if (dedup_current >= 0)
			dedup_owner[dedup_current] = (int)nfindings;
		sl_output_write(findings, nfindings);
	} else {
		/* each file is rewritten whole per finding: a bound keeps that
		 * linear, and the reports above are complete anyway */
		sl_note_once("more than %u findings: the json, sarif and html files keep "
			     "the first %u, the text reports have them all",
			     MAX_FINDINGS, MAX_FINDINGS);
	}
	if (sl_opt.halt_on_error && strcmp(kind, DEADLY_SIGNAL) != 0)
		_exit(sl_opt.exitcode);    /* a deadly signal's process dies of it */
}

/* ---- how a report names accesses, sites and memory */

/* A marked access is atomic, or volatile when its site says so. */
const char *sl_report_access_what(bool is_write, bool is_marked, uint32_t site_id, bool capital)
{
	slabsan_site_t site = is_marked ? sl_site_get(site_id) : NULL;
	if (site && (site->flags & SLABSAN_SITE_VOLATILE))
		return is_write ? (capital ? "Volatile write" : "volatile write")
				: (capital ? "Volatile read" : "volatile read");
	if (is_marked)
		return is_write ? (capital ? "Atomic write" : "atomic write")
				: (capital ? "Atomic read" : "atomic read");
	return is_write ? (capital ? "Write" : "write") : (capital ? "Read" : "read");
}

const char *sl_report_field_of(uint32_t site_id)
{
	slabsan_site_t s = sl_site_get(site_id);
	return s && s->field ? s->field : "";
}

void sl_report_offset_note(size_t offset, uint32_t site_id, char *out, size_t size)
{
	const char *field = sl_report_field_of(site_id);
	snprintf(out, size, "offset %zu%s%s", offset, field[0] ? ", " : "", field);
}

void sl_report_field_note(uint32_t site_id, char *out, size_t size)
{
	const char *field = sl_report_field_of(site_id);
	if (field[0])
		snprintf(out, size, " (%s)", field);
	else
		out[0] = '\0';
}

/* What memory that is no heap block is, as a phrase: "the stack of main
 * thread (T0)" or "global 'x' (8 bytes at 0x..., offset 4)"; `within`, as
 * the place where something smaller lies: "on the stack of ...", "in
 * global 'x' (8 bytes at 0x..., offset 0)", the offset always given. A lock
 * is often a member of the struct it guards, which "Lock M0 is global
 * 'node'" named as the lock itself. False when SlabSan cannot tell. */
bool sl_report_describe_non_heap(uintptr_t addr, bool within, char *out, size_t size)
{
	const struct sl_thread_info *stack_of = sl_thread_of_stack(addr);
	char who[32], var[128];
	size_t offset, bytes;
	if (stack_of) {
		sl_report_thread_name(who, sizeof who, stack_of->tid);
		sl_report_mention_thread(stack_of->tid);
		snprintf(out, size, "%sthe stack of %s", within ? "on " : "", who);
	} else if (!sl_symbolize_global(addr, var, sizeof var, &offset, &bytes)) {
		return false;
	} else if (!bytes) {
		snprintf(out, size, "%sglobal '%s'", within ? "in " : "", var);
	} else if (offset || within) {
		snprintf(out, size, "%sglobal '%s' (%zu %s at %p, offset %zu)",
			 within ? "in " : "", var, bytes, bytes == 1 ? "byte" : "bytes",
			 (void *)(addr - offset), offset);
	} else {
		snprintf(out, size, "global '%s' (%zu %s at %p)", var, bytes,
			 bytes == 1 ? "byte" : "bytes", (void *)addr);
	}
	return true;
}

/* Where the raced memory is: a heap block (with its allocation), a
 * thread's stack or a global, as ThreadSanitizer's "Location is". */
void sl_report_location(uintptr_t addr)
{
	struct sl_heap_block b;
	char who[32], where[256];
	if (sl_heap_find(addr, &b)) {
		sl_report_thread_name(who, sizeof who, b.alloc_tid);
		if (b.alloc_tid != 0xffff)
			sl_report_mention_thread(b.alloc_tid);
		sl_report_show_block(b.user);
		sl_report_section("allocation", b.alloc_tid,
			"Location is heap block of size %zu at %p (offset %zu) allocated by %s",
			b.size, (void *)b.user, (size_t)(addr - b.user),
			b.alloc_tid == 0xffff ? "an unknown thread" : who);
		sl_report_stack(0, b.alloc_stack);
	} else if (sl_report_describe_non_heap(addr, false, where, sizeof where)) {
		sl_report_note("Location is %s.\n", where);
	}
}

void sl_report_summary_where(char *out, size_t size)
{
	if (summary_frame.line)
		snprintf(out, size, "%.100s:%u", sl_report_basename(summary_frame.file),
			 summary_frame.line);
	else   /* as sl_report_site_where names a site without a line */
		snprintf(out, size, "%.60s() in %.100s", summary_frame.function,
			 sl_report_basename(summary_frame.file));
}

uintptr_t sl_report_top_pc(sl_stack_id id)
{
	const struct sl_stack *s = sl_stack_get(id);
	return s && s->depth ? s->pc[0] : 0;
}

const char *sl_report_access_of(uint64_t w0, uint32_t site_id, bool capital)
{
	if (sl_w0_assert(w0))
		return sl_w0_write(w0) ? "ASSERT_EXCLUSIVE_ACCESS" : "ASSERT_EXCLUSIVE_WRITER";
	return sl_report_access_what(sl_w0_write(w0), sl_w0_marked(w0), site_id, capital);
}

bool sl_report_pc_where(uintptr_t pc, bool past_inlines, char *out, size_t size)
{
	struct sl_frame_text f[8];
	/* a return address: -1 lands inside the call */
	int n = pc ? sl_symbolize_pc(pc - 1, f, 8) : 0;
	const struct sl_frame_text *top = &f[past_inlines && n > 0 ? n - 1 : 0];
	if (n < 1 || !top->line || !top->file[0])
		return false;
	snprintf(out, size, "%s:%u", sl_report_basename(top->file), top->line);
	return true;
}

/* Where a site is, as the report's sentences name it: "file.c:12", else
 * (no line) "function() in file.c". */
void sl_report_site_where(uint32_t site_id, char *out, size_t size)
{
	slabsan_site_t s = sl_site_get(site_id);
	if (s && s->file && s->line)
		snprintf(out, size, "%s:%u", sl_report_basename(s->file), s->line);
	else if (s && s->file && s->function)   /* one the optimizer made up */
		snprintf(out, size, "%s() in %s", s->function, sl_report_basename(s->file));
	else
		snprintf(out, size, "%s", s && s->function ? s->function : "an unknown location");
}

/* ---- at exit */

static void finish(void)
{
	unsigned long n = sl_report_count();
	if (nfindings)
		sl_output_write(findings, nfindings);   /* with final repeat counts */
	sl_suppressions_print_stats(out_fd);
	for (unsigned i = 0; sl_opt.verbosity >= 1 && i < nfindings; i++)
		if (findings[i]->occurrences > 1) {
			char line[600];
			int k = snprintf(line, sizeof line,
					 "SlabSan: finding #%u (%s at %s:%u) happened %lu times\n", i + 1,
					 findings[i]->kind, findings[i]->summary.file,
					 findings[i]->summary.line, findings[i]->occurrences);
			if (sl_sys_write(out_fd, line, (size_t)k) < 0)
				break;
		}
	if (sl_opt.verbosity >= 1 && n) {
		char line[128];
		int k = snprintf(line, sizeof line, "SlabSan: reported %lu warning%s\n", n,
				 n == 1 ? "" : "s");
		if (sl_sys_write(out_fd, line, (size_t)k) < 0)
			return;
	}
}

/* exit() may come while another thread is inside a report: wait for it, so
 * that its finding counts and the files are not written by two threads at
 * once; but not for ever, for that thread may be blocked for good (stderr a
 * full pipe nobody reads, a symbolizer that does not answer). */
bool sl_report_lock_for_exit(void)
{
	for (int i = 0; i < 2000; i++) {          /* 2 s */
		sl_runtime_enter();
		if (!atomic_exchange_explicit(&report_lock.locked, 1, memory_order_acquire))
			return true;
		sl_runtime_leave();
		usleep(1000);
	}
	return false;
}

void sl_report_unlock_for_exit(void)
{
	sl_spin_unlock(&report_lock);
}

void sl_report_finish(void)
{
	bool locked = sl_report_lock_for_exit();
	if (!locked) {
		sl_note_once("exit while another thread was still making a report (blocked in "
			     "it?); that report is lost");
		atomic_fetch_add(&reports, 1);    /* but the run did find something */
	}
	finish();
	if (locked)
		sl_report_unlock_for_exit();
}
