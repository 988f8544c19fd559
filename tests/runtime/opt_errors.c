// A bad SLABSAN_OPTIONS stops the program before main with an error naming
// the offending key or value: a typo must not silently disable checks.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: env SLABSAN_OPTIONS=bogus=1 not %t >%t.out 2>%t.err
// RUN: FileCheck %s --check-prefix=UNKNOWN < %t.err
// RUN: FileCheck %s --allow-empty --check-prefix=NOMAIN < %t.out
// RUN: env SLABSAN_OPTIONS=exitcode=abc not %t >%t.out 2>%t.err
// RUN: FileCheck %s --check-prefix=BADINT < %t.err
// RUN: FileCheck %s --allow-empty --check-prefix=NOMAIN < %t.out
// RUN: env SLABSAN_OPTIONS=halt_on_error=maybe not %t 2>&1 | FileCheck %s --check-prefix=BADBOOL
// RUN: env SLABSAN_OPTIONS=exitcode=300 not %t 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: env SLABSAN_OPTIONS=verbosity not %t 2>&1 | FileCheck %s --check-prefix=NOEQ
// RUN: env SLABSAN_OPTIONS=exitcode=7:verbosity=0 %t | FileCheck %s --check-prefix=MAIN
// An address-space limit too small for SlabSan's reservations is named as
// the cause (not an opaque "out of memory"):
// RUN: not sh -c 'ulimit -v 1000000 && exec %t' 2>&1 | FileCheck %s --check-prefix=ASLIMIT
// help=1 lists every option with its value (as set) and description, then
// the program runs:
// RUN: env SLABSAN_OPTIONS=help=1:exitcode=7:log_path=stdout %t 2>&1 | FileCheck %s --check-prefix=HELP
#include <stdio.h>

int main(void)
{
	printf("main ran\n");
	return 0;
}
// UNKNOWN: SlabSan: error: SLABSAN_OPTIONS: unknown option 'bogus'
// NOMAIN-NOT: main ran
// BADINT: SlabSan: error: SLABSAN_OPTIONS: bad value 'abc' for option 'exitcode'
// BADBOOL: SlabSan: error: SLABSAN_OPTIONS: bad value 'maybe' for option 'halt_on_error'
// RANGE: SlabSan: error: SLABSAN_OPTIONS: exitcode=300 is out of range
// NOEQ: SlabSan: error: SLABSAN_OPTIONS: 'verbosity' is not of the form key=value
// MAIN: main ran
// HELP: SlabSan options (SLABSAN_OPTIONS=name=value:name=value):
// HELP-NEXT: halt_on_error=false
// HELP-NEXT: Exit after the first report
// HELP-NEXT: exitcode=7
// HELP-NEXT: Exit status of a program that produced a report
// HELP-NEXT: log_path='stdout'
// HELP: epochs_per_id=0
// HELP: memory_model=strict
// HELP: help=true
// HELP: print_summary=true
// HELP: main ran
// ASLIMIT: SlabSan: error: out of memory mapping {{[0-9]+}} bytes for the runtime: the address-space limit (ulimit -v) is 976 MiB; SlabSan reserves a few GiB it mostly never touches, so raise or lift the limit
