// SPDX-License-Identifier: Apache-2.0
/* Report formatting. Shapes are fixed so people and tests can grep them:
 *
 *   WARNING: SlabSan: <kind> (pid=N)
 *     <what happened> by <thread>:
 *       #0 function file:line
 *     ...cause, heap block, thread creation...
 *   SUMMARY: SlabSan: <kind> file:line in function
 *
 * A report is built in one buffer under the report lock and written with one
 * write(), so reports from many threads never interleave. Duplicates (same
 * kind and same pair of code locations) are dropped before any symbolizing. */
#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <ucontext.h>
#include <unistd.h>

#include "finding.h"
#include "history.h"
#include "report.h"
#include "shadow.h"
#include "sync.h"

SL_GLOBAL_LOCK(report_lock);
static int out_fd = 2;
static atomic_ulong reports;

/* ---- output buffer */
static char buf[1 << 16];
static size_t used;

static void put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void put(const char *fmt, ...)
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
/* the heap block (user address) cur has shown, freed or as the location;
 * a later mention of it says "the same heap block" (edge_location) */
static uintptr_t shown_block;
static struct sl_finding *findings[MAX_FINDINGS];
static unsigned nfindings;

static void count_repeat(int owner)
{
	if (owner > 0)
		findings[owner - 1]->occurrences++;
}

/* A heading with a stack to follow: "  text:" */
static void section(const char *role, uint32_t tid, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void section(const char *role, uint32_t tid, const char *fmt, ...)
{
	char text[sizeof cur.events[0].text];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	put("  %s:\n", text);
	if (cur.nevents == SL_FINDING_EVENTS)
		return;
	struct sl_event *e = &cur.events[cur.nevents++];
	e->role = role;
	e->tid = sl_thread_first_tid(tid);
	e->nframes = 0;
	memcpy(e->text, text, sizeof text);
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
	put("  %s", label);
	bool line_empty = true;
	for (const char *p = flat; *p;) {
		size_t word = strcspn(p, " ");
		while (p[word] == ' ' && thread_number(p + word + 1))
			word += 1 + strcspn(p + word + 1, " ");
		if (!line_empty && column + 1 + word > PROSE_WIDTH) {
			put("\n  ");
			column = 2;
			line_empty = true;
		}
		put("%s%.*s", line_empty ? "" : " ", (int)word, p);
		column += word + !line_empty;
		line_empty = false;
		p += word;
		p += strspn(p, " ");
	}
	put("\n");
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

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	prose("", cur.note, sizeof cur.note, fmt, ap);
	va_end(ap);
}

static void fix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fix(const char *fmt, ...)
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
static void count_repeat(int owner);

/* Was this pair reported before? Then count the repeat on its finding. */
static bool seen_before(unsigned kind, uint64_t a, uint64_t b)
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

/* ---- pieces */

static struct sl_frame_text summary_frame;
static bool have_summary;
static bool summary_in_system;  /* the summary frame is in a system library */
static bool reached_main;   /* frames below main are libc's start-up */

/* A path as the compiler recorded it, with "./" and "dir/../" folded so
 * the same file reads the same from debug info and from the symbolizer. */
static const char *display_path(const char *path, char *out, size_t size)
{
	size_t n = 0;
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
static const char *basename_of(const char *path)
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
	bool in_system = system_module(module);
	if (!have_summary || (summary_in_system && !in_system)) {
		have_summary = true;
		summary_in_system = in_system;
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
		put("    #%u %s %s:%u\n", (*n)++, function, display_path(file, path, sizeof path),
		    line);
	else if (file && file[0])
		put("    #%u %s (%s)\n", (*n)++, function, file);
	else
		put("    #%u %s\n", (*n)++, function);
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
			put("    ... the frame above %u more time%s\n", run, run == 1 ? "" : "s");
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

/* A site, its inlining chain and then the shadow stack of the access. */
static void print_stack(uint32_t site_id, sl_stack_id stack)
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
		put("    <no stack>\n");
}

/* The stack of an earlier access, from the site word its thread's history
 * kept (history.h); 0 when the history has moved on since. */
static void print_recorded_stack(uint64_t w1)
{
	if (w1)
		print_stack((uint32_t)(w1 >> 32), (sl_stack_id)w1);
	else
		put("    <not kept: older than its thread's history (history_size=%d)>\n",
		    sl_opt.history_size);
}

/* A thread is named by the id it started with, whichever id made the
 * record (sl_thread_renew). */
static void thread_name(char *out, size_t size, uint32_t tid)
{
	tid = sl_thread_first_tid(tid);
	if (tid == 0)
		snprintf(out, size, "main thread (T0)");
	else
		snprintf(out, size, "thread T%u", tid);
}

static uint32_t threads_seen[8];
static unsigned nthreads_seen;

/* Locks a report names, M0 first, in the order it mentions them; each with
 * the thread and stack that took it for the access that mentioned it first. */
#define LOCKS_NAMED 8u
static struct { uintptr_t addr; sl_stack_id stack; uint32_t tid; } locks_named[LOCKS_NAMED];
static unsigned nlocks_named;

static void mention_thread(uint32_t tid)
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
		char parent[32];
		thread_name(parent, sizeof parent, info->parent_tid);
		section("thread", info->first_tid, "Thread T%u (tid=%lu, %s) created by %s at",
			info->first_tid, info->os_tid, info->finished ? "finished" : "running", parent);
		print_stack(0, info->create_stack);
	}
}

static void begin(const char *kind, struct sl_thread *thr)
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
	nlocks_named = 0;
	if (thr)
		mention_thread(thr->tid);
	put("==================\nWARNING: SlabSan: %s (pid=%d)\n", kind, (int)getpid());
}

/* Findings caused by one missing edge (the same publishing store and
 * consuming load) are consequences of the first one that showed it. */
static void link_to_edge(void)
{
	if (!cur.edge_key)
		return;
	for (unsigned i = 0; i < nfindings; i++)
		if (findings[i]->edge_key == cur.edge_key) {
			cur.edge_of = (int)i;
			put("  Same missing edge as SlabSan finding #%u (%s): a consequence of it.\n",
			    i + 1, findings[i]->kind);
			return;
		}
}

#define DEADLY_SIGNAL "deadly signal"

