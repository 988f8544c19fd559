// SPDX-License-Identifier: Apache-2.0
// The SlabSan instrumentation pass: turns a module's memory accesses, atomics
// and fences into calls to the runtime ABI of runtime/abi.h.
//
// Design note
// -----------
// The pass only decides which instructions the runtime must see and hands it
// what it needs (address, size, order, a source site). Shadow memory, clocks
// and reports all live in runtime/.
//
// Instrumented, in every function with a body:
//  - plain loads/stores: __slabsan_{read,write}{1,2,4,8,16} before the access,
//    or __slabsan_{read,write}_range for any other store size;
//  - volatile loads/stores: __slabsan_volatile_{read,write} before the access,
//    which stays (the runtime treats it as a marked access, like READ_ONCE);
//  - atomic load/store/atomicrmw/cmpxchg of 1, 2, 4 or 8 bytes, and fences:
//    replaced by the runtime call that performs them, so the memory effect
//    and its happens-before effect are one step. Values travel as i64;
//  - llvm.mem{cpy,move,set} (also .inline and volatile): replaced by
//    __slabsan_mem{cpy,move,set}, which check the ranges and do the work;
//  - __slabsan_func_entry/exit in every function that was instrumented above
//    or that calls a function: a leaf touching nothing the runtime sees can
//    never be on a report's stack, so it pays nothing;
//  - inline asm with a non-empty body: one __slabsan_note_inline_asm per
//    function at entry, because its accesses and barriers are invisible here.
// Focused mode keeps what decides synchronization and allocator metadata:
// atomics, fences, volatile accesses, plain accesses to __slabsan_meta fields,
// plus entry/exit (so reports keep stacks) and the inline-asm note.
//
// Skipped (each rule is one early return in the code, with its reason):
// functions named __slabsan*, naked and disable_sanitizer_instrumentation
// functions; accesses to non-escaping allocas, to constant globals, to llvm.*
// and __slabsan* globals, !nosanitize accesses, non-zero address spaces; and
// atomics the ABI cannot carry (other sizes, fadd/fsub/...), which are left as
// they are and counted. no_sanitize("thread") leaves no trace in IR unless
// -fsanitize=thread is on, so it is not honoured.
//
// Sites: every instrumented instruction names a struct slabsan_site. All of a
// module's sites go into one writable internal array (the runtime writes
// `id`), registered by a module constructor. The whole module is planned
// before any instruction changes: capture analysis must see the original IR
// (our calls take the addresses), and the array's size must be known before
// the first call can point into it.

#include "Compat.h"
#include "GlobalNames.h"
#include "MemberNames.h"
#include "Redundant.h"
#include "SlabSan.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Analysis/CaptureTracking.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfo.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Operator.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/StringSaver.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#include <map>
#include <stddef.h>
#include <tuple>

// The numbers the runtime expects (orders, RMW ops, site flags) come from
// the ABI header itself rather than from a copy.
extern "C" {
#include "../runtime/abi.h"
}

using namespace llvm;
namespace compat = slabsan::compat;

#define DEBUG_TYPE "slabsan"

// Counted even when this plugin is built with NDEBUG: -stats is how a user
// learns what the pass left out. (Whether -stats prints anything is the host
// LLVM's choice; release builds such as Debian's print nothing.)
ALWAYS_ENABLED_STATISTIC(NumReads, "Plain reads instrumented");
ALWAYS_ENABLED_STATISTIC(NumWrites, "Plain writes instrumented");
ALWAYS_ENABLED_STATISTIC(NumVolatile, "Volatile accesses instrumented");
ALWAYS_ENABLED_STATISTIC(NumAtomics, "Atomic operations replaced");
ALWAYS_ENABLED_STATISTIC(NumFences, "Fences replaced");
ALWAYS_ENABLED_STATISTIC(NumMemIntrinsics, "Memory intrinsics replaced");
ALWAYS_ENABLED_STATISTIC(NumMetaAccesses, "Accesses to __slabsan_meta fields");
ALWAYS_ENABLED_STATISTIC(NumFunctions, "Functions given entry/exit calls");
ALWAYS_ENABLED_STATISTIC(NumInlineAsmNotes, "Functions noted for inline asm");
ALWAYS_ENABLED_STATISTIC(NumSites, "Sites emitted");
ALWAYS_ENABLED_STATISTIC(NumSkippedAlloca, "Accesses to non-escaping allocas skipped");
ALWAYS_ENABLED_STATISTIC(NumSkippedConstGlobal, "Accesses to constant globals skipped");
ALWAYS_ENABLED_STATISTIC(NumSkippedNoSanitize, "!nosanitize accesses skipped");
ALWAYS_ENABLED_STATISTIC(NumSkippedAddrSpace, "Accesses outside address space 0 skipped");
ALWAYS_ENABLED_STATISTIC(NumSkippedFocused, "Plain accesses left out by focused mode");
ALWAYS_ENABLED_STATISTIC(NumSkippedRedundant, "Plain accesses another in their block covers");
ALWAYS_ENABLED_STATISTIC(NumUnsupportedAtomics,
                         "Atomics the ABI cannot carry, left as they are with their edges around");

static cl::opt<slabsan::Mode> ClMode(
    "slabsan-mode", cl::desc("What SlabSan instruments"),
    cl::init(slabsan::Mode::Full),
    cl::values(clEnumValN(slabsan::Mode::Full, "full", "every checkable access"),
               clEnumValN(slabsan::Mode::Focused, "focused",
                          "synchronization and __slabsan_meta fields only")));

// One switch per instrumentation class, for bisecting a miscompile or a
// runtime bug down to one kind of call.
static cl::opt<bool> ClInstrumentMemoryAccesses(
    "slabsan-instrument-memory-accesses", cl::init(true), cl::Hidden,
    cl::desc("Instrument plain loads and stores"));
static cl::opt<bool> ClOmitRedundant(
    "slabsan-omit-redundant", cl::init(true), cl::Hidden,
    cl::desc("Leave out plain accesses another in their basic block covers"));
static cl::opt<bool> ClInstrumentVolatile(
    "slabsan-instrument-volatile", cl::init(true), cl::Hidden,
    cl::desc("Instrument volatile loads and stores"));
static cl::opt<bool> ClVolatileAsAtomic(
    "slabsan-volatile-as-atomic", cl::init(true), cl::Hidden,
    cl::desc("Perform aligned volatile loads and stores of up to 8 bytes in the "
             "runtime, as relaxed atomics, so that fences order them"));
static cl::opt<bool> ClInstrumentAtomics(
    "slabsan-instrument-atomics", cl::init(true), cl::Hidden,
    cl::desc("Replace atomic operations and fences with runtime calls"));
static cl::opt<bool> ClInstrumentMemIntrinsics(
    "slabsan-instrument-memintrinsics", cl::init(true), cl::Hidden,
    cl::desc("Replace memcpy/memmove/memset intrinsics with runtime calls"));
static cl::opt<bool> ClInstrumentFuncEntryExit(
    "slabsan-instrument-func-entry-exit", cl::init(true), cl::Hidden,
    cl::desc("Call __slabsan_func_entry/exit for report stacks"));
static cl::opt<bool> ClNoteInlineAsm(
    "slabsan-note-inline-asm", cl::init(true), cl::Hidden,
    cl::desc("Tell the runtime which functions contain inline asm"));

static std::optional<slabsan::Mode> FrontendMode;

void slabsan::setModeFromFrontend(Mode M) { FrontendMode = M; }

// Names the pass creates or owns. A module carrying InstrumentedMarker was
// already instrumented, e.g. when both -fplugin= and -fpass-plugin= are given
// or ThinLTO runs the pipeline again after linking.
static constexpr const char *SitesName = "__slabsan_sites";
static constexpr const char *CtorName = "__slabsan_module_ctor";
static constexpr const char *DtorName = "__slabsan_module_dtor";
static constexpr const char *InstrumentedMarker = "slabsan.instrumented";
static constexpr const char *MetaAnnotation = "slabsan.meta";
static constexpr int CtorPriority = 0;

