// SPDX-License-Identifier: Apache-2.0
// __slabsan_meta fields: clang wraps their addresses in llvm.ptr.annotation;
// every access through one gets SLABSAN_SITE_META (1) and the field's name,
// from debug info when there is some, else from the IR struct type. The
// annotations still stand where the pass runs, at -O0 and -O2 alike.
// TYPED lines are what LLVM 14 prints, OPAQUE lines LLVM 19 (see lit.cfg.py).
// RUN: %clang -O0 -g -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,%pointers,DI
// RUN: %clang -O2 -g -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,%pointers,DI
// Without debug info the IR's struct type names the field (field#N) where
// the IR still shows it: with typed pointers (LLVM 14) always; with opaque
// pointers (LLVM 19) only in a struct GEP, which -O0 has for a struct's
// member but not a union's (offset 0) and -O2 folds to a byte offset. Else
// the declaration's place names it (`field at <file>:<line>`).
// RUN: %clang -O2 -g0 -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,%pointers,IR-O2-%pointers
// RUN: %clang -O0 -g0 -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,%pointers,IR-O0,IR-O0-%pointers
// Focused mode keeps meta fields and atomics, drops other plain accesses.
// RUN: %clang -O0 -g -fplugin=%plugin -fplugin-arg-slabsan-mode=focused -S -emit-llvm %s -o - | FileCheck %s --check-prefix=FOCUSED

// What <slabsan/slabsan.h> defines.
#define __slabsan_meta __attribute__((annotate("slabsan.meta")))

// The sites, in order: obj_exts (an acquire load: flags 1 | 2 << 8), stride, inuse
// (not meta: flags 4, plain; named as any member is, member_names.c), counters,
// stride again (volatile: flags 3), raw.
// CHECK: @__slabsan_sites = internal global [6 x %slabsan.site] [
// TYPED-SAME: %slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 513, {{[^}]*}}, i8* getelementptr inbounds ({{[^)]*}}* @[[OBJ_EXTS:__slabsan_str[.0-9]*]], i32 0, i32 0), %slabsan.site* null },
// TYPED-SAME: %slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 1, {{[^}]*}}, i8* getelementptr inbounds ({{[^)]*}}* @[[STRIDE:__slabsan_str[.0-9]*]], i32 0, i32 0), %slabsan.site* null },
// TYPED-SAME: %slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 4, {{[^}]*}}, %slabsan.site* null },
// TYPED-SAME: %slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 1, {{[^}]*}}, i8* getelementptr inbounds ({{[^)]*}}* @[[COUNTERS:__slabsan_str[.0-9]*]], i32 0, i32 0), %slabsan.site* null },
// TYPED-SAME: %slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 3, {{[^}]*}}, i8* getelementptr inbounds ({{[^)]*}}* @[[STRIDE]], i32 0, i32 0), %slabsan.site* null },
// TYPED-SAME: %slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 1, {{[^}]*}}, i8* getelementptr inbounds ({{[^)]*}}* @[[RAW:__slabsan_str[.0-9]*]], i32 0, i32 0), %slabsan.site* null }]
// OPAQUE-SAME: %slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 513, {{[^}]*}}, ptr @[[OBJ_EXTS:__slabsan_str[.0-9]*]], ptr null },
// OPAQUE-SAME: %slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 1, {{[^}]*}}, ptr @[[STRIDE:__slabsan_str[.0-9]*]], ptr null },
// OPAQUE-SAME: %slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 4, {{[^}]*}}, ptr null },
// OPAQUE-SAME: %slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 1, {{[^}]*}}, ptr @[[COUNTERS:__slabsan_str[.0-9]*]], ptr null },
// OPAQUE-SAME: %slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 3, {{[^}]*}}, ptr @[[STRIDE]], ptr null },
// OPAQUE-SAME: %slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 1, {{[^}]*}}, ptr @[[RAW:__slabsan_str[.0-9]*]], ptr null }]

struct slab {
	unsigned long obj_exts __slabsan_meta;
	unsigned int stride __slabsan_meta;
	int inuse;
	int counters[2] __slabsan_meta;
};

union word {
	long raw __slabsan_meta;
	void *ptr;
};

