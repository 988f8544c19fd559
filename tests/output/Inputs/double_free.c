/* SPDX-License-Identifier: Apache-2.0 */
/* One thread frees a block twice: a finding with no missing edge, so its
 * timeline must draw none. Owner: output tests. */
#include <stdlib.h>

int main(void)
{
	char *volatile p = malloc(16);                                /* ALLOC */
	free(p);                                                      /* FIRST */
	free(p);                                                      /* SECOND */
	return 0;
}
