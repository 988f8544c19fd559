# SPDX-License-Identifier: Apache-2.0
# lit configuration: every .c/.ll test here runs real tools and matches real
# output with FileCheck, the way compiler-rt's sanitizer tests do.
import os
import shutil
import subprocess

import lit.formats

config.name = "SlabSan"

# The build writes lit.site.cfg.py; ctest passes its path, and a developer
# running lit by hand on a default build/ needs nothing.
_site = lit_config.params.get("slabsan_site_config") or os.path.join(
    os.path.dirname(__file__), "..", "build", "tests", "lit.site.cfg.py")
if not os.path.exists(_site):
    lit_config.fatal("no %s: configure the build first" % _site)
exec(open(_site).read())
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".ll", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.slabsan_build_dir, "tests")

# FileCheck, not, opt and clang come from the LLVM we build against.
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, os.path.join(config.slabsan_build_dir, "bin"),
     config.environment.get("PATH", os.environ.get("PATH", ""))])
# Tests choose their own options; a developer's environment must not leak in.
config.environment.pop("SLABSAN_OPTIONS", None)

build = config.slabsan_build_dir
config.substitutions.append(("%slabsan-cc", os.path.join(build, "bin", "slabsan-cc")))
config.substitutions.append(("%slabsan-litmus", os.path.join(build, "bin", "slabsan-litmus")))
config.substitutions.append(("%plugin", os.path.join(build, "lib", "slabsan-plugin.so")))
config.substitutions.append(("%clang", config.clang))
config.substitutions.append(("%opt", os.path.join(config.llvm_tools_dir, "opt")))
config.substitutions.append(("%expect-exit", os.path.join(config.test_source_root, "Inputs", "expect-exit")))
config.substitutions.append(("%src", config.slabsan_source_dir))
config.substitutions.append(("%shared", os.path.join(config.slabsan_source_dir, "..", "shared")))
config.substitutions.append(("%include", os.path.join(config.slabsan_source_dir, "include")))
config.substitutions.append(("%build", build))
config.substitutions.append(("%lib", os.path.join(build, "lib")))

# The LLVM under test (14 and 19 are tested; scripts/test runs both). LLVM 14
# prints typed pointers (i8*, bitcasts between pointer types); 15 and later
# print opaque `ptr` (and LLVM 19 reads the typed .ll inputs as `ptr`).
# IR-text tests add `%pointers` to their FileCheck prefixes: TYPED or OPAQUE
# lines hold what only one of the two prints; {{i8\*|ptr}} in a shared line
# matches the one spelling each can print.
_llvm_major = int(subprocess.check_output(
    [os.path.join(config.llvm_tools_dir, "llvm-config"), "--version"],
    universal_newlines=True).split(".")[0])
config.available_features.add("llvm%d" % _llvm_major)
config.substitutions.append(("%pointers", "TYPED" if _llvm_major < 15 else "OPAQUE"))

if os.path.isdir(os.path.join(config.slabsan_source_dir, "..", "shared")):
    config.available_features.add("shared")

# tests/output: the browser test needs Debian's chromium, the SARIF test the
# jsonschema module of the python3 the tests run (scripts/setup-deps installs
# both); without them those tests are skipped, not failed.
if os.path.exists("/usr/bin/chromium"):
    config.available_features.add("chromium")
_py = shutil.which("python3", path=config.environment["PATH"])
if _py and subprocess.call([_py, "-c", "import jsonschema"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL) == 0:
    config.available_features.add("jsonschema")

# tests/fuzz: csmith's generator and its runtime headers (Debian: csmith,
# libcsmith-dev; scripts/setup-deps installs them).
if os.path.exists("/usr/bin/csmith") and os.path.isfile("/usr/include/csmith/csmith.h"):
    config.available_features.add("csmith")

# tests/bench: bench/run --count runs the workloads under valgrind's
# cachegrind (Debian: valgrind; scripts/setup-deps installs it).
if shutil.which("valgrind", path=config.environment["PATH"]):
    config.available_features.add("valgrind")

# tests/realworld: opt-in, because they download Debian source packages
# (mimalloc, ck) and take minutes: SLABSAN_REALWORLD=1 in the environment
# (SLABSAN_REALWORLD=1 ctest -L realworld) or `lit --param realworld=1`.
if os.environ.get("SLABSAN_REALWORLD") == "1" or lit_config.params.get("realworld") == "1":
    config.available_features.add("realworld")
