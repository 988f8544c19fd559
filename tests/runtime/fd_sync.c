// File descriptors order what travels through them: a write releases, a
// read of the same pipe, socketpair or eventfd acquires (both ends of a
// pipe share one clock, a dup() its original's). The writer fills `data`
// and wakes the reader through the descriptor; the reader then reads and
// frees it: silent through a pipe, a dup()'d write end (DUP), one
// dup'd with fcntl(F_DUPFD_CLOEXEC) (FCNTL_DUP, as libuv's uv__dup), a
// socketpair (SOCKETS), a Unix socket connection (UNIX_SOCKET: every
// socket shares one clock), an eventfd (EVENTFD), an epoll registration
// returned by epoll_wait (EPOLL), a named FIFO each side opened itself
// (FIFO), a regular file the reader polls (REGULAR_FILE: open() and creat() give a file's
// descriptors one clock), with _FORTIFY_SOURCE's
// checked read, and in focused mode (where the free is the check). A lock
// made of a pipe (libuv's signal lock: read a byte to lock, write it back
// to unlock) orders its critical sections (PIPE_LOCK). A vfork() child
// that closes the write end before it execs closes its own copy: the
// parent's pipe still orders (VFORK). BROKEN writes the data again after
// waking the reader: a data race.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DDUP %s -o %t.dup && %expect-exit 0 %t.dup 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DFCNTL_DUP %s -o %t.fd && %expect-exit 0 %t.fd 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DUNIX_SOCKET %s -o %t.us && %expect-exit 0 %t.us 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DSOCKETS %s -o %t.s && %expect-exit 0 %t.s 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DEPOLL %s -o %t.ep && %expect-exit 0 %t.ep 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DFIFO %s -o %t.fifo && %expect-exit 0 %t.fifo 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DREGULAR_FILE %s -o %t.file && %expect-exit 0 %t.file 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DEVENTFD %s -o %t.e && %expect-exit 0 %t.e 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O2 -g -D_FORTIFY_SOURCE=2 %s -o %t.fort && %expect-exit 0 %t.fort 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -fslabsan-mode=focused %s -o %t.f && %expect-exit 0 %t.f 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DVFORK %s -o %t.v && %expect-exit 0 %t.v 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DPIPE_LOCK %s -o %t.lock && %expect-exit 0 %t.lock 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DBROKEN %s -o %t.b && %expect-exit 66 %t.b 2>&1 | FileCheck %s
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int fds[2];
long *data; /* not static: LLVM would shrink it */

static void wake(void)
{
	char byte = 1;
#if defined(EPOLL)
	/* fds[1] is an eventfd, readable from the start: the registration
	 * is what the loop waits for */
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = data};
	epoll_ctl(fds[0], EPOLL_CTL_ADD, fds[1], &ev);
	(void)byte;
#elif defined(EVENTFD)
	eventfd_write(fds[0], 1);
#elif defined(SOCKETS)
	send(fds[1], &byte, 1, 0);
#else
	int out = fds[1];
#ifdef DUP
	out = dup(fds[1]);
#endif
	if (write(out, &byte, 1) != 1)
		abort();
#endif
}

static void wait_woken(void)
{
	char byte;
#if defined(EPOLL)
	struct epoll_event ev;
	while (epoll_wait(fds[0], &ev, 1, -1) != 1)
		;
	(void)byte;
#elif defined(EVENTFD)
	eventfd_t value;
	eventfd_read(fds[0], &value);
#elif defined(SOCKETS)
	recv(fds[0], &byte, 1, 0);
#else
	while (read(fds[0], &byte, 1) != 1)
		;
#endif
}

#ifdef PIPE_LOCK
static long counter;

static void *locker(void *arg)
{
	for (int i = 0; i < 1000; i++) {
		wait_woken(); /* lock */
		counter++;
		wake();       /* unlock */
	}
	return arg;
}

int main(void)
{
	pthread_t t[2];
	if (pipe(fds))
		return 1;
	wake(); /* the lock starts free */
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, locker, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return counter != 2000;
}
#else
static void *writer(void *arg)
{
	(void)arg;
	data = malloc(sizeof *data);
	*data = 42;
	wake();
#ifdef BROKEN
	*data = 43; /* LATE_WRITE */
#endif
	return NULL;
}

int main(void)
{
#if defined(EPOLL)
	fds[0] = epoll_create1(0);
	fds[1] = eventfd(1, 0);
#elif defined(EVENTFD)
	fds[0] = eventfd(0, 0);
#elif defined(SOCKETS)
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds))
		return 1;
#elif defined(UNIX_SOCKET)
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof sa.sun_path, "/tmp/slabsan-fd_sync.%d", (int)getpid());
	int listener = socket(AF_UNIX, SOCK_STREAM, 0);
	if (bind(listener, (struct sockaddr *)&sa, sizeof sa) || listen(listener, 1))
		return 1;
	fds[1] = socket(AF_UNIX, SOCK_STREAM, 0);
	if (connect(fds[1], (struct sockaddr *)&sa, sizeof sa))
		return 1;
	fds[0] = accept(listener, NULL, NULL);
	unlink(sa.sun_path);
#elif defined(FIFO) || defined(REGULAR_FILE)
	char path[64];
	snprintf(path, sizeof path, "/tmp/slabsan-fd_sync.%d", (int)getpid());
#ifdef FIFO
	if (mkfifo(path, 0600))
		return 1;
	fds[0] = open(path, O_RDONLY | O_NONBLOCK); /* a writer may open it now */
	fds[1] = open(path, O_WRONLY);
#else
	fds[1] = creat(path, 0600);
	fds[0] = open(path, O_RDONLY); /* reads 0 bytes until the writer's byte */
#endif
	unlink(path);
	if (fds[0] < 0 || fds[1] < 0)
		return 1;
#elif defined(FCNTL_DUP)
	if (pipe(fds))
		return 1;
	int copy = fcntl(fds[1], F_DUPFD_CLOEXEC, 0);
	close(fds[1]);
	fds[1] = copy;
#else
	if (pipe(fds))
		return 1;
#endif
#ifdef VFORK
	pid_t child = vfork();
	if (child == 0) {
		close(fds[1]);
		_exit(0);
	}
	waitpid(child, NULL, 0);
#endif
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
	wait_woken();
#ifdef BROKEN
	usleep(100000); /* the late write comes first */
#endif
	long v = *data; /* READ_DATA */
	free(data);
	pthread_join(t, NULL);
	return v != 42 && v != 43;
}
#endif
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Read of size 8 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}fd_sync.c:187
// CHECK-NEXT: Previous write at {{.*}} by thread T1:
// CHECK-NEXT: #0 writer {{.*}}fd_sync.c:122
