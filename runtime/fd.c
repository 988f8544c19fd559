// SPDX-License-Identifier: Apache-2.0
/* File descriptors as synchronization. What one thread writes to a pipe,
 * socket or eventfd another reads after it, so a write releases and a read
 * acquires, as ThreadSanitizer models them: a lock made of a pipe (libuv's
 * signal lock reads a byte to lock and writes it back to unlock) and the
 * self-pipe or eventfd wake-up of an event loop order what they guard.
 * Without these edges every access under such a lock was a data race.
 *
 * Each descriptor has a clock, found at a key address of its own; the two
 * ends of a pipe or socketpair share one (the first end's), a dup() (or
 * fcntl's F_DUPFD) shares its original's, and every socket made by
 * socket() or accept() shares one, since which of them a connection
 * joins is the kernel's business (ThreadSanitizer's model too). Whatever
 * open() opens shares the clock of its file (device and inode): the
 * reader of a named FIFO or of a file another thread wrote is ordered
 * after the writer however each opened it (ThreadSanitizer orders every
 * file after every other with one clock). A closed descriptor forgets its
 * pairing; a number reused while the other end of its old pipe is still
 * open shares that clock, which can only add edges (a missed report),
 * never a false one. The runtime's own I/O bypasses all this
 * (sl_sys_write and sl_sys_read, below).
 *
 * A descriptor's number is an edge of its own: the kernel hands a number
 * out again only after close() freed it, so whoever gets it next (from
 * open, socket, accept, pipe, dup, eventfd, epoll_create, timerfd_create,
 * signalfd, memfd_create, inotify_init1) is ordered after everything the closing
 * thread did. A table indexed by descriptor (memcached's conns[fd], reused
 * by whichever worker accepts the next connection) has no other order;
 * ThreadSanitizer reports its reuse as a race. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <unistd.h>

#include "shadow.h"

ssize_t sl_sys_write(int fd, const void *buf, size_t n)
{
	return syscall(SYS_write, fd, buf, n);
}

ssize_t sl_sys_read(int fd, void *buf, size_t n)
{
	return syscall(SYS_read, fd, buf, n);
}

#define FD_TRACKED 65536   /* higher descriptors get no edges */

static char key[FD_TRACKED];                   /* addresses only, never accessed */
static char sockets_key;                       /* one clock for every socket */
static char number_key[FD_TRACKED];            /* close(fd) -> the number's next owner */

/* Files open() opened, by identity; an entry's address is its file's key.
 * Entries are never removed (a file's clock outlives its descriptors);
 * once the table is full, further files share the last entry's clock,
 * which only adds edges. */
#define FILES 4096
static struct file_id {
	uint64_t dev, ino;     /* ino 0: free (no file has inode 0) */
} files[FILES];
SL_GLOBAL_LOCK(files_lock);

/* 1 + the fd whose clock it uses; 0: its own; SOCKET: sockets_key;
 * FILE_BASE - i: files[i] */
static _Atomic int shares_with[FD_TRACKED];
#define SOCKET (-1)
#define FILE_BASE (-2)

static const void *key_of(int fd)
{
	int other = atomic_load_explicit(&shares_with[fd], memory_order_relaxed);
	if (other <= FILE_BASE)
		return &files[FILE_BASE - other];
	return other == SOCKET ? (const void *)&sockets_key : &key[other ? other - 1 : fd];
}

static bool tracked(int fd)
{
	return fd >= 0 && fd < FD_TRACKED && sl_program_thread();
}

static void iov_access(const struct iovec *iov, size_t count, size_t bytes, bool is_write,
		       uintptr_t caller)
{
	for (size_t i = 0; i < count && bytes; i++) {
		size_t n = iov[i].iov_len < bytes ? iov[i].iov_len : bytes;
		sl_access_in_call(iov[i].iov_base, n, is_write, caller);
		bytes -= n;
	}
}

/* Data leaves through fd: the release. */
static void sending(int fd)
{
	if (tracked(fd))
		sl_release_at(key_of(fd));
}

/* Data came in through fd, got bytes (or -1): the acquire. */
static bool received(int fd, ssize_t got)
{
	if (got < 0)
		return false;
	if (tracked(fd))
		sl_acquire_at(key_of(fd));
	return true;
}

/* The kernel reads what goes out and writes what comes in: the buffer is
 * the caller's access (ThreadSanitizer checks it too: a read() into a
 * buffer another thread still reads is a race), read before the release,
 * written after the acquire. */
