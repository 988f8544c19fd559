// SPDX-License-Identifier: Apache-2.0
// Every difference between the LLVM versions the plugin builds against
// (14 and 19 are tested; see docs/ci.md), one named shim per API that moved.
// The rest of pass/ calls these and has no LLVM_VERSION_MAJOR test of its own.
#ifndef SLABSAN_PASS_COMPAT_H
#define SLABSAN_PASS_COMPAT_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Analysis/CaptureTracking.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/DebugInfo.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#if LLVM_VERSION_MAJOR >= 19
#include "llvm/IR/DebugProgramInstruction.h"
#endif

namespace slabsan::compat {

// StringRef::startswith is gone in LLVM 19; starts_with exists from 16.
inline bool startsWith(llvm::StringRef S, llvm::StringRef Prefix) {
#if LLVM_VERSION_MAJOR >= 16
  return S.starts_with(Prefix);
#else
  return S.startswith(Prefix);
#endif
}

inline bool endsWith(llvm::StringRef S, llvm::StringRef Suffix) {
#if LLVM_VERSION_MAJOR >= 16
  return S.ends_with(Suffix);
#else
  return S.endswith(Suffix);
#endif
}

// Intrinsic::getDeclaration: renamed getOrInsertDeclaration in LLVM 20.
inline llvm::Function *intrinsicDecl(llvm::Module &M, llvm::Intrinsic::ID ID) {
#if LLVM_VERSION_MAJOR >= 20
  return llvm::Intrinsic::getOrInsertDeclaration(&M, ID);
#else
  return llvm::Intrinsic::getDeclaration(&M, ID);
#endif
}

// The runtime's `void *`: i8* with typed pointers (LLVM 14), where every
// address needs a cast to it; `ptr` from LLVM 15 on, where
// IRBuilder::CreatePointerCast folds to nothing.
inline llvm::PointerType *bytePtrTy(llvm::LLVMContext &C) {
  return llvm::PointerType::getUnqual(llvm::Type::getInt8Ty(C));
}

// PointerMayBeCaptured: LLVM 21 drops the StoreCaptures argument.
inline bool mayBeCaptured(const llvm::AllocaInst *AI) {
#if LLVM_VERSION_MAJOR >= 21
  return llvm::PointerMayBeCaptured(AI, /*ReturnCaptures=*/true);
#else
  return llvm::PointerMayBeCaptured(AI, /*ReturnCaptures=*/true,
                                    /*StoreCaptures=*/true);
#endif
}

// The struct a pointer's type points to: only typed pointers (LLVM 14) say;
// an opaque `ptr` (LLVM 15 on) never does, so this is null there.
inline llvm::StructType *pointeeStruct(const llvm::Value *V) {
#if LLVM_VERSION_MAJOR < 15
  if (auto *PT = llvm::dyn_cast<llvm::PointerType>(V->getType()))
    if (!PT->isOpaque())
      return llvm::dyn_cast<llvm::StructType>(PT->getPointerElementType());
#else
  (void)V;
#endif
  return nullptr;
}

// The variables debug info says hold V (each with the expression that
// turns V into the variable's value): dbg.value calls up to LLVM 18,
// records attached to instructions from 19, the form clang's pipeline has
// run passes in since. A value computed from several (DIArgList) is left out.
struct DebugValue {
  const llvm::DILocalVariable *Variable;
  const llvm::DIExpression *Expression;
};
inline llvm::SmallVector<DebugValue, 4> debugValuesOf(llvm::Value *V) {
  llvm::SmallVector<llvm::DbgValueInst *, 4> Calls;
  llvm::SmallVector<DebugValue, 4> Found;
#if LLVM_VERSION_MAJOR >= 19
  llvm::SmallVector<llvm::DbgVariableRecord *, 4> Records;
  llvm::findDbgValues(Calls, V, &Records);
  for (const llvm::DbgVariableRecord *R : Records)
    if (!R->hasArgList())
      Found.push_back({R->getVariable(), R->getExpression()});
#else
  llvm::findDbgValues(Calls, V);
#endif
  for (const llvm::DbgValueInst *C : Calls)
    if (!C->hasArgList())
      Found.push_back({C->getVariable(), C->getExpression()});
  return Found;
}

// PassBuilder::registerOptimizerLastEPCallback: LLVM 20 adds the LTO phase
// to the callback's parameters; the pass does not need it.
template <typename AddPasses>
void registerOptimizerLast(llvm::PassBuilder &PB, AddPasses Add) {
#if LLVM_VERSION_MAJOR >= 20
  PB.registerOptimizerLastEPCallback(
      [Add](llvm::ModulePassManager &MPM, llvm::OptimizationLevel,
            llvm::ThinOrFullLTOPhase) { Add(MPM); });
#else
  PB.registerOptimizerLastEPCallback(
      [Add](llvm::ModulePassManager &MPM, llvm::OptimizationLevel) {
        Add(MPM);
      });
#endif
}

} // namespace slabsan::compat

#endif
