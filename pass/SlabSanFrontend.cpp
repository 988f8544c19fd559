// SPDX-License-Identifier: Apache-2.0
// The clang frontend plugin "slabsan" (slabsan-frontend.so, loaded by
// slabsan-plugin.so inside cc1): makes -fplugin= instrument by handing the
// pass plugin to clang's backend, and takes -fplugin-arg-slabsan-mode=.

#include "SlabSan.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/CodeGenOptions.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "llvm/Support/FileSystem.h"

using namespace clang;

static const SlabSanFrontendHooks *Hooks;

extern "C" LLVM_ATTRIBUTE_USED void slabsan_frontend_init(const SlabSanFrontendHooks *H) {
  Hooks = H;
}

namespace {

class SlabSanAction : public PluginASTAction {
  std::optional<slabsan::Mode> Mode;

  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    DiagnosticsEngine &Diags = CI.getDiagnostics();
    // Loaded as -fplugin=slabsan-frontend.so instead of through
    // slabsan-plugin.so, it would not know which pass to hand the backend.
    if (!Hooks) {
      Diags.Report(Diags.getCustomDiagID(
          DiagnosticsEngine::Error,
          "load SlabSan with -fplugin=slabsan-plugin.so, not %0"))
          << "slabsan-frontend.so";
      return false;
    }
    bool Ok = true;
    for (const std::string &Arg : Args) {
      llvm::StringRef Value(Arg);
      if (Value.consume_front("mode=")) {
        if ((Mode = slabsan::parseMode(Value)))
          continue;
        Diags.Report(Diags.getCustomDiagID(
            DiagnosticsEngine::Error,
            "invalid SlabSan mode '%0' in -fplugin-arg-slabsan-mode= "
            "(expected 'full' or 'focused')"))
            << Value;
      } else {
        Diags.Report(Diags.getCustomDiagID(
            DiagnosticsEngine::Error,
            "unknown SlabSan plugin argument '-fplugin-arg-slabsan-%0' "
            "(supported: -fplugin-arg-slabsan-mode=full|focused)"))
            << Arg;
      }
      Ok = false;
    }
    return Ok;
  }

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    // The backend reads PassPlugins when it builds its pipeline, long after
    // this; -fpass-plugin= naming the same file already did the job.
    std::vector<std::string> &Plugins = CI.getCodeGenOpts().PassPlugins;
    bool Listed = false;
    for (const std::string &P : Plugins)
      Listed |= llvm::sys::fs::equivalent(P, Hooks->PassPluginPath);
    if (!Listed)
      Plugins.push_back(Hooks->PassPluginPath);
    if (Mode)
      Hooks->SetMode(*Mode);
    return std::make_unique<ASTConsumer>();
  }

  ActionType getActionType() override { return AddBeforeMainAction; }
};

} // namespace

static FrontendPluginRegistry::Add<SlabSanAction>
    X("slabsan", "instrument for the SlabSan race detector");
