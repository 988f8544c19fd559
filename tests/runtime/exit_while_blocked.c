// exit() while other threads are blocked for good: in pthread_cond_wait, in
// pthread_join of that thread, holding a mutex and a rwlock (for writing)
// forever, blocked on that mutex, on that rwlock, and in fgetc() on a pipe
// (holding that stream's stdio lock). The process must end with the
// program's own status, after the program's atexit handlers, with its
// buffered stdout written, and SlabSan's work at exit (the findings' file,
// the verbosity=1 count line) must neither hang nor crash.
// RACE: a race is reported first: the status is exitcode (66), the JSON file
// holds the finding, and stdout is still flushed (SlabSan's own _exit must
// not wait for the stream the fgetc() thread holds).
// FROM_THREAD: exit() from one more thread while main is blocked joining it.
// IN_REPORT: a thread is blocked inside a report, holding SlabSan's report
// lock (its symbolizer echoes each question, never a blank-line answer): the
// exit waits for it a while, then says the report is lost, ends with exitcode.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: env SLABSAN_OPTIONS=verbosity=1:json_path=%t.json %expect-exit 3 %t 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: FileCheck %s --check-prefix=EMPTY < %t.json
// RUN: %slabsan-cc -O1 -g -DRACE %s -o %t.race
// RUN: env SLABSAN_OPTIONS=verbosity=1:json_path=%t.race.json %expect-exit 66 %t.race 2>&1 | FileCheck %s
// RUN: FileCheck %s --check-prefix=JSON < %t.race.json
// RUN: %slabsan-cc -O1 -g -DFROM_THREAD %s -o %t.thread
// RUN: env SLABSAN_OPTIONS=verbosity=1 %expect-exit 5 %t.thread 2>&1 | FileCheck %s --check-prefix=THREAD
// RUN: printf '#!/bin/sh\nexec cat 2>/dev/null\n' > %t.mute-symbolizer && chmod +x %t.mute-symbolizer
// RUN: %slabsan-cc -O1 -g -DIN_REPORT %s -o %t.inreport
// RUN: env SLABSAN_OPTIONS=external_symbolizer_path=%t.mute-symbolizer %expect-exit 66 %t.inreport 2>&1 | FileCheck %s --check-prefix=INREPORT
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER, held = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static atomic_int blocked;   /* relaxed: how many are about to block */
static pthread_t waiter;
static FILE *silent_pipe;
long racy;

static void about_to_block(void)
{
	atomic_fetch_add_explicit(&blocked, 1, memory_order_relaxed);
}

static void wait_blocked(int n)
{
	while (atomic_load_explicit(&blocked, memory_order_relaxed) < n)
		sched_yield();
}

static void *cond_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	about_to_block();
	for (;;)
		pthread_cond_wait(&never, &m);
	return NULL;
}

static void *joiner(void *arg)
{
	(void)arg;
	about_to_block();
	pthread_join(waiter, NULL);
	return NULL;
}

static void *holder(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&held);
	pthread_rwlock_wrlock(&rw);
#if defined(RACE) || defined(IN_REPORT)
	racy = 1; /* HOLDER_WRITE */
#endif
	about_to_block();
	for (;;)
		pause();
	return NULL;
}

static void *locker(void *arg)
{
	(void)arg;
	about_to_block();
	pthread_mutex_lock(&held);
	return NULL;
}

static void *reader(void *arg)
{
	(void)arg;
	about_to_block();
	pthread_rwlock_rdlock(&rw);
	return NULL;
}

static void *stdio_reader(void *arg)
{
	(void)arg;
	about_to_block();
	fgetc(silent_pipe);      /* blocks holding the stream's lock */
	return NULL;
}

static void *exiter(void *arg)
{
	(void)arg;
	wait_blocked(6);
	usleep(20000);   /* let them block for real */
	fprintf(stderr, "exiting from a thread\n");
	exit(5);
}

static void *reporter(void *arg)
{
	(void)arg;
	about_to_block();
	racy = 3;        /* races with HOLDER_WRITE: reports, blocks in the symbolizer */
	return NULL;
}

static void at_exit_line(void) { fprintf(stderr, "program atexit handler ran\n"); }

int main(void)
{
	int fd[2];
	if (pipe(fd) || !(silent_pipe = fdopen(fd[0], "r")))
		return 2;
	atexit(at_exit_line);
	printf("stdout: flushed at exit\n");   /* a pipe: fully buffered */
	pthread_t t;
	pthread_create(&waiter, NULL, cond_waiter, NULL);
	pthread_create(&t, NULL, joiner, NULL);
	pthread_create(&t, NULL, holder, NULL);
	wait_blocked(3);
	pthread_create(&t, NULL, locker, NULL);
	pthread_create(&t, NULL, reader, NULL);
	pthread_create(&t, NULL, stdio_reader, NULL);
#ifdef FROM_THREAD
	pthread_create(&t, NULL, exiter, NULL);
	pthread_join(t, NULL);   /* never returns: exiter calls exit() */
	return 1;
#endif
#ifdef IN_REPORT
	wait_blocked(6);
	pthread_create(&t, NULL, reporter, NULL);
	wait_blocked(7);
	usleep(200000);  /* let it enter the report and block there */
#else
	wait_blocked(6);
	usleep(20000);   /* let them block for real */
#endif
#ifdef RACE
	racy = 2; /* MAIN_WRITE */
#endif
	fprintf(stderr, "exiting\n");
	exit(3);
}
// CLEAN-NOT: SlabSan
// CLEAN: exiting
// CLEAN-NEXT: program atexit handler ran
// CLEAN-NEXT: stdout: flushed at exit
// CLEAN-NOT: SlabSan
// EMPTY: "findings":[
// EMPTY-NEXT: ]}
// CHECK: WARNING: SlabSan: data race
// CHECK-NEXT: Write of size 8 at {{.*}} by main thread (T0):
// CHECK-NEXT: #0 main {{.*}}exit_while_blocked.c:157
// CHECK: Previous write at {{.*}} by thread T3, holding locks M0 and M1:
// CHECK-NEXT: #0 holder {{.*}}exit_while_blocked.c:76
// CHECK: exiting
// CHECK-NEXT: program atexit handler ran
// CHECK-NEXT: SlabSan: reported 1 warning
// CHECK-NEXT: stdout: flushed at exit
// JSON: "kind":"data race"
// THREAD-NOT: SlabSan
// THREAD: exiting from a thread
// THREAD-NEXT: program atexit handler ran
// THREAD-NEXT: stdout: flushed at exit
// THREAD-NOT: SlabSan
// INREPORT-NOT: WARNING: SlabSan
// INREPORT: exiting
// INREPORT-NEXT: program atexit handler ran
// INREPORT-NEXT: SlabSan: note: exit while another thread was still making a report (blocked in it?); that report is lost
// INREPORT-NOT: WARNING: SlabSan
