// SPDX-License-Identifier: Apache-2.0
// What the three pieces of the plugin share: the pass (SlabSanPass.cpp), its
// entry points (SlabSanPlugin.cpp) and the clang frontend plugin
// (SlabSanFrontend.cpp, built as a separate library; see SlabSanPlugin.cpp).
#ifndef SLABSAN_PASS_SLABSAN_H
#define SLABSAN_PASS_SLABSAN_H

#include "llvm/ADT/StringRef.h"
#include "llvm/IR/PassManager.h"

#include <optional>

namespace slabsan {

// full: every access the runtime can check; focused: only what decides
// synchronization (see the design note in SlabSanPass.cpp).
enum class Mode { Full, Focused };

// Accepts "full" and "focused". Inline: the frontend plugin library links
// nothing of the pass plugin's.
inline std::optional<Mode> parseMode(llvm::StringRef Text) {
  if (Text == "full")
    return Mode::Full;
  if (Text == "focused")
    return Mode::Focused;
  return std::nullopt;
}

// -fplugin-arg-slabsan-mode=...: names this compilation, so it beats
// -mllvm -slabsan-mode; a pass parameter (slabsan<focused>) beats both.
void setModeFromFrontend(Mode M);

class SlabSanPass : public llvm::PassInfoMixin<SlabSanPass> {
public:
  explicit SlabSanPass(std::optional<Mode> M = std::nullopt) : PassMode(M) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  // Clang marks -O0 functions optnone; the program must be instrumented anyway.
  static bool isRequired() { return true; }

private:
  std::optional<Mode> PassMode;
};

} // namespace slabsan

// The pass plugin hands these to the frontend plugin library after loading
// it. Plain C so that dlsym finds the entry point by its unmangled name.
extern "C" {
struct SlabSanFrontendHooks {
  const char *PassPluginPath; // absolute path of slabsan-plugin.so
  void (*SetMode)(slabsan::Mode);
};
#define SLABSAN_FRONTEND_INIT "slabsan_frontend_init"
typedef void SlabSanFrontendInit(const SlabSanFrontendHooks *);
}

#endif
