// SPDX-License-Identifier: Apache-2.0
// Entry points of slabsan-plugin.so: the pass plugin interface (opt, clang
// -fpass-plugin) and, inside clang, loading the frontend plugin for -fplugin.

#include "Compat.h"
#include "SlabSan.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <dlfcn.h>
#include <string>

using namespace llvm;

// The pass goes last in every pipeline: after the optimizer there are fewer
// accesses to instrument, and nothing later duplicates or reorders the calls.
// LLVM 14 runs OptimizerLastEP callbacks at -O0 too (buildO0DefaultPipeline),
// which tests/pass/pipeline-levels.c checks.
static void registerCallbacks(PassBuilder &PB) {
  PB.registerPipelineParsingCallback(
      [](StringRef Name, ModulePassManager &MPM,
         ArrayRef<PassBuilder::PipelineElement>) {
        if (Name == "slabsan") {
          MPM.addPass(slabsan::SlabSanPass());
          return true;
        }
        // slabsan<full>, slabsan<focused>: opt cannot parse a plugin's
        // cl::opt given before the plugin is loaded, a pass parameter it can.
        if (!Name.consume_front("slabsan<") || !Name.consume_back(">"))
          return false;
        std::optional<slabsan::Mode> M = slabsan::parseMode(Name);
        if (M)
          MPM.addPass(slabsan::SlabSanPass(M));
        return M.has_value();
      });
  slabsan::compat::registerOptimizerLast(PB, [](ModulePassManager &MPM) {
    MPM.addPass(slabsan::SlabSanPass());
  });
}

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "SlabSan", LLVM_VERSION_STRING,
          registerCallbacks};
}

// clang -fplugin=slabsan-plugin.so loads this library into cc1 and offers no
// hook but static initializers. The frontend plugin derives from clang
// classes, so it lives in a sibling library: opt and lld have no clang in the
// process and refuse to load a library whose clang vtables cannot be
// resolved. This library therefore stays free of clang symbols and loads the
// sibling only where clang's plugin registry exists.
static void loadFrontendPlugin() {
  if (!dlsym(RTLD_DEFAULT,
             "_ZN4llvm8RegistryIN5clang15PluginASTActionEE8add_nodeEPNS3_4nodeE"))
    return;

  static std::string PluginPath; // outlives the frontend plugin's use of it
  Dl_info Self;
  if (!dladdr(reinterpret_cast<void *>(&loadFrontendPlugin), &Self) ||
      !Self.dli_fname)
    return;
  SmallString<256> Path(Self.dli_fname);
  // cc1 may resolve a relative -fplugin= path later from elsewhere.
  sys::fs::make_absolute(Path);
  PluginPath = Path.str().str();

  SmallString<256> Frontend(sys::path::parent_path(Path));
  sys::path::append(Frontend, "slabsan-frontend.so");
  void *Handle = dlopen(Frontend.c_str(), RTLD_NOW | RTLD_LOCAL);
  auto *Init = Handle ? reinterpret_cast<SlabSanFrontendInit *>(
                            dlsym(Handle, SLABSAN_FRONTEND_INIT))
                      : nullptr;
  if (!Init) {
    // Without it -fplugin= would compile silently uninstrumented.
    errs() << "slabsan: cannot load " << Frontend << ": "
           << (Handle ? "no " SLABSAN_FRONTEND_INIT : dlerror())
           << "; -fplugin=" << PluginPath << " will not instrument\n";
    return;
  }
  static const SlabSanFrontendHooks Hooks = {PluginPath.c_str(),
                                             slabsan::setModeFromFrontend};
  Init(&Hooks);
}

namespace {
struct FrontendPluginLoader {
  FrontendPluginLoader() { loadFrontendPlugin(); }
} TheFrontendPluginLoader;
} // namespace
