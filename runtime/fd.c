// SPDX-License-Identifier: Apache-2.0
/* File descriptors as synchronization. What one thread writes to a pipe,
 * socket or eventfd another reads after it, so a write releases and a read
 * acquires, as ThreadSanitizer models them: a lock made of a pipe (libuv's
 * signal lock reads a byte to lock and writes it back to unlock) and the
 * self-pipe or eventfd wake-up of an event loop order what they guard.
 * Without these edges every access under such a lock was a data race.
 *
 * Each descriptor has a clock, found at a key address of its own; the two
 * ends of a pipe or socketpair share one (the first end's), and a dup()
 * shares its original's. A closed descriptor forgets its pairing; a number
 * reused while the other end of its old pipe is still open shares that
 * clock, which can only add edges (a missed report), never a false one.
 * The runtime's own I/O bypasses all this (sl_sys_write, internal.h). */
#include <dlfcn.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"

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
static _Atomic int shares_with[FD_TRACKED];    /* 1 + the fd whose clock it uses; 0: its own */

static const void *key_of(int fd)
{
	int other = atomic_load_explicit(&shares_with[fd], memory_order_relaxed);
	return &key[other ? other - 1 : fd];
}

static bool tracked(int fd)
{
	struct sl_thread *thr = sl_cur_thread;
	return fd >= 0 && fd < FD_TRACKED && thr && !thr->in_runtime &&
	       atomic_load_explicit(&sl_initialized, memory_order_relaxed);
}

/* Before data leaves through fd, and after data came in through it. */
static void fd_release(int fd)
{
	if (tracked(fd))
		sl_release_at(key_of(fd));
}

static void fd_acquire(int fd, ssize_t got)
{
	if (got >= 0 && tracked(fd))
		sl_acquire_at(key_of(fd));
}

static void share(int fd, int with)
{
	if (fd >= 0 && fd < FD_TRACKED && with >= 0 && with < FD_TRACKED)
		atomic_store_explicit(&shares_with[fd], fd == with ? 0 : with + 1,
				      memory_order_relaxed);
}

