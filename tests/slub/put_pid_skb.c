// SPDX-License-Identifier: Apache-2.0
// put_pid.c with kfree_skb()'s skb_unref(): the last holder reads the count
// with refcount_read(), sees 1, issues smp_rmb() and frees; the other holder
// dropped its reference with refcount_dec_and_test(), a release. The kfree()
// is control-dependent on the read that saw the release, so LKMM orders it
// after the other holder's accesses (and C11's mapping of smp_rmb(), an
// acquire fence, orders it too): silent.
// Regression test: SlabSan once got this wrong.
// Was: heap.c check_free() orders a free by thr->clock only; smp_rmb() puts
// what it acquired in read_extra (reads only), so this free is reported as
// "free without acquire" although the report's own Fix text recommends
// exactly this smp_rmb(). A free after smp_rmb() should count read_extra.
// RUN: %slabsan-cc -O1 -g -DPUT_SKB %S/put_pid.c -o %t
// RUN: %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty
// CHECK-NOT: SlabSan