namespace {

// The runtime callees, declared in one place; types follow runtime/abi.h.
struct RuntimeABI {
  LLVMContext &Ctx;
  StructType *SiteTy;
  PointerType *SitePtrTy, *BytePtrTy;
  IntegerType *I32Ty, *I64Ty, *SizeTy;

  FunctionCallee Read[5], Write[5]; // 1, 2, 4, 8, 16 bytes
  FunctionCallee ReadRange, WriteRange, VolatileRead, VolatileWrite;
  FunctionCallee AtomicLoad, AtomicStore, AtomicRMW, AtomicCmpxchg,
      AtomicFence;
  FunctionCallee Memcpy, Memmove, Memset;
  FunctionCallee AtomicEdgeBefore, AtomicEdgeAfter;
  FunctionCallee FuncEntry, FuncEntryLocal, FuncExit, StackDepth, StackUnwind;
  FunctionCallee NoteInlineAsm, RegisterSites, UnregisterSites;
  Function *ReturnAddress;

  explicit RuntimeABI(Module &M);
  // Drops the declarations this module ended up not calling.
  void eraseUnused();
};

RuntimeABI::RuntimeABI(Module &M) : Ctx(M.getContext()) {
  // struct slabsan_site: u32 id, line, column, flags; then function, file,
  // field and inlined_at pointers.
  SiteTy = StructType::getTypeByName(Ctx, "slabsan.site");
  if (!SiteTy) {
    SiteTy = StructType::create(Ctx, "slabsan.site");
    Type *I32 = Type::getInt32Ty(Ctx), *Str = compat::bytePtrTy(Ctx);
    SiteTy->setBody({I32, I32, I32, I32, Str, Str, Str,
                     PointerType::getUnqual(SiteTy)});
  }
  SitePtrTy = PointerType::getUnqual(SiteTy);
  BytePtrTy = compat::bytePtrTy(Ctx);
  I32Ty = Type::getInt32Ty(Ctx);
  I64Ty = Type::getInt64Ty(Ctx);
  SizeTy = M.getDataLayout().getIntPtrType(Ctx);
  Type *Void = Type::getVoidTy(Ctx);

  // C functions that neither unwind nor call back into the program.
  AttributeList Attrs =
      AttributeList::get(Ctx, AttributeList::FunctionIndex,
                         ArrayRef<Attribute::AttrKind>{Attribute::NoUnwind});
  auto Declare = [&](StringRef Name, Type *Ret, ArrayRef<Type *> Params) {
    return M.getOrInsertFunction(Name, FunctionType::get(Ret, Params, false),
                                 Attrs);
  };

  for (unsigned I = 0; I < 5; ++I) {
    std::string Bytes = std::to_string(1u << I);
    Read[I] = Declare("__slabsan_read" + Bytes, Void, {BytePtrTy, SitePtrTy});
    Write[I] = Declare("__slabsan_write" + Bytes, Void, {BytePtrTy, SitePtrTy});
  }
  ReadRange = Declare("__slabsan_read_range", Void, {BytePtrTy, SizeTy, SitePtrTy});
  WriteRange = Declare("__slabsan_write_range", Void, {BytePtrTy, SizeTy, SitePtrTy});
  VolatileRead = Declare("__slabsan_volatile_read", Void, {BytePtrTy, SizeTy, SitePtrTy});
  VolatileWrite = Declare("__slabsan_volatile_write", Void, {BytePtrTy, SizeTy, SitePtrTy});
  AtomicLoad = Declare("__slabsan_atomic_load", I64Ty,
                       {BytePtrTy, I32Ty, I32Ty, SitePtrTy});
  AtomicStore = Declare("__slabsan_atomic_store", Void,
                        {BytePtrTy, I64Ty, I32Ty, I32Ty, SitePtrTy});
  AtomicRMW = Declare("__slabsan_atomic_rmw", I64Ty,
                      {BytePtrTy, I64Ty, I32Ty, I32Ty, I32Ty, SitePtrTy});
  AtomicCmpxchg = Declare("__slabsan_atomic_cmpxchg", I64Ty,
                          {BytePtrTy, I64Ty, I64Ty, I32Ty, I32Ty, I32Ty, SitePtrTy});
  AtomicFence = Declare("__slabsan_atomic_fence", Void, {I32Ty, SitePtrTy});
  Memcpy = Declare("__slabsan_memcpy", BytePtrTy,
                   {BytePtrTy, BytePtrTy, SizeTy, SitePtrTy});
  Memmove = Declare("__slabsan_memmove", BytePtrTy,
                    {BytePtrTy, BytePtrTy, SizeTy, SitePtrTy});
  Memset = Declare("__slabsan_memset", BytePtrTy,
                   {BytePtrTy, I32Ty, SizeTy, SitePtrTy});
  AtomicEdgeBefore = Declare("__slabsan_atomic_edge_before", Void, {BytePtrTy});
  AtomicEdgeAfter = Declare("__slabsan_atomic_edge_after", Void,
                            {BytePtrTy, SizeTy, I32Ty, I32Ty, SitePtrTy});
  FuncEntry = Declare("__slabsan_func_entry", Void, {BytePtrTy});
  FuncEntryLocal = Declare("__slabsan_func_entry_local", Void, {BytePtrTy});
  FuncExit = Declare("__slabsan_func_exit", Void, {});
  StackDepth = Declare("__slabsan_stack_depth", I32Ty, {});
  StackUnwind = Declare("__slabsan_stack_unwind", Void, {I32Ty});
  NoteInlineAsm = Declare("__slabsan_note_inline_asm", Void, {SitePtrTy});
  RegisterSites = Declare("__slabsan_register_sites", Void, {SitePtrTy, SizeTy});
  UnregisterSites = Declare("__slabsan_unregister_sites", Void, {SitePtrTy, SizeTy});
  ReturnAddress = compat::intrinsicDecl(M, Intrinsic::returnaddress);
}

void RuntimeABI::eraseUnused() {
  auto Erase = [](FunctionCallee C) {
    if (auto *F = dyn_cast<Function>(C.getCallee()); F && F->use_empty())
      F->eraseFromParent();
  };
  for (unsigned I = 0; I < 5; ++I)
    Erase(Read[I]), Erase(Write[I]);
  for (FunctionCallee C : {ReadRange, WriteRange, VolatileRead, VolatileWrite,
                           AtomicLoad, AtomicStore, AtomicRMW, AtomicCmpxchg,
                           AtomicFence, AtomicEdgeBefore, AtomicEdgeAfter,
                           Memcpy, Memmove, Memset, FuncEntry, FuncEntryLocal,
                           FuncExit, StackDepth, StackUnwind, NoteInlineAsm,
                           RegisterSites, UnregisterSites})
    Erase(C);
  if (ReturnAddress->use_empty())
    ReturnAddress->eraseFromParent();
}

// The module's sites, deduplicated, in creation order; emitted as one array.
class SiteTable {
public:
  SiteTable(Module &M, const RuntimeABI &ABI) : M(M), ABI(ABI), Saver(Alloc) {}

  // The site of I, creating the sites of the call chain it was inlined from.
  unsigned forInstruction(const Instruction &I, unsigned Flags, StringRef Field);
  // Creates the array, the constructor registering it and the destructor
  // handing it back; once, after the last site was made and before the
  // first ref().
  void emit();
  Constant *ref(unsigned Index) const;

private:
  struct Site {
    unsigned Line, Column, Flags;
    StringRef Function, File, Field; // empty File/Field: NULL
    int InlinedAt;                   // index, or -1
  };
  using Key = std::tuple<unsigned, unsigned, unsigned, StringRef, StringRef,
                         StringRef, int>;

