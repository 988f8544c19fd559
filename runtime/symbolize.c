// SPDX-License-Identifier: Apache-2.0
/* Code address -> function file:line, through llvm-symbolizer running as a
 * child process for the life of the program (started at the first report).
 * Without a symbolizer, frames fall back to dladdr's symbol+offset. Only
 * the report files call this, with the report lock held. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#ifndef SLABSAN_DEFAULT_SYMBOLIZER
#define SLABSAN_DEFAULT_SYMBOLIZER "llvm-symbolizer"
#endif

extern char **environ;
static int to_child = -1, from_child = -1;
static bool tried;

static bool start_symbolizer(void)
{
	if (tried)
		return to_child >= 0;
	tried = true;
	if (!sl_opt.symbolize)
		return false;
	const char *path = sl_opt.external_symbolizer_path[0] ? sl_opt.external_symbolizer_path
							      : SLABSAN_DEFAULT_SYMBOLIZER;
	if (access(path, X_OK) != 0)
		path = "llvm-symbolizer";
	/* close-on-exec: a program that runs others must not hand them our
	 * pipes (the symbolizer gets its own ends as stdin and stdout) */
	int in[2], out[2];
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return false;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_addclose(&fa, in[1]);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	/* Nor any descriptor of the program's: the symbolizer lives as long
	 * as the program, and a pipe's write end it held would keep the
	 * program's reader of that pipe from ever seeing EOF (libuv's
	 * fs_partial_write test hung so). */
#if __GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34)
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
	char *argv[] = {(char *)path, "--inlining=true", "--demangle", NULL};
	/* The child must not inherit our options (it is not instrumented, but a
	 * log_path or exitcode there would be meaningless). */
	pid_t pid;
	int err = posix_spawnp(&pid, path, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	if (err) {
		close(in[1]);
		close(out[0]);
		sl_note_once("llvm-symbolizer not found (%s); stacks show symbol+offset. "
			     "Set SLABSAN_OPTIONS=external_symbolizer_path=...", path);
		return false;
	}
	to_child = in[1];
	from_child = out[0];
	return true;
}

/* A forked child asks a symbolizer of its own: sharing its parent's, the
 * two processes' questions and answers would interleave. */
void sl_symbolize_after_fork_child(void)
{
	if (to_child >= 0) {
		close(to_child);
		close(from_child);
	}
	to_child = from_child = -1;
	tried = false;
}

/* Write a question to the symbolizer. If it has died, the write raises
 * SIGPIPE, which must neither kill the program nor change how the
 * program itself handles the signal (ignoring it for good did: a program
 * writing to a closed pipe later got EPIPE instead of its SIGPIPE). So
 * the signal is blocked for the write, and one the write raised is taken
 * back, unless the program had one pending already. */
