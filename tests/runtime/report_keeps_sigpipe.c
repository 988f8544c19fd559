// SPDX-License-Identifier: Apache-2.0
// A report starts llvm-symbolizer behind a pipe; that must not change how
// the program handles SIGPIPE: afterwards the disposition is still the
// default and a write to a closed pipe still kills (here a forked child).
// With a symbolizer that exits at once, the report's question meets a
// closed pipe: the program neither dies of that SIGPIPE nor keeps it
// pending, and the frames the compiler did not name show as addresses.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
// RUN: printf '#!/bin/sh\nexit 0\n' > %t.dead-symbolizer && chmod +x %t.dead-symbolizer
// RUN: env SLABSAN_OPTIONS=external_symbolizer_path=%t.dead-symbolizer %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefix=DEAD
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/unordered_writer.h"

int shared;                           /* not static: the stores stay */

int main(void)
{
	struct unordered_writer w = {unordered_write_one, &shared};
	pthread_t t = start_unordered_writer(&w);
	shared = 2; /* RACE */
	pthread_join(t, NULL);

	struct sigaction now;
	sigaction(SIGPIPE, NULL, &now);
	sigset_t pending;
	sigpending(&pending);
	fprintf(stderr, "SIGPIPE: %s, pending %d\n",
		now.sa_handler == SIG_DFL ? "default" : "changed", sigismember(&pending, SIGPIPE));
	int p[2];
	pipe(p);
	close(p[0]);
	pid_t pid = fork();
	if (pid == 0) {
		write(p[1], "x", 1);
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	fprintf(stderr, "child killed by SIGPIPE: %d\n",
		WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);
	return 0;
}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Write of size 4 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}report_keeps_sigpipe.c:24
// CHECK: SIGPIPE: default, pending 0
// CHECK-NEXT: child killed by SIGPIPE: 1

// DEAD: WARNING: SlabSan: data race
// DEAD: Previous write at {{.*}} by thread T1:
// DEAD-NEXT: #0 unordered_write_one {{.*}}unordered_writer.h:18
// DEAD-NEXT: #1 0x{{[0-9a-f]+}} ({{.*}})
// DEAD: SIGPIPE: default, pending 0
// DEAD-NEXT: child killed by SIGPIPE: 1