  unsigned forLocation(const DILocation *Loc, const Function &F, unsigned Flags,
                       StringRef Field);
  unsigned intern(Site S);
  Constant *string(StringRef S);
  // An internal function that calls Callee(sites, number of sites).
  Function *callWithSites(const char *Name, FunctionCallee Callee);

  Module &M;
  const RuntimeABI &ABI;
  BumpPtrAllocator Alloc;
  StringSaver Saver;
  std::vector<Site> Sites;
  std::map<Key, unsigned> Index;
  StringMap<Constant *> Strings;
  GlobalVariable *Array = nullptr;
};

// The path reports print: absolute when debug info knows the compilation
// directory, so a site and a symbolized frame of the same file read alike.
static std::string sourcePath(StringRef Dir, StringRef File) {
  if (File.empty() || sys::path::is_absolute(File) || Dir.empty())
    return File.str();
  SmallString<256> Full(Dir);
  sys::path::append(Full, File);
  return std::string(Full.str());
}

unsigned SiteTable::forInstruction(const Instruction &I, unsigned Flags,
                                   StringRef Field) {
  const Function &F = *I.getFunction();
  if (const DILocation *Loc = I.getDebugLoc().get())
    return forLocation(Loc, F, Flags, Field);
  // Without a location (no -g, or an instruction the optimizer made up) the
  // function still names the place; with -g its file does too.
  if (const DISubprogram *SP = F.getSubprogram())
    return intern({0, 0, Flags, SP->getName(),
                   sourcePath(SP->getDirectory(), SP->getFilename()), Field, -1});
  return intern({0, 0, Flags, F.getName(), "", Field, -1});
}

unsigned SiteTable::forLocation(const DILocation *Loc, const Function &F,
                                unsigned Flags, StringRef Field) {
  int Parent = -1;
  if (const DILocation *Caller = Loc->getInlinedAt())
    Parent = forLocation(Caller, F, 0, "");
  // After inlining, the location's scope names the inlined callee.
  const DISubprogram *SP = Loc->getScope()->getSubprogram();
  StringRef Name = SP && !SP->getName().empty() ? SP->getName() : F.getName();
  return intern({Loc->getLine(), Loc->getColumn(), Flags, Name,
                 sourcePath(Loc->getDirectory(), Loc->getFilename()), Field,
                 Parent});
}

unsigned SiteTable::intern(Site S) {
  S.Function = Saver.save(S.Function);
  S.File = Saver.save(S.File);
  S.Field = Saver.save(S.Field);
  Key K{S.Line, S.Column, S.Flags, S.Function, S.File, S.Field, S.InlinedAt};
  auto [It, Inserted] = Index.try_emplace(K, Sites.size());
  if (Inserted)
    Sites.push_back(S);
  return It->second;
}

Constant *SiteTable::string(StringRef S) {
  if (S.empty())
    return ConstantPointerNull::get(ABI.BytePtrTy);
  Constant *&Slot = Strings[S];
  if (!Slot) {
    Constant *Init = ConstantDataArray::getString(M.getContext(), S);
    auto *GV = new GlobalVariable(M, Init->getType(), /*isConstant=*/true,
                                  GlobalValue::PrivateLinkage, Init,
                                  "__slabsan_str");
    GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    GV->setAlignment(Align(1));
    Slot = ConstantExpr::getPointerCast(GV, ABI.BytePtrTy);
  }
  return Slot;
}

void SiteTable::emit() {
  if (Sites.empty())
    return;
  auto *Ty = ArrayType::get(ABI.SiteTy, Sites.size());
  // Writable: the runtime stores each site's id into it.
  Array = new GlobalVariable(M, Ty, /*isConstant=*/false,
                             GlobalValue::InternalLinkage, nullptr, SitesName);
  Array->setAlignment(Align(alignof(struct slabsan_site)));
  std::vector<Constant *> Elements;
  for (const Site &S : Sites) {
    Constant *Parent = S.InlinedAt >= 0 ? ref(S.InlinedAt)
                                        : ConstantPointerNull::get(ABI.SitePtrTy);
    Elements.push_back(ConstantStruct::get(
        ABI.SiteTy,
        {ConstantInt::get(ABI.I32Ty, 0), ConstantInt::get(ABI.I32Ty, S.Line),
         ConstantInt::get(ABI.I32Ty, S.Column),
         ConstantInt::get(ABI.I32Ty, S.Flags), string(S.Function),
         string(S.File), string(S.Field), Parent}));
  }
  Array->setInitializer(ConstantArray::get(Ty, Elements));
  NumSites += Sites.size();

  // Priority 0, as the compiler-rt sanitizers use: every module's sites are
  // registered before any user constructor can run instrumented code, and
  // handed back after every user destructor (a library's dlclose() unmaps
  // them, and reports may still name them).
  appendToGlobalCtors(M, callWithSites(CtorName, ABI.RegisterSites), CtorPriority);
  appendToGlobalDtors(M, callWithSites(DtorName, ABI.UnregisterSites), CtorPriority);
}

Function *SiteTable::callWithSites(const char *Name, FunctionCallee Callee) {
  Function *F = Function::Create(FunctionType::get(Type::getVoidTy(M.getContext()), false),
                                 GlobalValue::InternalLinkage, Name, M);
  F->addFnAttr(Attribute::NoUnwind);
  IRBuilder<> IRB(BasicBlock::Create(M.getContext(), "", F));
  IRB.CreateCall(Callee, {ref(0), ConstantInt::get(ABI.SizeTy, Sites.size())});
  IRB.CreateRetVoid();
  return F;
}

Constant *SiteTable::ref(unsigned Index) const {
  Type *I64 = Type::getInt64Ty(M.getContext());
  Constant *Indices[] = {ConstantInt::get(I64, 0), ConstantInt::get(I64, Index)};
  return ConstantExpr::getInBoundsGetElementPtr(Array->getValueType(), Array,
                                                Indices);
}

// Names the __slabsan_meta field an access goes through. The header's
// annotate("slabsan.meta") makes clang wrap every use of the field's address
// in llvm.ptr.annotation, whose arguments also carry the field's file and
// line. Debug info is searched by that line (it works whatever shape the
// optimizer left the address computation in); without debug info the struct
// type and index of the GEP feeding the annotation give "struct S::field#N".
class MetaFields {
public:
  MetaFields(Module &M) : M(M) {}
  // "struct slab::stride" if Ptr addresses a meta field, else "".
  StringRef fieldOf(const Value *Ptr);

private:
  std::string describe(const IntrinsicInst &Annotation);
  const DIDerivedType *findMember(StringRef File, unsigned Line,
                                  StructType *ST, unsigned Idx);

