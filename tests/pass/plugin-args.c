// SPDX-License-Identifier: Apache-2.0
// A bad -fplugin-arg-slabsan-* fails the compilation and names the argument.
// RUN: not %clang -fplugin=%plugin -fplugin-arg-slabsan-foo=1 -fsyntax-only %s 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not %clang -fplugin=%plugin -fplugin-arg-slabsan-mode=fast -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=MODE
// UNKNOWN: error: unknown SlabSan plugin argument '-fplugin-arg-slabsan-foo=1' (supported: -fplugin-arg-slabsan-mode=full|focused)
// MODE: error: invalid SlabSan mode 'fast' in -fplugin-arg-slabsan-mode= (expected 'full' or 'focused')

int x;
