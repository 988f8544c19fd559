// SPDX-License-Identifier: Apache-2.0
// A report names a global by its symbol. When GlobalOpt splits a static
// struct or array whose address never escapes into one global per part,
// the symbols are the variable's name and a number (slot.0, slot.1): a
// report about `slot.hits` said 'slot.0'. The part's debug info keeps the
// variable and the bits it holds (a DW_OP_LLVM_fragment), from which the
// member path is read back. Only internal globals are renamed, so no other
// object file can refer to the old name; a debugger reads the variable
// from the debug info, which is left as it is.
#include "GlobalNames.h"
#include "Compat.h"
#include "MemberNames.h"

#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/GlobalVariable.h"

using namespace llvm;

void slabsan::nameSplitGlobals(Module &M) {
  for (GlobalVariable &GV : M.globals()) {
    if (!GV.hasLocalLinkage())
      continue;
    SmallVector<DIGlobalVariableExpression *, 1> Parts;
    GV.getDebugInfo(Parts);
    if (Parts.size() != 1)
      continue;
    const DIGlobalVariable *Var = Parts[0]->getVariable();
    auto Fragment = Parts[0]->getExpression()->getFragmentInfo();
    // only the optimizer's "<symbol>.<n>", where the symbol is the
    // variable's name, or "<function>.<name>" for a static local
    auto [Symbol, Number] = GV.getName().rsplit('.');
    if (!Var || !Fragment || Number.empty() ||
        Number.find_first_not_of("0123456789") != StringRef::npos ||
        (Symbol != Var->getName() && !compat::endsWith(Symbol, ("." + Var->getName()).str())))
      continue;
    if (auto Path = memberPath(Var->getType(), Fragment->OffsetInBits, Fragment->SizeInBits);
        Path && !Path->empty())
      GV.setName(Symbol + *Path);
  }
}
