/* SPDX-License-Identifier: Apache-2.0 */
/* Included by fake-cc into every csmith program: one defect each. */
#include <stdio.h>
#include <unistd.h>
#if defined(FAKE_stdout)
__attribute__((constructor)) static void fake_defect(void) { puts("extra line"); }
#elif defined(FAKE_exit)
__attribute__((destructor)) static void fake_defect(void) { fflush(stdout); _exit(3); }
#elif defined(FAKE_report)
__attribute__((constructor)) static void fake_defect(void)
{
	fputs("WARNING: SlabSan: data race (pid=1)\n", stderr);
}
#endif
