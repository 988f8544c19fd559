// SPDX-License-Identifier: Apache-2.0
// Which member of which struct an access reaches, for reports. Clang's
// struct-path TBAA tag on a load or store says it exactly: the outermost
// struct's name and the offset within it (`p->in.b` is "account" at 36),
// whatever shape the optimizer left the address in (LLVM 15 on folds
// `p->balance` to a byte offset and keeps no struct type). Read-modify-
// writes, atomics, char arrays and unoptimized code carry no such tag;
// there the address itself says it: the field its GEP selects and the
// structs it was computed in, by the IR's types (unoptimized code, typed
// pointers) and by the types debug info gives the pointers on the way (an
// atomic's byte offset from `p`, LLVM 15 on). Debug info then turns struct
// and offset into member names, the outermost struct's as TBAA gives them.
// Where the types disagree the access stays unnamed.
#include "MemberNames.h"
#include "Compat.h"

#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfo.h"
#include "llvm/IR/GetElementPtrTypeIterator.h"
#include "llvm/IR/Operator.h"

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

// The field a GEP's struct index selects, and where in it the address
// lies: Within bits from its start when the indices after it are constant
// (`p->payload[1]`), else unknown (`p->name[i]`).
struct StructField {
  StructType *Type = nullptr;
  unsigned Index = 0;
  std::optional<uint64_t> Within;
};

StructField gepStructField(const Value *Addr, const DataLayout &DL) {
  while (const auto *BC = dyn_cast<BitCastOperator>(Addr))
    Addr = BC->getOperand(0);
  StructField Found;
  if (const auto *GEP = dyn_cast<GEPOperator>(Addr)) {
    for (auto GTI = gep_type_begin(GEP), E = gep_type_end(GEP); GTI != E; ++GTI) {
      const auto *Index = dyn_cast<ConstantInt>(GTI.getOperand());
      if (StructType *ST = GTI.getStructTypeOrNull())
        Found = {ST, unsigned(Index->getZExtValue()), 0};
      else if (Found.Within && Index && !Index->isNegative())
        *Found.Within += Index->getZExtValue() * 8 *
                         DL.getTypeAllocSize(GTI.getIndexedType()).getFixedValue();
      else
        Found.Within.reset();
    }
    return Found;   // (an array GEP alone, unoptimized `p->name[i]`: fromAddress names it)
  }
  // An optimized access to field 0 needs no GEP, only the struct pointer,
  // whose type names the struct only with typed pointers.
  if (StructType *ST = slabsan::compat::pointeeStruct(Addr))
    return {ST, 0, 0};
  return Found;
}

// "struct.account" (or "struct.account.12", a second type of that name in
// the context) -> "account".
StringRef irStructName(const StructType *ST) {
  if (!ST->hasName())
    return "";
  StringRef Name = ST->getName();
  for (StringRef Prefix : {"struct.", "union.", "class."})
    if (slabsan::compat::startsWith(Name, Prefix)) {
      Name = Name.drop_front(Prefix.size());
      break;
    }
  auto [Base, Number] = Name.rsplit('.');
  if (!Number.empty() && Number.find_first_not_of("0123456789") == StringRef::npos)
    Name = Base;
  return Name;
}

// How far the variable a debug value describes lies from the value: 0 for
// the value itself, -8 for `container_of(l, struct obj, node)` with node at
// offset 8 (DW_OP_constu 8, DW_OP_minus). Any other expression: nullopt.
std::optional<int64_t> variableOffset(const DIExpression *E) {
  ArrayRef<uint64_t> Ops = E->getElements();
  if (Ops.empty())
    return 0;
  if (Ops.back() != dwarf::DW_OP_stack_value)   // else a location, not a value
    return std::nullopt;
  Ops = Ops.drop_back();
  if (Ops.size() == 2 && Ops[0] == dwarf::DW_OP_plus_uconst)
    return int64_t(Ops[1]);
  if (Ops.size() == 3 && Ops[0] == dwarf::DW_OP_constu && Ops[2] == dwarf::DW_OP_plus)
    return int64_t(Ops[1]);
  if (Ops.size() == 3 && Ops[0] == dwarf::DW_OP_constu && Ops[2] == dwarf::DW_OP_minus)
    return -int64_t(Ops[1]);
  return std::nullopt;
}

