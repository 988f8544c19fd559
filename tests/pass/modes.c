// SPDX-License-Identifier: Apache-2.0
// Choosing focused mode: -fplugin-arg-slabsan-mode=, -mllvm -slabsan-mode=
// (once the plugin is loaded early, as -fplugin= does), or slabsan<focused>.
// Focused keeps synchronization, volatile and meta accesses, and stacks.
// RUN: %clang -O2 -fplugin=%plugin -fplugin-arg-slabsan-mode=focused -S -emit-llvm %s -o - | FileCheck %s --check-prefix=FOCUSED
// RUN: %clang -O2 -fplugin=%plugin -mllvm -slabsan-mode=focused -S -emit-llvm %s -o - | FileCheck %s --check-prefix=FOCUSED
// RUN: %clang -O2 -fplugin=%plugin -fplugin-arg-slabsan-mode=full -S -emit-llvm %s -o - | FileCheck %s --check-prefix=FULL
// RUN: %clang -O2 -S -emit-llvm %s -o %t.ll
// RUN: %opt -load-pass-plugin=%plugin -passes='slabsan<focused>' -S %t.ll | FileCheck %s --check-prefix=FOCUSED
// RUN: %opt -load-pass-plugin=%plugin -passes='slabsan<full>' -S %t.ll | FileCheck %s --check-prefix=FULL
// RUN: not %opt -load-pass-plugin=%plugin -passes='slabsan<fast>' -S %t.ll 2>&1 | FileCheck %s --check-prefix=BADPARAM
// BADPARAM: unknown pass name 'slabsan<fast>'

int data;
int flag;
void callee(void);

// FOCUSED-LABEL: @work(
// FOCUSED: call void @__slabsan_func_entry(
// FOCUSED-NOT: call void @__slabsan_{{read|write}}
// FOCUSED: call void @__slabsan_atomic_fence(i32 5,
// FOCUSED: call void @__slabsan_atomic_store(
// FOCUSED-NOT: call void @__slabsan_{{read|write}}
// FOCUSED: call void @__slabsan_func_exit()
// FULL-LABEL: @work(
// FULL: call void @__slabsan_write4({{.*}}@data
// FULL: call void @__slabsan_atomic_fence(i32 5,
// FULL: call void @__slabsan_atomic_store(
// FULL: call void @__slabsan_func_exit()
void work(void)
{
	data = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*(volatile int *)&flag = 1;
	callee();
}

// A plain leaf is not even given a frame in focused mode.
// FOCUSED-LABEL: @leaf(
// FOCUSED-NOT: __slabsan
// FOCUSED: ret i32
// FULL-LABEL: @leaf(
// FULL: call void @__slabsan_read4({{.*}}@data
int leaf(void)
{
	return data;
}
