// SPDX-License-Identifier: Apache-2.0
// An access left out as redundant (pass/Redundant.cpp) leaves no site
// behind: the module's site table lists only the accesses the runtime will
// see. Here the read of `counter` on its own line is covered by the write on
// the next, so the table has one site, the write's.
// RUN: %clang -O0 -g -fplugin=%plugin -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang -O0 -g -fplugin=%plugin -mllvm -slabsan-omit-redundant=0 -S -emit-llvm %s -o - \
// RUN:   | FileCheck %s --check-prefix=KEEP

int counter;

void spread(void)
{
	int v = counter; /* READ */
	counter = v + 1; /* WRITE */
}
// CHECK: @__slabsan_sites = internal global [1 x %slabsan.site] [%slabsan.site { i32 0, i32 15, i32 10,
// CHECK-NOT: i32 14,
// CHECK-LABEL: define {{.*}}void @spread()
// CHECK-NOT: call void @__slabsan_read4(
// CHECK: call void @__slabsan_write4(
// KEEP: @__slabsan_sites = internal global [2 x %slabsan.site] [%slabsan.site { i32 0, i32 14, i32 10,
// KEEP-SAME: %slabsan.site { i32 0, i32 15, i32 10,
