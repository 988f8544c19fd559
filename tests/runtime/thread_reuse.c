// Thousands of threads created and joined in sequence reuse thread ids and
// stay silent; a thread whose id was reused still races with a live one.
// In that variant thread 3 (which gets joined thread 1's id) adds after
// thread 2 has, held back by the invisible test barrier (no happens-before),
// so the two adds never run at the same instant.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DOVERLAP %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <slabsan/slabsan.h>
#include <stdio.h>

#define ROUNDS 5000
long total;
static struct slabsan_test_barrier second_added = {.count = 2};

static void *add(void *arg)
{
#ifdef OVERLAP
	if ((long)arg == 1)
		return NULL;          /* only lends its id to thread 3 */
	if ((long)arg == 3)
		slabsan_test_barrier_wait(&second_added);
#endif
	total += (long)arg; /* ADD */
#ifdef OVERLAP
	if ((long)arg == 2)
		slabsan_test_barrier_wait(&second_added);
#endif
	return NULL;
}

int main(void)
{
	pthread_t prev, t;
	pthread_create(&prev, NULL, add, (void *)1);
	for (long i = 2; i <= ROUNDS; i++) {
#ifndef OVERLAP
		pthread_join(prev, NULL);
#endif
		pthread_create(&t, NULL, add, (void *)i); /* CREATE */
#ifdef OVERLAP
		pthread_join(prev, NULL);
		if (i == 3) {
			prev = t;
			break;
		}
#endif
		prev = t;
	}
	pthread_join(prev, NULL);
	printf("%ld\n", total);
	return 0;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race
// CHECK: #0 add {{.*}}thread_reuse.c:24
// CHECK: Previous {{read|write}} at {{.*}} by thread T{{[0-9]+}}:
// CHECK-NEXT: #0 add {{.*}}thread_reuse.c:24
// CHECK: SUMMARY: SlabSan: data race {{.*}}thread_reuse.c:24 in add