// The fields the sites name; the field-at lines count back to the declarations.
// IR-O2-OPAQUE-DAG: @[[OBJ_EXTS]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"field at {{.*}}tests/pass/meta.c:[[#@LINE-12]]\00"
// IR-O2-OPAQUE-DAG: @[[STRIDE]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"field at {{.*}}tests/pass/meta.c:[[#@LINE-12]]\00"
// IR-O2-OPAQUE-DAG: @[[COUNTERS]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"field at {{.*}}tests/pass/meta.c:[[#@LINE-11]]\00"
// IR-O2-OPAQUE-DAG: @[[RAW]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"field at {{.*}}tests/pass/meta.c:[[#@LINE-8]]\00"
// IR-O0-OPAQUE-DAG: @[[RAW]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"field at {{.*}}tests/pass/meta.c:[[#@LINE-9]]\00"
// DI-DAG: @[[OBJ_EXTS]] = private unnamed_addr constant [22 x i8] c"struct slab::obj_exts\00"
// DI-DAG: @[[STRIDE]] = private unnamed_addr constant [20 x i8] c"struct slab::stride\00"
// DI-DAG: @[[COUNTERS]] = private unnamed_addr constant [22 x i8] c"struct slab::counters\00"
// DI-DAG: @[[RAW]] = private unnamed_addr constant [16 x i8] c"union word::raw\00"
// IR-O2-TYPED-DAG: @[[OBJ_EXTS]] = private unnamed_addr constant [21 x i8] c"struct slab::field#0\00"
// IR-O2-TYPED-DAG: @[[STRIDE]] = private unnamed_addr constant [21 x i8] c"struct slab::field#1\00"
// IR-O2-TYPED-DAG: @[[COUNTERS]] = private unnamed_addr constant [21 x i8] c"struct slab::field#3\00"
// IR-O2-TYPED-DAG: @[[RAW]] = private unnamed_addr constant [20 x i8] c"union word::field#0\00"
// IR-O0-DAG: @[[OBJ_EXTS]] = private unnamed_addr constant [21 x i8] c"struct slab::field#0\00"
// IR-O0-DAG: @[[STRIDE]] = private unnamed_addr constant [21 x i8] c"struct slab::field#1\00"
// IR-O0-DAG: @[[COUNTERS]] = private unnamed_addr constant [21 x i8] c"struct slab::field#3\00"
// IR-O0-TYPED-DAG: @[[RAW]] = private unnamed_addr constant [20 x i8] c"union word::field#0\00"

// One site fewer: the plain write of inuse is not checked.
// FOCUSED: @__slabsan_sites = internal global [5 x %slabsan.site]

// CHECK-LABEL: @exts(
// TYPED: call i64 @__slabsan_atomic_load(i8* {{%.*}}, i32 8, i32 2, {{.*}} i64 0, i64 0))
// OPAQUE: call i64 @__slabsan_atomic_load(ptr {{%.*}}, i32 8, i32 2, ptr @__slabsan_sites)
// FOCUSED-LABEL: @exts(
// FOCUSED: call i64 @__slabsan_atomic_load(
unsigned long exts(struct slab *s)
{
	return __atomic_load_n(&s->obj_exts, __ATOMIC_ACQUIRE);
}

// CHECK-LABEL: @stride(
// CHECK: call void @__slabsan_read4({{i8\*|ptr}} {{%.*}}, {{.*}} i64 0, i64 1))
// FOCUSED-LABEL: @stride(
// FOCUSED: call void @__slabsan_read4(
unsigned stride(struct slab *s)
{
	return s->stride;
}

// CHECK-LABEL: @set(
// CHECK: call void @__slabsan_write4({{i8\*|ptr}} {{%.*}}, {{.*}} i64 0, i64 2))
// CHECK: call void @__slabsan_write4({{i8\*|ptr}} {{%.*}}, {{.*}} i64 0, i64 3))
// FOCUSED-LABEL: @set(
// FOCUSED-NOT: call void @__slabsan_write4(
// FOCUSED: store i32 1
// FOCUSED: call void @__slabsan_write4(
// FOCUSED-NEXT: store i32 2
void set(struct slab *s, int i)
{
	s->inuse = 1;
	s->counters[i] = 2;
}

// CHECK-LABEL: @once(
// CHECK: call i64 @__slabsan_atomic_load({{i8\*|ptr}} {{%.*}}, i32 4, i32 0, {{.*}} i64 0, i64 4))
unsigned once(struct slab *s)
{
	return *(volatile unsigned *)&s->stride;
}

// CHECK-LABEL: @raw(
// CHECK: call void @__slabsan_read8({{i8\*|ptr}} {{%.*}}, {{.*}} i64 0, i64 5))
long raw(union word *w)
{
	return w->raw;
}
