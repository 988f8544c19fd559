// Many call sites of malloc, each its own stack, looked up in turn: they
// share the thread's small stack cache (two ways per set), displace one
// another and are found again in either way. Every report must still name
// the allocation of its own block.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 66 %t 2>&1 | FileCheck %s
#include <stdlib.h>

#define SITE(n) __attribute__((noinline)) static char *alloc_##n(void) { return malloc(64); }
SITE(0)
SITE(1)
SITE(2)
SITE(3)
SITE(4)
SITE(5)
SITE(6)
SITE(7)
SITE(8)
SITE(9)
SITE(10)
SITE(11)
SITE(12)
SITE(13)
SITE(14)
SITE(15)
SITE(16)
SITE(17)
SITE(18)
SITE(19)
SITE(20)
SITE(21)
SITE(22)
SITE(23)
SITE(24)
SITE(25)
SITE(26)
SITE(27)
SITE(28)
SITE(29)
SITE(30)
SITE(31)
SITE(32)
SITE(33)
SITE(34)
SITE(35)
SITE(36)
SITE(37)
SITE(38)
SITE(39)
SITE(40)
SITE(41)
SITE(42)
SITE(43)
SITE(44)
SITE(45)
SITE(46)
SITE(47)

static char *(*const site[])(void) = {
	alloc_0, alloc_1, alloc_2, alloc_3, alloc_4, alloc_5, alloc_6, alloc_7,
	alloc_8, alloc_9, alloc_10, alloc_11, alloc_12, alloc_13, alloc_14, alloc_15,
	alloc_16, alloc_17, alloc_18, alloc_19, alloc_20, alloc_21, alloc_22, alloc_23,
	alloc_24, alloc_25, alloc_26, alloc_27, alloc_28, alloc_29, alloc_30, alloc_31,
	alloc_32, alloc_33, alloc_34, alloc_35, alloc_36, alloc_37, alloc_38, alloc_39,
	alloc_40, alloc_41, alloc_42, alloc_43, alloc_44, alloc_45, alloc_46, alloc_47,
};
#define SITES (sizeof site / sizeof *site)

int main(void)
{
	char *block[SITES];
	for (int round = 0; round < 4; round++) {
		for (unsigned n = 0; n < SITES; n++)
			block[n] = site[n]();
		for (unsigned n = 0; n < SITES; n++)
			free(block[n]);
	}
	for (unsigned n = 0; n < SITES; n++)
		free(block[n]); /* SECOND_FREE */
	return 0;
}
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_0 {{.*}}stack_cache_ways.c:9
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_1 {{.*}}stack_cache_ways.c:10
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_2 {{.*}}stack_cache_ways.c:11
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_3 {{.*}}stack_cache_ways.c:12
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_4 {{.*}}stack_cache_ways.c:13
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_5 {{.*}}stack_cache_ways.c:14
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_6 {{.*}}stack_cache_ways.c:15
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_7 {{.*}}stack_cache_ways.c:16
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_8 {{.*}}stack_cache_ways.c:17
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_9 {{.*}}stack_cache_ways.c:18
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_10 {{.*}}stack_cache_ways.c:19
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_11 {{.*}}stack_cache_ways.c:20
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_12 {{.*}}stack_cache_ways.c:21
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_13 {{.*}}stack_cache_ways.c:22
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_14 {{.*}}stack_cache_ways.c:23
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_15 {{.*}}stack_cache_ways.c:24
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_16 {{.*}}stack_cache_ways.c:25
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_17 {{.*}}stack_cache_ways.c:26
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_18 {{.*}}stack_cache_ways.c:27
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_19 {{.*}}stack_cache_ways.c:28
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_20 {{.*}}stack_cache_ways.c:29
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_21 {{.*}}stack_cache_ways.c:30
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_22 {{.*}}stack_cache_ways.c:31
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_23 {{.*}}stack_cache_ways.c:32
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_24 {{.*}}stack_cache_ways.c:33
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_25 {{.*}}stack_cache_ways.c:34
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_26 {{.*}}stack_cache_ways.c:35
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_27 {{.*}}stack_cache_ways.c:36
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_28 {{.*}}stack_cache_ways.c:37
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_29 {{.*}}stack_cache_ways.c:38
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_30 {{.*}}stack_cache_ways.c:39
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_31 {{.*}}stack_cache_ways.c:40
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_32 {{.*}}stack_cache_ways.c:41
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_33 {{.*}}stack_cache_ways.c:42
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_34 {{.*}}stack_cache_ways.c:43
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_35 {{.*}}stack_cache_ways.c:44
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_36 {{.*}}stack_cache_ways.c:45
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_37 {{.*}}stack_cache_ways.c:46
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_38 {{.*}}stack_cache_ways.c:47
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_39 {{.*}}stack_cache_ways.c:48
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_40 {{.*}}stack_cache_ways.c:49
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_41 {{.*}}stack_cache_ways.c:50
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_42 {{.*}}stack_cache_ways.c:51
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_43 {{.*}}stack_cache_ways.c:52
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_44 {{.*}}stack_cache_ways.c:53
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_45 {{.*}}stack_cache_ways.c:54
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_46 {{.*}}stack_cache_ways.c:55
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK: WARNING: SlabSan: double free
// CHECK: Allocated by main thread (T0):
// CHECK-NEXT: #0 alloc_47 {{.*}}stack_cache_ways.c:56
// CHECK-NEXT: #1 main {{.*}}stack_cache_ways.c:73
// CHECK-NOT: WARNING: SlabSan
