// SPDX-License-Identifier: Apache-2.0
// Names of the parts of C aggregates, read from debug info: the member path
// of some bits of a variable (GlobalNames.cpp names split globals by it) and
// the struct member a load or store reaches, which a report prints beside
// the access ("Write of size 8 at 0x... (struct account::balance)").
#ifndef SLABSAN_PASS_MEMBERNAMES_H
#define SLABSAN_PASS_MEMBERNAMES_H

#include "llvm/ADT/StringMap.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Instruction.h"
#include "llvm/IR/Module.h"

#include <optional>
#include <string>
#include <utility>

namespace slabsan {

// Where a member path stops when the bits fill a whole struct: at the
// struct (a split global's part is "in", not "in.a" of a one-member
// struct), or at the innermost member that holds them (an access to
// `pool[0].word` reached "word").
enum class Depth { Outermost, Innermost };

// The member path (".in.b", "[2]") of the SizeBits bits at bit OffsetBits
// of a value of type T: "" when they are all of T (and, Innermost, of no
// single member of it), nullopt when no member or element holds exactly
// them (or, in a union, when several do).
std::optional<std::string> memberPath(const llvm::DIType *T, uint64_t OffsetBits,
                                      uint64_t SizeBits, Depth To = Depth::Outermost);

// The innermost struct type and field index the address was computed with,
// if the IR still shows it: {nullptr, 0} when not.
std::pair<llvm::StructType *, unsigned> structFieldOf(const llvm::Value *Addr,
                                                     const llvm::DataLayout &DL);

// The struct member an access reaches, as a report names it.
class MemberNames {
public:
  explicit MemberNames(llvm::Module &M) : M(M) {}

  // "struct account::balance", "struct account::in.b", "point::y" (a
  // typedef'd anonymous struct): the member of SizeBits bits that Access, a
  // load, store or atomic at Addr, reaches; "" when the IR or the debug info
  // does not say (no -g, a union's ambiguous member, a computed offset,
  // pointers of unrelated types to one address).
  std::string memberOf(const llvm::Instruction &Access, const llvm::Value *Addr,
                       uint64_t SizeBits);

  // A struct or union with the name a report gives it.
  struct NamedType {
    const llvm::DICompositeType *Type;
    std::string Shown; // "struct account", "union u", "point"
  };
  // T's, through typedefs and qualifiers; nullopt for other types, a
  // declaration only, or an anonymous struct no typedef names.
  static std::optional<NamedType> named(const llvm::DIType *T);

private:
  // The sources (MemberNames.cpp): the TBAA tag, exact where present;
  // else the field the address's last GEP selects, and the structs around
  // it that the address was computed in.
  std::string fromTbaa(const llvm::Instruction &Access, uint64_t SizeBits);
  std::string fromGep(const llvm::Value *Addr, uint64_t SizeBits);
  std::string fromAddress(const llvm::Value *Addr, uint64_t SizeBits, std::string Named);
  // the struct the TBAA tag or the IR type calls Name
  const NamedType *lookup(llvm::StringRef Name);
  std::string describe(const NamedType *T, uint64_t OffsetBits, uint64_t SizeBits);

  llvm::Module &M;
  bool Scanned = false;
  llvm::StringMap<NamedType> ByName; // by tag name, then by typedef name
};

} // namespace slabsan

#endif
