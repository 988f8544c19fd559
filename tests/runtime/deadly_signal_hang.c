// A deadly signal's report that cannot finish must not hang the program:
// here stderr is a pipe whose reader never reads, filled to the brim, so
// the report's write blocks for good. Ten seconds on, the process dies of
// its signal anyway (exit status 139, not a CI job's time limit).
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 139 timeout 60 %t
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static int *volatile nowhere;

int main(void)
{
	int pipe_fds[2];
	if (pipe(pipe_fds) != 0)
		return 1;
	dup2(pipe_fds[1], 2);
	int flags = fcntl(2, F_GETFL);
	fcntl(2, F_SETFL, flags | O_NONBLOCK);
	char block[4096] = {0};
	while (write(2, block, sizeof block) > 0)
		;
	fcntl(2, F_SETFL, flags);   /* the report's write now waits for a reader */
	*nowhere = 1;
	return 0;
}
