; SPDX-License-Identifier: Apache-2.0
; Atomics and fences are replaced by the runtime call that performs them:
; values travel as i64 and come back at their own type, orders in C11
; numbering, and cmpxchg's {T, i1} is rebuilt from the old value. What the
; runtime cannot perform stays, between the edges its order makes.
; Pointer types read {{i8\*|ptr}}: LLVM 14 prints typed pointers, LLVM 19 `ptr`.
; RUN: %opt -load-pass-plugin=%plugin -passes=slabsan,verify -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; A site keeps its access's order in flags bits 8-10 (relaxed 0, acquire
; 2 << 8, seq_cst 5 << 8), beside volatile (2), and a compare-exchange its
; failure order in bits 11-13 (acq_rel/acquire, read-modify-write 8:
; 8 | 4 << 8 | 2 << 11 = 5128; a volatile release/monotonic one 778), as do
; libatomic calls whose orders are constants.
; CHECK: @__slabsan_sites = internal global [{{[0-9]+}} x %slabsan.site] [%slabsan.site { i32 0, i32 0, i32 0, i32 0, {{[^}]*}} }, %slabsan.site { i32 0, i32 0, i32 0, i32 512, {{[^}]*}} }, %slabsan.site { i32 0, i32 0, i32 0, i32 1280, {{[^}]*}} }, %slabsan.site { i32 0, i32 0, i32 0, i32 1282,
; CHECK-SAME: %slabsan.site { i32 0, i32 0, i32 0, i32 5128,
; CHECK-SAME: %slabsan.site { i32 0, i32 0, i32 0, i32 778,

; CHECK-LABEL: define void @loads_stores(
; CHECK-NOT: load atomic
; unordered and monotonic are both relaxed (0).
; CHECK: [[A:%.*]] = call i64 @__slabsan_atomic_load({{i8\*|ptr}} %p8, i32 1, i32 0,
; CHECK-NEXT: %a = trunc i64 [[A]] to i8
; CHECK: [[B:%.*]] = call i64 @__slabsan_atomic_load({{i8\*|ptr}} {{%.*}}, i32 2, i32 0,
; CHECK-NEXT: %b = trunc i64 [[B]] to i16
; CHECK: [[C:%.*]] = call i64 @__slabsan_atomic_load({{i8\*|ptr}} {{%.*}}, i32 4, i32 2,
; CHECK-NEXT: %c = trunc i64 [[C]] to i32
; CHECK: %d = call i64 @__slabsan_atomic_load({{i8\*|ptr}} {{%.*}}, i32 8, i32 5,
; CHECK: [[E:%.*]] = call i64 @__slabsan_atomic_load({{i8\*|ptr}} {{%.*}}, i32 8, i32 2,
; CHECK-NEXT: %e = inttoptr i64 [[E]] to {{i8\*|ptr}}
; CHECK: [[F:%.*]] = call i64 @__slabsan_atomic_load({{i8\*|ptr}} {{%.*}}, i32 4, i32 0,
; CHECK-NEXT: [[F32:%.*]] = trunc i64 [[F]] to i32
; CHECK-NEXT: %f = bitcast i32 [[F32]] to float
; A volatile atomic is an atomic (and its site, the fourth, says volatile).
; CHECK: [[G:%.*]] = call i64 @__slabsan_atomic_load({{i8\*|ptr}} {{%.*}}, i32 8, i32 5, {{.*}} i64 0, i64 3))
; CHECK-NEXT: %g = bitcast i64 [[G]] to double
; CHECK: [[A64:%.*]] = zext i8 %a to i64
; CHECK-NEXT: call void @__slabsan_atomic_store({{i8\*|ptr}} %p8, i64 [[A64]], i32 1, i32 0,
; CHECK: [[B64:%.*]] = zext i16 %b to i64
; CHECK-NEXT: call void @__slabsan_atomic_store({{i8\*|ptr}} {{%.*}}, i64 [[B64]], i32 2, i32 3,
; CHECK: [[E64:%.*]] = ptrtoint {{i8\*|ptr}} %e to i64
; CHECK-NEXT: call void @__slabsan_atomic_store({{i8\*|ptr}} {{%.*}}, i64 [[E64]], i32 8, i32 3,
; CHECK: [[FI:%.*]] = bitcast float %f to i32
; CHECK-NEXT: [[F64:%.*]] = zext i32 [[FI]] to i64
; CHECK-NEXT: call void @__slabsan_atomic_store({{i8\*|ptr}} {{%.*}}, i64 [[F64]], i32 4, i32 5,
; CHECK: [[G64:%.*]] = bitcast double %g to i64
; CHECK-NEXT: call void @__slabsan_atomic_store({{i8\*|ptr}} {{%.*}}, i64 [[G64]], i32 8, i32 3,
; CHECK-NOT: store atomic
; CHECK: ret void
define void @loads_stores(i8* %p8, i16* %p16, i32* %p32, i64* %p64, i8** %pp, float* %pf, double* %pd) {
  %a = load atomic i8, i8* %p8 unordered, align 1
  %b = load atomic i16, i16* %p16 monotonic, align 2
  %c = load atomic i32, i32* %p32 acquire, align 4
  %d = load atomic i64, i64* %p64 seq_cst, align 8
  %e = load atomic i8*, i8** %pp acquire, align 8
  %f = load atomic float, float* %pf monotonic, align 4
  %g = load atomic volatile double, double* %pd seq_cst, align 8
  store atomic i8 %a, i8* %p8 monotonic, align 1
  store atomic i16 %b, i16* %p16 release, align 2
  store atomic i8* %e, i8** %pp release, align 8
  store atomic float %f, float* %pf seq_cst, align 4
  store atomic volatile double %g, double* %pd release, align 8
  ret void
}

; SLABSAN_RMW_*: xchg 0, add 1, sub 2, and 3, or 4, xor 5, nand 6, max 7,
; min 8, umax 9, umin 10; then the operation's order.
; CHECK-LABEL: define i32 @rmw(
; CHECK: [[X:%.*]] = call i64 @__slabsan_atomic_rmw({{i8\*|ptr}} {{%.*}}, i64 1, i32 4, i32 0, i32 5,
; CHECK-NEXT: %x = trunc i64 [[X]] to i32
; CHECK: call i64 @__slabsan_atomic_rmw({{.*}}, i32 4, i32 1, i32 0,
; CHECK: call i64 @__slabsan_atomic_rmw({{.*}}, i32 4, i32 2, i32 2,
; CHECK: call i64 @__slabsan_atomic_rmw({{.*}}, i32 4, i32 3, i32 3,
; CHECK: call i64 @__slabsan_atomic_rmw({{.*}}, i32 4, i32 4, i32 4,
; CHECK: call i64 @__slabsan_atomic_rmw({{.*}}, i32 4, i32 5, i32 5,
; CHECK: call i64 @__slabsan_atomic_rmw({{.*}}, i32 4, i32 6, i32 5,
; CHECK: call i64 @__slabsan_atomic_rmw({{.*}}, i32 4, i32 7, i32 5,
; CHECK: call i64 @__slabsan_atomic_rmw({{.*}}, i32 4, i32 8, i32 5,
; CHECK: call i64 @__slabsan_atomic_rmw({{.*}}, i32 4, i32 9, i32 5,
; CHECK: call i64 @__slabsan_atomic_rmw({{.*}}, i32 4, i32 10, i32 5,
; A 1-byte operand is zero-extended on the way in.
; CHECK: [[V8:%.*]] = zext i8 %v8 to i64
; CHECK-NEXT: call i64 @__slabsan_atomic_rmw({{i8\*|ptr}} %p8, i64 [[V8]], i32 1, i32 1, i32 5,
; xchg of a float goes through its bits.
; CHECK: call i64 @__slabsan_atomic_rmw({{i8\*|ptr}} {{%.*}}, i64 1073741824, i32 4, i32 0, i32 5,
; CHECK: %xf = bitcast i32 {{%.*}} to float
; No runtime operation for fadd, and no 16-byte atomics: left as they are,
; under their location's lock (edge_before), then recorded at their site as
; a marked access of their size with the edges of their order (edge_after:
; the order, then the kind: 0 a load, 1 a store, 2 a read-modify-write).
; CHECK: call void @__slabsan_atomic_edge_before({{i8\*|ptr}} {{%.*}})
; CHECK-NEXT: atomicrmw fadd {{float\*|ptr}} %pf, float 1.000000e+00 seq_cst
; CHECK-NEXT: call void @__slabsan_atomic_edge_after({{i8\*|ptr}} {{%.*}}, i64 4, i32 5, i32 2, {{.*}}@__slabsan_sites
; CHECK: call void @__slabsan_atomic_edge_before({{i8\*|ptr}} {{%.*}})
; CHECK-NEXT: atomicrmw add {{i128\*|ptr}} %p128, i128 1 seq_cst
; CHECK-NEXT: call void @__slabsan_atomic_edge_after({{i8\*|ptr}} {{%.*}}, i64 16, i32 5, i32 2, {{.*}}@__slabsan_sites
; CHECK: call void @__slabsan_atomic_edge_before({{i8\*|ptr}} {{%.*}})
; CHECK-NEXT: load atomic i128, {{i128\*|ptr}} %p128 acquire, align 16
; CHECK-NEXT: call void @__slabsan_atomic_edge_after({{i8\*|ptr}} {{%.*}}, i64 16, i32 2, i32 0, {{.*}}@__slabsan_sites
; A 16-byte compare-exchange is a read-modify-write with its success order
; if it stored, else a load with its failure order.
; CHECK: call void @__slabsan_atomic_edge_before({{i8\*|ptr}} {{%.*}})
; CHECK-NEXT: %cx = cmpxchg {{i128\*|ptr}} %p128, i128 0, i128 1 acq_rel acquire
; CHECK-NEXT: [[CXOK:%.*]] = extractvalue { i128, i1 } %cx, 1
; CHECK-NEXT: [[CXNZ:%.*]] = icmp ne i1 [[CXOK]], false
; CHECK-NEXT: [[CXKIND:%.*]] = select i1 [[CXNZ]], i32 2, i32 0
; CHECK-NEXT: [[CXORDER:%.*]] = select i1 [[CXNZ]], i32 4, i32 2
; CHECK-NEXT: call void @__slabsan_atomic_edge_after({{i8\*|ptr}} {{%.*}}, i64 16, i32 [[CXORDER]], i32 [[CXKIND]], {{.*}}@__slabsan_sites
; CHECK: ret i32
define i32 @rmw(i32* %p, i8* %p8, i8 %v8, float* %pf, i128* %p128) {
  %x = atomicrmw xchg i32* %p, i32 1 seq_cst
  %1 = atomicrmw add i32* %p, i32 1 monotonic
  %2 = atomicrmw sub i32* %p, i32 1 acquire
  %3 = atomicrmw and i32* %p, i32 1 release
  %4 = atomicrmw or i32* %p, i32 1 acq_rel
  %5 = atomicrmw xor i32* %p, i32 1 seq_cst
  %6 = atomicrmw nand i32* %p, i32 1 seq_cst
  %7 = atomicrmw max i32* %p, i32 1 seq_cst
  %8 = atomicrmw min i32* %p, i32 1 seq_cst
  %9 = atomicrmw umax i32* %p, i32 1 seq_cst
  %10 = atomicrmw umin i32* %p, i32 1 seq_cst
  %11 = atomicrmw add i8* %p8, i8 %v8 seq_cst
  %xf = atomicrmw xchg float* %pf, float 2.0 seq_cst
  %12 = atomicrmw fadd float* %pf, float 1.0 seq_cst
  %13 = atomicrmw add i128* %p128, i128 1 seq_cst
  %14 = load atomic i128, i128* %p128 acquire, align 16
  %cx = cmpxchg i128* %p128, i128 0, i128 1 acq_rel acquire
  ret i32 %x
}

; Calls into libatomic (a 16-byte atomic without cmpxchg16b): the generic
; functions take the size first, the sized ones the object first; the order
; is the last argument, a compare-exchange's success order the one before.
; Other calls named __atomic_ are left alone.
; CHECK-LABEL: define i1 @libatomic(
; CHECK: call void @__slabsan_atomic_edge_before({{i8\*|ptr}} %obj)
; CHECK-NEXT: call void @__atomic_load(i64 16, {{i8\*|ptr}} %obj, {{i8\*|ptr}} %ret, i32 2)
; CHECK-NEXT: call void @__slabsan_atomic_edge_after({{i8\*|ptr}} %obj, i64 16, i32 2, i32 0, {{.*}}@__slabsan_sites
; CHECK: call void @__slabsan_atomic_edge_before({{i8\*|ptr}} %obj)
; CHECK-NEXT: %ok = call i1 @__atomic_compare_exchange(i64 16, {{i8\*|ptr}} %obj, {{i8\*|ptr}} %ret, {{i8\*|ptr}} %new, i32 4, i32 2)
; CHECK-NEXT: [[OK:%.*]] = icmp ne i1 %ok, false
; CHECK-NEXT: [[KIND:%.*]] = select i1 [[OK]], i32 2, i32 0
; CHECK-NEXT: [[ORDER:%.*]] = select i1 [[OK]], i32 4, i32 2
; CHECK-NEXT: call void @__slabsan_atomic_edge_after({{i8\*|ptr}} %obj, i64 16, i32 [[ORDER]], i32 [[KIND]], {{.*}}@__slabsan_sites
; CHECK: call void @__slabsan_atomic_edge_before({{i8\*|ptr}} {{%.*}})
; CHECK-NEXT: call void @__atomic_store_16({{i128\*|ptr}} %obj16, i128 7, i32 3)
; CHECK-NEXT: call void @__slabsan_atomic_edge_after({{i8\*|ptr}} {{%.*}}, i64 16, i32 3, i32 1, {{.*}}@__slabsan_sites
; CHECK: call void @__slabsan_atomic_edge_before({{i8\*|ptr}} {{%.*}})
; CHECK-NEXT: call i128 @__atomic_fetch_add_16({{i128\*|ptr}} %obj16, i128 1, i32 0)
; CHECK-NEXT: call void @__slabsan_atomic_edge_after({{i8\*|ptr}} {{%.*}}, i64 16, i32 0, i32 2, {{.*}}@__slabsan_sites
; CHECK: call void @__slabsan_atomic_edge_before({{i8\*|ptr}} %obj)
; CHECK-NEXT: call void @__atomic_store(i64 %n, {{i8\*|ptr}} %obj, {{i8\*|ptr}} %new, i32 5)
; CHECK-NEXT: call void @__slabsan_atomic_edge_after({{i8\*|ptr}} %obj, i64 %n, i32 5, i32 1, {{.*}}@__slabsan_sites
; CHECK-NEXT: call void @__atomic_helper_of_mine({{i8\*|ptr}} %obj)
; CHECK-NEXT: call void @__slabsan_func_exit()
define i1 @libatomic(i8* %obj, i8* %ret, i8* %new, i128* %obj16, i64 %n) {
  call void @__atomic_load(i64 16, i8* %obj, i8* %ret, i32 2)
  %ok = call i1 @__atomic_compare_exchange(i64 16, i8* %obj, i8* %ret, i8* %new, i32 4, i32 2)
  call void @__atomic_store_16(i128* %obj16, i128 7, i32 3)
  %old = call i128 @__atomic_fetch_add_16(i128* %obj16, i128 1, i32 0)
  call void @__atomic_store(i64 %n, i8* %obj, i8* %new, i32 5)
  call void @__atomic_helper_of_mine(i8* %obj)
  ret i1 %ok
}
declare void @__atomic_load(i64, i8*, i8*, i32)
declare i1 @__atomic_compare_exchange(i64, i8*, i8*, i8*, i32, i32)
declare void @__atomic_store_16(i128*, i128, i32)
declare i128 @__atomic_fetch_add_16(i128*, i128, i32)
declare void @__atomic_store(i64, i8*, i8*, i32)
declare void @__atomic_helper_of_mine(i8*)

; The result pair: old value at T's width, success = (old == expected)
; compared at T's width; the failure order is passed too.
; CHECK-LABEL: define i1 @cmpxchg(
; CHECK: [[E8:%.*]] = zext i8 %e8 to i64
; CHECK-NEXT: [[N8:%.*]] = zext i8 %n8 to i64
; CHECK-NEXT: [[O8:%.*]] = call i64 @__slabsan_atomic_cmpxchg({{i8\*|ptr}} %p8, i64 [[E8]], i64 [[N8]], i32 1, i32 4, i32 2,
; CHECK-NEXT: [[T8:%.*]] = trunc i64 [[O8]] to i8
; CHECK-NEXT: [[S8:%.*]] = icmp eq i8 [[T8]], %e8
; CHECK-NEXT: [[V8:%.*]] = trunc i64 [[O8]] to i8
; CHECK-NEXT: [[P8:%.*]] = insertvalue { i8, i1 } poison, i8 [[V8]], 0
; CHECK-NEXT: %r8 = insertvalue { i8, i1 } [[P8]], i1 [[S8]], 1
; CHECK-NEXT: %ok8 = extractvalue { i8, i1 } %r8, 1
; Pointers compare as integers and come back through inttoptr; weak is strong.
; CHECK: [[EP:%.*]] = ptrtoint {{i8\*|ptr}} %ep to i64
; CHECK-NEXT: [[NP:%.*]] = ptrtoint {{i8\*|ptr}} %np to i64
; CHECK-NEXT: [[OP:%.*]] = call i64 @__slabsan_atomic_cmpxchg({{i8\*|ptr}} {{%.*}}, i64 [[EP]], i64 [[NP]], i32 8, i32 5, i32 0,
; CHECK-NEXT: [[EPI:%.*]] = ptrtoint {{i8\*|ptr}} %ep to i64
; CHECK-NEXT: [[SP:%.*]] = icmp eq i64 [[OP]], [[EPI]]
; CHECK-NEXT: [[VP:%.*]] = inttoptr i64 [[OP]] to {{i8\*|ptr}}
; CHECK-NEXT: [[PP:%.*]] = insertvalue { {{i8\*|ptr}}, i1 } poison, {{i8\*|ptr}} [[VP]], 0
; CHECK-NEXT: %rp = insertvalue { {{i8\*|ptr}}, i1 } [[PP]], i1 [[SP]], 1
; An unused result builds no pair.
; CHECK: call i64 @__slabsan_atomic_cmpxchg({{i8\*|ptr}} {{%.*}}, i64 0, i64 1, i32 4, i32 3, i32 0,
; CHECK-NEXT: %ok = and i1 %ok8, %okp
; CHECK-NOT: cmpxchg
; CHECK: ret i1 %ok
define i1 @cmpxchg(i8* %p8, i8 %e8, i8 %n8, i8** %pp, i8* %ep, i8* %np, i32* %p32) {
  %r8 = cmpxchg i8* %p8, i8 %e8, i8 %n8 acq_rel acquire
  %ok8 = extractvalue { i8, i1 } %r8, 1
  %rp = cmpxchg weak i8** %pp, i8* %ep, i8* %np seq_cst monotonic
  %okp = extractvalue { i8*, i1 } %rp, 1
  %unused = cmpxchg volatile i32* %p32, i32 0, i32 1 release monotonic
  %ok = and i1 %ok8, %okp
  ret i1 %ok
}

; Fences become the runtime's fence; a signal fence only constrains the
; compiler and stays.
; CHECK-LABEL: define void @fences(
; CHECK: call void @__slabsan_atomic_fence(i32 2,
; CHECK-NEXT: call void @__slabsan_atomic_fence(i32 3,
; CHECK-NEXT: call void @__slabsan_atomic_fence(i32 4,
; CHECK-NEXT: call void @__slabsan_atomic_fence(i32 5,
; CHECK-NEXT: fence syncscope("singlethread") seq_cst
; CHECK-NOT: fence
; CHECK: ret void
define void @fences() {
  fence acquire
  fence release
  fence acq_rel
  fence seq_cst
  fence syncscope("singlethread") seq_cst
  ret void
}

; Atomics on a stack slot that never escapes cannot synchronize with anyone.
; CHECK-LABEL: define i32 @local_atomic(
; CHECK-NEXT: %l = alloca i32
; CHECK-NEXT: store atomic i32 1, {{i32\*|ptr}} %l release, align 4
; CHECK-NEXT: %v = load atomic i32, {{i32\*|ptr}} %l acquire, align 4
; CHECK-NEXT: ret i32 %v
define i32 @local_atomic() {
  %l = alloca i32
  store atomic i32 1, i32* %l release, align 4
  %v = load atomic i32, i32* %l acquire, align 4
  ret i32 %v
}
