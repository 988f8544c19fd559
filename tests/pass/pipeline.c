// SPDX-License-Identifier: Apache-2.0
// The pass runs at every optimization level (LLVM 14 calls OptimizerLastEP
// callbacks from its -O0 pipeline too), through all three ways of loading it,
// and instruments a module once even when loaded twice.
// RUN: %clang -O0 -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang -O1 -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang -O2 -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang -O3 -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang -Os -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang -Oz -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang -O0 -fplugin=%plugin -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang -O2 -fplugin=%plugin -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang -O2 -fplugin=%plugin -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s
// The LTO pre-link pipelines run it too.
// RUN: %clang -O2 -flto -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang -O2 -flto=thin -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s

int shared;
int flag;

// Without -g the sites name the function, line 0: one for the plain
// write (SLABSAN_SITE_PLAIN), one for the atomic store.
// CHECK: @__slabsan_sites = internal global [2 x %slabsan.site]
// CHECK: @llvm.global_ctors = {{.*}} @__slabsan_module_ctor
// CHECK-LABEL: @publish(
// CHECK: call void @__slabsan_func_entry(
// CHECK-NOT: call void @__slabsan_func_entry(
// CHECK: call void @__slabsan_write4({{.*}}@shared
// CHECK-NOT: call void @__slabsan_write4(
// CHECK: call void @__slabsan_atomic_store({{.*}}@flag{{.*}}, i64 {{.*}}, i32 4, i32 3,
// CHECK-NOT: store atomic
// CHECK: call void @__slabsan_func_exit()
// CHECK-NEXT: ret void
// CHECK-NOT: call void @__slabsan_func_exit()
void publish(void)
{
	shared = 42;
	__atomic_store_n(&flag, 1, __ATOMIC_RELEASE);
}
