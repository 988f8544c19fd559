// SPDX-License-Identifier: Apache-2.0
// Names for the globals the optimizer splits off a static aggregate
// (GlobalNames.cpp).
#ifndef SLABSAN_PASS_GLOBALNAMES_H
#define SLABSAN_PASS_GLOBALNAMES_H

#include "llvm/IR/Module.h"

namespace slabsan {

// Renames each internal global that holds one part of a variable (GlobalOpt
// calls `static struct {...} slot`'s parts slot.0, slot.1, ...) after that
// part, as its debug info says: slot.hits, slot.in.b, slot.arr[2].
void nameSplitGlobals(llvm::Module &M);

} // namespace slabsan

#endif
