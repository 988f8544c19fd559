// SPDX-License-Identifier: Apache-2.0
/* The HTML page (html_path): placeholder until the timeline renderer lands. */
#include <unistd.h>

#include "finding.h"
#include "internal.h"

void sl_write_html(int fd, struct sl_finding *const *fs, unsigned n)
{
	(void)fs;
	(void)n;
	static const char page[] = "<!doctype html><title>SlabSan</title>\n";
	if (write(fd, page, sizeof page - 1) < 0)
		return;
}
