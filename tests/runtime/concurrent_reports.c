// Reports from many threads at once never interleave: 16 threads write 16
// variables, each from its own line; then 16 more threads, released
// together, write them again, unordered, so 16 reports are made at the same
// moment by 16 threads. (The first writes are done before the second ones
// start, as far as time goes: a relaxed counter says when, ordering nothing,
// so no race hides in two checks running at once.) Every report must come
// out whole: its WARNING line, then at once its access line, then its
// SUMMARY line, before the next report's WARNING.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t > %t.out 2>&1
// RUN: awk '/WARNING: SlabSan/ { if (open) bad++; open = 1; n++; access = NR + 1 } NR == access && !/^  (Read|Write) of size / { bad++ } /^SUMMARY: SlabSan: data race / { if (!open) bad++; open = 0 } END { print "reports " n ", broken " bad + open }' %t.out | FileCheck %s
// RUN: FileCheck %s --check-prefix=EACH < %t.out
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#define PAIRS 16
static atomic_int first_done;   /* relaxed: when, orders nothing */
long shared[PAIRS];

#define RACER(i) \
	static __attribute__((noinline)) void racer##i(void) { shared[i] = i; }
RACER(0) RACER(1) RACER(2) RACER(3) RACER(4) RACER(5) RACER(6) RACER(7)
RACER(8) RACER(9) RACER(10) RACER(11) RACER(12) RACER(13) RACER(14) RACER(15)
static void (*const racers[PAIRS])(void) = {
	racer0, racer1, racer2, racer3, racer4, racer5, racer6, racer7,
	racer8, racer9, racer10, racer11, racer12, racer13, racer14, racer15,
};

static void *worker(void *arg)
{
	long k = (long)arg;
	if (k % 2 == 0) {
		racers[k / 2]();
		atomic_fetch_add_explicit(&first_done, 1, memory_order_relaxed);
	} else {
		while (atomic_load_explicit(&first_done, memory_order_relaxed) < PAIRS)
			sched_yield();
		racers[k / 2]();   /* races with thread k - 1's write */
	}
	return NULL;
}

int main(void)
{
	pthread_t t[2 * PAIRS];
	for (long k = 0; k < 2 * PAIRS; k++)
		pthread_create(&t[k], NULL, worker, (void *)k);
	for (int k = 0; k < 2 * PAIRS; k++)
		pthread_join(t[k], NULL);
	return 0;
}
// CHECK: reports 16, broken 0
// EACH-COUNT-16: SUMMARY: SlabSan: data race {{.*}}concurrent_reports.c:{{23|24}} in racer{{[0-9]+}}
// EACH-NOT: WARNING
