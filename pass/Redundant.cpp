// SPDX-License-Identifier: Apache-2.0
// Repeated accesses proven redundant within a basic block.
//
// Between two instructions that may synchronize (a call, an atomic, a
// fence, a volatile access) a thread's epoch cannot change, so for one
// address:
//  - a read or write after a write, or a read after a read, of no more
//    bytes finds the thread's own earlier slot and records nothing new
//    (the runtime's "subsumes" shortcut): the later access is dropped;
//  - a read before a write of at least its bytes conflicts with nothing
//    the write does not also conflict with, at the same moment in the
//    happens-before order: the read is dropped (ThreadSanitizer's
//    instrumentation omits these too).
// A report then names the access that was kept. "The same address" is the
// same IR value; accesses through different values that alias are kept.
#include "Redundant.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"

#include <algorithm>
#include <optional>

using namespace llvm;

namespace {

struct PlainAccess {
  const Value *Addr;
  uint64_t Size;
  bool IsWrite;
};

std::optional<PlainAccess> plainAccess(const Instruction &I, const DataLayout &DL) {
  if (const auto *LI = dyn_cast<LoadInst>(&I); LI && LI->isSimple())
    return PlainAccess{LI->getPointerOperand(),
                       DL.getTypeStoreSize(LI->getType()).getFixedValue(), false};
  if (const auto *SI = dyn_cast<StoreInst>(&I); SI && SI->isSimple())
    return PlainAccess{SI->getPointerOperand(),
                       DL.getTypeStoreSize(SI->getValueOperand()->getType()).getFixedValue(),
                       true};
  return std::nullopt;
}

// Could the thread's epoch change here, or another thread's access become
// ordered with ours? Debug-info and lifetime intrinsics emit no code.
bool maySynchronize(const Instruction &I) {
  if (const auto *CB = dyn_cast<CallBase>(&I))
    return !isa<DbgInfoIntrinsic>(CB) && !CB->isLifetimeStartOrEnd();
  if (I.isAtomic() || isa<FenceInst>(I))
    return true;
  if (const auto *LI = dyn_cast<LoadInst>(&I))
    return LI->isVolatile();
  if (const auto *SI = dyn_cast<StoreInst>(&I))
    return SI->isVolatile();
  return false;
}

} // namespace

SmallPtrSet<const Instruction *, 16>
slabsan::redundantAccesses(const Function &F,
                           const SmallPtrSetImpl<const Instruction *> &Planned,
                           const DataLayout &DL) {
  SmallPtrSet<const Instruction *, 16> Drop;
  for (const BasicBlock &BB : F) {
    // Forward: what earlier accesses of this stretch covered, per address.
    struct Covered { uint64_t Read = 0, Write = 0; };
    DenseMap<const Value *, Covered> Earlier;
    for (const Instruction &I : BB) {
      if (maySynchronize(I)) {
        Earlier.clear();
        continue;
      }
      std::optional<PlainAccess> A;
      if (!Planned.count(&I) || !(A = plainAccess(I, DL)))
        continue;
      Covered &C = Earlier[A->Addr];
      if (C.Write >= A->Size || (!A->IsWrite && C.Read >= A->Size)) {
        Drop.insert(&I);
        continue;
      }
      uint64_t &Seen = A->IsWrite ? C.Write : C.Read;
      Seen = std::max(Seen, A->Size);
    }
    // Backward: reads that a later write of this stretch covers.
    DenseMap<const Value *, uint64_t> LaterWrite;
    for (const Instruction &I : reverse(BB)) {
      if (maySynchronize(I)) {
        LaterWrite.clear();
        continue;
      }
      std::optional<PlainAccess> A;
      if (!Planned.count(&I) || Drop.count(&I) || !(A = plainAccess(I, DL)))
        continue;
      if (A->IsWrite) {
        uint64_t &W = LaterWrite[A->Addr];
        W = std::max(W, A->Size);
      } else if (LaterWrite.lookup(A->Addr) >= A->Size) {
        Drop.insert(&I);
      }
    }
  }
  return Drop;
}