// A global's type in debug info; null without it, or for a global the
// optimizer split off a bigger one (it describes a fragment).
const DIType *globalType(const GlobalVariable &GV) {
  SmallVector<DIGlobalVariableExpression *, 1> Parts;
  GV.getDebugInfo(Parts);
  if (Parts.size() != 1 || Parts[0]->getExpression()->getNumElements() != 0)
    return nullptr;
  return Parts[0]->getVariable()->getType();
}

// The type a pointer type points to; null for any other type.
const DIType *pointee(const DIType *T) {
  const auto *D = dyn_cast_or_null<DIDerivedType>(stripped(T));
  return D && D->getTag() == dwarf::DW_TAG_pointer_type ? D->getBaseType() : nullptr;
}

// Of two names for one access, the one that names the struct around the
// other ("struct obj::node.next" over "struct list_head::next", the member
// reached through a pointer to the embedded list node); "" with Conflict
// set when neither lies in the other (a pointer cast to an unrelated type).
std::string outermost(const std::string &A, const std::string &B, bool &Conflict) {
  if (A.empty() || A == B)
    return B;
  if (B.empty())
    return A;
  StringRef PathA = StringRef(A).rsplit("::").second, PathB = StringRef(B).rsplit("::").second;
  if (slabsan::compat::endsWith(PathA, ("." + PathB).str()))
    return A;
  if (slabsan::compat::endsWith(PathB, ("." + PathA).str()))
    return B;
  Conflict = true;
  return "";
}

// memberPath below a struct, union or array type: nullopt for the whole of it.
std::optional<std::string> pathInside(const DICompositeType *CT, uint64_t Offset, uint64_t Size,
                                      slabsan::Depth To) {
  if (CT->getTag() == dwarf::DW_TAG_array_type) {
    const DIType *Element = stripped(CT->getBaseType());
    uint64_t Bits = Element ? Element->getSizeInBits() : 0;
    if (!Bits || CT->getElements().size() != 1)   // one dimension only
      return std::nullopt;
    auto Rest = slabsan::memberPath(Element, Offset % Bits, Size, To);
    if (!Rest)
      return std::nullopt;
    return "[" + std::to_string(Offset / Bits) + "]" + *Rest;
  }
  // In a union every member starts at 0: the bits name one only when no
  // other member holds them too.
  bool IsUnion = CT->getTag() == dwarf::DW_TAG_union_type;
  std::optional<std::string> Found;
  for (const Metadata *Node : CT->getElements()) {
    const auto *Member = dyn_cast<DIDerivedType>(Node);
    if (!Member || Member->getTag() != dwarf::DW_TAG_member)
      continue;
    uint64_t Start = Member->getOffsetInBits(), Bits = Member->getSizeInBits();
    if (Offset < Start || Offset + Size > Start + Bits)
      continue;
    auto Rest = slabsan::memberPath(Member->getBaseType(), Offset - Start, Size, To);
    if (!Rest)
      continue;
    // an anonymous struct or union member adds no name of its own
    if (Member->getName().empty() && Rest->empty())
      continue;
    std::string Path = Member->getName().empty() ? *Rest : "." + Member->getName().str() + *Rest;
    if (!IsUnion)
      return Path;
    if (Found)
      return std::nullopt;
    Found = std::move(Path);
  }
  return Found;
}

} // namespace

std::optional<std::string> slabsan::memberPath(const DIType *T, uint64_t Offset, uint64_t Size,
                                               Depth To) {
  T = stripped(T);
  if (!T)
    return std::nullopt;
  bool Whole = Offset == 0 && Size == T->getSizeInBits();
  if (Whole && To == Depth::Outermost)
    return std::string();
  const auto *CT = dyn_cast<DICompositeType>(T);
  std::optional<std::string> Inside = CT ? pathInside(CT, Offset, Size, To) : std::nullopt;
  // (a struct whose one member fills it, or a union whose members all do)
  if (Whole && !Inside)
    return std::string();
  return Inside;
}

std::pair<StructType *, unsigned> slabsan::structFieldOf(const Value *Addr,
                                                         const DataLayout &DL) {
  StructField F = gepStructField(Addr, DL);
  return {F.Type, F.Index};
}

