// SPDX-License-Identifier: Apache-2.0
// release_then_once.c under memory_model=lkmm: the consumer's READ_ONCE()
// does not acquire, but everything kfree() does is address-dependent on the
// loaded pointer (virt_to_slab() is arithmetic on it), and LKMM orders
// address-dependent accesses after the load. So the free and the
// allocator's metadata reads are ordered after the producer's release:
// silent, exit 0.
// Regression test: SlabSan once got this wrong.
// Was: the runtime applies the LKMM address dependency to the free check
// only (heap.c dependency_of()); kfree()'s reads of struct slab::slab_cache
// and ::obj_exts that follow are still reported as data races, though they
// are address-dependent on the same pointer. Needs a way to extend the
// dependency to the accesses the allocator makes on behalf of that free.
// RUN: %slabsan-cc -O1 -g %S/release_then_once.c -o %t
// RUN: env SLABSAN_OPTIONS=memory_model=lkmm %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty
// CHECK-NOT: SlabSan
