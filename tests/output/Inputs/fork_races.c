// SPDX-License-Identifier: Apache-2.0
// A race before fork(), one in the child, one in the parent after the child
// exits, each at a line of its own: for tests/output/fork.test.
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../Inputs/unordered_writer.h"

int before, in_child, after;          /* not static: the stores stay */

int main(void)
{
	struct unordered_writer w = {unordered_write_one, &before};
	pthread_t t = start_unordered_writer(&w);
	before = 2; /* BEFORE */
	pthread_join(t, NULL);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		w.var = &in_child;
		t = start_unordered_writer(&w);
		in_child = 2; /* IN_CHILD */
		pthread_join(t, NULL);
		return 0;
	}
	int status;
	waitpid(pid, &status, 0);
	printf("child exited %d\n", WEXITSTATUS(status));
	w.var = &after;
	t = start_unordered_writer(&w);
	after = 2; /* AFTER */
	pthread_join(t, NULL);
	return 0;
}
