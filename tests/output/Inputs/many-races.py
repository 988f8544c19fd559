#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Writes a C program with N distinct races (argv[1]): a thread writes v[0..N),
# then main writes each of them, unordered. For many_findings.test.
import sys

n = int(sys.argv[1])
print("#include <pthread.h>\n#include <stdatomic.h>\n#include <stdio.h>")
print("int v[%d];\nstatic atomic_int wrote;" % n)
print("static void *writer(void *arg)\n{\n\t(void)arg;")
for i in range(n):
    print("\tv[%d] = 1;" % i)
print("\tatomic_store_explicit(&wrote, 1, memory_order_relaxed);\n\treturn NULL;\n}")
print("int main(void)\n{\n\tpthread_t t;\n\tpthread_create(&t, NULL, writer, NULL);")
print("\twhile (!atomic_load_explicit(&wrote, memory_order_relaxed))\n\t\t;")
for i in range(n):
    print("\tv[%d] = 2;" % i)
print("\tpthread_join(t, NULL);\n\tputs(\"done\");\n\treturn 0;\n}")
