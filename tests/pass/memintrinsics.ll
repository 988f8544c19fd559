; SPDX-License-Identifier: Apache-2.0
; llvm.mem{cpy,move,set} (plain, .inline, volatile) become the runtime's
; versions, which check the ranges and do the work; focused mode keeps them.
; Pointer types read {{i8\*|ptr}}: LLVM 14 prints typed pointers, LLVM 19 `ptr`;
; and intrinsic names follow: llvm.memset.p0i8.i64 or llvm.memset.p0.i64.
; RUN: %opt -load-pass-plugin=%plugin -passes=slabsan,verify -S %s | FileCheck %s
; RUN: %opt -load-pass-plugin=%plugin -passes='slabsan<focused>' -S %s | FileCheck %s --check-prefix=FOCUSED

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@hello = private constant [6 x i8] c"hello\00"

declare void @llvm.memcpy.p0i8.p0i8.i64(i8*, i8*, i64, i1)
declare void @llvm.memcpy.inline.p0i8.p0i8.i64(i8*, i8*, i64, i1)
declare void @llvm.memmove.p0i8.p0i8.i32(i8*, i8*, i32, i1)
declare void @llvm.memset.p0i8.i64(i8*, i8, i64, i1)
declare void @llvm.memcpy.element.unordered.atomic.p0i8.p0i8.i64(i8*, i8*, i64, i32)
declare void @use(i8*)

; CHECK-LABEL: define void @copies(
; CHECK: call {{i8\*|ptr}} @__slabsan_memcpy({{i8\*|ptr}} %d, {{i8\*|ptr}} %s, i64 %n, {{%slabsan.site\*|ptr}}
; CHECK-NEXT: call {{i8\*|ptr}} @__slabsan_memcpy({{i8\*|ptr}} %d, {{i8\*|ptr}} %s, i64 16,
; A 32-bit length widens to size_t.
; CHECK-NEXT: [[N:%.*]] = zext i32 %n32 to i64
; CHECK-NEXT: call {{i8\*|ptr}} @__slabsan_memmove({{i8\*|ptr}} %d, {{i8\*|ptr}} %s, i64 [[N]],
; The fill byte travels as an int, as memset's does.
; CHECK-NEXT: [[C:%.*]] = zext i8 %c to i32
; CHECK-NEXT: call {{i8\*|ptr}} @__slabsan_memset({{i8\*|ptr}} %d, i32 [[C]], i64 %n,
; CHECK-NEXT: call {{i8\*|ptr}} @__slabsan_memset({{i8\*|ptr}} %d, i32 0, i64 8,
; Element-wise atomic copies are not mem intrinsics of the ABI.
; CHECK-NEXT: call void @llvm.memcpy.element.unordered.atomic
; CHECK-NOT: call void @llvm.mem
; CHECK: ret void
; FOCUSED-LABEL: define void @copies(
; FOCUSED: call void @llvm.memcpy.{{p0i8.p0i8|p0.p0}}.i64(
; FOCUSED-NOT: __slabsan_mem
; FOCUSED: ret void
define void @copies(i8* %d, i8* %s, i64 %n, i32 %n32, i8 %c) {
  call void @llvm.memcpy.p0i8.p0i8.i64(i8* %d, i8* %s, i64 %n, i1 false)
  call void @llvm.memcpy.inline.p0i8.p0i8.i64(i8* %d, i8* %s, i64 16, i1 false)
  call void @llvm.memmove.p0i8.p0i8.i32(i8* %d, i8* %s, i32 %n32, i1 false)
  call void @llvm.memset.p0i8.i64(i8* %d, i8 %c, i64 %n, i1 false)
  call void @llvm.memset.p0i8.i64(i8* %d, i8 0, i64 8, i1 true)
  call void @llvm.memcpy.element.unordered.atomic.p0i8.p0i8.i64(i8* align 4 %d, i8* align 4 %s, i64 16, i32 4)
  ret void
}

; Filling or initializing a buffer no other thread can see is skipped; once
; the buffer escapes, the copy into it is checked.
; CHECK-LABEL: define void @locals(
; CHECK: call void @llvm.memset.{{p0i8|p0}}.i64({{i8\*|ptr}} %priv.p,
; CHECK-NEXT: call void @llvm.memcpy.{{p0i8.p0i8|p0.p0}}.i64({{i8\*|ptr}} %priv.p, {{i8\*|ptr}} {{.*}}@hello
; CHECK-NEXT: call {{i8\*|ptr}} @__slabsan_memcpy({{i8\*|ptr}} %shared.p, {{i8\*|ptr}} {{.*}}@hello
; CHECK: ret void
define void @locals() {
  %priv = alloca [6 x i8]
  %priv.p = getelementptr [6 x i8], [6 x i8]* %priv, i64 0, i64 0
  %shared = alloca [6 x i8]
  %shared.p = getelementptr [6 x i8], [6 x i8]* %shared, i64 0, i64 0
  call void @llvm.memset.p0i8.i64(i8* %priv.p, i8 0, i64 6, i1 false)
  call void @llvm.memcpy.p0i8.p0i8.i64(i8* %priv.p, i8* getelementptr ([6 x i8], [6 x i8]* @hello, i64 0, i64 0), i64 6, i1 false)
  call void @llvm.memcpy.p0i8.p0i8.i64(i8* %shared.p, i8* getelementptr ([6 x i8], [6 x i8]* @hello, i64 0, i64 0), i64 6, i1 false)
  call void @use(i8* %shared.p)
  ret void
}
