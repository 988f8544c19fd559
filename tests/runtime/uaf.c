// Use after free: a read of a freed block in the freeing thread, and in main
// after joining the thread that freed it. Both name the access, the free and
// the allocation. Reading before the free is silent.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DSAME_THREAD %s -o %t.same && %expect-exit 66 %t.same 2>&1 | FileCheck %s --check-prefix=SAME
// RUN: %slabsan-cc -O1 -g -DAFTER_JOIN %s -o %t.join && %expect-exit 66 %t.join 2>&1 | FileCheck %s --check-prefix=JOIN
#include <pthread.h>
#include <stdlib.h>

struct node {
	long key;
	long value;
};

__attribute__((noinline)) static long peek(struct node *n)
{
	return n->value; /* PEEK */
}

static void *dispose(void *arg)
{
	free(arg); /* THREAD_FREE */
	return NULL;
}

int main(void)
{
	struct node *n = malloc(sizeof *n); /* ALLOC */
	n->key = 1;
	n->value = 2;
	long v = peek(n); /* PEEK_BEFORE */
#if defined(SAME_THREAD)
	free(n); /* MAIN_FREE */
	v += peek(n); /* PEEK_AFTER_FREE */
#elif defined(AFTER_JOIN)
	pthread_t t;
	pthread_create(&t, NULL, dispose, n);
	pthread_join(t, NULL);
	v += peek(n); /* PEEK_AFTER_JOIN */
#else
	free(n);
#endif
	return v == 2 || v == 4 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// SAME: WARNING: SlabSan: use after free (pid={{[0-9]+}})
// SAME-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} (struct node::value) by main thread (T0):
// SAME-NEXT: #0 peek {{.*}}uaf.c:17
// SAME-NEXT: #1 main {{.*}}uaf.c:34
// SAME-NEXT: Freed heap block of size 16 at 0x{{[0-9a-f]+}} (offset 8), freed by main thread (T0):
// SAME-NEXT: #0 main {{.*}}uaf.c:33
// SAME-NEXT: Allocated by main thread (T0):
// SAME-NEXT: #0 main {{.*}}uaf.c:28
// SAME: SUMMARY: SlabSan: use after free {{.*}}uaf.c:17 in peek
// SAME-NOT: WARNING: SlabSan
// JOIN: WARNING: SlabSan: use after free (pid={{[0-9]+}})
// JOIN-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} (struct node::value) by main thread (T0):
// JOIN-NEXT: #0 peek {{.*}}uaf.c:17
// JOIN-NEXT: #1 main {{.*}}uaf.c:39
// JOIN-NEXT: Freed heap block of size 16 at 0x{{[0-9a-f]+}} (offset 8), freed by thread T1:
// JOIN-NEXT: #0 dispose {{.*}}uaf.c:22
// JOIN-NEXT: Allocated by main thread (T0):
// JOIN-NEXT: #0 main {{.*}}uaf.c:28
// JOIN: SUMMARY: SlabSan: use after free {{.*}}uaf.c:17 in peek
// JOIN-NOT: WARNING: SlabSan