static void end(const char *kind)
{
	link_to_edge();
	print_threads();
	if (sl_opt.print_summary) {
		if (summary_frame.file[0] && summary_frame.line)
			put("SUMMARY: SlabSan: %s %s:%u in %s\n", kind, summary_frame.file,
			    summary_frame.line, summary_frame.function);
		else
			put("SUMMARY: SlabSan: %s in %s\n", kind, summary_frame.function);
	}
	put("==================\n");
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

/* A marked access is atomic, or volatile when its site says so. */
static const char *access_what(bool is_write, bool is_marked, uint32_t site_id, bool capital)
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

static void field_note(uint32_t site_id, char *out, size_t size)
{
	slabsan_site_t s = sl_site_get(site_id);
	if (s && s->field)
		snprintf(out, size, " (%s)", s->field);
	else
		out[0] = '\0';
}

/* What memory that is no heap block is, as a phrase: "the stack of main
 * thread (T0)" or "global 'x' (8 bytes at 0x..., offset 4)"; false when
 * SlabSan cannot tell. */
static bool describe_non_heap(uintptr_t addr, char *out, size_t size)
{
	const struct sl_thread_info *stack_of = sl_thread_of_stack(addr);
	char who[32], var[128];
	size_t offset, bytes;
	if (stack_of) {
		thread_name(who, sizeof who, stack_of->tid);
		mention_thread(stack_of->tid);
		snprintf(out, size, "the stack of %s", who);
	} else if (!sl_symbolize_global(addr, var, sizeof var, &offset, &bytes)) {
		return false;
	} else if (!bytes) {
		snprintf(out, size, "global '%s'", var);
	} else if (offset) {
		snprintf(out, size, "global '%s' (%zu bytes at %p, offset %zu)", var, bytes,
			 (void *)(addr - offset), offset);
	} else {
		snprintf(out, size, "global '%s' (%zu bytes at %p)", var, bytes, (void *)addr);
	}
	return true;
}

/* Where the raced memory is: a heap block (with its allocation), a
 * thread's stack or a global, as ThreadSanitizer's "Location is". */
static void print_location(uintptr_t addr)
{
	struct sl_heap_block b;
	char who[32], where[256];
	if (sl_heap_find(addr, &b)) {
		thread_name(who, sizeof who, b.alloc_tid);
		if (b.alloc_tid != 0xffff)
			mention_thread(b.alloc_tid);
		shown_block = b.user;
		section("allocation", b.alloc_tid,
			"Location is heap block of size %zu at %p (offset %zu) allocated by %s",
			b.size, (void *)b.user, (size_t)(addr - b.user),
			b.alloc_tid == 0xffff ? "an unknown thread" : who);
		print_stack(0, b.alloc_stack);
	} else if (describe_non_heap(addr, where, sizeof where)) {
		note("Location is %s.\n", where);
	}
}

/* ---- kinds */

static uintptr_t top_pc(sl_stack_id id)
{
	const struct sl_stack *s = sl_stack_get(id);
	return s && s->depth ? s->pc[0] : 0;
}


static bool should_report(struct sl_thread *thr)
{
	return thr->ignore_depth == 0;
}

#define LOCKED_REPORT(thr)					\
	bool was_in_runtime = thr->in_runtime;			\
	thr->in_runtime = true;					\
	sl_spin_lock(&report_lock)
#define UNLOCK_REPORT(thr)					\
	sl_spin_unlock(&report_lock);				\
	sl_runtime_section_restore(thr, was_in_runtime)

static const char *access_of(uint64_t w0, uint32_t site_id, bool capital)
{
	if (sl_w0_assert(w0))
		return sl_w0_write(w0) ? "ASSERT_EXCLUSIVE_ACCESS" : "ASSERT_EXCLUSIVE_WRITER";
	return access_what(sl_w0_write(w0), sl_w0_marked(w0), site_id, capital);
}

static void explain_missing_edge(struct sl_thread *thr, uintptr_t addr, uint64_t cur_w0,
				 uint32_t cur_site, uint64_t prev_w0, uint32_t prev_site,
				 bool explained_otherwise);

/* What a store and the load that read its value were to order: the
 * pointer to a block the load fetched, or an access the storing thread made
 * before the store (a flag, a pointer into other memory). */
struct edge_subject {
	bool pointer;
	/* not a pointer: the storing thread's access ("its write") and this
	 * thread's after the load ("the read at f.c:78") */
	const char *before, *then;
	/* the load was found by its record, which does not say which store's
	 * value it read (relaxed_flag_load) */
	bool value_unknown;
	uint64_t before_w0;     /* the record of `before` */
	bool then_writes;       /* `then` is a write, which smp_rmb() does not order */
};

/* A free's edge subject: `before` (an access of the record w0) before the
 * free. */
static struct edge_subject before_the_free(const char *before, uint64_t w0)
{
	return (struct edge_subject){.before = before, .then = "the free", .before_w0 = w0};
}

static bool explain_later_store(struct sl_thread *thr, const struct edge_subject *subject,
				uintptr_t prev_addr, const struct sl_recent_load *handoff,
				bool explained_otherwise);

/* Did either access of a report hold a lock (sets not known count as
 * none)? Then the locks explain it (explain_locks), and a flag found
 * only by its records (relaxed_flag_load) is not offered as well: a
 * relaxed "done" flag beside a forgotten lock is a signal, not the
 * program's hand-off. */
static bool either_held_lock(const struct sl_lockset *a, bool a_known,
			     const struct sl_lockset *b, bool b_known)
{
	return (a_known && a->n) || (b_known && b->n);
}

static const struct sl_recent_load *load_of_block(struct sl_thread *thr,
						  const struct sl_heap_block *b);

/* The place first reported racing with the access at place `key`, in
 * either role (0: none yet). A race whose earlier access has left its
 * thread's history (history.h) is most likely that same pair again, and a
 * second report without the earlier stack would repeat the first, worse
 * (mimalloc's real-world race: 6 of 1150 occurrences). Both places of a
 * reported pair learn their partner: the same race seen the other way
 * round, the write second and its read lost, was a report of its own
 * (tests/runtime/history_partner.c). Under the report lock. */
#define FIRST_PARTNER_SLOTS 1024u
static uint64_t first_partner_key[FIRST_PARTNER_SLOTS], first_partner[FIRST_PARTNER_SLOTS];

static uint64_t *first_partner_of(uint64_t key)
{
	uint64_t h = key * 0x9e3779b97f4a7c15ull;
	for (unsigned i = 0; i < FIRST_PARTNER_SLOTS; i++) {
		unsigned idx = (unsigned)((h >> 40) + i) % FIRST_PARTNER_SLOTS;
		if (first_partner_key[idx] == key || !first_partner_key[idx]) {
			first_partner_key[idx] = key;
			return &first_partner[idx];
		}
	}
	return NULL;   /* full: an unknown earlier access stays a report of its own */
}

/* The pair cur_key, prev_key was met: each is the other's first partner
 * unless it has one. */
static void meet_partners(uint64_t cur_key, uint64_t prev_key)
{
	uint64_t *p = first_partner_of(cur_key);
	if (p && !*p)
		*p = prev_key;
	p = first_partner_of(prev_key);
	if (p && !*p)
		*p = cur_key;
}

/* ---- the locks the two accesses of a race held (lockset.h) */

static void site_where(uint32_t site_id, char *out, size_t size);

/* A lock's number in the report (LOCKS_NAMED when out of numbers). */
static unsigned lock_number(const struct sl_held_lock *l, uint32_t tid)
{
	uintptr_t addr = l->addr & ~SL_LOCK_SHARED;
	unsigned i = 0;
	while (i < nlocks_named && locks_named[i].addr != addr)
		i++;
	if (i == nlocks_named && i < LOCKS_NAMED) {
		locks_named[i].addr = addr;
		locks_named[i].stack = l->stack;
		locks_named[i].tid = tid;
		nlocks_named++;
	}
	return i;
}

/* The locks of s that it names (the rest it only counts). */
static uint32_t locks_listed(const struct sl_lockset *s)
{
	uint32_t n = 0;
	while (n < s->n && n < SL_LOCKS_NAMED && s->lock[n].addr)
		n++;
	return n;
}

/* "lock M0", "locks M0 and M1 (shared)": a set's locks by their numbers,
 * numbering the new ones as taken by thread tid. */
static void lock_names(char *out, size_t size, const struct sl_lockset *s, uint32_t tid)
{
	uint32_t listed = locks_listed(s), more = s->n - listed;
	size_t len = (size_t)snprintf(out, size, "lock%s", s->n > 1 ? "s" : "");
	for (uint32_t i = 0; i < listed && len < size; i++) {
		const char *sep = i == 0 ? " " : i + 1 == listed && !more ? " and " : ", ";
		unsigned m = lock_number(&s->lock[i], tid);
		const char *shared = s->lock[i].addr & SL_LOCK_SHARED ? " (shared)" : "";
		len += (size_t)(m < LOCKS_NAMED ? snprintf(out + len, size - len, "%sM%u%s", sep, m, shared)
						: snprintf(out + len, size - len, "%s%p%s", sep,
							   (void *)(s->lock[i].addr & ~SL_LOCK_SHARED), shared));
	}
	if (more && len < size)
		snprintf(out + len, size - len, " and %u more", more);
}

/* What an access's heading adds about its locks: ", holding locks M0 and
 * M1 (shared)", nothing when it held none, or that they are unknown. */
static void holding_phrase(char *out, size_t size, const struct sl_lockset *s, bool known,
			   uint32_t tid)
{
	char names[128];
	out[0] = '\0';
	if (!known) {
		snprintf(out, size, ", its locks unknown");
	} else if (s->n) {
		lock_names(names, sizeof names, s, tid);
		snprintf(out, size, ", holding %s", names);
	}
}

/* Each lock named: where it is, who took it and where. */
static void print_locks(void)
{
	for (unsigned i = 0; i < nlocks_named; i++) {
		char who[32], where[256];
		uintptr_t addr = locks_named[i].addr;
		struct sl_heap_block b;
		thread_name(who, sizeof who, locks_named[i].tid);
		if (sl_heap_find(addr, &b))
			snprintf(where, sizeof where, "in heap block of size %zu at %p (offset %zu)",
				 b.size, (void *)b.user, (size_t)(addr - b.user));
		else if (!describe_non_heap(addr, where, sizeof where))
			snprintf(where, sizeof where, "at %p", (void *)addr);
		section("lock", locks_named[i].tid, "Lock M%u is %s, taken by %s at", i, where, who);
		print_stack(0, locks_named[i].stack);
	}
}

/* Does s hold the lock at addr, and how? 0: no, 1: shared, 2: exclusive. */
static int holds(const struct sl_lockset *s, uintptr_t addr)
{
	for (uint32_t i = 0; i < locks_listed(s); i++)
		if ((s->lock[i].addr & ~SL_LOCK_SHARED) == addr)
			return s->lock[i].addr & SL_LOCK_SHARED ? 1 : 2;
	return 0;
}

/* One access of a race, as explain_locks() names it: "write" and where. */
struct lock_side {
	const struct sl_lockset *locks;
	const char *what;
	char at[128];
	bool writes;
};

/* The free that is the current access: named "free", at the first frame
 * its report printed (summary_frame), which a free has instead of a site. */
static void free_side(struct lock_side *side, const struct sl_lockset *locks)
{
	*side = (struct lock_side){locks, "free", "", true};
	snprintf(side->at, sizeof side->at, "%.100s:%u", basename_of(summary_frame.file),
		 summary_frame.line);
}

static void race_side(struct lock_side *side, const struct sl_lockset *locks, uint64_t w0,
		      uint32_t site)
{
	side->locks = locks;
	side->what = access_of(w0, site, false);
	side->writes = sl_w0_write(w0);
	site_where(site, side->at, sizeof side->at);
}

/* "if M0 guards this memory, take it", or for a set of several "if one of
 * them guards this memory, take that one". */
static void guard_phrase(char *out, size_t size, const struct sl_lockset *s)
{
	if (s->n == 1)
		snprintf(out, size, "if M%u guards this memory, take it", lock_number(&s->lock[0], 0));
	else
		snprintf(out, size, "if one of them guards this memory, take that one");
}

/* The fix the locks point to. Two accesses under one lock held exclusively
 * by both are ordered, so a race under locks means they hold none in
 * common, or only shared (then the write must take it exclusively); a lock
 * only one side holds is the likely guard the other forgot. */
static void explain_locks(const struct lock_side *cur_side, const struct lock_side *prev_side)
{
	const struct sl_lockset *mine = cur_side->locks, *theirs = prev_side->locks;
	if (!mine->n && !theirs->n)
		return;
	char text[900] = "";
	const char *cur_what = cur_side->what, *prev_what = prev_side->what;
	const char *cur_at = cur_side->at, *prev_at = prev_side->at;
	for (unsigned i = 0; i < nlocks_named && !text[0]; i++) {
		int c = holds(mine, locks_named[i].addr), p = holds(theirs, locks_named[i].addr);
		if (!c || !p)
			continue;
		/* the one to change: a write holding it shared, else a holder of it shared */
		bool prev_changes = p == 1 && (prev_side->writes || c != 1 || !cur_side->writes);
		snprintf(text, sizeof text,
			 "Both accesses hold lock M%u, but %s, which does not keep "
			 "out a write: take it exclusively for the %s at %s.\n",
			 i, c == 1 && p == 1 ? "only shared" : "one only shared",
			 prev_changes ? prev_what : cur_what, prev_changes ? prev_at : cur_at);
	}
	char names[128], guard[160];
	if (!text[0] && (!mine->n || !theirs->n)) {   /* one side holds locks */
		const struct sl_lockset *held = mine->n ? mine : theirs;
		lock_names(names, sizeof names, held, 0);
		guard_phrase(guard, sizeof guard, held);
		if (!mine->n)
			snprintf(text, sizeof text,
				 "The previous %s at %s held %s, this %s holds no lock: "
				 "%s around the %s at %s too.\n",
				 prev_what, prev_at, names, cur_what, guard, cur_what, cur_at);
		else
			snprintf(text, sizeof text,
				 "This %s holds %s, the previous %s at %s held no lock: "
				 "%s around that %s too.\n",
				 cur_what, names, prev_what, prev_at, guard, prev_what);
	} else if (!text[0]) {
		snprintf(text, sizeof text,
			 "The two accesses hold no lock in common: take the one that guards "
			 "this memory at both %s and %s.\n", cur_at, prev_at);
	}
	if (cur.fix[0])
		note("%s", text);
	else
		fix("%s", text);
}

void sl_report_race(struct sl_thread *thr, uintptr_t addr, size_t size, uint64_t cur_w0,
		    slabsan_site_t site, uint64_t prev_w0, uint64_t prev_w1)
{
	if (!should_report(thr))
		return;
	LOCKED_REPORT(thr);
	uint32_t prev_site = (uint32_t)(prev_w1 >> 32);
	uint32_t cur_site = site ? site->id : 0;
	sl_stack_id cur_stack = sl_stack_of_access(thr);
	/* Sites name instrumented accesses; an assertion has none, so its
	 * place is its stack. */
	uint64_t cur_key = cur_site ? cur_site : top_pc(cur_stack);
	uint64_t prev_key = prev_site ? prev_site : top_pc((sl_stack_id)prev_w1);
	if (!prev_w1) {
		uint64_t *first = first_partner_of(cur_key);
		if (first)
			prev_key = *first;
	} else {
		meet_partners(cur_key, prev_key);
	}
	const char *kind = (cur_w0 | prev_w0) & SL_W0_ASSERT ? "assert: race" : "data race";
	/* one report per pair of places, whichever thread came second */
	if (!seen_before(1, cur_key < prev_key ? cur_key : prev_key,
			 cur_key < prev_key ? prev_key : cur_key)) {
		char who[32], field[160], holding[160];
		uint32_t ptid = sl_w0_tid(prev_w0);
		struct sl_lockset cur_locks, prev_locks;
		bool cur_locks_known = sl_lockset_now(thr, &cur_locks);
		bool prev_locks_known = sl_lockset_at(ptid, sl_w0_epoch(prev_w0), &prev_locks);
		begin(kind, thr);
		thread_name(who, sizeof who, thr->tid);
		field_note(cur_site, field, sizeof field);
		holding_phrase(holding, sizeof holding, &cur_locks, cur_locks_known, thr->tid);
		section("access", thr->tid, "%s of size %zu at %p%s by %s%s", access_of(cur_w0, cur_site, true), size,
		    (void *)addr, field, who, holding);
		print_stack(cur_site, cur_stack);
		mention_thread(ptid);
		thread_name(who, sizeof who, ptid);
		field_note(prev_site, field, sizeof field);
		holding_phrase(holding, sizeof holding, &prev_locks, prev_locks_known, ptid);
		section("previous", ptid, "Previous %s at %p%s by %s%s", access_of(prev_w0, prev_site, false),
		    (void *)sl_w0_first_byte(prev_w0, addr), field, who, holding);
		print_recorded_stack(prev_w1);
		print_location(addr);
		print_locks();
		/* an assertion explains its race as locks do: only the owner
		 * may write, ordered or not */
		explain_missing_edge(thr, addr, cur_w0, cur_site, prev_w0, prev_site,
				     ((cur_w0 | prev_w0) & SL_W0_ASSERT) ||
				     either_held_lock(&cur_locks, cur_locks_known, &prev_locks,
						      prev_locks_known));
		if (cur_locks_known && prev_locks_known) {
			struct lock_side cur_side, prev_side;
			race_side(&cur_side, &cur_locks, cur_w0, cur_site);
			race_side(&prev_side, &prev_locks, prev_w0, prev_site);
			explain_locks(&cur_side, &prev_side);
		}
		end(kind);
	}
	UNLOCK_REPORT(thr);
}

/* A section "<heading> <thread>" naming the thread that allocated b, and
 * the allocation's stack. */
static void allocation_section(const char *role, const struct sl_heap_block *b,
			       const char *heading)
{
	char who[32];
	thread_name(who, sizeof who, b->alloc_tid);
	mention_thread(b->alloc_tid);
	section(role, b->alloc_tid, "%s %s", heading, who);
	print_stack(0, b->alloc_stack);
}

void sl_report_use_after_free(struct sl_thread *thr, uintptr_t addr, size_t size,
			      bool is_write, bool is_marked, slabsan_site_t site,
			      uint64_t free_w1)
{
	if (!should_report(thr))
		return;
	LOCKED_REPORT(thr);
	struct sl_heap_block b;
	bool found = sl_heap_find(addr, &b);
	uint32_t cur_site = site ? site->id : 0;
	if (!seen_before(2, cur_site, found ? b.user : 0)) {
		char who[32];
		begin("use after free", thr);
		thread_name(who, sizeof who, thr->tid);
		section("access", thr->tid, "%s of size %zu at %p by %s", access_what(is_write, is_marked, cur_site, true),
		    size, (void *)addr, who);
		print_stack(cur_site, sl_stack_of_access(thr));
		if (found) {
			thread_name(who, sizeof who, b.free_tid);
			mention_thread(b.free_tid);
			section("free", b.free_tid, "Freed heap block of size %zu at %p (offset %zu), freed by %s",
			    b.size, (void *)b.user, (size_t)(addr - b.user), who);
			print_stack(0, b.free_stack);
			allocation_section("allocation", &b, "Allocated by");
		} else if (free_w1) {
			section("free", 0xffff, "Freed at");
			print_stack(0, (sl_stack_id)free_w1);
		} else {
			section("free", 0xffff, "Freed earlier (the block has left the quarantine and its free's stack with it)");
		}
		end("use after free");
	}
	UNLOCK_REPORT(thr);
}

/* The free's heading, with what the thread's locks add to it (holding_phrase). */
static void print_free_header(struct sl_thread *thr, const struct sl_heap_block *b,
			      sl_stack_id free_stack, const char *holding)
{
	char who[32];
	thread_name(who, sizeof who, thr->tid);
	shown_block = b->user;
	section("free", thr->tid, "Free of heap block of size %zu at %p by %s%s", b->size,
		(void *)b->user, who, holding);
	print_stack(0, free_stack);
}


void sl_report_free_race(struct sl_thread *thr, const struct sl_heap_block *b,
			 sl_stack_id free_stack, uint64_t prev_w0, uint64_t prev_w1,
			 uintptr_t prev_addr)
{
	LOCKED_REPORT(thr);
	if (!seen_before(3, top_pc(free_stack), prev_w1 >> 32)) {
		char who[32], holding[160];
		uint32_t ptid = sl_w0_tid(prev_w0), prev_site = (uint32_t)(prev_w1 >> 32);
		struct sl_lockset cur_locks, prev_locks;
		bool cur_locks_known = sl_lockset_now(thr, &cur_locks);
		bool prev_locks_known = sl_lockset_at(ptid, sl_w0_epoch(prev_w0), &prev_locks);
		begin("data race", thr);
		holding_phrase(holding, sizeof holding, &cur_locks, cur_locks_known, thr->tid);
		print_free_header(thr, b, free_stack, holding);
		struct lock_side cur_side;
		free_side(&cur_side, &cur_locks);
		mention_thread(ptid);
		thread_name(who, sizeof who, ptid);
		holding_phrase(holding, sizeof holding, &prev_locks, prev_locks_known, ptid);
		section("previous", ptid, "Previous %s at %p (offset %zu) by %s%s",
		    access_what(false, sl_w0_marked(prev_w0), prev_site, false), (void *)prev_addr,
		    (size_t)(prev_addr - b->user), who, holding);
		print_recorded_stack(prev_w1);
		allocation_section("allocation", b, "Heap block allocated by");
		print_locks();
		struct edge_subject subject = before_the_free("its read", prev_w0);
		explain_later_store(thr, &subject, prev_addr, load_of_block(thr, b),
				    either_held_lock(&cur_locks, cur_locks_known, &prev_locks,
						     prev_locks_known));
		if (cur_locks_known && prev_locks_known) {
			struct lock_side prev_side;
			race_side(&prev_side, &prev_locks, prev_w0 & ~SL_W0_WRITE, prev_site);
			explain_locks(&cur_side, &prev_side);
		}
		end("data race");
	}
	UNLOCK_REPORT(thr);
}

/* Not a C11 order: a volatile access (a kernel-style READ_ONCE() or
 * WRITE_ONCE()), which orders nothing, found by its record only
 * (relaxed_flag_load). */
#define ORDER_VOLATILE 6u

static const char *order_name(uint32_t order)
{
	static const char *names[] = {"relaxed", "consume", "acquire", "release",
				      "acq_rel", "seq_cst", "volatile"};
	return order < sizeof names / sizeof *names ? names[order] : "?";
}

/* "a relaxed", "an acquire": the order as the report's sentences use it. */
static const char *with_article(uint32_t order)
{
	static const char *phrases[] = {"a relaxed", "a consume", "an acquire", "a release",
					"an acq_rel", "a seq_cst", "a volatile"};
	return order < sizeof phrases / sizeof *phrases ? phrases[order] : "an unknown-order";
}

/* " atomic" for what "a relaxed atomic load" calls an atomic access */
static const char *atomic_word(uint32_t order)
{
	return order == ORDER_VOLATILE ? "" : " atomic";
}

/* An access's order as a report names it: a volatile access (which the
 * runtime performs as a relaxed atomic, or records as a marked one) is
 * "volatile", as the program wrote it. */
static uint32_t shown_order(uint32_t order, slabsan_site_t site)
{
	return order == SLABSAN_RELAXED && site && (site->flags & SLABSAN_SITE_VOLATILE)
		       ? ORDER_VOLATILE
		       : order;
}

/* The order of a marked access known by its record only: its site's. */
static uint32_t order_of_site(slabsan_site_t site)
{
	return shown_order((site->flags & SLABSAN_SITE_ORDER_MASK) >> SLABSAN_SITE_ORDER_SHIFT,
			   site);
}

/* The order of a load found by its record at site: a compare-exchange
 * recorded as a load did not store, and had its failure order (one that
 * stored is recorded as a write, as every other read-modify-write is). */
static uint32_t load_order_of_site(slabsan_site_t site)
{
	if (!(site->flags & SLABSAN_SITE_RMW))
		return order_of_site(site);
	return shown_order((site->flags & SLABSAN_SITE_FAILURE_ORDER_MASK) >>
				   SLABSAN_SITE_FAILURE_ORDER_SHIFT,
			   site);
}

/* What made a load record at site: at a read-modify-write's site, a
 * compare-exchange that failed (as load_order_of_site says). */
static enum sl_load_kind load_kind_of_site(slabsan_site_t site)
{
	return site->flags & SLABSAN_SITE_RMW ? SL_LOAD_FAILED_CAS : SL_LOAD_ATOMIC;
}

static bool order_releases(uint32_t o) { return o >= 3 && o <= 5; }
static bool order_acquires(uint32_t o) { return o == 1 || o == 2 || o == 4 || o == 5; }

/* Where a site is, as the report's sentences name it: "file.c:12", else
 * (no line) "function() in file.c". */
static void site_where(uint32_t site_id, char *out, size_t size)
{
	slabsan_site_t s = sl_site_get(site_id);
	if (s && s->file && s->line)
		snprintf(out, size, "%s:%u", basename_of(s->file), s->line);
	else if (s && s->file && s->function)   /* one the optimizer made up */
		snprintf(out, size, "%s() in %s", s->function, basename_of(s->file));
	else
		snprintf(out, size, "%s", s && s->function ? s->function : "an unknown location");
}

/* The unordered write is an atomic inside the block itself. A
 * read-modify-write there is the classic reference count whose last
 * decrement does not release, or whose final drop does not acquire; a
 * store, a flag or state word the freeing thread waited on with a load
 * that does not acquire. The hand-off of the pointer is not the issue. */
static void explain_atomic_in_block(uint64_t write_w1)
{
	char at[300];
	uint32_t site_id = (uint32_t)(write_w1 >> 32);
	site_where(site_id, at, sizeof at);
	slabsan_site_t site = sl_site_get(site_id);
	if (site && !(site->flags & SLABSAN_SITE_RMW)) {
		note("The unordered write is the %s store at %s, inside "
		    "the block (a flag this thread waited for?): it does not release, or the "
		    "load that saw it does not acquire.\n",
		    site->flags & SLABSAN_SITE_VOLATILE ? "volatile" : "atomic", at);
		fix("make the store at %s release (smp_store_release(), or "
		    "atomic_store_explicit(..., memory_order_release)) and the load that waits "
		    "for it acquire (smp_load_acquire(), or memory_order_acquire).\n", at);
		return;
	}
	note("The unordered write is the atomic %s at %s, inside "
	    "the block (a reference count?): it does not release, or this thread never "
	    "acquired what it released.\n", site ? "read-modify-write" : "read-modify-write or store",
	    at);
	fix("make the decrement at %s release (refcount_dec_and_test(), or "
	    "atomic_fetch_sub_explicit(..., memory_order_release)), and have the thread that "
	    "drops the last reference acquire before freeing "
	    "(atomic_thread_fence(memory_order_acquire) / smp_acquire__after_ctrl_dep()).\n", at);
}

/* The allocation is ordered before the free and a plain write is not: the
 * block reached the freeing thread in order (or was its own), and the
 * writer wrote it after the last release the freeing thread acquired. */
static void explain_late_write(const struct sl_thread *thr, uint64_t write_w0, uint64_t write_w1)
{
	char who[32], writer[32], at[300];
	thread_name(who, sizeof who, thr->tid);
	thread_name(writer, sizeof writer, sl_w0_tid(write_w0));
	site_where((uint32_t)(write_w1 >> 32), at, sizeof at);
	note("The allocation is ordered before this free but the write is not: %s "
	    "wrote the block after the last of its releases that %s acquired "
	    "(an unlock before its lock, a release store it loaded, an exit it joined).\n",
	    writer, who);
	fix("move the write at %s before that release, or have %s "
	    "acquire a release %s makes after the write (join it, or a lock it unlocks later).\n",
	    at, who, writer);
}

/* A free without acquire whose block reached the freeing thread through no
 * atomic load SlabSan saw: what the unordered access says instead. */
static void explain_unseen_handoff(const struct sl_thread *thr, bool alloc_ordered,
				   uint64_t write_w0, uint64_t write_w1)
{
	char who[32];
	thread_name(who, sizeof who, thr->tid);
	if (write_w0 && sl_w0_marked(write_w0)) {
		explain_atomic_in_block(write_w1);
	} else if (write_w0 && alloc_ordered) {
		explain_late_write(thr, write_w0, write_w1);
	} else {
		note("The pointer did not reach %s through an atomic load SlabSan saw: it "
		    "travelled through a plain variable, a register or an uninstrumented "
		    "library, none of which orders anything.\n", who);
		fix("hand the pointer over with a release store (smp_store_release) and "
		    "load it with an acquire load (smp_load_acquire), or under a lock.\n");
	}
}

/* Does the store r read release its thread's access before_w0 (0: an
 * access not known, for a pointer's hand-off), which it came after: a
 * release store, or a relaxed one after a release fence that came after
 * that access? smp_wmb() releases writes only (its reads lane). */
static bool store_releases(const struct sl_recent_load *r, uint64_t before_w0)
{
	if (order_releases(r->store_order))
		return true;
	uint32_t upto = sl_w0_write(before_w0) ? r->store_fence.w : r->store_fence.r;
	return before_w0 && sl_w0_tid(before_w0) == r->store_tid && sl_w0_epoch(before_w0) <= upto;
}

/* The access that loaded r's value, as the report's sentences name it. */
static const char *load_noun(const struct sl_recent_load *r)
{
	static const char *const nouns[] = {
		[SL_LOAD_ATOMIC] = "load",
		[SL_LOAD_RMW] = "read-modify-write",
		[SL_LOAD_FAILED_CAS] = "failed compare-exchange",
	};
	return nouns[r->load_kind];
}

/* "the load at X is relaxed": what the load r at load_at did not do. A
 * compare-exchange that failed loaded with its failure order, which a
 * user who wrote memory_order_acq_rel first does not think of. */
static void describe_load(const struct sl_recent_load *r, uint32_t order, const char *load_at,
			  char *out, size_t size)
{
	if (r->load_kind == SL_LOAD_FAILED_CAS)
		snprintf(out, size, "the compare-exchange at %s failed, with %s failure order,",
			 load_at, with_article(order));
	else
		snprintf(out, size, "the %s at %s is %s", load_noun(r), load_at, order_name(order));
}

/* What "make ..." asks of the load r at load_at so that it acquires. A
 * compare-exchange's failure order may be no stronger than its success
 * order (C11), so a relaxed one needs both raised. */
static void acquiring_load(const struct sl_recent_load *r, const char *load_at, char *out,
			   size_t size)
{
	slabsan_site_t site = sl_site_get(r->load_site);
	if (r->load_kind == SL_LOAD_FAILED_CAS && site && order_acquires(order_of_site(site)))
		snprintf(out, size, "the failure order of the compare-exchange at %s "
			 "memory_order_acquire", load_at);
	else if (r->load_kind == SL_LOAD_FAILED_CAS)
		snprintf(out, size, "the compare-exchange at %s memory_order_acquire (or "
			 "memory_order_acq_rel) on success and memory_order_acquire on failure",
			 load_at);
	else if (r->load_kind == SL_LOAD_RMW)
		snprintf(out, size, "the read-modify-write at %s memory_order_acquire or "
			 "memory_order_acq_rel (in the kernel, its _acquire form)", load_at);
	else
		snprintf(out, size, "the load at %s memory_order_acquire (smp_load_acquire())",
			 load_at);
}

static bool stored_by_rmw(const struct sl_recent_load *r)
{
	slabsan_site_t site = sl_site_get(r->store_site);
	return site && (site->flags & SLABSAN_SITE_RMW);
}

/* The access that stored r's value, as the report's sentences name it. */
static const char *store_noun(const struct sl_recent_load *r)
{
	return stored_by_rmw(r) ? "read-modify-write" : "store";
}

/* What "make ..." asks of the store r at store_at so that it releases. */
static void releasing_store(const struct sl_recent_load *r, const char *store_at, char *out,
			    size_t size)
{
	if (stored_by_rmw(r))
		snprintf(out, size, "the read-modify-write at %s memory_order_release or "
			 "memory_order_acq_rel (in the kernel, its _release form)", store_at);
	else
		snprintf(out, size, "the store at %s memory_order_release (smp_store_release())",
			 store_at);
}

/* The pair r, a store and the load that read it, orders less than the
 * subject needs: which side is missing its half of the edge (rel: the
 * store releases, itself or fenced by a release fence before it), and the
 * smallest change that adds it. */
static void explain_pair_edge(const struct sl_recent_load *r, const struct edge_subject *subject,
			      uint32_t store_order, uint32_t load_order, bool rel, bool fenced)
{
	char store_at[300], load_at[300];
	site_where(r->store_site, store_at, sizeof store_at);
	site_where(r->load_site, load_at, sizeof load_at);
	char load_is[sizeof load_at + 128], acquiring[sizeof load_at + 128];
	char releasing[sizeof store_at + 128];
	describe_load(r, load_order, load_at, load_is, sizeof load_is);
	acquiring_load(r, load_at, acquiring, sizeof acquiring);
	releasing_store(r, store_at, releasing, sizeof releasing);
	const char *stored = store_noun(r), *loaded = load_noun(r);
	/* what the pair is to order, and where an acquire fence would go */
	const char *ordered = subject->pointer ? "what this thread does with the pointer"
					       : subject->then;
	char fence_at[380];
	snprintf(fence_at, sizeof fence_at, subject->pointer ? "after it" : "between it and %s",
		 subject->then);
	if (!rel && !order_acquires(load_order)) {
		unsigned volatiles = (store_order == ORDER_VOLATILE) +
				     (load_order == ORDER_VOLATILE);
		static const char *const both[] = {"relaxed", "relaxed or volatile", "volatile"};
		note("Missing edge: the %s at %s and the %s at %s are both %s, so "
		    "nothing the publishing thread did before the %s is ordered before %s.\n",
		    stored, store_at, loaded, load_at, both[volatiles], stored, ordered);
		fix("make %s and %s.\n", releasing, acquiring);
	} else if (!order_acquires(load_order)) {
		note("Missing edge: the %s at %s releases%s, but %s and does not acquire.\n",
		    stored, store_at, fenced ? " (through the release fence before it)" : "",
		    load_is);
		/* smp_rmb() orders later reads, and a free by its control
		 * dependency (heap.c), not a write */
		fix("make %s, or put an acquire fence (%s / "
		    "atomic_thread_fence(memory_order_acquire)) %s.\n",
		    acquiring, subject->then_writes ? "smp_mb()" : "smp_rmb()", fence_at);
	} else if (!rel) {
		note("Missing edge: the %s at %s acquires, but the %s at %s is %s and "
		    "releases nothing.\n", loaded, load_at, stored, store_at,
		    order_name(store_order));
		fix("make %s, or put a release fence (smp_wmb() / "
		    "atomic_thread_fence(memory_order_release)) before it.\n", releasing);
	} else {
		note("The %s at %s acquires what the %s at %s released, but the write above "
		    "happened after that %s or on another thread: it needs its own release.\n",
		    loaded, load_at, stored, store_at, stored);
	}
}

/* "file.c:12": where the innermost frame of stack id is, if known. */
static bool stack_top_where(sl_stack_id id, char *out, size_t size)
{
	uintptr_t pc = top_pc(id);
	struct sl_frame_text f[8];
	/* a return address: -1 lands inside the call */
	if (!pc || sl_symbolize_pc(pc - 1, f, 8) < 1 || !f[0].line || !f[0].file[0])
		return false;
	snprintf(out, size, "%s:%u", basename_of(f[0].file), f[0].line);
	return true;
}

/* The location a store and load went through, as the report's sentences
 * name it: a global by name; else its address, with the __slabsan_meta
 * field the load's site names and the heap block it lies in, if any (the
 * same as the report's own block, or where it was allocated). */
static void edge_location(uintptr_t addr, uint32_t load_site, char *out, size_t size)
{
	char var[160];
	if (sl_symbolize_data(addr, var, sizeof var)) {
		snprintf(out, size, "'%s' (%p)", var, (void *)addr);
		return;
	}
	slabsan_site_t site = sl_site_get(load_site);
	const char *field = site && site->field ? site->field : "";
	const char *comma = field[0] ? ", " : "";
	struct sl_heap_block b;
	char alloc_at[300];
	bool in_block = sl_heap_find(addr, &b);
	if (in_block && b.user == shown_block) {
		snprintf(out, size, "%p (%s%soffset %zu in the same heap block)", (void *)addr, field,
			 comma, (size_t)(addr - b.user));
	} else if (in_block) {
		bool known = stack_top_where(b.alloc_stack, alloc_at, sizeof alloc_at);
		snprintf(out, size, "%p (%s%soffset %zu in the heap block of size %zu%s%s)",
			 (void *)addr, field, comma, (size_t)(addr - b.user), b.size,
			 known ? " allocated at " : "", known ? alloc_at : "");
	} else if (field[0]) {
		snprintf(out, size, "%p (%s)", (void *)addr, field);
	} else {
		snprintf(out, size, "%p", (void *)addr);
	}
}

/* A store and the load that read it, r: where each was, and what would
 * make the pair order what the subject needs. */
static void explain_edge(struct sl_thread *thr, const struct sl_recent_load *r,
			 const struct edge_subject *subject)
{
	char who[32];
	thread_name(who, sizeof who, thr->tid);
	cur.edge_key = ((uint64_t)r->store_site << 32 | r->load_site) | 1;
	char where[640];
	edge_location(r->addr, r->load_site, where, sizeof where);
	if (subject->pointer) {
		note("The pointer reached %s through %s:\n", who, where);
	} else {
		char storer[32];
		thread_name(storer, sizeof storer, r->store_tid);
		note("After %s, %s stored to %s, and %s loaded %s before %s:\n", subject->before,
		    storer, where, who, subject->value_unknown ? "it" : "the value", subject->then);
	}
	/* A relaxed store releases what came before a release fence ahead of
	 * it: said only where the fence covers what the pair is to order, as
	 * any earlier fence of the thread would (the SLUB model's smp_wmb()). */
	uint32_t store_order = shown_order(r->store_order, sl_site_get(r->store_site));
	uint32_t load_order = shown_order(r->load_order, sl_site_get(r->load_site));
	bool rel = store_releases(r, subject->before_w0);
	bool fenced = rel && !order_releases(store_order);
	if (r->store_site || r->store_stack) {
		char storer[32];
		thread_name(storer, sizeof storer, r->store_tid);
		mention_thread(r->store_tid);
		section("publish", r->store_tid, "Published by %s with %s%s %s%s", storer,
			with_article(store_order), atomic_word(store_order), store_noun(r),
			fenced ? " after a release fence" : "");
		print_stack(r->store_site, r->store_stack);
	}
	if (r->load_kind == SL_LOAD_FAILED_CAS)
		section("consume", thr->tid, "Obtained by %s with a compare-exchange that failed, "
			"with %s failure order", who, with_article(load_order));
	else
		section("consume", thr->tid, "Obtained by %s with %s%s %s", who,
			with_article(load_order), atomic_word(load_order), load_noun(r));
	print_stack(r->load_site, r->load_stack);
	explain_pair_edge(r, subject, store_order, load_order, rel, fenced);
}

/* How the pointer to a block reached this thread through the atomic load
 * r, and what would order it: the access unordered_w0 (0: the allocation
 * alone), which a release fence before the store may have released. */
static void explain_handoff(struct sl_thread *thr, const struct sl_recent_load *r,
			    uint64_t unordered_w0, bool then_writes)
{
	explain_edge(thr, r, &(struct edge_subject){.pointer = true, .before_w0 = unordered_w0,
						    .then_writes = then_writes});
}

/* The slot of the granule at addr that holds record w0 (any bytes), or
 * NULL. */
static const _Atomic uint64_t *slot_holding(uintptr_t addr, uint64_t w0)
{
	struct sl_chunk *c = sl_shadow_chunk_if_mapped(addr);
	if (!c)
		return NULL;
	struct sl_granule_shadow *gs = &c->granule[sl_granule_index(addr)];
	for (unsigned i = 0; i < SL_SLOTS; i++)
		if (!((atomic_load_explicit(&gs->word0[i], memory_order_relaxed) ^ w0) &
		      ~SL_W0_BYTES))
			return &gs->word0[i];
	return NULL;
}

/* Did the store r read come after the access prev_w0 (at prev_addr), in
 * the program order of the thread that made both? Epochs say so when the
 * store's is later, or the same and the store released (a release ends
 * its epoch). A relaxed store of the same epoch asks that thread's history
 * which record it noted first. */
static bool store_came_after(const struct sl_recent_load *r, uint64_t prev_w0,
			     uintptr_t prev_addr)
{
	uint32_t epoch = sl_w0_epoch(prev_w0);
	if (r->store_epoch != epoch)
		return r->store_epoch > epoch;
	if (order_releases(r->store_order))
		return true;
	struct sl_chunk *prev_c = sl_shadow_chunk_if_mapped(prev_addr);
	struct sl_chunk *c = sl_shadow_chunk_if_mapped(r->addr);
	uint64_t store_w0 = sl_w0_who_when(r->store_tid, epoch) | SL_W0_MARKED | SL_W0_WRITE;
	return prev_c && c &&
	       sl_history_all_before(prev_w0, prev_c->granule[sl_granule_index(prev_addr)].word0,
				     store_w0, c->granule[sl_granule_index(r->addr)].word0);
}

/* A load atomic.c noted with its store's thread and epoch only (a store
 * that made no sync object, read by an acquire load: note_unreleased_store):
 * the store's site and stack, from the storing thread's history through
 * the store's record in the location's shadow, while both hold it. */
static void find_store_site(const struct sl_thread *thr, struct sl_recent_load *r)
{
	if (r->store_site || r->store_stack)
		return;
	uint64_t w0 = sl_w0_who_when(r->store_tid, r->store_epoch) | SL_W0_MARKED | SL_W0_WRITE;
	const _Atomic uint64_t *slot = slot_holding(r->addr, w0);
	if (!slot)
		return;
	struct sl_history_access a = sl_history_find(
		thr, atomic_load_explicit(slot, memory_order_relaxed), slot, sl_w0_byte_at(r->addr));
	r->store_site = (uint32_t)(a.w1 >> 32);
	r->store_stack = (sl_stack_id)a.w1;
}

/* A search of this thread's records for the load that brought it a
 * block's pointer (pointer_load_record): the block, one past it, and what
 * was found. */
struct handoff_search {
	const struct sl_thread *thr;
	uintptr_t lo, hi;
	struct sl_recent_load found;
};

/* The word at addr, read through the kernel: a report must not fault on
 * memory unmapped since the program accessed it. */
static bool read_word_quietly(uintptr_t addr, uint64_t *value)
{
	struct iovec local = {value, sizeof *value}, remote = {(void *)addr, sizeof *value};
	return syscall(SYS_process_vm_readv, getpid(), &local, 1, &remote, 1, 0) ==
	       (long)sizeof *value;
}

/* Is this thread's record w0 (in `slot`, from site word w1) a marked load
 * of a word outside the block that another thread stored with a marked
 * write and that still points into the block? */
static bool pointer_load_record(void *ctx, const _Atomic uint64_t *slot, uint64_t w0,
				uint64_t w1, uint64_t at)
{
	struct handoff_search *f = ctx;
	const uint64_t kind = SL_W0_MARKED | SL_W0_WRITE | SL_W0_ASSERT;
	slabsan_site_t load_site = sl_site_get((uint32_t)(w1 >> 32));
	(void)at;
	/* a record of the id's earlier thread is not this one's */
	if ((w0 & kind) != SL_W0_MARKED || !load_site || sl_w0_epoch(w0) < f->thr->first_epoch)
		return false;
	uintptr_t granule = sl_shadow_slot_addr(slot, w0) & ~(uintptr_t)(SL_GRANULE - 1);
	for (unsigned off = 0; off < SL_GRANULE; off += sizeof(void *)) {
		uintptr_t addr = granule + off;
		uint64_t value, w;
		if ((sl_w0_mask(w0) >> off & 0xff) != 0xff || (addr >= f->lo && addr < f->hi) ||
		    !(w = sl_marked_write_by_other(addr, f->thr->tid)) ||
		    !read_word_quietly(addr, &value) || value < f->lo || value > f->hi)
			continue;
		f->found = (struct sl_recent_load){
			.value = value, .addr = addr,
			.load_site = (uint32_t)(w1 >> 32), .load_stack = (sl_stack_id)w1,
			.load_order = load_order_of_site(load_site),
			.load_kind = load_kind_of_site(load_site),
			.store_tid = sl_w0_tid(w), .store_epoch = sl_w0_epoch(w),
		};
		return true;
	}
	return false;
}

/* The store r's record names, by the location's sync object while its
 * last store is that one (the order and any release fence before it),
 * else through the storing thread's history, with its site's order. False
 * if neither knows it. */
static bool complete_recorded_store(const struct sl_thread *thr, struct sl_recent_load *r)
{
	const struct sl_sync *s = sl_sync_find(r->addr);
	struct sl_store_origin last = s ? sl_sync_store_origin(s) : (struct sl_store_origin){0};
	if (last.epoch && last.tid == r->store_tid && last.epoch == r->store_epoch) {
		r->store_site = last.site;
		r->store_stack = last.stack;
		r->store_order = last.order;
		r->store_fence = last.fence;
		return true;
	}
	find_store_site(thr, r);
	slabsan_site_t site = sl_site_get(r->store_site);
	if (site)
		r->store_order = order_of_site(site);
	return site != NULL;
}

/* The load that brought the block's pointer to this thread: the latest it
 * noted (atomic.c); else, by its record, one whose note later loads
 * pushed out of the ring. NULL if neither shows one. */
static const struct sl_recent_load *load_of_block(struct sl_thread *thr,
						  const struct sl_heap_block *b)
{
	const struct sl_recent_load *noted = sl_recent_load_from_outside(
		thr, b->user, b->user + b->size + 1, b->user, b->user + b->size);
	if (noted)
		return noted;
	static struct handoff_search search;     /* under the report lock */
	search = (struct handoff_search){thr, b->user, b->user + b->size};
	if (!sl_history_each_own(thr->history, pointer_load_record, &search) ||
	    !complete_recorded_store(thr, &search.found))
		return NULL;
	return &search.found;
}

/* A search of this thread's loads for the flag it waited for (below): the
 * access the store must come after, and what was found. */
struct relaxed_flag_search {
	const struct sl_thread *thr;
	uint64_t prev_w0;
	uintptr_t prev_addr;
	const struct sl_recent_load *handoff;
	struct sl_recent_load found;
};

/* Is this thread's record w0 (in `slot`, from site word w1) a marked load
 * of bytes that the thread of the earlier access stored, with a marked
 * store and no release, after that access? Relaxed loads are not noted
 * (atomic.c: sqlite's WAL index would pay for every slot) and a relaxed
 * int store makes no sync object (nor does a volatile one, a kernel-style
 * WRITE_ONCE() the runtime performs as relaxed), so such a flag leaves
 * only its two records, side by side in the flag's
 * shadow (an acquire load's note may have been pushed out of the ring:
 * its order comes from its site). Nothing is said when an acquire fence
 * may have followed a relaxed load: the record does not tell. The store
 * released nothing: a release would have made the location's sync
 * object. */
static bool relaxed_flag_load(void *ctx, const _Atomic uint64_t *slot, uint64_t w0, uint64_t w1,
			      uint64_t at)
{
	struct relaxed_flag_search *f = ctx;
	const uint64_t kind = SL_W0_MARKED | SL_W0_WRITE | SL_W0_ASSERT;
	slabsan_site_t load_site = sl_site_get((uint32_t)(w1 >> 32));
	/* a record of the id's earlier thread is not this one's */
	if ((w0 & kind) != SL_W0_MARKED || !load_site || sl_w0_epoch(w0) < f->thr->first_epoch)
		return false;
	uint32_t load_order = load_order_of_site(load_site);
	if (!order_acquires(load_order) && f->thr->acquire_fence_at > at + 1)
		return false;
	/* the store: the marked write in the loaded byte's shadow, as an
	 * acquire load looks for it (atomic.c, note_unreleased_store) */
	uintptr_t addr = sl_shadow_slot_addr(slot, w0);
	uint32_t writer = sl_w0_tid(f->prev_w0);
	uint64_t w = sl_marked_write_by_other(addr, f->thr->tid);
	if (!w || sl_w0_tid(w) != writer || sl_sync_find(addr) ||
	    (f->handoff && f->handoff->addr == addr))
		return false;       /* another's, a release made it, or the pointer's own */
	f->found = (struct sl_recent_load){
		.addr = addr, .load_site = (uint32_t)(w1 >> 32), .load_stack = (sl_stack_id)w1,
		.load_order = load_order, .load_kind = load_kind_of_site(load_site),
		.store_order = SLABSAN_RELAXED,
		.store_tid = writer, .store_epoch = sl_w0_epoch(w),
	};
	return store_came_after(&f->found, f->prev_w0, f->prev_addr);
}

/* The latest load of this thread that read a value the thread of the
 * access prev_w0 (at prev_addr) stored after it, through a store and load
 * that did not order that access (a release read by an acquire would
 * have): the flag or pointer the thread waited for, whose edge is missing.
 * Not `handoff`, the load of the block's own pointer, which the report
 * explains as such. Among the loads this thread noted (atomic.c), else,
 * unless locks or an assertion explain the report (either_held_lock), its
 * relaxed loads of a flag stored relaxed (*from_record); NULL if none
 * shows one. */
static const struct sl_recent_load *load_of_later_store(struct sl_thread *thr, uint64_t prev_w0,
							uintptr_t prev_addr,
							const struct sl_recent_load *handoff,
							bool explained_otherwise, bool *from_record)
{
	/* what is found, completed with its store's site (find_store_site)
	 * as a copy: the thread's notes stay as atomic.c made them */
	static struct relaxed_flag_search search;     /* under the report lock */
	search = (struct relaxed_flag_search){thr, prev_w0, prev_addr, handoff};
	*from_record = false;
	for (uint32_t i = 1; i <= SL_RECENT_LOADS && i <= thr->recent_next; i++) {
		const struct sl_recent_load *r =
			&thr->recent[(thr->recent_next - i) % SL_RECENT_LOADS];
		if (r != handoff && r->store_tid == sl_w0_tid(prev_w0) && r->store_epoch &&
		    !(store_releases(r, prev_w0) && order_acquires(r->load_order)) &&
		    store_came_after(r, prev_w0, prev_addr)) {
			search.found = *r;
			find_store_site(thr, &search.found);
			return &search.found;
		}
	}
	if (explained_otherwise ||
	    !sl_history_each_own(thr->history, relaxed_flag_load, &search))
		return NULL;
	find_store_site(thr, &search.found);
	*from_record = true;
	return &search.found;
}

/* The missing edge between the earlier access (subject's `before`, "its
 * write", at prev_addr) and this thread's (`then`, "the free"), if this
 * thread's loads show it: a value the earlier access's thread stored
 * after that access, which this thread loaded before its own (the flag it
 * waited for), through a pair that does not order. False if none. */
static bool explain_later_store(struct sl_thread *thr, const struct edge_subject *subject,
				uintptr_t prev_addr, const struct sl_recent_load *handoff,
				bool explained_otherwise)
{
	struct edge_subject found = *subject;
	const struct sl_recent_load *r = load_of_later_store(thr, subject->before_w0, prev_addr,
							     handoff, explained_otherwise,
							     &found.value_unknown);
	if (r)
		explain_edge(thr, r, &found);
	return r != NULL;
}

/* The edge a race misses: the flag this thread waited for (above); else,
 * for a heap block whose pointer this thread received through an atomic
 * load, that hand-off. */
static void explain_missing_edge(struct sl_thread *thr, uintptr_t addr, uint64_t cur_w0,
				 uint32_t cur_site, uint64_t prev_w0, uint32_t prev_site,
				 bool explained_otherwise)
{
	char at[300], then[340], before[64];
	site_where(cur_site, at, sizeof at);
	snprintf(then, sizeof then, "the %s at %s", access_of(cur_w0, cur_site, false), at);
	snprintf(before, sizeof before, "its %s", access_of(prev_w0, prev_site, false));
	struct sl_heap_block b;
	const struct sl_recent_load *handoff = sl_heap_find(addr, &b) ? load_of_block(thr, &b) : NULL;
	bool writes = sl_w0_write(cur_w0);
	struct edge_subject subject = {.before = before, .then = then, .before_w0 = prev_w0,
				       .then_writes = writes};
	if (!explain_later_store(thr, &subject, addr, handoff, explained_otherwise) && handoff)
		explain_handoff(thr, handoff, prev_w0, writes);
}

/* A block code SlabSan did not instrument both allocated and freed (the
 * malloc and free calls at the top of the two stacks), and no instrumented
 * code wrote: what orders the two is that code's own synchronization,
 * which SlabSan sees no more than its accesses (ThreadSanitizer does not
 * see either). glibc's getaddrinfo frees another thread's block of its
 * __check_pf cache under an internal lock (libuv's getaddrinfo_concurrent,
 * every run); the dynamic loader hands a thread's TLS vector to another
 * through glibc's stack cache (all_correct.c, 1 run in about 250). */
static bool uninstrumented_own_block(const struct sl_heap_block *b, sl_stack_id free_stack,
				     bool alloc_unordered, uint64_t write_w0)
{
	return alloc_unordered && !write_w0 && !sl_pc_instrumented(top_pc(free_stack)) &&
	       !sl_pc_instrumented(top_pc(b->alloc_stack));
}

void sl_report_free_without_acquire(struct sl_thread *thr, const struct sl_heap_block *b,
				    sl_stack_id free_stack, bool alloc_unordered,
				    uint64_t write_w0, uint64_t write_w1, uintptr_t write_addr)
{
	LOCKED_REPORT(thr);
	if (!uninstrumented_own_block(b, free_stack, alloc_unordered, write_w0) &&
	    !seen_before(4, top_pc(free_stack), alloc_unordered ? top_pc(b->alloc_stack)
							       : write_w1 >> 32)) {
		char who[32], holding[160];
		struct sl_lockset free_locks, write_locks;
		bool free_locks_known = sl_lockset_now(thr, &free_locks);
		bool write_locks_known = write_w0 &&
			sl_lockset_at(sl_w0_tid(write_w0), sl_w0_epoch(write_w0), &write_locks);
		begin("free without acquire", thr);
		holding_phrase(holding, sizeof holding, &free_locks, free_locks_known, thr->tid);
		print_free_header(thr, b, free_stack, holding);
		struct lock_side freeing;
		free_side(&freeing, &free_locks);
		if (alloc_unordered) {
			allocation_section("allocation", b, "is not ordered after its allocation by");
		}
		if (write_w0) {
			uint32_t wtid = sl_w0_tid(write_w0);
			char field[160];
			thread_name(who, sizeof who, wtid);
			mention_thread(wtid);
			field_note((uint32_t)(write_w1 >> 32), field, sizeof field);
			if (write_locks_known)
				holding_phrase(holding, sizeof holding, &write_locks, true, wtid);
			else
				holding[0] = '\0';
			section("write", wtid, "%s after this %s at %p (offset %zu)%s by %s%s",
			    alloc_unordered ? "nor" : "is not ordered",
			    access_what(true, sl_w0_marked(write_w0), (uint32_t)(write_w1 >> 32), false), (void *)write_addr,
			    (size_t)(write_addr - b->user), field, who, holding);
			print_recorded_stack(write_w1);
		}
		/* a plain write after the block reached this thread in order: the
		 * flag this thread waited for, if its loads show one; else how the
		 * pointer came */
		const struct sl_recent_load *r = load_of_block(thr, b);
		bool late_plain_write = !alloc_unordered && write_w0 && !sl_w0_marked(write_w0);
		struct edge_subject subject = before_the_free("its write", write_w0);
		if (!(late_plain_write &&
		      explain_later_store(thr, &subject, write_addr, r,
					  either_held_lock(&free_locks, free_locks_known,
							   &write_locks, write_locks_known)))) {
			if (r)
				explain_handoff(thr, r, write_w0, false);
			else
				explain_unseen_handoff(thr, !alloc_unordered, write_w0, write_w1);
		}
		if (!alloc_unordered) {
			/* Context, not a culprit: which block, made where. */
			allocation_section("allocated", b, "The block was allocated by");
		}
		print_locks();
		if (free_locks_known && write_locks_known && write_locks.n &&
		    !sl_w0_marked(write_w0)) {
			struct lock_side write_side;
			race_side(&write_side, &write_locks, write_w0, (uint32_t)(write_w1 >> 32));
			explain_locks(&freeing, &write_side);
		}
		end("free without acquire");
	}
	UNLOCK_REPORT(thr);
}

void sl_report_double_free(struct sl_thread *thr, const struct sl_heap_block *b,
			   sl_stack_id free_stack)
{
	LOCKED_REPORT(thr);
	if (!seen_before(5, top_pc(free_stack), b->user)) {
		char who[32];
		begin("double free", thr);
		thread_name(who, sizeof who, thr->tid);
		shown_block = b->user;
		section("free", thr->tid, "Free of heap block of size %zu at %p by %s", b->size, (void *)b->user, who);
		print_stack(0, free_stack);
		if (b->free_tid != 0xffff) {
			thread_name(who, sizeof who, b->free_tid);
			mention_thread(b->free_tid);
			section("first-free", b->free_tid, "It was already freed by %s", who);
			print_stack(0, b->free_stack);
		}
		allocation_section("allocation", b, "Allocated by");
		end("double free");
	}
	UNLOCK_REPORT(thr);
}

void sl_report_invalid_free(struct sl_thread *thr, uintptr_t addr, sl_stack_id free_stack,
			    const char *why)
{
	LOCKED_REPORT(thr);
	if (!seen_before(6, top_pc(free_stack), 0)) {
		char who[32], where[256];
		struct sl_heap_block b;
		begin("invalid free", thr);
		thread_name(who, sizeof who, thr->tid);
		section("free", thr->tid, "Free of %p by %s", (void *)addr, who);
		print_stack(0, free_stack);
		if (why) {
			note("The pointer was %s\n", why);
		} else if (sl_heap_find(addr, &b)) {
			thread_name(who, sizeof who, b.alloc_tid);
			mention_thread(b.alloc_tid);
			section("allocation", b.alloc_tid, "The pointer is %zu bytes inside a heap block of size %zu at %p, allocated by %s",
			    (size_t)(addr - b.user), b.size, (void *)b.user, who);
			print_stack(0, b.alloc_stack);
		} else if (describe_non_heap(addr, where, sizeof where)) {
			note("The pointer does not point to a heap block but into %s.\n", where);
		} else {
			/* A double free whose block already left the quarantine
			 * lands here too: its metadata went back with it. */
			note("The pointer does not point to a heap block SlabSan knows: foreign "
			     "memory, or a block freed before and already handed back to the "
			     "allocator by the quarantine (quarantine_size_mb=%d).\n",
			     sl_opt.quarantine_size_mb);
		}
		end("invalid free");
	}
	UNLOCK_REPORT(thr);
}

/* "SIGSEGV", or NULL for a signal without a name of its own. */
static const char *signal_abbrev(int sig)
{
	static const char *const names[32] = {
		[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
		[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
		[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGUSR1] = "SIGUSR1",
		[SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2", [SIGPIPE] = "SIGPIPE",
		[SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM", [SIGCHLD] = "SIGCHLD",
		[SIGCONT] = "SIGCONT", [SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN",
		[SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG", [SIGXCPU] = "SIGXCPU",
		[SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF",
		[SIGWINCH] = "SIGWINCH", [SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR",
		[SIGSYS] = "SIGSYS",
	};
	return sig > 0 && sig < 32 ? names[sig] : NULL;
}

static void signal_name(int sig, char *out, size_t size)
{
	if (signal_abbrev(sig))
		snprintf(out, size, "%d (%s)", sig, signal_abbrev(sig));
	else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(out, size, "%d (SIGRTMIN+%d)", sig, sig - SIGRTMIN);
	else
		snprintf(out, size, "%d", sig);
}

#define SIGNAL_UNSAFE "signal-unsafe call inside a signal handler"

void sl_report_signal_unsafe(struct sl_thread *thr, const char *call, int sig,
			     sl_stack_id stack)
{
	if (!should_report(thr))
		return;
	LOCKED_REPORT(thr);
	if (!seen_before(7, top_pc(stack), 0)) {   /* once per calling place */
		char who[32], signal[40];
		begin(SIGNAL_UNSAFE, thr);
		thread_name(who, sizeof who, thr->tid);
		signal_name(sig, signal, sizeof signal);
		section("call", thr->tid, "Call to %s by %s in a handler of signal %s", call, who,
		    signal);
		print_stack(0, stack);
		note("%s is not async-signal-safe: had the signal arrived while this thread was "
		    "inside %s, or held a lock %s takes, the handler would deadlock or "
		    "corrupt its state.\n", call, call, call);
		fix("in the handler, only record that the signal came (a volatile sig_atomic_t "
		    "flag, write() to a pipe, sem_post()) and call %s outside it, or "
		    "receive the signal synchronously (sigwait(), signalfd()).\n", call);
		end(SIGNAL_UNSAFE);
	}
	UNLOCK_REPORT(thr);
}

/* ---- deadly signals */

static bool lock_for_exit(void);

/* What the kernel says went wrong, as a phrase. */
static const char *fault_cause(int sig, int code)
{
	switch (sig) {
	case SIGSEGV:
		return code == SEGV_ACCERR ? "no permission for the access" : "address not mapped";
	case SIGBUS:
		return code == BUS_ADRALN ? "misaligned address"
		       : code == BUS_ADRERR ? "no backing memory (past the end of a mapped file?)"
		       : "bus error";
	case SIGFPE:
		return code == FPE_INTDIV ? "integer divide by zero"
		       : code == FPE_INTOVF ? "integer overflow" : "arithmetic exception";
	default:
		return "illegal instruction (__builtin_trap()?)";
	}
}

/* Where the thread was when it faulted. */
struct fault {
	uintptr_t pc, sp;
	const char *access;      /* "a write to", "a read of"; NULL: not a page fault */
};

static struct fault fault_of(const void *uctx, int sig, int code)
{
	struct fault f = {0, 0, NULL};
#if defined(__x86_64__)
	if (uctx) {
		const mcontext_t *m = &((const ucontext_t *)uctx)->uc_mcontext;
		if (sig == SIGSEGV && (code == SEGV_MAPERR || code == SEGV_ACCERR))  /* x86's page-fault error code */
			f.access = m->gregs[REG_ERR] & 2 ? "a write to" : "a read of";
		f.pc = (uintptr_t)m->gregs[REG_RIP];
		f.sp = (uintptr_t)m->gregs[REG_RSP];
	}
#else
	(void)uctx, (void)sig, (void)code;
#endif
	return f;
}

/* A fault next to the stack pointer: the stack ran out. */
static bool stack_overflow(uintptr_t addr, uintptr_t sp)
{
	const uintptr_t near = 64u << 10;
	return sp && addr + near >= sp && addr <= sp + near;
}

/* The stack the unwinder finds through the signal frame, from the faulting
 * instruction pc on (as a return address: +1, so that the -1 every frame
 * gets lands on it), into out; 0 when it does not pass through pc (no
 * unwind tables, a smashed stack). It has the frames of code SlabSan did
 * not compile (libc's strlen and its caller's place in the program), which
 * the shadow stack lacks. */
static uint32_t unwound_from(uintptr_t pc, uintptr_t *out, uint32_t room)
{
	void *frames[SL_MAX_FRAMES + 16];
	int n = pc ? backtrace(frames, (int)(sizeof frames / sizeof frames[0])) : 0;
	for (int i = 0; i < n; i++) {
		if ((uintptr_t)frames[i] != pc)
			continue;
		uint32_t k = 0;
		out[k++] = pc + 1;
		for (int j = i + 1; j < n && k < room; j++)
			out[k++] = (uintptr_t)frames[j];
		return k;
	}
	return 0;
}

void sl_report_deadly_signal(int sig, const siginfo_t *info, const void *uctx)
{
	struct sl_thread *thr = sl_cur_thread;
	bool in_runtime = sl_runtime_depth > 0 || (thr && thr->in_runtime);
	/* bounded: the fault may have come inside a report of this thread's */
	bool locked = lock_for_exit();
	if (thr)
		thr->in_runtime = true;
	int code = info ? info->si_code : SI_USER;
	struct fault f = fault_of(uctx, sig, code);
	uintptr_t pc = f.pc;
	uintptr_t addr = info ? (uintptr_t)info->si_addr : 0;
	char name[40], who[48], what[160];
	snprintf(name, sizeof name, "%s", signal_abbrev(sig));
	if (thr)
		thread_name(who, sizeof who, thr->tid);
	else
		snprintf(who, sizeof who, "a thread SlabSan does not know");
	if (code <= 0)
		snprintf(what, sizeof what, "%s, sent by process %d,", name,
			 info ? (int)info->si_pid : 0);
	else if (sig == SIGSEGV || sig == SIGBUS)
		snprintf(what, sizeof what, "%s on %s 0x%lx (%s)", name,   /* %p says "(nil)" */
			 f.access ? f.access : "address", (unsigned long)addr, fault_cause(sig, code));
	else
		snprintf(what, sizeof what, "%s (%s)", name, fault_cause(sig, code));
	begin(DEADLY_SIGNAL, thr);
	section("fault", thr ? thr->tid : 0, "%s by %s", what, who);
	/* Else the shadow stack under the faulting instruction, read as it
	 * is: the depot's lock may be the one this thread holds. */
	uintptr_t pcs[SL_MAX_FRAMES + 1];
	uint32_t depth = unwound_from(pc, pcs, SL_MAX_FRAMES + 1);
	if (!depth)
		depth = thr ? sl_stack_now(thr, pc + 1, pcs) : (pcs[0] = pc + 1, 1);
	unsigned n = 0;
	reached_main = false;
	/* (no faulting pc: a signal sent while the thread was inside the
	 * runtime, delivered later without its context) */
	bool has_pc = pc != 0;
	print_pcs(&n, pcs + !has_pc, depth - !has_pc);
	if (n == 0)
		put("    <no stack>\n");
	if ((sig == SIGSEGV || sig == SIGBUS) && code > 0) {
		if (addr < 4096)
			note("The address is in the first page: a null pointer dereference.\n");
		else if (sig == SIGSEGV && stack_overflow(addr, f.sp))
			note("Stack overflow: the address is next to the stack pointer %p, so the "
			     "thread's stack ran out (unbounded recursion, or large local arrays).\n",
			     (void *)f.sp);
		else if (!in_runtime)
			print_location(addr);
	}
	if (in_runtime)
		note("The fault is inside the SlabSan runtime (pc %p): a bug in SlabSan, or "
		     "memory of its own that the program overwrote. Please report it with "
		     "this output.\n", (void *)pc);
	end(DEADLY_SIGNAL);
	if (locked)
		sl_spin_unlock(&report_lock);
}

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
static bool lock_for_exit(void)
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

void sl_report_finish(void)
{
	bool locked = lock_for_exit();
	if (!locked) {
		sl_note_once("exit while another thread was still making a report (blocked in "
			     "it?); that report is lost");
		atomic_fetch_add(&reports, 1);    /* but the run did find something */
	}
	finish();
	if (locked)
		sl_spin_unlock(&report_lock);
}