std::optional<slabsan::MemberNames::NamedType> slabsan::MemberNames::named(const DIType *T) {
  // `typedef struct { ... } point`: the typedef is the only name
  StringRef Typedef;
  for (const DIType *U = T; U; ) {
    const auto *D = dyn_cast<DIDerivedType>(U);
    if (!D)
      break;
    if (D->getTag() == dwarf::DW_TAG_typedef && Typedef.empty())
      Typedef = D->getName();
    U = D->getTag() == dwarf::DW_TAG_pointer_type ? nullptr : D->getBaseType();
  }
  const auto *CT = dyn_cast_or_null<DICompositeType>(stripped(T));
  if (!CT || CT->isForwardDecl())
    return std::nullopt;
  unsigned Tag = CT->getTag();
  if (Tag != dwarf::DW_TAG_structure_type && Tag != dwarf::DW_TAG_union_type)
    return std::nullopt;
  if (!CT->getName().empty())
    return NamedType{CT, (Tag == dwarf::DW_TAG_union_type ? "union " : "struct ") +
                             CT->getName().str()};
  if (Typedef.empty())
    return std::nullopt;
  return NamedType{CT, Typedef.str()};
}

const slabsan::MemberNames::NamedType *slabsan::MemberNames::lookup(StringRef Name) {
  if (!Scanned) {
    Scanned = true;
    DebugInfoFinder Finder;
    Finder.processModule(M);
    // struct and union tags first: a typedef of the same name is the same type
    SmallVector<const DIDerivedType *, 16> Typedefs;
    for (const DIType *T : Finder.types()) {
      if (const auto *CT = dyn_cast<DICompositeType>(T)) {
        if (std::optional<NamedType> N = named(CT); N && !CT->getName().empty())
          ByName.try_emplace(CT->getName(), *N);
      } else if (const auto *D = dyn_cast<DIDerivedType>(T)) {
        if (D->getTag() == dwarf::DW_TAG_typedef && !D->getName().empty())
          Typedefs.push_back(D);
      }
    }
    for (const DIDerivedType *D : Typedefs)
      if (std::optional<NamedType> N = named(D))
        ByName.try_emplace(D->getName(), *N);
  }
  auto It = ByName.find(Name);
  return It == ByName.end() ? nullptr : &It->second;
}

std::string slabsan::MemberNames::describe(const NamedType *T, uint64_t Offset,
                                           uint64_t Size) {
  if (!T)
    return "";
  std::optional<std::string> Path = memberPath(T->Type, Offset, Size, Depth::Innermost);
  if (!Path || Path->empty())
    return "";
  return T->Shown + "::" + Path->substr(1);
}

// Struct-path TBAA: !{base type, access type, offset}, the base type
// !{!"account", member type, offset, ...}. A scalar access's base is its
// own type, which names no member.
std::string slabsan::MemberNames::fromTbaa(const Instruction &Access, uint64_t SizeBits) {
  const MDNode *Tag = Access.getMetadata(LLVMContext::MD_tbaa);
  if (!Tag || Tag->getNumOperands() < 3 || Tag->getOperand(0) == Tag->getOperand(1))
    return "";
  const auto *Base = dyn_cast<MDNode>(Tag->getOperand(0));
  const auto *Offset = mdconst::dyn_extract<ConstantInt>(Tag->getOperand(2));
  if (!Base || !Offset || Base->getNumOperands() == 0)
    return "";
  const auto *Name = dyn_cast<MDString>(Base->getOperand(0));
  if (!Name)
    return "";
  return describe(lookup(Name->getString()), Offset->getZExtValue() * 8, SizeBits);
}

std::string slabsan::MemberNames::fromGep(const Value *Addr, uint64_t SizeBits) {
  const DataLayout &DL = M.getDataLayout();
  StructField F = gepStructField(Addr, DL);
  if (!F.Type || F.Type->isOpaque() || F.Index >= F.Type->getNumElements())
    return "";
  uint64_t Start = DL.getStructLayout(F.Type)->getElementOffsetInBits(F.Index);
  StringRef Name = irStructName(F.Type);
  const NamedType *T = Name.empty() ? nullptr : lookup(Name);
  // the access itself where its place is known (a member of a member, an
  // element), else the field it lies in (an element of an array member)
  if (F.Within)
    if (std::string Member = describe(T, Start + *F.Within, SizeBits); !Member.empty())
      return Member;
  return describe(T, Start, DL.getTypeSizeInBits(F.Type->getElementType(F.Index)));
}

