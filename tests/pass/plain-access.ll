; SPDX-License-Identifier: Apache-2.0
; Plain and volatile loads/stores: one call per access, before it, sized by
; the store size; and the skip rules for objects no other thread can touch.
; LLVM 14 passes the runtime typed pointers cast to i8* and names strings and
; sites through constant GEPs (TYPED lines); LLVM 19 passes `ptr` as it is and
; folds zero GEPs away (OPAQUE lines); {{i8\*|ptr}} matches what either prints.
; Each load here is followed by a store to the same global, which covers it
; (redundant.ll); -slabsan-omit-redundant=0 keeps them all.
; RUN: %opt -load=%plugin -load-pass-plugin=%plugin -slabsan-omit-redundant=0 \
; RUN:   -passes=slabsan,verify -S %s | FileCheck %s --check-prefixes=CHECK,%pointers

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@g8 = global i8 0
@g16 = global i16 0
@g32 = global i32 0
@g64 = global i64 0
@g128 = global i128 0
@gv4 = global <4 x i32> zeroinitializer
@gv8 = global <8 x i32> zeroinitializer
@garr = global [3 x i32] zeroinitializer
@gi24 = global i24 0
@ro = constant i32 7
@sink = global i32* null

; Without debug info a site names the IR function, line 0 and no file; so
; all accesses of one function share a site (deduplicated): three in all.
; CHECK: @__slabsan_sites = internal global [3 x %slabsan.site] [
; TYPED-SAME: %slabsan.site { i32 0, i32 0, i32 0, i32 4, i8* getelementptr inbounds ([6 x i8], [6 x i8]* @[[SIZES:__slabsan_str[.0-9]*]], i32 0, i32 0), i8* null, i8* null, %slabsan.site* null },
; OPAQUE-SAME: %slabsan.site { i32 0, i32 0, i32 0, i32 4, ptr @[[SIZES:__slabsan_str[.0-9]*]], ptr null, ptr null, ptr null },
; Plain sites carry SLABSAN_SITE_PLAIN (4), volatile ones SLABSAN_SITE_VOLATILE (2).
; TYPED-SAME: %slabsan.site { i32 0, i32 0, i32 0, i32 2, i8* getelementptr inbounds ([10 x i8], [10 x i8]* @[[VOL:__slabsan_str[.0-9]*]], i32 0, i32 0), i8* null, i8* null, %slabsan.site* null }
; OPAQUE-SAME: %slabsan.site { i32 0, i32 0, i32 0, i32 2, ptr @[[VOL:__slabsan_str[.0-9]*]], ptr null, ptr null, ptr null }
; CHECK: @[[SIZES]] = private unnamed_addr constant [6 x i8] c"sizes\00"
; CHECK: @[[VOL]] = private unnamed_addr constant [10 x i8] c"volatiles\00"
; CHECK: @llvm.global_ctors = appending global {{.*}} { i32 0, {{void \(\)\*|ptr}} @__slabsan_module_ctor, {{i8\*|ptr}} null }
; CHECK: @llvm.global_dtors = appending global {{.*}} { i32 0, {{void \(\)\*|ptr}} @__slabsan_module_dtor, {{i8\*|ptr}} null }

; CHECK-LABEL: define void @sizes(
; TYPED: call void @__slabsan_read1(i8* @g8, %slabsan.site* getelementptr inbounds ([3 x %slabsan.site], [3 x %slabsan.site]* @__slabsan_sites, i64 0, i64 0))
; OPAQUE: call void @__slabsan_read1(ptr @g8, ptr @__slabsan_sites)
; CHECK-NEXT: load i8, {{i8\*|ptr}} @g8
; TYPED: call void @__slabsan_read2(i8* bitcast (i16* @g16 to i8*),
; OPAQUE: call void @__slabsan_read2(ptr @g16,
; CHECK-NEXT: load i16
; TYPED: call void @__slabsan_read4(i8* bitcast (i32* @g32 to i8*),
; OPAQUE: call void @__slabsan_read4(ptr @g32,
; CHECK-NEXT: load i32
; TYPED: call void @__slabsan_read8(i8* bitcast (i64* @g64 to i8*),
; OPAQUE: call void @__slabsan_read8(ptr @g64,
; CHECK-NEXT: load i64
; TYPED: call void @__slabsan_read16(i8* bitcast (i128* @g128 to i8*),
; OPAQUE: call void @__slabsan_read16(ptr @g128,
; CHECK-NEXT: load i128
; TYPED: call void @__slabsan_read16(i8* bitcast (<4 x i32>* @gv4 to i8*),
; OPAQUE: call void @__slabsan_read16(ptr @gv4,
; CHECK-NEXT: load <4 x i32>
; TYPED: call void @__slabsan_read_range(i8* bitcast (<8 x i32>* @gv8 to i8*), i64 32,
; OPAQUE: call void @__slabsan_read_range(ptr @gv8, i64 32,
; CHECK-NEXT: load <8 x i32>
; TYPED: call void @__slabsan_read_range(i8* bitcast ([3 x i32]* @garr to i8*), i64 12,
; OPAQUE: call void @__slabsan_read_range(ptr @garr, i64 12,
; CHECK-NEXT: load [3 x i32]
; TYPED: call void @__slabsan_read_range(i8* bitcast (i24* @gi24 to i8*), i64 3,
; OPAQUE: call void @__slabsan_read_range(ptr @gi24, i64 3,
; CHECK-NEXT: load i24
; CHECK: call void @__slabsan_write1({{i8\*|ptr}} @g8,
; CHECK-NEXT: store i8 1, {{i8\*|ptr}} @g8
; CHECK: call void @__slabsan_write2(
; CHECK-NEXT: store i16
; CHECK: call void @__slabsan_write4(
; CHECK-NEXT: store i32
; CHECK: call void @__slabsan_write8(
; CHECK-NEXT: store i64
; CHECK: call void @__slabsan_write16(
; CHECK-NEXT: store i128
; TYPED: call void @__slabsan_write_range(i8* bitcast ([3 x i32]* @garr to i8*), i64 12, %slabsan.site* getelementptr inbounds ([3 x %slabsan.site], [3 x %slabsan.site]* @__slabsan_sites, i64 0, i64 0))
; OPAQUE: call void @__slabsan_write_range(ptr @garr, i64 12, ptr @__slabsan_sites)
; CHECK-NEXT: store [3 x i32]
; CHECK: ret void
define void @sizes() {
  %a = load i8, i8* @g8
  %b = load i16, i16* @g16
  %c = load i32, i32* @g32
  %d = load i64, i64* @g64
  %e = load i128, i128* @g128
  %f = load <4 x i32>, <4 x i32>* @gv4
  %h = load <8 x i32>, <8 x i32>* @gv8
  %i = load [3 x i32], [3 x i32]* @garr
  %j = load i24, i24* @gi24
  store i8 1, i8* @g8
  store i16 %b, i16* @g16
  store i32 %c, i32* @g32
  store i64 %d, i64* @g64
  store i128 %e, i128* @g128
  store [3 x i32] %i, [3 x i32]* @garr
  ret void
}

; A volatile access the runtime can perform as one relaxed atomic (aligned,
; 1 to 8 bytes: READ_ONCE() and WRITE_ONCE() as the kernel spells them) is
; performed there, so that fences order it as they order a relaxed atomic.
; Any other keeps its instruction (and its alignment) and tells the runtime
; the size.
; CHECK-LABEL: define i32 @volatiles(
; TYPED: [[P:%.*]] = bitcast i32* %p to i8*
; TYPED-NEXT: call void @__slabsan_volatile_read(i8* [[P]], i64 4,
; OPAQUE: call void @__slabsan_volatile_read(ptr %p, i64 4,
; CHECK-NEXT: %v = load volatile i32, {{i32\*|ptr}} %p, align 2
; CHECK: call void @__slabsan_atomic_store({{i8\*|ptr}} {{%.*}}, i64 0, i32 8, i32 0,
; CHECK-NOT: store volatile
; CHECK: [[W:%.*]] = call i64 @__slabsan_atomic_load({{i8\*|ptr}} {{%.*}}, i32 4, i32 0,
; CHECK-NEXT: %w = trunc i64 [[W]] to i32
; CHECK-NOT: load volatile
; CHECK: ret i32
define i32 @volatiles(i32* %p, i64* %q) {
  %v = load volatile i32, i32* %p, align 2
  store volatile i64 0, i64* %q, align 8
  %w = load volatile i32, i32* %p, align 4
  %s = add i32 %v, %w
  ret i32 %s
}

; CHECK-LABEL: define i32 @skipped(
; A non-escaping stack slot, a constant global, !nosanitize and a segment
; address space are all left alone...
; CHECK-NOT: call void @__slabsan_{{read|write}}
; CHECK: store i32 1, {{i32\*|ptr}} %local
; CHECK-NOT: call void @__slabsan_{{read|write}}
; CHECK: load i32, {{i32\*|ptr}} @ro
; CHECK-NOT: call void @__slabsan_{{read|write}}
; CHECK: load i32, {{i32\*|ptr}} %p, align 4, !nosanitize
; CHECK-NOT: call void @__slabsan_{{read|write}}
; CHECK: load i32, {{i32 addrspace\(256\)\*|ptr addrspace\(256\)}} %gs
; ...while a stack slot whose address is stored somewhere is checked.
; TYPED: [[E:%.*]] = bitcast i32* %escaping to i8*
; TYPED-NEXT: call void @__slabsan_write4(i8* [[E]],
; OPAQUE: call void @__slabsan_write4(ptr %escaping,
; CHECK-NEXT: store i32 2, {{i32\*|ptr}} %escaping
; CHECK: ret i32
define i32 @skipped(i32* %p, i32 addrspace(256)* %gs) {
  %local = alloca i32
  %escaping = alloca i32
  store i32 1, i32* %local
  %a = load i32, i32* %local
  %b = load i32, i32* @ro
  %c = load i32, i32* %p, align 4, !nosanitize !0
  %d = load i32, i32 addrspace(256)* %gs
  store i32* %escaping, i32** @sink
  store i32 2, i32* %escaping
  %s1 = add i32 %a, %b
  %s2 = add i32 %c, %d
  %s = add i32 %s1, %s2
  ret i32 %s
}

; A GEP into a non-escaping alloca is still that alloca.
; CHECK-LABEL: define i32 @local_array(
; CHECK-NOT: __slabsan_{{read|write}}
; CHECK: ret i32
define i32 @local_array(i64 %i) {
  %arr = alloca [4 x i32]
  %p = getelementptr [4 x i32], [4 x i32]* %arr, i64 0, i64 %i
  store i32 5, i32* %p
  %v = load i32, i32* %p
  ret i32 %v
}

; CHECK: define internal void @__slabsan_module_ctor()
; TYPED-NEXT: call void @__slabsan_register_sites(%slabsan.site* getelementptr inbounds ([3 x %slabsan.site], [3 x %slabsan.site]* @__slabsan_sites, i64 0, i64 0), i64 3)
; OPAQUE-NEXT: call void @__slabsan_register_sites(ptr @__slabsan_sites, i64 3)
; The destructor hands the same sites back (a dlclose()d library's).
; CHECK: define internal void @__slabsan_module_dtor()
; TYPED-NEXT: call void @__slabsan_unregister_sites(%slabsan.site* getelementptr inbounds ([3 x %slabsan.site], [3 x %slabsan.site]* @__slabsan_sites, i64 0, i64 0), i64 3)
; OPAQUE-NEXT: call void @__slabsan_unregister_sites(ptr @__slabsan_sites, i64 3)

!0 = !{}