  Module &M;
  DenseMap<const Value *, std::string> Names; // by annotation call
  std::multimap<unsigned, const DIDerivedType *> MembersByLine;
  bool ScannedDebugInfo = false;
};

StringRef MetaFields::fieldOf(const Value *Ptr) {
  // Sub-objects of a meta field (an array element, a member of a struct
  // field) are meta too, so walk back through any GEP, not just zero ones.
  for (unsigned Depth = 0; Depth < 8; ++Depth) {
    Ptr = Ptr->stripPointerCasts();
    if (const auto *II = dyn_cast<IntrinsicInst>(Ptr)) {
      if (II->getIntrinsicID() != Intrinsic::ptr_annotation)
        return "";
      auto It = Names.find(II);
      if (It == Names.end()) {
        StringRef Text;
        std::string Name;
        if (getConstantStringInfo(II->getArgOperand(1), Text) &&
            Text == MetaAnnotation)
          Name = describe(*II);
        It = Names.try_emplace(II, std::move(Name)).first;
      }
      return It->second;
    }
    const auto *GEP = dyn_cast<GEPOperator>(Ptr);
    if (!GEP)
      return "";
    Ptr = GEP->getPointerOperand();
  }
  return "";
}

static bool sameFile(const DIFile *F, StringRef Path) {
  if (!F)
    return false;
  if (F->getFilename() == Path)
    return true;
  SmallString<128> Full(F->getDirectory());
  sys::path::append(Full, F->getFilename());
  return Full == Path;
}

const DIDerivedType *MetaFields::findMember(StringRef File, unsigned Line,
                                            StructType *ST, unsigned Idx) {
  if (!ScannedDebugInfo) {
    ScannedDebugInfo = true;
    DebugInfoFinder Finder;
    Finder.processModule(M);
    for (const DIType *T : Finder.types())
      if (const auto *Member = dyn_cast<DIDerivedType>(T))
        if (Member->getTag() == dwarf::DW_TAG_member &&
            isa_and_nonnull<DICompositeType>(Member->getScope()))
          MembersByLine.emplace(Member->getLine(), Member);
  }
  // Several fields may sit on one line (and the same line number in several
  // headers): prefer the declaring file, then the IR's field offset.
  const DIDerivedType *Best = nullptr;
  int BestScore = -1;
  auto [Begin, End] = MembersByLine.equal_range(Line);
  for (auto It = Begin; It != End; ++It) {
    const DIDerivedType *Member = It->second;
    int Score = sameFile(Member->getFile(), File) ? 2 : 0;
    if (ST && !ST->isOpaque() && Idx < ST->getNumElements() &&
        M.getDataLayout().getStructLayout(ST)->getElementOffsetInBits(Idx) ==
            Member->getOffsetInBits())
      Score += 1;
    if (Score > BestScore)
      Best = Member, BestScore = Score;
  }
  return Best;
}

std::string MetaFields::describe(const IntrinsicInst &Annotation) {
  StringRef File;
  getConstantStringInfo(Annotation.getArgOperand(2), File);
  unsigned Line = 0;
  if (auto *C = dyn_cast<ConstantInt>(Annotation.getArgOperand(3)))
    Line = C->getZExtValue();
  auto [ST, Idx] = slabsan::structFieldOf(Annotation.getArgOperand(0), M.getDataLayout());

  // "struct.slab" -> "struct slab"; clang names C structs and unions so.
  std::string IRName;
  if (ST && ST->hasName()) {
    IRName = ST->getName().str();
    if (size_t Dot = IRName.find('.'); Dot != std::string::npos)
      IRName[Dot] = ' ';
  }

  if (const DIDerivedType *Member = findMember(File, Line, ST, Idx)) {
    // as any member is named (MemberNames), else by the IR's name for it
    const auto *Owner = cast<DICompositeType>(Member->getScope());
    std::optional<slabsan::MemberNames::NamedType> Named = slabsan::MemberNames::named(Owner);
    std::string Type = Named                ? Named->Shown
                       : !IRName.empty()    ? IRName
                       : Owner->getTag() == dwarf::DW_TAG_union_type ? "union <anonymous>"
                                                                     : "struct <anonymous>";
    return Type + "::" + Member->getName().str();
  }
  if (!IRName.empty())
    return IRName + "::field#" + std::to_string(Idx);
  // Neither debug info nor a struct GEP: the declaration still has a place.
  return "field at " + File.str() + ":" + std::to_string(Line);
}

// The site an instrumented instruction will get: interned only once the
// plan keeps the instruction, so the module's site table lists no access
// that was dropped as redundant. (A copy of the field's name: the table it
// comes from may grow meanwhile.)
struct SiteRequest {
  unsigned Flags;
  std::string Field;
};

// An atomic the runtime cannot perform for the program (16 bytes, a
// floating-point read-modify-write, a call into libatomic): it stays as it
// is, under its location's lock in the runtime, which then records it and
// makes the edges its order makes (abi.h).
struct EdgeOnlyAtomic {
  Instruction *I;
  Value *Addr;
  Value *Size;  // bytes, an integer
  Value *Order; // i32, C11 numbering
  // SLABSAN_EDGE_*; a compare-exchange is a read-modify-write if it
  // stored, else a load with its FailureOrder (i32; null for the others)
  unsigned Kind;
  Value *FailureOrder;
  unsigned SiteFlags;
  unsigned Site = 0; // set by plan()
};

// What the runtime must learn about one function, decided before any change.
struct FunctionPlan {
  Function *F = nullptr;
  SmallVector<std::pair<Instruction *, unsigned>, 16> Accesses; // with site
  std::optional<unsigned> InlineAsmSite;
  bool HasCalls = false;
  // setjmp, sigsetjmp, vfork: a longjmp returns through them past the
  // exits of the frames it skips
  SmallVector<CallBase *, 2> ReturnsTwice;
  SmallVector<EdgeOnlyAtomic, 2> EdgeOnlyAtomics;
};

class Instrumenter {
public:
  Instrumenter(Module &M, slabsan::Mode Mode)
      : M(M), DL(M.getDataLayout()), Focused(Mode == slabsan::Mode::Focused),
        ABI(M), Sites(M, ABI), Meta(M), Members(M) {}
  void run();

private:
  bool ignoreFunction(const Function &F) const;
  void plan(FunctionPlan &P);
  std::optional<SiteRequest> planAccess(Instruction &I, FunctionPlan &P);
  std::optional<EdgeOnlyAtomic> libatomicCall(CallInst &CI);
  void instrumentEdgeOnly(const EdgeOnlyAtomic &A);
  bool ignoreAddress(Value *Addr);
  bool escapes(const AllocaInst *AI);
  IntegerType *atomicCarrier(Type *T) const;
  bool volatileAsAtomic(const Instruction &I) const;

  void instrument(const FunctionPlan &P);
  void instrumentAccess(Instruction &I, unsigned Site);
  void instrumentPlain(Instruction &I, Value *Addr, Type *Ty, bool IsWrite,
                       bool IsVolatile, Constant *Site);
  void instrumentAtomic(Instruction &I, Constant *Site);
  void instrumentMemIntrinsic(MemIntrinsic &MI, Constant *Site);
  void instrumentEntryExit(Function &F, std::optional<unsigned> AsmSite,
                           ArrayRef<CallBase *> ReturnsTwice);

  Value *toI64(IRBuilder<> &IRB, Value *V, IntegerType *Carrier);
  Value *fromI64(IRBuilder<> &IRB, Value *V, IntegerType *Carrier, Type *T);

