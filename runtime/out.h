/* SPDX-License-Identifier: Apache-2.0 */
/* A tiny buffered writer over a file descriptor, shared by the machine and
 * visual outputs (output.c, html.c). Owner: the outputs; no allocation, the
 * buffer lives in the caller's frame. */
#ifndef SLABSAN_OUT_H
#define SLABSAN_OUT_H

#include <stddef.h>

struct sl_out {
	int fd;
	size_t used;
	char buf[8192];
};

void sl_out_flush(struct sl_out *o);
void sl_out_raw(struct sl_out *o, const char *s, size_t n);
void sl_out_str(struct sl_out *o, const char *s);
void sl_out_fmt(struct sl_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define sl_out_lit(o, lit) sl_out_raw((o), (lit), sizeof(lit) - 1)

#endif
