// Thousands of threads created and joined in sequence reuse thread ids and
// stay silent; a thread whose id was reused still races with a live one.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DOVERLAP %s -o %t.bad && %expect-exit 66 %t.bad 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdio.h>

#define ROUNDS 5000
long total;

static void *add(void *arg)
{
	total += (long)arg; /* ADD */
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
		if (i == 3)
			break;
#endif
		prev = t;
	}
	pthread_join(prev, NULL);
	printf("%ld\n", total);
	return 0;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race
// CHECK: #0 add {{.*}}thread_reuse.c:13
// CHECK: Previous {{read|write}} at {{.*}} by thread T{{[0-9]+}}:
// CHECK-NEXT: #0 add {{.*}}thread_reuse.c:13
// CHECK: SUMMARY: SlabSan: data race {{.*}}thread_reuse.c:13 in add
