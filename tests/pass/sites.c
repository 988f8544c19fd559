// SPDX-License-Identifier: Apache-2.0
// Sites come from debug locations: file as clang recorded it, line, column,
// function; identical sites are shared; after inlining, a site names the
// inlined function and points (inlined_at) at the site of its call.
// TYPED lines are what LLVM 14 prints, OPAQUE lines LLVM 19 (see lit.cfg.py).
// RUN: %clang -O0 -g -fpass-plugin=%plugin -S -emit-llvm %s -o %t.O0.ll
// RUN: FileCheck %s --check-prefixes=CHECK,O0,%pointers < %t.O0.ll
// RUN: %opt -passes=verify -disable-output %t.O0.ll
// RUN: %clang -O2 -g -fpass-plugin=%plugin -S -emit-llvm %s -o %t.O2.ll
// RUN: FileCheck %s --check-prefixes=CHECK,O2,%pointers,O2-%pointers < %t.O2.ll
// RUN: %opt -passes=verify -disable-output %t.O2.ll
// The backend takes the instrumented module too.
// RUN: %clang -O2 -g -fpass-plugin=%plugin -c %s -o %t.o

// O0: @__slabsan_sites = internal global [3 x %slabsan.site] [
// O2: @__slabsan_sites = internal global [7 x %slabsan.site] [

int counter;
int *shared;

void bump(void)
{
    counter++;
// counter++ has one site (#0); its write covers its read.
// TYPED-SAME: %slabsan.site { i32 0, i32 [[#@LINE-2]], i32 12, i32 4, i8* getelementptr inbounds ([5 x i8], [5 x i8]* @[[BUMP:__slabsan_str[.0-9]*]], i32 0, i32 0), i8* getelementptr inbounds ([{{[0-9]+}} x i8], [{{[0-9]+}} x i8]* @[[FILE:__slabsan_str[.0-9]*]], i32 0, i32 0), i8* null, %slabsan.site* null },
// OPAQUE-SAME: %slabsan.site { i32 0, i32 [[#@LINE-3]], i32 12, i32 4, ptr @[[BUMP:__slabsan_str[.0-9]*]], ptr @[[FILE:__slabsan_str[.0-9]*]], ptr null, ptr null },
}

int get(const int *p)
{
    return *p;
// #1
// TYPED-SAME: %slabsan.site { i32 0, i32 [[#GET:@LINE-2]], i32 12, i32 4, i8* getelementptr inbounds ([4 x i8], [4 x i8]* @[[GETNAME:__slabsan_str[.0-9]*]], i32 0, i32 0), i8* getelementptr inbounds ([{{[0-9]+}} x i8], [{{[0-9]+}} x i8]* @[[FILE]], i32 0, i32 0), i8* null, %slabsan.site* null },
// OPAQUE-SAME: %slabsan.site { i32 0, i32 [[#GET:@LINE-3]], i32 12, i32 4, ptr @[[GETNAME:__slabsan_str[.0-9]*]], ptr @[[FILE]], ptr null, ptr null },
}

