// Blocks of up to 256 bytes come packed from SlabSan's own size classes
// (runtime/span.c): 32-byte blocks lie 32 bytes apart, not glibc's 48.
// Blocks freed by one thread are reused by another (the freeing thread's
// batches go to the central lists when it is joined) without a false
// report, and the reports on reused blocks name their own allocation and
// free. With small_block_spans=0 glibc serves them, with the same verdicts.
// A use after free that scribbles over freed blocks (unseen with no
// quarantine), even with pointers to blocks of the same size, must not break
// the allocator: a link it overwrote is dropped, not followed.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 0 %t 2>&1 | FileCheck %s --check-prefix=SPANS
// RUN: env SLABSAN_OPTIONS=small_block_spans=0 %expect-exit 0 %t 2>&1 | FileCheck %s --check-prefix=GLIBC
// RUN: env SLABSAN_OPTIONS=quarantine_size_mb=0 %expect-exit 0 %t scribble 2>&1 | FileCheck %s --check-prefix=SPANS
// Without the address space for the spans, glibc serves them, and says so:
// RUN: prlimit --as=8589934592 -- %expect-exit 0 %t 2>&1 | FileCheck %s --check-prefix=NOROOM
// RUN: %slabsan-cc -O1 -g -DUSE_AFTER_FREE %s -o %t.uaf && %expect-exit 66 %t.uaf 2>&1 | FileCheck %s --check-prefix=UAF
// RUN: %slabsan-cc -O1 -g -DDOUBLE_FREE %s -o %t.df && %expect-exit 66 %t.df 2>&1 | FileCheck %s --check-prefix=DF
// RUN: env SLABSAN_OPTIONS=small_block_spans=0 %expect-exit 66 %t.df 2>&1 | FileCheck %s --check-prefix=DF
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 20000

static char *block[N];

static size_t size_of(int i) { return (size_t)(i % 257); }

static void *consume(void *arg)
{
	(void)arg;
	for (int i = 0; i < N; i++)
		free(block[i]); /* CONSUMER_FREE */
	return NULL;
}

static void fill(int round)
{
	for (int i = 0; i < N; i++) {
		block[i] = malloc(size_of(i)); /* FILL_ALLOC */
		memset(block[i], round + i, size_of(i));
	}
}

int main(int argc, char **argv)
{
	char *row[16];
	int apart = 0;
	for (int i = 0; i < 16; i++)
		row[i] = malloc(32);
	for (int i = 1; i < 16; i++)
		apart += row[i] - row[i - 1] == row[1] - row[0];
	printf("stride %td%s\n", row[1] - row[0], apart == 15 ? "" : " (not uniform)");
	for (int i = 0; i < 16; i++)
		free(row[i]);

	fill(0);
	pthread_t t;
	pthread_create(&t, NULL, consume, NULL);
	pthread_join(t, NULL);
#ifdef USE_AFTER_FREE
	printf("%d\n", block[N - 1][0]); /* READ_FREED */
#endif
	if (argc > 1 && !strcmp(argv[1], "scribble"))
		for (int i = 0; i < N; i++)
			if (size_of(i) >= 16) {  /* a pointer, and garbage */
				memcpy(block[i], &block[(i + 257) % N], sizeof(char *));
				memset(block[i] + sizeof(char *), 0x41, 16 - sizeof(char *));
			}
	fill(1);
	long sum = 0;
	for (int i = 0; i < N; i++) {
		sum += size_of(i) ? block[i][0] : 0;
		free(block[i]);
	}
#ifdef DOUBLE_FREE
	free(block[N - 1]); /* FREE_AGAIN */
#endif
	printf("done %ld\n", sum & 1);
	return 0;
}
// SPANS: stride 32
// SPANS-NEXT: done
// SPANS-NOT: SlabSan
// NOROOM: SlabSan: note: cannot reserve 32 GiB of address space for small heap blocks ({{.*}}); glibc's malloc serves them
// NOROOM-NEXT: stride 48
// NOROOM-NEXT: done
// NOROOM-NOT: SlabSan
// GLIBC: stride 48
// GLIBC-NEXT: done
// GLIBC-NOT: SlabSan
// UAF: WARNING: SlabSan: use after free (pid={{[0-9]+}})
// UAF-NEXT: Read of size 1 at 0x{{[0-9a-f]+}} by main thread (T0):
// UAF-NEXT: #0 main {{.*}}small_blocks.c:63
// UAF-NEXT: Freed heap block of size 210 at 0x{{[0-9a-f]+}} (offset 0), freed by thread T1:
// UAF-NEXT: #0 consume {{.*}}small_blocks.c:34
// UAF: Allocated by main thread (T0):
// UAF-NEXT: #0 fill {{.*}}small_blocks.c:41
// DF: WARNING: SlabSan: double free (pid={{[0-9]+}})
// DF-NEXT: Free of heap block of size 210 at 0x{{[0-9a-f]+}} by main thread (T0):
// DF-NEXT: #0 main {{.*}}small_blocks.c:78
// DF-NEXT: It was already freed by main thread (T0):
// DF-NEXT: #0 main {{.*}}small_blocks.c:75
// DF-NEXT: Allocated by main thread (T0):
// DF-NEXT: #0 fill {{.*}}small_blocks.c:41