static void data_out(int fd, const void *buf, size_t n, uintptr_t caller)
{
	sl_access_in_call(buf, n, false, caller);
	sending(fd);
}

static void data_out_iov(int fd, const struct iovec *iov, size_t count, uintptr_t caller)
{
	iov_access(iov, count, SIZE_MAX, false, caller);
	sending(fd);
}

static void data_in(int fd, void *buf, ssize_t got, uintptr_t caller)
{
	if (received(fd, got))
		sl_access_in_call(buf, (size_t)got, true, caller);
}

static void data_in_iov(int fd, const struct iovec *iov, size_t count, ssize_t got,
			uintptr_t caller)
{
	if (received(fd, got))
		iov_access(iov, count, (size_t)got, true, caller);
}

/* fd's number is about to be free: the release its next owner takes. */
static void number_freed(int fd)
{
	if (tracked(fd))
		sl_release_at(&number_key[fd]);
}

/* A call made descriptor fd (or failed, fd < 0). */
static int number_taken(int fd)
{
	if (tracked(fd))
		sl_acquire_at(&number_key[fd]);
	return fd;
}

/* fd's entry of shares_with, for a descriptor below FD_TRACKED */
static void set_sharing(int fd, int code)
{
	if (fd >= 0 && fd < FD_TRACKED)
		atomic_store_explicit(&shares_with[fd], code, memory_order_relaxed);
}

static void share(int fd, int with)
{
	if (with >= 0 && with < FD_TRACKED)
		set_sharing(fd, fd == with ? 0 : with + 1);
}

/* ---- data out: `before` runs first (data_out*), then the real call */
#define SENDING(ret, name, params, before, ...)				\
	SL_EXPORT ret name params					\
	{								\
		ret sent;						\
		before;							\
		SL_REAL_RESULT(sent, name, __VA_ARGS__);		\
		return sent;						\
	}
SENDING(ssize_t, write, (int fd, const void *buf, size_t n), data_out(fd, buf, n, SL_CALLER),
	fd, buf, n)
SENDING(ssize_t, pwrite, (int fd, const void *buf, size_t n, off_t off),
	data_out(fd, buf, n, SL_CALLER), fd, buf, n, off)
SENDING(ssize_t, pwrite64, (int fd, const void *buf, size_t n, off64_t off),
	data_out(fd, buf, n, SL_CALLER), fd, buf, n, off)
SENDING(ssize_t, writev, (int fd, const struct iovec *iov, int count),
	data_out_iov(fd, iov, count > 0 ? (size_t)count : 0, SL_CALLER), fd, iov, count)
SENDING(ssize_t, send, (int fd, const void *buf, size_t n, int flags),
	data_out(fd, buf, n, SL_CALLER), fd, buf, n, flags)
SENDING(ssize_t, sendto,
	(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to,
	 socklen_t tolen), data_out(fd, buf, n, SL_CALLER), fd, buf, n, flags, to, tolen)
SENDING(ssize_t, sendmsg, (int fd, const struct msghdr *msg, int flags),
	data_out_iov(fd, msg->msg_iov, msg->msg_iovlen, SL_CALLER), fd, msg, flags)
SENDING(int, eventfd_write, (int fd, eventfd_t value), data_out(fd, NULL, 0, SL_CALLER), fd,
	value)

/* ---- data in: the real call, then `after` (data_in*, seeing `got`) */
#define RECEIVING(ret, name, params, after, ...)			\
	SL_EXPORT ret name params					\
	{								\
		ret got;						\
		SL_REAL_RESULT(got, name, __VA_ARGS__);			\
		after;							\
		return got;						\
	}
RECEIVING(ssize_t, read, (int fd, void *buf, size_t n), data_in(fd, buf, got, SL_CALLER), fd, buf,
	  n)
RECEIVING(ssize_t, pread, (int fd, void *buf, size_t n, off_t off),
	  data_in(fd, buf, got, SL_CALLER), fd, buf, n, off)
RECEIVING(ssize_t, pread64, (int fd, void *buf, size_t n, off64_t off),
	  data_in(fd, buf, got, SL_CALLER), fd, buf, n, off)
RECEIVING(ssize_t, readv, (int fd, const struct iovec *iov, int count),
	  data_in_iov(fd, iov, count > 0 ? (size_t)count : 0, got, SL_CALLER), fd, iov, count)
RECEIVING(ssize_t, recv, (int fd, void *buf, size_t n, int flags),
	  data_in(fd, buf, got, SL_CALLER), fd, buf, n, flags)