/* The real function, found on first use: I/O may come before start-up. */
#define REAL_RESULT(result, name, ...)					\
	static __typeof__(name) *_Atomic real;				\
	__typeof__(name) *fn = atomic_load_explicit(&real, memory_order_relaxed); \
	if (sl_unlikely(!fn)) {						\
		fn = (__typeof__(name) *)dlsym(RTLD_NEXT, #name);	\
		atomic_store_explicit(&real, fn, memory_order_relaxed);	\
	}								\
	result = fn(__VA_ARGS__)

/* ---- data out: release */
#define RELEASING(ret, name, params, fd, ...)				\
	SL_EXPORT ret name params					\
	{								\
		ret sent;						\
		fd_release(fd);						\
		REAL_RESULT(sent, name, __VA_ARGS__);			\
		return sent;						\
	}
RELEASING(ssize_t, write, (int fd, const void *buf, size_t n), fd, fd, buf, n)
RELEASING(ssize_t, pwrite, (int fd, const void *buf, size_t n, off_t off), fd, fd, buf, n, off)
RELEASING(ssize_t, pwrite64, (int fd, const void *buf, size_t n, off64_t off), fd, fd, buf, n,
	  off)
RELEASING(ssize_t, writev, (int fd, const struct iovec *iov, int n), fd, fd, iov, n)
RELEASING(ssize_t, send, (int fd, const void *buf, size_t n, int flags), fd, fd, buf, n, flags)
RELEASING(ssize_t, sendto,
	  (int fd, const void *buf, size_t n, int flags, const struct sockaddr *to,
	   socklen_t tolen), fd, fd, buf, n, flags, to, tolen)
RELEASING(ssize_t, sendmsg, (int fd, const struct msghdr *msg, int flags), fd, fd, msg, flags)
RELEASING(int, eventfd_write, (int fd, eventfd_t value), fd, fd, value)

/* ---- data in: acquire once it came */
#define ACQUIRING(ret, name, params, fd, ...)				\
	SL_EXPORT ret name params					\
	{								\
		ret got;						\
		REAL_RESULT(got, name, __VA_ARGS__);			\
		fd_acquire(fd, got);					\
		return got;						\
	}
ACQUIRING(ssize_t, read, (int fd, void *buf, size_t n), fd, fd, buf, n)
ACQUIRING(ssize_t, pread, (int fd, void *buf, size_t n, off_t off), fd, fd, buf, n, off)
ACQUIRING(ssize_t, pread64, (int fd, void *buf, size_t n, off64_t off), fd, fd, buf, n, off)
ACQUIRING(ssize_t, readv, (int fd, const struct iovec *iov, int n), fd, fd, iov, n)
ACQUIRING(ssize_t, recv, (int fd, void *buf, size_t n, int flags), fd, fd, buf, n, flags)
ACQUIRING(ssize_t, recvfrom,
	  (int fd, void *restrict buf, size_t n, int flags, struct sockaddr *restrict from,
	   socklen_t *restrict fromlen), fd, fd, buf, n, flags, from, fromlen)
ACQUIRING(ssize_t, recvmsg, (int fd, struct msghdr *msg, int flags), fd, fd, msg, flags)
ACQUIRING(int, eventfd_read, (int fd, eventfd_t *value), fd, fd, value)
/* _FORTIFY_SOURCE's checked reads */
ACQUIRING(ssize_t, __read_chk, (int fd, void *buf, size_t n, size_t room), fd, fd, buf, n,
	  room)
ACQUIRING(ssize_t, __pread_chk, (int fd, void *buf, size_t n, off_t off, size_t room), fd, fd,
	  buf, n, off, room)
ACQUIRING(ssize_t, __pread64_chk, (int fd, void *buf, size_t n, off64_t off, size_t room), fd,
	  fd, buf, n, off, room)
ACQUIRING(ssize_t, __recv_chk, (int fd, void *buf, size_t n, size_t room, int flags), fd, fd,
	  buf, n, room, flags)
ACQUIRING(ssize_t, __recvfrom_chk,
	  (int fd, void *restrict buf, size_t n, size_t room, int flags,
	   struct sockaddr *restrict from, socklen_t *restrict fromlen), fd, fd, buf, n, room,
	  flags, from, fromlen)

/* ---- which descriptors share a clock */
static void pair(int ret, const int fds[2])
{
	if (ret == 0) {
		share(fds[0], fds[0]);
		share(fds[1], fds[0]);
	}
}

SL_EXPORT int pipe(int fds[2])
{
	int ret;
	REAL_RESULT(ret, pipe, fds);
	pair(ret, fds);
	return ret;
}

SL_EXPORT int pipe2(int fds[2], int flags)
{
	int ret;
	REAL_RESULT(ret, pipe2, fds, flags);
	pair(ret, fds);
	return ret;
}

SL_EXPORT int socketpair(int domain, int type, int protocol, int fds[2])
{
	int ret;
	REAL_RESULT(ret, socketpair, domain, type, protocol, fds);
	pair(ret, fds);
	return ret;
}

static int duplicated(int fd, int old)
{
	int other = old >= 0 && old < FD_TRACKED
		? atomic_load_explicit(&shares_with[old], memory_order_relaxed) : 0;
	share(fd, other ? other - 1 : old);
	return fd;
}

SL_EXPORT int dup(int old)
{
	int fd;
	REAL_RESULT(fd, dup, old);
	return fd < 0 ? fd : duplicated(fd, old);
}

SL_EXPORT int dup2(int old, int fd)
{
	int ret;
	REAL_RESULT(ret, dup2, old, fd);
	return ret < 0 ? ret : duplicated(ret, old);
}

SL_EXPORT int dup3(int old, int fd, int flags)
{
	int ret;
	REAL_RESULT(ret, dup3, old, fd, flags);
	return ret < 0 ? ret : duplicated(ret, old);
}

SL_EXPORT int close(int fd)
{
	if (fd >= 0 && fd < FD_TRACKED)
		atomic_store_explicit(&shares_with[fd], 0, memory_order_relaxed);
	int ret;
	REAL_RESULT(ret, close, fd);
	return ret;
}
