; SPDX-License-Identifier: Apache-2.0
; Repeated plain accesses in one basic block (pass/Redundant.cpp): a later
; access covered by an earlier one of the same address, and a read covered
; by a later write, are not instrumented; a call, an atomic, a fence or a
; volatile access in between, a wider access, another address or another
; block keeps both. With -slabsan-omit-redundant=0 everything is kept.
; RUN: %opt -load-pass-plugin=%plugin -passes=slabsan,verify -S %s | FileCheck %s
; RUN: %opt -load=%plugin -load-pass-plugin=%plugin -slabsan-omit-redundant=0 \
; RUN:   -passes=slabsan -S %s | FileCheck %s --check-prefix=KEEP

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@x = global i64 0
@y = global i64 0
@flag = global i32 0
@g1 = global i64 0
@g2 = global i64 0
@g3 = global i64 0
@g4 = global i64 0

declare void @callee()

; x++: the write covers the read.
; CHECK-LABEL: define void @increment(
; CHECK-NOT: __slabsan_read
; CHECK: call void @__slabsan_write8({{.*}}@x
; CHECK-NOT: __slabsan_{{read|write}}
; CHECK: ret void
; KEEP-LABEL: define void @increment(
; KEEP: call void @__slabsan_read8({{.*}}@x
; KEEP: call void @__slabsan_write8({{.*}}@x
define void @increment() {
  %v = load i64, i64* @x
  %n = add i64 %v, 1
  store i64 %n, i64* @x
  ret void
}

; A read after a write, a second read, a second write: only the first of
; each address is checked; @y is another address.
; CHECK-LABEL: define i64 @repeats(
; CHECK: call void @__slabsan_write8({{.*}}@x
; CHECK-NEXT: store i64 1
; CHECK: call void @__slabsan_read8({{.*}}@y
; CHECK-NOT: __slabsan_{{read|write}}
; CHECK: ret i64
define i64 @repeats() {
  store i64 1, i64* @x
  %a = load i64, i64* @x
  %b = load i64, i64* @y
  %c = load i64, i64* @y
  store i64 2, i64* @x
  %s = add i64 %a, %b
  %t = add i64 %s, %c
  ret i64 %t
}

; Whatever may synchronize ends the stretch: each read is checked before
; the write of its own global.
; CHECK-LABEL: define void @boundaries(
; CHECK: call void @__slabsan_read8({{.*}}@g1
; CHECK: call void @callee()
; CHECK: call void @__slabsan_write8({{.*}}@g1
; CHECK: call void @__slabsan_read8({{.*}}@g2
; CHECK: call i64 @__slabsan_atomic_load(
; CHECK: call void @__slabsan_write8({{.*}}@g2
; CHECK: call void @__slabsan_read8({{.*}}@g3
; CHECK: call void @__slabsan_atomic_fence(
; CHECK: call void @__slabsan_write8({{.*}}@g3
; CHECK: call void @__slabsan_read8({{.*}}@g4
; CHECK: call i64 @__slabsan_atomic_load({{.*}}@flag
; CHECK: call void @__slabsan_write8({{.*}}@g4
define void @boundaries() {
  %a = load i64, i64* @g1
  call void @callee()
  store i64 %a, i64* @g1
  %b = load i64, i64* @g2
  %f = load atomic i32, i32* @flag acquire, align 4
  store i64 %b, i64* @g2
  %c = load i64, i64* @g3
  fence seq_cst
  store i64 %c, i64* @g3
  %d = load i64, i64* @g4
  %g = load volatile i32, i32* @flag
  store i64 %d, i64* @g4
  ret void
}

; A narrower write does not cover a wider read; another block is another
; stretch.
; CHECK-LABEL: define void @partial(
; CHECK: call void @__slabsan_read8({{.*}}@x
; CHECK: call void @__slabsan_write4(
; CHECK: next:
; CHECK: call void @__slabsan_write8({{.*}}@x
define void @partial() {
  %v = load i64, i64* @x
  %p = bitcast i64* @x to i32*
  store i32 0, i32* %p
  br label %next
next:
  store i64 %v, i64* @x
  ret void
}