RECEIVING(ssize_t, recvfrom,
	  (int fd, void *restrict buf, size_t n, int flags, struct sockaddr *restrict from,
	   socklen_t *restrict fromlen), data_in(fd, buf, got, SL_CALLER), fd, buf, n, flags, from,
	  fromlen)
RECEIVING(ssize_t, recvmsg, (int fd, struct msghdr *msg, int flags),
	  data_in_iov(fd, msg->msg_iov, msg->msg_iovlen, got, SL_CALLER), fd, msg, flags)
RECEIVING(int, eventfd_read, (int fd, eventfd_t *value),
	  data_in(fd, value, got == 0 ? (ssize_t)sizeof *value : -1, SL_CALLER), fd, value)
/* _FORTIFY_SOURCE's checked reads */
RECEIVING(ssize_t, __read_chk, (int fd, void *buf, size_t n, size_t room),
	  data_in(fd, buf, got, SL_CALLER), fd, buf, n, room)
RECEIVING(ssize_t, __pread_chk, (int fd, void *buf, size_t n, off_t off, size_t room),
	  data_in(fd, buf, got, SL_CALLER), fd, buf, n, off, room)
RECEIVING(ssize_t, __pread64_chk, (int fd, void *buf, size_t n, off64_t off, size_t room),
	  data_in(fd, buf, got, SL_CALLER), fd, buf, n, off, room)
RECEIVING(ssize_t, __recv_chk, (int fd, void *buf, size_t n, size_t room, int flags),
	  data_in(fd, buf, got, SL_CALLER), fd, buf, n, room, flags)
RECEIVING(ssize_t, __recvfrom_chk,
	  (int fd, void *restrict buf, size_t n, size_t room, int flags,
	   struct sockaddr *restrict from, socklen_t *restrict fromlen),
	  data_in(fd, buf, got, SL_CALLER), fd, buf, n, room, flags, from, fromlen)

/* ---- epoll: a registration releases into the epoll descriptor's clock
 * and a wait that returns acquires it, so an event's data (often a pointer
 * to what the registering thread set up) reaches the loop ordered */
SL_EXPORT int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)
{
	int ret;
	sending(epfd);
	SL_REAL_RESULT(ret, epoll_ctl, epfd, op, fd, event);
	return ret;
}

SL_EXPORT int epoll_wait(int epfd, struct epoll_event *events, int max, int timeout)
{
	int ret;
	SL_REAL_RESULT(ret, epoll_wait, epfd, events, max, timeout);
	received(epfd, ret);
	return ret;
}

SL_EXPORT int epoll_pwait(int epfd, struct epoll_event *events, int max, int timeout,
			  const sigset_t *mask)
{
	int ret;
	SL_REAL_RESULT(ret, epoll_pwait, epfd, events, max, timeout, mask);
	received(epfd, ret);
	return ret;
}

/* ---- which descriptors share a clock */
static int socket_made(int fd)
{
	set_sharing(fd, SOCKET);
	return number_taken(fd);
}

static void pair(int ret, const int fds[2])
{
	if (ret == 0) {
		share(fds[0], fds[0]);
		share(fds[1], fds[0]);
		number_taken(fds[0]);
		number_taken(fds[1]);
	}
}

SL_EXPORT int pipe(int fds[2])
{
	int ret;
	SL_REAL_RESULT(ret, pipe, fds);
	pair(ret, fds);
	return ret;
}

SL_EXPORT int pipe2(int fds[2], int flags)
{
	int ret;
	SL_REAL_RESULT(ret, pipe2, fds, flags);
	pair(ret, fds);
	return ret;
}

SL_EXPORT int socketpair(int domain, int type, int protocol, int fds[2])
{
	int ret;
	SL_REAL_RESULT(ret, socketpair, domain, type, protocol, fds);
	pair(ret, fds);
	return ret;
}

/* fd is a copy of old: it shares whatever old shares, or old's own. */
static int duplicated(int fd, int old)
{
	if (old >= 0 && old < FD_TRACKED) {
		int other = atomic_load_explicit(&shares_with[old], memory_order_relaxed);
		set_sharing(fd, other ? other : old + 1);
	}
	return number_taken(fd);
}

/* The files entry of (dev, ino), made if new. */
static unsigned file_entry(uint64_t dev, uint64_t ino)
{
	unsigned i = (unsigned)(((ino ^ dev << 40) * 0x9e3779b97f4a7c15ull) >> 52) % FILES;
	unsigned found = FILES - 1;
	sl_spin_lock(&files_lock);
	for (unsigned probes = 1; probes < FILES; probes++, i = (i + 1) % FILES) {
		if (!files[i].ino)
			files[i] = (struct file_id){dev, ino};
		if (files[i].ino == ino && files[i].dev == dev) {
			found = i;
			break;
		}
	}
	sl_spin_unlock(&files_lock);
	return found;
}

