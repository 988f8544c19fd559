// Vector clocks (runtime/clock.c) against a model: random sets, joins,
// copies and clears of clocks of 1 to 300 threads, short and long, some
// with a read lane of their own (smp_wmb), checked entry by entry after
// every step. A wrong entry is a missing or invented happens-before edge:
// a false or missed report, most likely in a program with many threads,
// whose clocks take the paths the suite's few-thread programs never do.
// RUN: %clang -O1 -g -I%src/runtime %s %src/runtime/clock.c -o %t
// RUN: %t | FileCheck %s
// CHECK: clocks: 400000 steps, 0 wrong entries
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

#define CLOCKS 12
#define MAX_TID 300
#define STEPS 400000

/* The runtime's allocator, for clock.c alone. */
void *sl_alloc(size_t size) { return calloc(1, size); }
void sl_free(void *p, size_t size) { (void)size; free(p); }

static struct sl_vclock clock[CLOCKS];
static struct sl_vc_entry model[CLOCKS][MAX_TID];
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t pick(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static unsigned long wrong;

static void check(int c)
{
	for (uint32_t t = 0; t < MAX_TID; t++) {
		struct sl_vc_entry e = sl_vclock_get(&clock[c], t);
		if (e.w != model[c][t].w || e.r != model[c][t].r)
			wrong++;
	}
}

int main(void)
{
	/* Clocks 0-3 act as threads (their own entry advances), the rest as
	 * locks' clocks; thread ids are spread so that clocks are both short
	 * and long, and most steps touch few blocks, as in a program. */
	uint32_t tid_of[4] = {3, 40, 130, 299};
	for (unsigned long step = 0; step < STEPS; step++) {
		int dst = (int)pick(CLOCKS), src = (int)pick(CLOCKS);
		int thread = (int)pick(4);
		switch (pick(16)) {
		case 0: case 1: case 2: case 3: case 4: { /* a thread's release tick */
			uint32_t t = tid_of[thread];
			struct sl_vc_entry v = model[thread][t];
			v.w++;
			if (pick(50) == 0)
				v.r = v.w - 1;      /* smp_wmb: read lane behind */
			else
				v.r = v.w;
			sl_vclock_set(&clock[thread], t, v);
			model[thread][t] = v;
			check(thread);
			break;
		}
		case 5: { /* an entry of any thread id, as thread start-up sets */
			uint32_t t = pick(MAX_TID);
			struct sl_vc_entry v = {model[dst][t].w + 1, model[dst][t].w + 1};
			sl_vclock_set(&clock[dst], t, v);
			model[dst][t] = v;
			check(dst);
			break;
		}
		case 6: case 7: case 8: case 9: case 10: /* acquire or release-join */
			if (dst == src)
				break;
			sl_vclock_join(&clock[dst], &clock[src]);
			for (uint32_t t = 0; t < MAX_TID; t++) {
				if (model[src][t].w > model[dst][t].w)
					model[dst][t].w = model[src][t].w;
				if (model[src][t].r > model[dst][t].r)
					model[dst][t].r = model[src][t].r;
			}
			check(dst);
			break;
		case 11: case 12: case 13: case 14: /* release-store copy */
			if (dst == src)
				break;
			sl_vclock_copy(&clock[dst], &clock[src]);
			memcpy(model[dst], model[src], sizeof model[dst]);
			check(dst);
			break;
		case 15:
			if (pick(8) == 0 && dst >= 4) {
				sl_vclock_clear(&clock[dst]);
				memset(model[dst], 0, sizeof model[dst]);
				check(dst);
			}
			break;
		}
	}
	printf("clocks: %d steps, %lu wrong entries\n", STEPS, wrong);
	return 0;
}
