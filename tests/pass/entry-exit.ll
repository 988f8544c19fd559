; SPDX-License-Identifier: Apache-2.0
; Report stacks: __slabsan_func_entry(return address) at entry and
; __slabsan_func_exit before every way out, in functions that were
; instrumented or call something; the function-level skip rules; the
; once-per-function inline-asm note; the cut back after setjmp returns;
; and instrumenting a module only once.
; Pointer types read {{i8\*|ptr}}: LLVM 14 prints typed pointers, LLVM 19 `ptr`.
; RUN: %opt -load-pass-plugin=%plugin -passes=slabsan,verify -S %s | FileCheck %s
; RUN: %opt -load-pass-plugin=%plugin -passes=slabsan,slabsan,verify -S %s | FileCheck %s
; The pass plugin is also an ordinary -load library for its cl::opts.
; RUN: %opt -load=%plugin -load-pass-plugin=%plugin -passes=slabsan \
; RUN:   -slabsan-instrument-func-entry-exit=0 -S %s | FileCheck %s --check-prefix=NOSTACK

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@g = global i32 0

declare void @callee()
declare i32 @__gxx_personality_v0(...)

; CHECK-LABEL: define i32 @two_returns(
; CHECK-NEXT: [[RA:%.*]] = call {{i8\*|ptr}} @llvm.returnaddress(i32 0), !dbg [[ENTRY:![0-9]+]]
; CHECK-NEXT: call void @__slabsan_func_entry({{i8\*|ptr}} [[RA]]), !dbg [[ENTRY]]
; CHECK-NEXT: %slot = alloca i32
; CHECK: call void @__slabsan_func_exit(), !dbg [[RET1:![0-9]+]]
; CHECK-NEXT: ret i32 0, !dbg [[RET1]]
; CHECK: call void @__slabsan_func_exit(), !dbg [[RET2:![0-9]+]]
; CHECK-NEXT: ret i32 %v, !dbg [[RET2]]
; NOSTACK-LABEL: define i32 @two_returns(
; NOSTACK-NOT: __slabsan_func_
; NOSTACK: ret i32 %v
define i32 @two_returns(i1 %c) !dbg !5 {
  %slot = alloca i32
  br i1 %c, label %a, label %b
a:
  ret i32 0, !dbg !9
b:
  %v = load i32, i32* @g, !dbg !10
  ret i32 %v, !dbg !10
}

; A leaf that touches nothing the runtime sees never shows up in a stack.
; CHECK-LABEL: define i32 @leaf(
; CHECK-NEXT: %s = add i32 %a, 1
; CHECK-NEXT: ret i32 %s
define i32 @leaf(i32 %a) {
  %s = add i32 %a, 1
  ret i32 %s
}

; A caller does: its callees' accesses need it on the stack.
; CHECK-LABEL: define void @caller(
; CHECK-NEXT: call {{i8\*|ptr}} @llvm.returnaddress(i32 0)
; CHECK-NEXT: call void @__slabsan_func_entry(
; CHECK-NEXT: call void @callee()
; CHECK-NEXT: call void @__slabsan_func_exit()
; CHECK-NEXT: ret void
define void @caller() {
  call void @callee()
  ret void
}

; A local function only this module calls enters without the runtime's
; question whether foreign code called it; a local one whose address is
; taken (a callback qsort() may call) asks, as every external one does.
; CHECK-LABEL: define internal void @local_only(
; CHECK-NEXT: [[RA2:%.*]] = call {{i8\*|ptr}} @llvm.returnaddress(i32 0)
; CHECK-NEXT: call void @__slabsan_func_entry_local({{i8\*|ptr}} [[RA2]])
define internal void @local_only() {
  call void @callee()
  ret void
}

; CHECK-LABEL: define internal void @local_callback(
; CHECK-NEXT: call {{i8\*|ptr}} @llvm.returnaddress(i32 0)
; CHECK-NEXT: call void @__slabsan_func_entry({{i8\*|ptr}}
define internal void @local_callback() {
  call void @callee()
  ret void
}

define void @uses_them(void ()** %out) {
  call void @local_only()
  store void ()* @local_callback, void ()** %out
  ret void
}

; Nothing may come between a musttail call and its ret.
; CHECK-LABEL: define i32 @tail(
; CHECK: call void @__slabsan_func_exit()
; CHECK-NEXT: %r = musttail call i32 @tail(i32 %a)
; CHECK-NEXT: ret i32 %r
define i32 @tail(i32 %a) {
  store i32 %a, i32* @g
  %r = musttail call i32 @tail(i32 %a)
  ret i32 %r
}

; Unwinding out of the function leaves it too.
; CHECK-LABEL: define void @unwinds(
; CHECK: call void @__slabsan_func_exit()
; CHECK-NEXT: ret void
; CHECK: call void @__slabsan_func_exit()
; CHECK-NEXT: resume { {{i8\*|ptr}}, i32 } %lp
define void @unwinds() personality i32 (...)* @__gxx_personality_v0 {
  invoke void @callee() to label %ok unwind label %lpad
ok:
  ret void
lpad:
  %lp = landingpad { i8*, i32 } cleanup
  resume { i8*, i32 } %lp
}

; Real inline asm that may touch memory (a memory clobber here) is noted
; once, right after entry; an empty asm with a memory clobber is a
; compiler barrier and no code, and asm that touches no memory (nop,
; pause, cpuid) cannot be synchronization: neither is noted.
; CHECK-LABEL: define void @has_asm(
; CHECK-NEXT: call {{i8\*|ptr}} @llvm.returnaddress(i32 0)
; CHECK-NEXT: call void @__slabsan_func_entry(
; CHECK-NEXT: call void @__slabsan_note_inline_asm({{%slabsan.site\*|ptr}}
; CHECK-NEXT: call void asm sideeffect "", "~{memory}"()
; CHECK-NEXT: call void asm sideeffect "nop", ""()
; CHECK-NEXT: call void asm sideeffect "mfence", "~{memory}"()
; CHECK-NEXT: call void @__slabsan_func_exit()
; CHECK-NOT: __slabsan_note_inline_asm
; CHECK: ret void
define void @has_asm() {
  call void asm sideeffect "", "~{memory}"()
  call void asm sideeffect "nop", ""()
  call void asm sideeffect "mfence", "~{memory}"()
  ret void
}

; CHECK-LABEL: define i32 @asm_without_memory(
; CHECK-NOT: __slabsan_note_inline_asm
; CHECK: ret i32
define i32 @asm_without_memory(i32 %leaf) {
  call void asm sideeffect "pause", ""()
  %r = call { i32, i32, i32, i32 } asm sideeffect "cpuid", "={ax},={bx},={cx},={dx},0"(i32 %leaf)
  %a = extractvalue { i32, i32, i32, i32 } %r, 0
  call void @callee()
  ret i32 %a
}

; CHECK-LABEL: define void @barrier_only(
; CHECK-NEXT: call void asm sideeffect "", "~{memory}"()
; CHECK-NEXT: ret void
define void @barrier_only() {
  call void asm sideeffect "", "~{memory}"()
  ret void
}

; A function that calls setjmp reads its depth after its entry and cuts
; the stack back to it after every return of the call (a longjmp skipped
; the exits of the frames in between).
; CHECK-LABEL: define i32 @calls_setjmp(
; CHECK-NEXT: call {{i8\*|ptr}} @llvm.returnaddress(i32 0)
; CHECK-NEXT: call void @__slabsan_func_entry(
; CHECK-NEXT: [[DEPTH:%.*]] = call i32 @__slabsan_stack_depth()
; CHECK-NEXT: %r = call i32 @_setjmp({{i8\*|ptr}} %env)
; CHECK-NEXT: call void @__slabsan_stack_unwind(i32 [[DEPTH]])
; CHECK-NEXT: call void @callee()
; CHECK-NOT: __slabsan_stack_unwind
; CHECK: ret i32 %r
define i32 @calls_setjmp(i8* %env) {
  %r = call i32 @_setjmp(i8* %env)
  call void @callee()
  ret i32 %r
}
declare i32 @_setjmp(i8*) returns_twice

; Never instrumented: the runtime's own functions, naked functions, and
; functions that opted out of sanitizers.
; CHECK-LABEL: define void @__slabsan_helper(
; CHECK-NEXT: store i32 1, {{i32\*|ptr}} @g
; CHECK-NEXT: call void @callee()
; CHECK-NEXT: ret void
define void @__slabsan_helper() {
  store i32 1, i32* @g
  call void @callee()
  ret void
}

; CHECK-LABEL: define void @naked(
; CHECK-NEXT: call void asm sideeffect "ret", ""()
; CHECK-NEXT: unreachable
define void @naked() naked {
  call void asm sideeffect "ret", ""()
  unreachable
}

; CHECK-LABEL: define void @opted_out(
; CHECK-NEXT: store i32 1, {{i32\*|ptr}} @g
; CHECK-NEXT: call void @callee()
; CHECK-NEXT: ret void
define void @opted_out() disable_sanitizer_instrumentation {
  store i32 1, i32* @g
  call void @callee()
  ret void
}

; The entry call carries the function's scope line; exits their ret's line.
; CHECK-DAG: [[ENTRY]] = !DILocation(line: 3, scope: [[SP:![0-9]+]])
; CHECK-DAG: [[RET1]] = !DILocation(line: 5, column: 3, scope: [[SP]])
; CHECK-DAG: [[RET2]] = !DILocation(line: 7, column: 3, scope: [[SP]])

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3, !4}
!0 = distinct !DICompileUnit(language: DW_LANG_C99, file: !1, producer: "hand", isOptimized: false, runtimeVersion: 0, emissionKind: FullDebug)
!1 = !DIFile(filename: "entry.c", directory: "/src")
!3 = !{i32 2, !"Debug Info Version", i32 3}
!4 = !{i32 7, !"Dwarf Version", i32 5}
!5 = distinct !DISubprogram(name: "two_returns", scope: !1, file: !1, line: 2, type: !6, scopeLine: 3, spFlags: DISPFlagDefinition, unit: !0)
!6 = !DISubroutineType(types: !7)
!7 = !{null}
!9 = !DILocation(line: 5, column: 3, scope: !5)
!10 = !DILocation(line: 7, column: 3, scope: !5)