  Module &M;
  const DataLayout &DL;
  bool Focused;
  RuntimeABI ABI;
  SiteTable Sites;
  MetaFields Meta;
  slabsan::MemberNames Members;
  DenseMap<const AllocaInst *, bool> Escapes;
};

bool Instrumenter::ignoreFunction(const Function &F) const {
  if (F.isDeclaration())
    return true;
  // The runtime and our own constructor: instrumenting them would recurse.
  if (compat::startsWith(F.getName(), "__slabsan"))
    return true;
  // A naked function is all inline asm with no frame to put calls in.
  if (F.hasFnAttribute(Attribute::Naked))
    return true;
  // __attribute__((disable_sanitizer_instrumentation)) opts out of every tool.
  if (F.hasFnAttribute(Attribute::DisableSanitizerInstrumentation))
    return true;
  return false;
}

bool Instrumenter::escapes(const AllocaInst *AI) {
  auto [It, Inserted] = Escapes.try_emplace(AI, false);
  if (Inserted)
    It->second = compat::mayBeCaptured(AI);
  return It->second;
}

bool Instrumenter::ignoreAddress(Value *Addr) {
  // %fs/%gs-relative (per-CPU, TLS) and other non-flat addresses cannot be
  // named by a plain pointer, which is all the runtime's shadow maps.
  if (Addr->getType()->getPointerAddressSpace() != 0) {
    ++NumSkippedAddrSpace;
    return true;
  }
  // A swifterror value may only feed loads, stores and swifterror arguments.
  if (Addr->isSwiftError())
    return true;
  const Value *Obj = getUnderlyingObject(Addr);
  if (const auto *GV = dyn_cast<GlobalVariable>(Obj)) {
    // Nothing writes a constant, so nothing can race on it.
    if (GV->isConstant()) {
      ++NumSkippedConstGlobal;
      return true;
    }
    // Compiler and SlabSan bookkeeping (llvm.global_ctors, the site array),
    // not program data.
    if (compat::startsWith(GV->getName(), "llvm.") ||
        compat::startsWith(GV->getName(), "__slabsan"))
      return true;
  }
  // A stack slot whose address never leaves its function is seen by one
  // thread only.
  if (const auto *AI = dyn_cast<AllocaInst>(Obj))
    if (!escapes(AI)) {
      ++NumSkippedAlloca;
      return true;
    }
  return false;
}

// The integer type that carries a T through the ABI's uint64_t: T must be
// 1, 2, 4 or 8 bytes with no padding bits (no i1, no x86_fp80).
IntegerType *Instrumenter::atomicCarrier(Type *T) const {
  if (!T->isIntegerTy() && !T->isPointerTy() && !T->isFloatingPointTy())
    return nullptr;
  uint64_t Bytes = DL.getTypeStoreSize(T).getFixedValue();
  if (DL.getTypeSizeInBits(T).getFixedValue() != Bytes * 8 ||
      (Bytes != 1 && Bytes != 2 && Bytes != 4 && Bytes != 8))
    return nullptr;
  return IntegerType::get(M.getContext(), Bytes * 8);
}

static std::optional<uint32_t> rmwOp(AtomicRMWInst::BinOp Op) {
  switch (Op) {
  case AtomicRMWInst::Xchg: return SLABSAN_RMW_XCHG;
  case AtomicRMWInst::Add: return SLABSAN_RMW_ADD;
  case AtomicRMWInst::Sub: return SLABSAN_RMW_SUB;
  case AtomicRMWInst::And: return SLABSAN_RMW_AND;
  case AtomicRMWInst::Or: return SLABSAN_RMW_OR;
  case AtomicRMWInst::Xor: return SLABSAN_RMW_XOR;
  case AtomicRMWInst::Nand: return SLABSAN_RMW_NAND;
  case AtomicRMWInst::Max: return SLABSAN_RMW_MAX;
  case AtomicRMWInst::Min: return SLABSAN_RMW_MIN;
  case AtomicRMWInst::UMax: return SLABSAN_RMW_UMAX;
  case AtomicRMWInst::UMin: return SLABSAN_RMW_UMIN;
  default: return std::nullopt; // fadd, fsub, fmax, ...: no runtime op
  }
}

static uint32_t c11Order(AtomicOrdering O) {
  switch (O) {
  case AtomicOrdering::Acquire: return SLABSAN_ACQUIRE;
  case AtomicOrdering::Release: return SLABSAN_RELEASE;
  case AtomicOrdering::AcquireRelease: return SLABSAN_ACQ_REL;
  case AtomicOrdering::SequentiallyConsistent: return SLABSAN_SEQ_CST;
  default: return SLABSAN_RELAXED; // monotonic and unordered
  }
}

// Asm with neither a memory clobber nor a memory operand (cpuid, rdtsc,
// pause) cannot be a lock or a fence the runtime misses; every header's
// __get_cpuid_max made a note the user could do nothing about.
static bool asmMayTouchMemory(InlineAsm &IA) {
  for (const InlineAsm::ConstraintInfo &C : IA.ParseConstraints()) {
    if (C.isIndirect)
      return true;
    if (C.Type == InlineAsm::isClobber && is_contained(C.Codes, "{memory}"))
      return true;
  }
  return false;
}

// An atomic instruction's order; a compare-exchange's when it succeeds.
static AtomicOrdering successOrdering(const Instruction &I) {
  if (const auto *CX = dyn_cast<AtomicCmpXchgInst>(&I))
    return CX->getSuccessOrdering();
  if (const auto *RMW = dyn_cast<AtomicRMWInst>(&I))
    return RMW->getOrdering();
  if (const auto *LI = dyn_cast<LoadInst>(&I))
    return LI->getOrdering();
  return cast<StoreInst>(I).getOrdering();
}

// An atomic's orders as its site keeps them (abi.h): the order, and a
// compare-exchange's failure order.
static unsigned orderFlags(uint32_t Order, std::optional<uint32_t> FailureOrder) {
  return Order << SLABSAN_SITE_ORDER_SHIFT |
         FailureOrder.value_or(0) << SLABSAN_SITE_FAILURE_ORDER_SHIFT;
}

static std::optional<uint32_t> failureOrder(const Instruction &I) {
  if (const auto *CX = dyn_cast<AtomicCmpXchgInst>(&I))
    return c11Order(CX->getFailureOrdering());
  return std::nullopt;
}

// A volatile load or store the runtime performs as a relaxed atomic: what
// DESIGN.md makes READ_ONCE()/WRITE_ONCE(), which the kernel and its
// tools/include spell as volatile accesses. Only the runtime can keep the
// location's clock in step with the value, so that a release fence before
// the store and an acquire fence after the load order them, as they do a
// relaxed atomic's. One it cannot perform as a single atomic (unaligned,
// an aggregate or a vector, another size) stays a marked access.
bool Instrumenter::volatileAsAtomic(const Instruction &I) const {
  if (!ClVolatileAsAtomic || !ClInstrumentAtomics || !ClInstrumentVolatile)
    return false;
  Type *Ty;
  Align Alignment;
  if (const auto *LI = dyn_cast<LoadInst>(&I);
      LI && LI->isVolatile() && !LI->isAtomic() && LI->getPointerAddressSpace() == 0)
    Ty = LI->getType(), Alignment = LI->getAlign();
  else if (const auto *SI = dyn_cast<StoreInst>(&I);
           SI && SI->isVolatile() && !SI->isAtomic() && SI->getPointerAddressSpace() == 0)
    Ty = SI->getValueOperand()->getType(), Alignment = SI->getAlign();
  else
    return false;
  return atomicCarrier(Ty) &&
         Alignment.value() >= DL.getTypeStoreSize(Ty).getFixedValue();
}

// A call into libatomic, which the compiler emits for an atomic it cannot
// do inline (a 16-byte one without cmpxchg16b): the generic functions take
// the size first, then the object; the sized ones (__atomic_load_16) the
// object first. The order is the last argument, a compare-exchange's
// success order the one before.
std::optional<EdgeOnlyAtomic> Instrumenter::libatomicCall(CallInst &CI) {
  Function *Callee = CI.getCalledFunction();
  if (!Callee || !ClInstrumentAtomics || CI.getMetadata("nosanitize"))
    return std::nullopt;
  StringRef Name = Callee->getName();
  if (!Name.consume_front("__atomic_") || CI.arg_size() < 2)
    return std::nullopt;
  static const char *const Generic[] = {"load", "store", "exchange", "compare_exchange"};
  static const char *const Sizes[] = {"1", "2", "4", "8", "16"};
  bool IsGeneric = is_contained(Generic, Name);
  bool IsSized = !IsGeneric && is_contained(Sizes, Name.rsplit('_').second);
  if (!IsGeneric && !IsSized)
    return std::nullopt;
  StringRef Op = IsGeneric ? Name : Name.rsplit('_').first;
  Value *Addr = CI.getArgOperand(IsGeneric ? 1 : 0);
  bool IsCompareExchange = Op == "compare_exchange";
  unsigned OrderArg = CI.arg_size() - (IsCompareExchange ? 2 : 1);
  Value *Order = CI.getArgOperand(OrderArg);
  Value *Size = IsGeneric ? CI.getArgOperand(0) : nullptr;
  uint64_t SizeBytes = 0;
  if (!IsGeneric && Name.rsplit('_').second.getAsInteger(10, SizeBytes))
    return std::nullopt;
  if (!Addr->getType()->isPointerTy() || !Order->getType()->isIntegerTy(32) ||
      (Size && !Size->getType()->isIntegerTy()) || ignoreAddress(Addr))
    return std::nullopt;
  if (!Size)
    Size = ConstantInt::get(ABI.I64Ty, SizeBytes);
  bool IsLoad = Op == "load", IsStore = Op == "store";
  // (a compare-exchange that does not say whether it stored is taken as
  // the load it may have been)
  bool SaysIfStored = IsCompareExchange && CI.getType()->isIntegerTy();
  unsigned Kind = IsLoad || (IsCompareExchange && !SaysIfStored) ? SLABSAN_EDGE_LOAD
                  : IsStore                                       ? SLABSAN_EDGE_STORE
                                                                  : SLABSAN_EDGE_RMW;
  Value *FailureOrder = SaysIfStored ? CI.getArgOperand(OrderArg + 1) : nullptr;
  if (FailureOrder && !FailureOrder->getType()->isIntegerTy(32))
    return std::nullopt;
  // (the site keeps orders given as constants, as the C11 functions give
  // them)
  auto ConstantOrder = [](Value *V) -> std::optional<uint32_t> {
    if (const auto *C = dyn_cast_or_null<ConstantInt>(V); C && C->getZExtValue() <= 5)
      return uint32_t(C->getZExtValue());
    return std::nullopt;
  };
  unsigned Flags = IsLoad || IsStore ? 0u : unsigned(SLABSAN_SITE_RMW);
  if (std::optional<uint32_t> O = ConstantOrder(Order))
    Flags |= orderFlags(*O, ConstantOrder(FailureOrder));
  return EdgeOnlyAtomic{&CI, Addr, Size, Order, Kind, FailureOrder, Flags};
}

// Decides whether I is instrumented; if so, what its site says.
std::optional<SiteRequest> Instrumenter::planAccess(Instruction &I, FunctionPlan &P) {
  Value *Addr = nullptr;
  Type *Ty = nullptr; // the accessed type; for an atomic, the one it carries
  bool IsAtomic = false, IsVolatile = false, IsReadModifyWrite = false, HasRuntimeOp = true;
  if (auto *LI = dyn_cast<LoadInst>(&I)) {
    Addr = LI->getPointerOperand(), Ty = LI->getType();
    IsAtomic = LI->isAtomic() || volatileAsAtomic(I), IsVolatile = LI->isVolatile();
  } else if (auto *SI = dyn_cast<StoreInst>(&I)) {
    Addr = SI->getPointerOperand(), Ty = SI->getValueOperand()->getType();
    IsAtomic = SI->isAtomic() || volatileAsAtomic(I), IsVolatile = SI->isVolatile();
  } else if (auto *RMW = dyn_cast<AtomicRMWInst>(&I)) {
    Addr = RMW->getPointerOperand(), Ty = RMW->getValOperand()->getType();
    IsAtomic = true, IsVolatile = RMW->isVolatile(), IsReadModifyWrite = true;
    HasRuntimeOp = rmwOp(RMW->getOperation()).has_value();
  } else if (auto *CX = dyn_cast<AtomicCmpXchgInst>(&I)) {
    Addr = CX->getPointerOperand(), Ty = CX->getCompareOperand()->getType();
    IsAtomic = true, IsVolatile = CX->isVolatile(), IsReadModifyWrite = true;
  } else if (auto *FI = dyn_cast<FenceInst>(&I)) {
    // A singlethread fence (atomic_signal_fence) only constrains the
    // compiler; there is nothing for the runtime to order.
    if (!ClInstrumentAtomics || FI->getSyncScopeID() == SyncScope::SingleThread)
      return std::nullopt;
    return SiteRequest{0, ""};
  } else if (auto *MI = dyn_cast<MemIntrinsic>(&I)) {
    // Bulk copies of plain data: not synchronization, not metadata.
    if (Focused || !ClInstrumentMemIntrinsics)
      return std::nullopt;
    // Both ends must be ignorable to skip, e.g. copying a string literal
    // into a local buffer that never escapes.
    auto *MT = dyn_cast<MemTransferInst>(MI);
    if (MI->getDestAddressSpace() != 0 || (MT && MT->getSourceAddressSpace() != 0)) {
      ++NumSkippedAddrSpace;
      return std::nullopt;
    }
    if (ignoreAddress(MI->getRawDest()) &&
        (!MT || ignoreAddress(MT->getRawSource())))
      return std::nullopt;
    return SiteRequest{SLABSAN_SITE_PLAIN, ""};
  } else {
    return std::nullopt;
  }

  if (IsAtomic ? !ClInstrumentAtomics
               : IsVolatile ? !ClInstrumentVolatile : !ClInstrumentMemoryAccesses)
    return std::nullopt;
  // The frontend or another instrumentation emitted this access for itself.
  if (I.getMetadata("nosanitize")) {
    ++NumSkippedNoSanitize;
    return std::nullopt;
  }
  if (ignoreAddress(Addr))
    return std::nullopt;
  // Left alone, the atomic stays correct; the runtime runs it under its
  // location's lock and makes the edges its order makes (a 16-byte
  // compare-exchange of a tagged pointer, the usual ABA guard, hands blocks
  // over like any other).
  if (IsAtomic && (!HasRuntimeOp || !atomicCarrier(Ty))) {
    ++NumUnsupportedAtomics;
    uint32_t Order = c11Order(successOrdering(I));
    std::optional<uint32_t> Failure = failureOrder(I);
    P.EdgeOnlyAtomics.push_back(
        {&I, Addr, ConstantInt::get(ABI.I64Ty, DL.getTypeStoreSize(Ty).getFixedValue()),
         ConstantInt::get(ABI.I32Ty, Order),
         isa<LoadInst>(I)    ? unsigned(SLABSAN_EDGE_LOAD)
         : isa<StoreInst>(I) ? unsigned(SLABSAN_EDGE_STORE)
                             : unsigned(SLABSAN_EDGE_RMW),
         Failure ? ConstantInt::get(ABI.I32Ty, *Failure) : nullptr,
         (IsVolatile ? unsigned(SLABSAN_SITE_VOLATILE) : 0u) |
             (IsReadModifyWrite ? unsigned(SLABSAN_SITE_RMW) : 0u) |
             orderFlags(Order, Failure)});
    return std::nullopt;
  }
  // A scalable vector's size is only known at run time; C has none.
  if (DL.getTypeStoreSize(Ty).isScalable())
    return std::nullopt;
  StringRef Field = Meta.fieldOf(Addr);
  bool IsPlain = !IsAtomic && !IsVolatile && Field.empty();
  if (Focused && IsPlain) {
    ++NumSkippedFocused;
    return std::nullopt;
  }
  if (!Field.empty())
    ++NumMetaAccesses;
  unsigned Flags = (Field.empty() ? 0 : SLABSAN_SITE_META) |
                   (IsVolatile ? SLABSAN_SITE_VOLATILE : 0) |
                   (IsPlain ? SLABSAN_SITE_PLAIN : 0) |
                   (IsReadModifyWrite ? SLABSAN_SITE_RMW : 0) |
                   (IsAtomic ? orderFlags(c11Order(successOrdering(I)), failureOrder(I)) : 0);
  if (Field.empty())
    return SiteRequest{Flags, Members.memberOf(I, Addr, DL.getTypeStoreSizeInBits(Ty))};
  return SiteRequest{Flags, Field.str()};
}

void Instrumenter::plan(FunctionPlan &P) {
  SmallVector<std::pair<Instruction *, SiteRequest>, 16> Candidates;
  for (Instruction &I : instructions(*P.F)) {
    if (auto *CB = dyn_cast<CallBase>(&I)) {
      if (auto *IA = dyn_cast<InlineAsm>(CB->getCalledOperand())) {
        // An empty body with a memory clobber is a compiler barrier: no
        // machine code, nothing the runtime misses.
        if (ClNoteInlineAsm && !P.InlineAsmSite &&
            !StringRef(IA->getAsmString()).trim().empty() && asmMayTouchMemory(*IA))
          P.InlineAsmSite = Sites.forInstruction(I, 0, "");
        continue;
      }
      if (!isa<IntrinsicInst>(CB))
        P.HasCalls = true;
      if (auto *CI = dyn_cast<CallInst>(CB); CI && CI->canReturnTwice())
        P.ReturnsTwice.push_back(CI);
      if (auto *CI = dyn_cast<CallInst>(CB))
        if (std::optional<EdgeOnlyAtomic> A = libatomicCall(*CI)) {
          ++NumUnsupportedAtomics;
          P.EdgeOnlyAtomics.push_back(*A);
        }
    }
    if (std::optional<SiteRequest> Site = planAccess(I, P))
      Candidates.emplace_back(&I, std::move(*Site));
  }
  if (ClOmitRedundant) {
    SmallPtrSet<const Instruction *, 16> Planned;
    for (const auto &Candidate : Candidates)
      Planned.insert(Candidate.first);
    SmallPtrSet<const Instruction *, 16> Redundant =
        slabsan::redundantAccesses(*P.F, Planned, DL);
    NumSkippedRedundant += Redundant.size();
    erase_if(Candidates, [&](const auto &Candidate) { return Redundant.count(Candidate.first); });
  }
  for (auto &[I, Site] : Candidates)
    P.Accesses.emplace_back(I, Sites.forInstruction(*I, Site.Flags, Site.Field));
  // (a 16-byte metadata word, the kernel's freelist and counters, is named
  // as any other field)
  for (EdgeOnlyAtomic &A : P.EdgeOnlyAtomics) {
    std::string Field = Meta.fieldOf(A.Addr).str();
    unsigned Flags = A.SiteFlags | (Field.empty() ? 0u : unsigned(SLABSAN_SITE_META));
    if (Field.empty())
      if (auto *Bytes = dyn_cast<ConstantInt>(A.Size))
        Field = Members.memberOf(*A.I, A.Addr, Bytes->getZExtValue() * 8);
    A.Site = Sites.forInstruction(*A.I, Flags, Field);
  }
}

Value *Instrumenter::toI64(IRBuilder<> &IRB, Value *V, IntegerType *Carrier) {
  if (V->getType()->isPointerTy())
    V = IRB.CreatePtrToInt(V, Carrier);
  else
    V = IRB.CreateBitCast(V, Carrier);
  return IRB.CreateZExt(V, ABI.I64Ty);
}

Value *Instrumenter::fromI64(IRBuilder<> &IRB, Value *V, IntegerType *Carrier,
                             Type *T) {
  V = IRB.CreateTrunc(V, Carrier);
  if (T->isPointerTy())
    return IRB.CreateIntToPtr(V, T);
  return IRB.CreateBitCast(V, T);
}

void Instrumenter::instrumentPlain(Instruction &I, Value *Addr, Type *Ty,
                                   bool IsWrite, bool IsVolatile,
                                   Constant *Site) {
  IRBuilder<> IRB(&I);
  uint64_t Size = DL.getTypeStoreSize(Ty).getFixedValue();
  Value *Ptr = IRB.CreatePointerCast(Addr, ABI.BytePtrTy);
  Value *Bytes = ConstantInt::get(ABI.SizeTy, Size);
  if (IsVolatile) {
    ++NumVolatile;
    IRB.CreateCall(IsWrite ? ABI.VolatileWrite : ABI.VolatileRead,
                   {Ptr, Bytes, Site});
    return;
  }
  (IsWrite ? NumWrites : NumReads)++;
  if (isPowerOf2_64(Size) && Size <= 16) {
    unsigned Log = Log2_64(Size);
    IRB.CreateCall(IsWrite ? ABI.Write[Log] : ABI.Read[Log], {Ptr, Site});
    return;
  }
  IRB.CreateCall(IsWrite ? ABI.WriteRange : ABI.ReadRange, {Ptr, Bytes, Site});
}

void Instrumenter::instrumentAtomic(Instruction &I, Constant *Site) {
  IRBuilder<> IRB(&I);
  Value *Result = nullptr;
  auto Common = [&](Value *Addr, Type *Ty) {
    IntegerType *Carrier = atomicCarrier(Ty);
    return std::make_tuple(Carrier, IRB.CreatePointerCast(Addr, ABI.BytePtrTy),
                           ConstantInt::get(ABI.I32Ty, Carrier->getBitWidth() / 8));
  };
  if (auto *LI = dyn_cast<LoadInst>(&I)) {
    auto [Carrier, Ptr, Size] = Common(LI->getPointerOperand(), LI->getType());
    Value *V = IRB.CreateCall(
        ABI.AtomicLoad,
        {Ptr, Size, IRB.getInt32(c11Order(LI->getOrdering())), Site});
    Result = fromI64(IRB, V, Carrier, LI->getType());
  } else if (auto *SI = dyn_cast<StoreInst>(&I)) {
    Value *Val = SI->getValueOperand();
    auto [Carrier, Ptr, Size] = Common(SI->getPointerOperand(), Val->getType());
    IRB.CreateCall(ABI.AtomicStore,
                   {Ptr, toI64(IRB, Val, Carrier), Size,
                    IRB.getInt32(c11Order(SI->getOrdering())), Site});
  } else if (auto *RMW = dyn_cast<AtomicRMWInst>(&I)) {
    Value *Val = RMW->getValOperand();
    auto [Carrier, Ptr, Size] = Common(RMW->getPointerOperand(), Val->getType());
    Value *Old = IRB.CreateCall(
        ABI.AtomicRMW,
        {Ptr, toI64(IRB, Val, Carrier), Size,
         IRB.getInt32(*rmwOp(RMW->getOperation())),
         IRB.getInt32(c11Order(RMW->getOrdering())), Site});
    Result = fromI64(IRB, Old, Carrier, Val->getType());
  } else if (auto *CX = dyn_cast<AtomicCmpXchgInst>(&I)) {
    Value *Expected = CX->getCompareOperand();
    Type *Ty = Expected->getType();
    auto [Carrier, Ptr, Size] = Common(CX->getPointerOperand(), Ty);
    Value *Old = IRB.CreateCall(
        ABI.AtomicCmpxchg,
        {Ptr, toI64(IRB, Expected, Carrier),
         toI64(IRB, CX->getNewValOperand(), Carrier), Size,
         IRB.getInt32(c11Order(CX->getSuccessOrdering())),
         IRB.getInt32(c11Order(CX->getFailureOrdering())), Site});
    // A weak cmpxchg may fail spuriously; the runtime's never does, which is
    // one of the behaviours a weak one allows. Success is decided as the
    // ABI says: the old value equals the expected one, at T's width.
    if (!CX->use_empty()) {
      Value *OldBits = IRB.CreateTrunc(Old, Carrier);
      Value *ExpectedBits = Ty->isPointerTy()
                                ? IRB.CreatePtrToInt(Expected, Carrier)
                                : IRB.CreateBitCast(Expected, Carrier);
      Value *Success = IRB.CreateICmpEQ(OldBits, ExpectedBits);
      Value *Pair = IRB.CreateInsertValue(PoisonValue::get(CX->getType()),
                                          fromI64(IRB, Old, Carrier, Ty), 0);
      Result = IRB.CreateInsertValue(Pair, Success, 1);
    }
  } else if (auto *FI = dyn_cast<FenceInst>(&I)) {
    IRB.CreateCall(ABI.AtomicFence,
                   {IRB.getInt32(c11Order(FI->getOrdering())), Site});
    ++NumFences;
    I.eraseFromParent();
    return;
  }
  ++NumAtomics;
  if (Result) {
    Result->takeName(&I);
    I.replaceAllUsesWith(Result);
  }
  I.eraseFromParent();
}

void Instrumenter::instrumentMemIntrinsic(MemIntrinsic &MI, Constant *Site) {
  IRBuilder<> IRB(&MI);
  Value *Dst = IRB.CreatePointerCast(MI.getRawDest(), ABI.BytePtrTy);
  Value *Len = IRB.CreateZExtOrTrunc(MI.getLength(), ABI.SizeTy);
  if (auto *MS = dyn_cast<MemSetInst>(&MI)) {
    Value *Byte = IRB.CreateZExt(MS->getValue(), ABI.I32Ty);
    IRB.CreateCall(ABI.Memset, {Dst, Byte, Len, Site});
  } else {
    auto &MT = cast<MemTransferInst>(MI);
    Value *Src = IRB.CreatePointerCast(MT.getRawSource(), ABI.BytePtrTy);
    IRB.CreateCall(isa<MemMoveInst>(MT) ? ABI.Memmove : ABI.Memcpy,
                   {Dst, Src, Len, Site});
  }
  ++NumMemIntrinsics;
  MI.eraseFromParent();
}

void Instrumenter::instrumentAccess(Instruction &I, unsigned SiteIndex) {
  Constant *Site = Sites.ref(SiteIndex);
  if (auto *MI = dyn_cast<MemIntrinsic>(&I))
    return instrumentMemIntrinsic(*MI, Site);
  if (volatileAsAtomic(I)) {
    ++NumVolatile;
    return instrumentAtomic(I, Site);
  }
  if (auto *LI = dyn_cast<LoadInst>(&I); LI && !LI->isAtomic())
    return instrumentPlain(I, LI->getPointerOperand(), LI->getType(),
                           /*IsWrite=*/false, LI->isVolatile(), Site);
  if (auto *SI = dyn_cast<StoreInst>(&I); SI && !SI->isAtomic())
    return instrumentPlain(I, SI->getPointerOperand(),
                           SI->getValueOperand()->getType(), /*IsWrite=*/true,
                           SI->isVolatile(), Site);
  instrumentAtomic(I, Site);
}

void Instrumenter::instrumentEntryExit(Function &F, std::optional<unsigned> AsmSite,
                                       ArrayRef<CallBase *> ReturnsTwice) {
  // Calls into a function with debug info need a location to be inlinable
  // (e.g. into an LTO-linked runtime); the function's own line serves.
  DebugLoc EntryLoc;
  if (DISubprogram *SP = F.getSubprogram())
    EntryLoc = DILocation::get(F.getContext(), SP->getScopeLine(), 0, SP);

  IRBuilder<> IRB(&*F.getEntryBlock().getFirstInsertionPt());
  IRB.SetCurrentDebugLocation(EntryLoc);
  // Only code of this module calls a local function whose address is not
  // taken: its return address is ours, and the runtime need not ask
  // whether foreign code called it (a callback's entry).
  bool OnlyCalledHere = F.hasLocalLinkage() && !F.hasAddressTaken();
  if (ClInstrumentFuncEntryExit)
    IRB.CreateCall(OnlyCalledHere ? ABI.FuncEntryLocal : ABI.FuncEntry,
                   {IRB.CreateCall(ABI.ReturnAddress, IRB.getInt32(0))});
  if (AsmSite) {
    IRB.CreateCall(ABI.NoteInlineAsm, {Sites.ref(*AsmSite)});
    ++NumInlineAsmNotes;
  }
  if (!ClInstrumentFuncEntryExit)
    return;
  ++NumFunctions;

  // A second return from setjmp (a longjmp) finds the shadow stack as the
  // skipped frames left it: cut it back to this function's depth.
  if (!ReturnsTwice.empty()) {
    Value *Depth = IRB.CreateCall(ABI.StackDepth, {});
    for (CallBase *CB : ReturnsTwice) {
      IRBuilder<> AfterIRB(CB->getNextNode());
      AfterIRB.SetCurrentDebugLocation(CB->getDebugLoc());
      AfterIRB.CreateCall(ABI.StackUnwind, {Depth});
    }
  }

  for (BasicBlock &BB : F) {
    Instruction *Exit = BB.getTerminator();
    if (!isa<ReturnInst>(Exit) && !isa<ResumeInst>(Exit))
      continue;
    // Nothing may come between a musttail call and its ret.
    if (CallInst *Tail = BB.getTerminatingMustTailCall())
      Exit = Tail;
    IRBuilder<> ExitIRB(Exit);
    if (!ExitIRB.getCurrentDebugLocation())
      ExitIRB.SetCurrentDebugLocation(EntryLoc);
    ExitIRB.CreateCall(ABI.FuncExit, {});
  }
}

void Instrumenter::instrumentEdgeOnly(const EdgeOnlyAtomic &A) {
  IRBuilder<> IRB(A.I);
  Value *Addr = IRB.CreatePointerBitCastOrAddrSpaceCast(A.Addr, ABI.BytePtrTy);
  Value *Size = IRB.CreateZExtOrTrunc(A.Size, ABI.SizeTy);
  IRB.CreateCall(ABI.AtomicEdgeBefore, {Addr});
  IRBuilder<> AfterIRB(A.I->getNextNode()); // an atomic or a call, never a terminator
  AfterIRB.SetCurrentDebugLocation(A.I->getDebugLoc());
  Value *Kind = AfterIRB.getInt32(A.Kind), *Order = A.Order;
  if (A.FailureOrder) {
    Value *Ok = isa<AtomicCmpXchgInst>(A.I) ? AfterIRB.CreateExtractValue(A.I, 1) : A.I;
    Value *Stored = AfterIRB.CreateIsNotNull(Ok);
    Kind = AfterIRB.CreateSelect(Stored, AfterIRB.getInt32(SLABSAN_EDGE_RMW),
                                 AfterIRB.getInt32(SLABSAN_EDGE_LOAD));
    Order = AfterIRB.CreateSelect(Stored, A.Order, A.FailureOrder);
  }
  AfterIRB.CreateCall(ABI.AtomicEdgeAfter, {Addr, Size, Order, Kind, Sites.ref(A.Site)});
}

void Instrumenter::instrument(const FunctionPlan &P) {
  for (auto &[I, Site] : P.Accesses)
    instrumentAccess(*I, Site);
  for (const EdgeOnlyAtomic &A : P.EdgeOnlyAtomics)
    instrumentEdgeOnly(A);
  if (!P.Accesses.empty() || P.InlineAsmSite || P.HasCalls)
    instrumentEntryExit(*P.F, P.InlineAsmSite, P.ReturnsTwice);
}

void Instrumenter::run() {
  std::vector<FunctionPlan> Plans;
  for (Function &F : M) {
    if (ignoreFunction(F))
      continue;
    Plans.emplace_back();
    Plans.back().F = &F;
    plan(Plans.back());
  }
  Sites.emit();
  for (const FunctionPlan &P : Plans)
    instrument(P);
  ABI.eraseUnused();
  M.getOrInsertNamedMetadata(InstrumentedMarker);
}

} // namespace

PreservedAnalyses slabsan::SlabSanPass::run(Module &M, ModuleAnalysisManager &) {
  // Twice would double every call and register a second array.
  if (M.getNamedMetadata(InstrumentedMarker))
    return PreservedAnalyses::all();
  Mode Effective = PassMode ? *PassMode : FrontendMode ? *FrontendMode : ClMode;
  nameSplitGlobals(M);
  Instrumenter(M, Effective).run();
  return PreservedAnalyses::none();
}
