// The quarantine follows each thread's share of the budget: a ring sized to
// the share, resized when threads come and go. A resize keeps the newest
// freed blocks, so a late read of one is still a use after free: here after
// main's ring shrank (63 threads started) and grew again (they were joined),
// and for a block a finished thread freed, which its joiner inherits. The
// block read has a size no other block has, and a malloc of that size comes
// before the read: had the ring lost the block, glibc would hand it back
// there (its per-thread cache of that size holds just it), the read would
// hit a live block and stay silent.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s --check-prefix=OWN
// RUN: %slabsan-cc -O1 -g -DHANDED %s -o %t.handed && %expect-exit 66 %t.handed 2>&1 | FileCheck %s --check-prefix=HANDED
#include <pthread.h>
#include <stdlib.h>

#define THREADS 63
#define ALONE 3000        /* more than a share of 64 threads holds */
#define ODD_SIZE 200      /* no other block of the test has it */

static pthread_barrier_t started, finished;
static long *handed;

static void *worker(void *arg)
{
	pthread_barrier_wait(&started);
	if (arg == NULL) {
		handed = malloc(ODD_SIZE); /* WORKER_ALLOC */
		handed[1] = 7;
		free(handed); /* WORKER_FREE */
	}
	pthread_barrier_wait(&finished);
	return NULL;
}

/* One block freed: a call the compiler cannot fold into nothing, as it
 * may fold free(malloc(n)). */
__attribute__((noinline)) static void churn(size_t size)
{
	long *volatile p = malloc(size);
	free(p);
}

__attribute__((noinline)) static long peek(const long *p)
{
	return p[1]; /* PEEK */
}

int main(void)
{
	for (int i = 0; i < ALONE; i++)
		churn(16);
	long *newest = malloc(ODD_SIZE); /* ALLOC */
	newest[1] = 1;
	free(newest); /* MAIN_FREE */
	pthread_barrier_init(&started, NULL, THREADS + 1);
	pthread_barrier_init(&finished, NULL, THREADS + 1);
	pthread_t t[THREADS];
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, i == 0 ? NULL : (void *)i);
	pthread_barrier_wait(&started);
	churn(16);                 /* main's share shrinks: its ring is resized */
	pthread_barrier_wait(&finished);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	churn(16);                 /* and grows back */
	long *volatile reuse = malloc(ODD_SIZE);
#ifdef HANDED
	long v = peek(handed); /* PEEK_HANDED */
#else
	long v = peek(newest); /* PEEK_OWN */
#endif
	free(reuse);
	return v > 0 ? 0 : 1;
}
// OWN: WARNING: SlabSan: use after free (pid={{[0-9]+}})
// OWN-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by main thread (T0):
// OWN-NEXT: #0 peek {{.*}}quarantine_share.c:44
// OWN-NEXT: #1 main {{.*}}quarantine_share.c:69
// OWN-NEXT: Freed heap block of size 200 at 0x{{[0-9a-f]+}} (offset 8), freed by main thread (T0):
// OWN-NEXT: #0 main {{.*}}quarantine_share.c:53
// OWN-NEXT: Allocated by main thread (T0):
// OWN-NEXT: #0 main {{.*}}quarantine_share.c:51
// OWN-NOT: WARNING: SlabSan
// HANDED: WARNING: SlabSan: use after free (pid={{[0-9]+}})
// HANDED-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} by main thread (T0):
// HANDED-NEXT: #0 peek {{.*}}quarantine_share.c:44
// HANDED-NEXT: #1 main {{.*}}quarantine_share.c:67
// HANDED-NEXT: Freed heap block of size 200 at 0x{{[0-9a-f]+}} (offset 8), freed by thread T1:
// HANDED-NEXT: #0 worker {{.*}}quarantine_share.c:28
// HANDED-NEXT: Allocated by thread T1:
// HANDED-NEXT: #0 worker {{.*}}quarantine_share.c:26
// HANDED-NOT: WARNING: SlabSan