/* fd was opened by path: it shares its file's clock. */
static int file_opened(int fd)
{
	struct stat st;
	if (fd >= 0 && fd < FD_TRACKED && sl_program_thread() && fstat(fd, &st) == 0 && st.st_ino)
		set_sharing(fd, FILE_BASE - (int)file_entry(st.st_dev, st.st_ino));
	return number_taken(fd);
}

/* fcntl's third argument is an int, a long or a pointer, one register
 * each (glibc's own wrapper passes it on the same way). */
#define FCNTL(name)							\
	SL_EXPORT int name(int fd, int cmd, ...)			\
	{								\
		va_list ap;						\
		va_start(ap, cmd);					\
		void *arg = va_arg(ap, void *);				\
		va_end(ap);						\
		int ret;						\
		SL_REAL_RESULT(ret, name, fd, cmd, arg);		\
		if (ret >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)) \
			duplicated(ret, fd);				\
		return ret;						\
	}
FCNTL(fcntl)
FCNTL(fcntl64)

/* open()'s mode is there only with O_CREAT or O_TMPFILE; passed on as read
 * either way, as glibc's own wrappers do. */
#define OPEN(name, params, ...)						\
	SL_EXPORT int name params					\
	{								\
		va_list ap;						\
		va_start(ap, flags);					\
		mode_t mode = va_arg(ap, mode_t);			\
		va_end(ap);						\
		int fd;							\
		SL_REAL_RESULT(fd, name, __VA_ARGS__, mode);		\
		return file_opened(fd);					\
	}
OPEN(open, (const char *path, int flags, ...), path, flags)
OPEN(open64, (const char *path, int flags, ...), path, flags)
OPEN(openat, (int dir, const char *path, int flags, ...), dir, path, flags)
OPEN(openat64, (int dir, const char *path, int flags, ...), dir, path, flags)

/* A call that makes a descriptor, and what its result then goes through:
 * file_opened, socket_made, or number_taken alone. */
#define MADE_BY(then, name, params, ...)				\
	SL_EXPORT int name params					\
	{								\
		int made;						\
		SL_REAL_RESULT(made, name, __VA_ARGS__);		\
		return then(made);					\
	}
MADE_BY(file_opened, creat, (const char *path, mode_t mode), path, mode)
MADE_BY(file_opened, creat64, (const char *path, mode_t mode), path, mode)

/* Descriptors that are neither files nor sockets: a clock of their own,
 * and their number's edge (an event loop's eventfd or epoll descriptor
 * closed by one thread and its number made again by another). */
MADE_BY(number_taken, eventfd, (unsigned int count, int flags), count, flags)
MADE_BY(number_taken, epoll_create, (int size), size)
MADE_BY(number_taken, epoll_create1, (int flags), flags)
MADE_BY(number_taken, timerfd_create, (int clock, int flags), clock, flags)
MADE_BY(number_taken, signalfd, (int fd, const sigset_t *mask, int flags), fd, mask, flags)
MADE_BY(number_taken, memfd_create, (const char *name, unsigned int flags), name, flags)
MADE_BY(number_taken, inotify_init1, (int flags), flags)

MADE_BY(socket_made, socket, (int domain, int type, int protocol), domain, type, protocol)
MADE_BY(socket_made, accept, (int fd, struct sockaddr *restrict addr, socklen_t *restrict len),
	fd, addr, len)
MADE_BY(socket_made, accept4,
	(int fd, struct sockaddr *restrict addr, socklen_t *restrict len, int flags),
	fd, addr, len, flags)

SL_EXPORT int dup(int old)
{
	int fd;
	SL_REAL_RESULT(fd, dup, old);
	return fd < 0 ? fd : duplicated(fd, old);
}

SL_EXPORT int dup2(int old, int fd)
{
	int ret;
	SL_REAL_RESULT(ret, dup2, old, fd);
	return ret < 0 ? ret : duplicated(ret, old);
}

SL_EXPORT int dup3(int old, int fd, int flags)
{
	int ret;
	SL_REAL_RESULT(ret, dup3, old, fd, flags);
	return ret < 0 ? ret : duplicated(ret, old);
}

SL_EXPORT int close(int fd)
{
	number_freed(fd);
	set_sharing(fd, 0);
	int ret;
	SL_REAL_RESULT(ret, close, fd);
	return ret;
}