// The structs the address was computed in, outward from the access: at
// each constant offset on the way, the struct a GEP indexes (the IR's type:
// `-O0`, typed pointers), the struct a variable holding the pointer points
// to (its type in debug info), a global struct (`&stats.hits`), and the
// struct a pointer loaded from a global points to (`head->next`). A pointer
// into an embedded member (container_of's argument) points to that member,
// so an access inside it is inside the member; container_of's result keeps
// its own variable, the argument minus the member's offset (variableOffset),
// which names the outer struct. The outermost name that contains the
// others wins (Named, the innermost field's, among them); two unrelated
// structs (a pointer cast between types) name nothing.
std::string slabsan::MemberNames::fromAddress(const Value *Addr, uint64_t SizeBits,
                                              std::string Named) {
  const DataLayout &DL = M.getDataLayout();
  bool Conflict = false;
  auto consider = [&](const NamedType *T, int64_t Offset) {
    if (T && Offset >= 0)
      Named = outermost(Named, describe(T, uint64_t(Offset) * 8, SizeBits), Conflict);
  };
  auto considerDebug = [&](const DIType *Type, int64_t Offset) {
    if (std::optional<NamedType> T = named(Type))
      consider(&*T, Offset);
  };
  int64_t Offset = 0; // of the access from V
  for (const Value *V = Addr; V && !Conflict;) {
    for (const compat::DebugValue &D : compat::debugValuesOf(const_cast<Value *>(V)))
      if (std::optional<int64_t> From = variableOffset(D.Expression))
        considerDebug(pointee(D.Variable->getType()), Offset - *From);
    if (const auto *GV = dyn_cast<GlobalVariable>(V))
      considerDebug(globalType(*GV), Offset);
    if (const auto *Load = dyn_cast<LoadInst>(V))
      if (const auto *GV = dyn_cast<GlobalVariable>(Load->getPointerOperand()->stripPointerCasts()))
        considerDebug(pointee(globalType(*GV)), Offset);
    if (const auto *GEP = dyn_cast<GEPOperator>(V)) {
      APInt Step(DL.getIndexTypeSizeInBits(GEP->getType()), 0);
      if (!GEP->accumulateConstantOffset(DL, Step)) {
        // `p->name[i]`: an element at a computed index lies in the array,
        // which the structs around it can name as a whole
        const auto *Array = dyn_cast<ArrayType>(GEP->getSourceElementType());
        const auto *First = dyn_cast<ConstantInt>(GEP->getOperand(1));
        if (!Array || GEP->getNumIndices() != 2 || !First || !First->isZero() || Offset != 0)
          break;
        SizeBits = DL.getTypeSizeInBits(const_cast<ArrayType *>(Array)).getFixedValue();
        V = GEP->getPointerOperand();
        continue;
      }
      Offset += Step.getSExtValue();
      V = GEP->getPointerOperand();
      if (const auto *ST = dyn_cast<StructType>(GEP->getSourceElementType()))
        if (StringRef Name = irStructName(ST); !Name.empty())
          consider(lookup(Name), Offset);
    } else if (isa<BitCastOperator>(V) || isa<PtrToIntOperator>(V) ||
               (isa<Operator>(V) && cast<Operator>(V)->getOpcode() == Instruction::IntToPtr)) {
      V = cast<Operator>(V)->getOperand(0);   // (a pointer loaded as an integer)
    } else {
      V = nullptr;
    }
  }
  return Conflict ? "" : Named;
}

std::string slabsan::MemberNames::memberOf(const Instruction &Access, const Value *Addr,
                                           uint64_t SizeBits) {
  if (std::string Member = fromTbaa(Access, SizeBits); !Member.empty())
    return Member;
  return fromAddress(Addr, SizeBits, fromGep(Addr, SizeBits));
}
