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

#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/GlobalVariable.h"

#include <optional>
#include <string>

using namespace llvm;

namespace {

// T without the typedefs and qualifiers around it.
const DIType *stripped(const DIType *T) {
  while (const auto *D = dyn_cast_or_null<DIDerivedType>(T)) {
    switch (D->getTag()) {
    case dwarf::DW_TAG_typedef:
    case dwarf::DW_TAG_const_type:
    case dwarf::DW_TAG_volatile_type:
    case dwarf::DW_TAG_atomic_type:
    case dwarf::DW_TAG_restrict_type:
      T = D->getBaseType();
      continue;
    default:
      return T;
    }
  }
  return T;
}

// The member path (".in.b", "[2]") of the Size bits at bit Offset of a
// value of type T: "" when they are all of T, nullopt when no member or
// element holds exactly them.
std::optional<std::string> partOf(const DIType *T, uint64_t Offset, uint64_t Size) {
  T = stripped(T);
  if (!T)
    return std::nullopt;
  if (Offset == 0 && Size == T->getSizeInBits())
    return std::string();
  const auto *CT = dyn_cast<DICompositeType>(T);
  if (!CT)
    return std::nullopt;
  if (CT->getTag() == dwarf::DW_TAG_array_type) {
    const DIType *Element = stripped(CT->getBaseType());
    uint64_t Bits = Element ? Element->getSizeInBits() : 0;
    if (!Bits || CT->getElements().size() != 1)   // one dimension only
      return std::nullopt;
    auto Rest = partOf(Element, Offset % Bits, Size);
    if (!Rest)
      return std::nullopt;
    return "[" + std::to_string(Offset / Bits) + "]" + *Rest;
  }
  for (const Metadata *Node : CT->getElements()) {
    const auto *Member = dyn_cast<DIDerivedType>(Node);
    if (!Member || Member->getTag() != dwarf::DW_TAG_member || Member->getName().empty())
      continue;
    uint64_t Start = Member->getOffsetInBits(), Bits = Member->getSizeInBits();
    if (Offset < Start || Offset + Size > Start + Bits)
      continue;
    if (auto Rest = partOf(Member->getBaseType(), Offset - Start, Size))
      return "." + Member->getName().str() + *Rest;
  }
  return std::nullopt;
}

} // namespace

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
    if (auto Path = partOf(Var->getType(), Fragment->OffsetInBits, Fragment->SizeInBits);
        Path && !Path->empty())
      GV.setName(Symbol + *Path);
  }
}
