// A table indexed by descriptor number (a server's per-connection state):
// one thread fills its entry and closes the descriptor, another gets the
// same number from the kernel and reuses the entry. Nothing else orders
// them, but the kernel hands a number out again only after close() freed
// it, so SlabSan orders close() before the call that returns the number
// again (socket, accept, open, pipe, dup, eventfd, ...): no race. ThreadSanitizer
// reports one. With the entry reused while the number is still open (the
// -DEARLY variant, no such order) the race is reported.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DEARLY %s -o %t.early && %expect-exit 66 %t.early 2>&1 | FileCheck %s
// CLEAN-NOT: SlabSan
// CLEAN: reused descriptor {{[0-9]+}}, 0 requests
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

struct connection {
	long requests;
	char name[16];
};
static struct connection table[1024];
static int first;
static atomic_int filled;

static void *first_owner(void *arg)
{
	(void)arg;
	table[first].requests = 42; /* FIRST_WRITE */
#ifdef EARLY
	atomic_store_explicit(&filled, 1, memory_order_relaxed);
	sleep(1);
#endif
	close(first);
	return NULL;
}

/* Takes descriptors until the kernel gives back the number first_owner
 * closes: an eventfd, a socket, then a pipe's ends, so that more than one
 * way of making a descriptor is seen taking the number. */
static int take_number(int want)
{
	for (;;) {
		int event = eventfd(0, 0);
		if (event == want)
			return event;
		close(event);
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd == want)
			return fd;
		int ends[2];
		if (pipe(ends) != 0)
			exit(2);
		if (ends[0] == want || ends[1] == want) {
			close(ends[0] == want ? ends[1] : ends[0]);
			close(fd);
			return want;
		}
		close(ends[0]);
		close(ends[1]);
		close(fd);
	}
}

int main(void)
{
	first = open("/dev/null", O_RDONLY);
	if (first < 0 || first >= 1024)
		return 2;
	pthread_t t;
	pthread_create(&t, NULL, first_owner, NULL);
#ifdef EARLY
	while (!atomic_load_explicit(&filled, memory_order_relaxed))
		;
	table[first].requests = 0; /* EARLY_WRITE: the number is still open */
	int fd = first;
#else
	int fd = take_number(first);
	table[fd].requests = 0; /* REUSE */
#endif
	pthread_join(t, NULL);
	printf("reused descriptor %d, %ld requests\n", fd, table[fd].requests);
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK: #0 main {{.*}}fd_number_reuse.c:79
// CHECK: #0 first_owner {{.*}}fd_number_reuse.c:33
