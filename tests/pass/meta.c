// SPDX-License-Identifier: Apache-2.0
// __slabsan_meta fields: clang wraps their addresses in llvm.ptr.annotation;
// every access through one gets SLABSAN_SITE_META (1) and the field's name,
// from debug info when there is some, else from the IR struct type. The
// annotations still stand where the pass runs, at -O0 and -O2 alike.
// RUN: %clang -O0 -g -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,DI
// RUN: %clang -O2 -g -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,DI
// RUN: %clang -O2 -g0 -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,IR
// Focused mode keeps meta fields and atomics, drops other plain accesses.
// RUN: %clang -O0 -g -fplugin=%plugin -fplugin-arg-slabsan-mode=focused -S -emit-llvm %s -o - | FileCheck %s --check-prefix=FOCUSED

// What <slabsan/slabsan.h> defines.
#define __slabsan_meta __attribute__((annotate("slabsan.meta")))

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

// The sites, in order: obj_exts, stride, inuse (not meta), counters,
// stride again (volatile: flags 3), raw.
// CHECK: @__slabsan_sites = internal global [6 x %slabsan.site]
// CHECK-SAME: [%slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 1, {{[^}]*}}@[[OBJ_EXTS:__slabsan_str[.0-9]*]], i32 0, i32 0), %slabsan.site* null },
// CHECK-SAME: %slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 1, {{[^}]*}}@[[STRIDE:__slabsan_str[.0-9]*]], i32 0, i32 0), %slabsan.site* null },
// CHECK-SAME: %slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 0, {{[^}]*}}, i8* null, %slabsan.site* null },
// CHECK-SAME: %slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 1, {{[^}]*}}@[[COUNTERS:__slabsan_str[.0-9]*]], i32 0, i32 0), %slabsan.site* null },
// CHECK-SAME: %slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 3, {{[^}]*}}@[[STRIDE]], i32 0, i32 0), %slabsan.site* null },
// CHECK-SAME: %slabsan.site { i32 0, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 1, {{[^}]*}}@[[RAW:__slabsan_str[.0-9]*]], i32 0, i32 0), %slabsan.site* null }]
// DI-DAG: @[[OBJ_EXTS]] = private unnamed_addr constant [22 x i8] c"struct slab::obj_exts\00"
// DI-DAG: @[[STRIDE]] = private unnamed_addr constant [20 x i8] c"struct slab::stride\00"
// DI-DAG: @[[COUNTERS]] = private unnamed_addr constant [22 x i8] c"struct slab::counters\00"
// DI-DAG: @[[RAW]] = private unnamed_addr constant [16 x i8] c"union word::raw\00"
// IR-DAG: @[[OBJ_EXTS]] = private unnamed_addr constant [21 x i8] c"struct slab::field#0\00"
// IR-DAG: @[[STRIDE]] = private unnamed_addr constant [21 x i8] c"struct slab::field#1\00"
// IR-DAG: @[[COUNTERS]] = private unnamed_addr constant [21 x i8] c"struct slab::field#3\00"
// IR-DAG: @[[RAW]] = private unnamed_addr constant [20 x i8] c"union word::field#0\00"

// One site fewer: the plain write of inuse is not checked.
// FOCUSED: @__slabsan_sites = internal global [5 x %slabsan.site]

// CHECK-LABEL: @exts(
// CHECK: call i64 @__slabsan_atomic_load(i8* {{%.*}}, i32 8, i32 2, {{.*}} i64 0, i64 0))
// FOCUSED-LABEL: @exts(
// FOCUSED: call i64 @__slabsan_atomic_load(
unsigned long exts(struct slab *s)
{
	return __atomic_load_n(&s->obj_exts, __ATOMIC_ACQUIRE);
}

// CHECK-LABEL: @stride(
// CHECK: call void @__slabsan_read4(i8* {{%.*}}, {{.*}} i64 0, i64 1))
// FOCUSED-LABEL: @stride(
// FOCUSED: call void @__slabsan_read4(
unsigned stride(struct slab *s)
{
	return s->stride;
}

// CHECK-LABEL: @set(
// CHECK: call void @__slabsan_write4(i8* {{%.*}}, {{.*}} i64 0, i64 2))
// CHECK: call void @__slabsan_write4(i8* {{%.*}}, {{.*}} i64 0, i64 3))
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
// CHECK: call void @__slabsan_volatile_read(i8* {{%.*}}, i64 4, {{.*}} i64 0, i64 4))
unsigned once(struct slab *s)
{
	return *(volatile unsigned *)&s->stride;
}

// CHECK-LABEL: @raw(
// CHECK: call void @__slabsan_read8(i8* {{%.*}}, {{.*}} i64 0, i64 5))
long raw(union word *w)
{
	return w->raw;
}