int twice(void)
{
    return get(shared) + get(&counter);
// #2: the read of `shared`.
// TYPED-SAME: %slabsan.site { i32 0, i32 [[#TWICE:@LINE-2]], i32 16, i32 4, i8* getelementptr inbounds ([6 x i8], [6 x i8]* @[[TWICENAME:__slabsan_str[.0-9]*]], i32 0, i32 0), i8* getelementptr inbounds ([{{[0-9]+}} x i8], [{{[0-9]+}} x i8]* @[[FILE]], i32 0, i32 0), i8* null, %slabsan.site* null }
// OPAQUE-SAME: %slabsan.site { i32 0, i32 [[#TWICE:@LINE-3]], i32 16, i32 4, ptr @[[TWICENAME:__slabsan_str[.0-9]*]], ptr @[[FILE]], ptr null, ptr null }
// At -O2 both calls are inlined: each call's site (#3, #5), then the
// inlined read, in get, pointing at it (#4, #6).
// O2-TYPED-SAME: , %slabsan.site { i32 0, i32 [[#TWICE]], i32 12, i32 0, i8* getelementptr inbounds ([{{[0-9]+}} x i8], [{{[0-9]+}} x i8]* @[[TWICENAME]], i32 0, i32 0), i8* getelementptr inbounds ([{{[0-9]+}} x i8], [{{[0-9]+}} x i8]* @[[FILE]], i32 0, i32 0), i8* null, %slabsan.site* null }
// O2-OPAQUE-SAME: , %slabsan.site { i32 0, i32 [[#TWICE]], i32 12, i32 0, ptr @[[TWICENAME]], ptr @[[FILE]], ptr null, ptr null }
// O2-TYPED-SAME: , %slabsan.site { i32 0, i32 [[#GET]], i32 12, i32 4, i8* getelementptr inbounds ([{{[0-9]+}} x i8], [{{[0-9]+}} x i8]* @[[GETNAME]], i32 0, i32 0), i8* getelementptr inbounds ([{{[0-9]+}} x i8], [{{[0-9]+}} x i8]* @[[FILE]], i32 0, i32 0), i8* null, %slabsan.site* getelementptr inbounds ([7 x %slabsan.site], [7 x %slabsan.site]* @__slabsan_sites, i64 0, i64 3) }
// O2-OPAQUE-SAME: , %slabsan.site { i32 0, i32 [[#GET]], i32 12, i32 4, ptr @[[GETNAME]], ptr @[[FILE]], ptr null, ptr getelementptr inbounds ([7 x %slabsan.site], ptr @__slabsan_sites, i64 0, i64 3) }
// O2-TYPED-SAME: , %slabsan.site { i32 0, i32 [[#TWICE]], i32 26, i32 0, i8* getelementptr inbounds ([{{[0-9]+}} x i8], [{{[0-9]+}} x i8]* @[[TWICENAME]], i32 0, i32 0), i8* getelementptr inbounds ([{{[0-9]+}} x i8], [{{[0-9]+}} x i8]* @[[FILE]], i32 0, i32 0), i8* null, %slabsan.site* null }
// O2-OPAQUE-SAME: , %slabsan.site { i32 0, i32 [[#TWICE]], i32 26, i32 0, ptr @[[TWICENAME]], ptr @[[FILE]], ptr null, ptr null }
// O2-TYPED-SAME: , %slabsan.site { i32 0, i32 [[#GET]], i32 12, i32 4, i8* getelementptr inbounds ([{{[0-9]+}} x i8], [{{[0-9]+}} x i8]* @[[GETNAME]], i32 0, i32 0), i8* getelementptr inbounds ([{{[0-9]+}} x i8], [{{[0-9]+}} x i8]* @[[FILE]], i32 0, i32 0), i8* null, %slabsan.site* getelementptr inbounds ([7 x %slabsan.site], [7 x %slabsan.site]* @__slabsan_sites, i64 0, i64 5) }]
// O2-OPAQUE-SAME: , %slabsan.site { i32 0, i32 [[#GET]], i32 12, i32 4, ptr @[[GETNAME]], ptr @[[FILE]], ptr null, ptr getelementptr inbounds ([7 x %slabsan.site], ptr @__slabsan_sites, i64 0, i64 5) }]
// O0-SAME: ]
}

// Strings are shared too: one for the file, one per function name.
// CHECK-DAG: @[[BUMP]] = private unnamed_addr constant [5 x i8] c"bump\00"
// CHECK-DAG: @[[FILE]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"{{.*}}tests/pass/sites.c\00"
// CHECK-DAG: @[[GETNAME]] = private unnamed_addr constant [4 x i8] c"get\00"
// CHECK-DAG: @[[TWICENAME]] = private unnamed_addr constant [6 x i8] c"twice\00"

// The write of counter++ covers its read, so only the write is checked
// (pass/Redundant.cpp); its site (#0) is the one the read would have had.
// CHECK-LABEL: define {{.*}}void @bump()
// CHECK-NOT: call void @__slabsan_read4(
// TYPED: call void @__slabsan_write4(i8* bitcast (i32* @counter to i8*), %slabsan.site* getelementptr inbounds ([[ARR:\[[0-9] x %slabsan.site\]]], [[ARR]]* @__slabsan_sites, i64 0, i64 0)), !dbg
// OPAQUE: call void @__slabsan_write4(ptr @counter, ptr @__slabsan_sites), !dbg
