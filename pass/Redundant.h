// SPDX-License-Identifier: Apache-2.0
// Plain accesses the runtime need not be told about: another plain access
// to the same address in the same basic block covers them (Redundant.cpp).
#ifndef SLABSAN_PASS_REDUNDANT_H
#define SLABSAN_PASS_REDUNDANT_H

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/Function.h"

namespace slabsan {

// Of the plain (non-atomic, non-volatile) loads and stores in `Planned`,
// those that another one of them covers; see Redundant.cpp for the rules.
llvm::SmallPtrSet<const llvm::Instruction *, 16>
redundantAccesses(const llvm::Function &F,
                  const llvm::SmallPtrSetImpl<const llvm::Instruction *> &Planned,
                  const llvm::DataLayout &DL);

} // namespace slabsan

#endif
