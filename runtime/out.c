// SPDX-License-Identifier: Apache-2.0
/* The buffered writer of out.h. Owner: the outputs (output.c, html.c).
 * Short writes are retried; a failing fd drops the rest, since an output
 * file must never stop the program under test. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "out.h"

void sl_out_flush(struct sl_out *o)
{
	size_t off = 0;
	while (off < o->used) {
		ssize_t n = sl_sys_write(o->fd, o->buf + off, o->used - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	o->used = 0;
}

void sl_out_raw(struct sl_out *o, const char *s, size_t n)
{
	while (n) {
		if (o->used == sizeof o->buf)
			sl_out_flush(o);
		size_t k = sizeof o->buf - o->used < n ? sizeof o->buf - o->used : n;
		memcpy(o->buf + o->used, s, k);
		o->used += k;
		s += k;
		n -= k;
	}
}

void sl_out_str(struct sl_out *o, const char *s) { sl_out_raw(o, s, strlen(s)); }

void sl_out_fmt(struct sl_out *o, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		sl_out_raw(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}