static bool ask(const char *q, size_t n)
{
	sigset_t pipe_only, old, pending;
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
	sigpending(&pending);
	bool had_one = sigismember(&pending, SIGPIPE);
	ssize_t w = sl_sys_write(to_child, q, n);
	if (w < 0 && errno == EPIPE && !had_one) {
		struct timespec now = {0, 0};
		sigtimedwait(&pipe_only, NULL, &now);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return w == (ssize_t)n;
}

/* Read lines up to the blank line that ends one answer. */
static int read_answer(char *buf, size_t size)
{
	size_t n = 0;
	while (n + 1 < size) {
		ssize_t r = sl_sys_read(from_child, buf + n, size - 1 - n);
		if (r <= 0)
			return -1;
		n += (size_t)r;
		buf[n] = '\0';
		if (n >= 2 && buf[n - 1] == '\n' && buf[n - 2] == '\n')
			return (int)n;
	}
	return -1;
}

static int fallback(uintptr_t pc, struct sl_frame_text *out)
{
	Dl_info info;
	memset(out, 0, sizeof *out);
	if (dladdr((void *)pc, &info) && info.dli_sname)
		snprintf(out->function, sizeof out->function, "%s+0x%lx", info.dli_sname,
			 (unsigned long)(pc - (uintptr_t)info.dli_saddr));
	else
		snprintf(out->function, sizeof out->function, "0x%lx", (unsigned long)pc);
	if (info.dli_fname)
		snprintf(out->file, sizeof out->file, "%s", info.dli_fname);
	return 1;
}

/* The executable's path, read at start-up: once the main thread has
 * called pthread_exit, /proc/self/exe can no longer be read, and every
 * frame of the program's own code lost its function and line. */
static char exe_path[4096];

void sl_symbolize_init(void)
{
	ssize_t n = readlink("/proc/self/exe", exe_path, sizeof exe_path - 1);
	exe_path[n > 0 ? n : 0] = '\0';
}

static struct link_map *link_map_of(uintptr_t addr)
{
	Dl_info info;
	struct link_map *lm = NULL;
	if (!dladdr1((void *)addr, &info, (void **)&lm, RTLD_DL_LINKMAP))
		return NULL;
	return lm;
}

bool sl_module_of(uintptr_t addr, char *out, size_t size)
{
	struct link_map *lm = link_map_of(addr);
	if (!lm)
		return false;
	if (lm->l_name && lm->l_name[0]) {
		snprintf(out, size, "%s", lm->l_name);
		return true;
	}
	if (!exe_path[0])
		return false;
	snprintf(out, size, "%s", exe_path);    /* the executable */
	return true;
}

/* Ask the symbolizer about addr ("CODE" or "DATA"); the answer is the
 * lines up to the blank one. */
static bool query(const char *kind, uintptr_t addr, char *answer, size_t size)
{
	struct link_map *lm = link_map_of(addr);
	char module[512];
	if (!start_symbolizer() || !lm || !sl_module_of(addr, module, sizeof module))
		return false;
	char q[600];
	int qn = snprintf(q, sizeof q, "%s \"%s\" 0x%lx\n", kind, module,
			  (unsigned long)(addr - lm->l_addr));
	if (!ask(q, (size_t)qn) || read_answer(answer, size) < 0) {
		close(to_child);
		to_child = -1;
		return false;
	}
	return true;
}

bool sl_symbolize_global(uintptr_t addr, char *name, size_t size, size_t *offset,
			 size_t *bytes)
{
	char answer[1024];
	struct link_map *lm = link_map_of(addr);
	if (!lm || !query("DATA", addr, answer, sizeof answer))
		return false;
	/* "name\nstart size\n", start as in the module, in decimal */
	char *nl = strchr(answer, '\n');
	if (nl)
		*nl = '\0';
	if (!answer[0] || !strcmp(answer, "??"))
		return false;
	snprintf(name, size, "%s", answer);
	unsigned long long start = 0, length = 0;
	uintptr_t in_module = addr - lm->l_addr;
	if (!nl || sscanf(nl + 1, "%llu %llu", &start, &length) != 2 || start > in_module)
		start = in_module, length = 0;
	*offset = in_module - start;
	*bytes = length;
	return true;
}

bool sl_symbolize_data(uintptr_t addr, char *name, size_t size)
{
	size_t offset, bytes;
	return sl_symbolize_global(addr, name, size, &offset, &bytes);
}

int sl_symbolize_pc(uintptr_t pc, struct sl_frame_text *out, int max)
{
	static char answer[8192];
	if (!query("CODE", pc, answer, sizeof answer))
		return fallback(pc, out);
	int frames = 0;
	char *save, *line = strtok_r(answer, "\n", &save);
	while (line && frames < max) {
		char *where = strtok_r(NULL, "\n", &save);
		if (!where)
			break;
		struct sl_frame_text *f = &out[frames++];
		memset(f, 0, sizeof *f);
		snprintf(f->function, sizeof f->function, "%s", line);
		/* where: file:line:column */
		char *colon = strrchr(where, ':');
		if (colon) {
			*colon = '\0';
			colon = strrchr(where, ':');
		}
		if (colon) {
			*colon = '\0';
			f->line = (unsigned)strtoul(colon + 1, NULL, 10);
		}
		if (strcmp(where, "??") != 0)
			snprintf(f->file, sizeof f->file, "%s", where);
		line = strtok_r(NULL, "\n", &save);
	}
	if (frames == 0 || !strcmp(out[0].function, "??"))
		return fallback(pc, out);
	for (int i = 0; i < frames; i++)
		sl_module_of(pc, out[i].module, sizeof out[i].module);
	return frames;
}
