/* SPDX-License-Identifier: MIT */
/* diag.c: positions and "FILE:LINE:COL: message" errors for the
 * expression language (see diag.h). */
#include "expr/diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void expr_pos_at(const struct tw_srcpos *base, const char *src, size_t len,
		 size_t off, struct tw_srcpos *ret)
{
	struct tw_srcpos p = { "<expr>", 1, 1 };

	if (base) {
		p = *base;
		if (!p.file)
			p.file = "<expr>";
		if (p.line < 1)
			p.line = 1;
		if (p.col < 1)
			p.col = 1;
	}
	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c == '\n') {
			p.line++;
			p.col = 1;
		} else if ((c & 0xc0) != 0x80) {
			p.col++;
		}
	}
	*ret = p;
}

int expr_error_at(struct tw_error *err, const struct tw_srcpos *base,
		  const char *src, size_t len, size_t off, const char *fmt, ...)
{
	struct tw_srcpos p;
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	expr_pos_at(base, src, len, off, &p);
	return tw_error_set(err, -EINVAL, "%s:%d:%d: %s", p.file, p.line, p.col, msg);
}

const char *expr_printable(const char *s, size_t n, char *buf, size_t size)
{
	size_t o = 0;

	if (size == 0)
		return buf;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char tmp[8];
		size_t tl;

		if (c >= 0x20 && c < 0x7f) {
			tmp[0] = (char)c;
			tl = 1;
		} else if (c >= 0x80) {
			tmp[0] = (char)c;   /* keep UTF-8 text readable */
			tl = 1;
		} else {
			snprintf(tmp, sizeof(tmp), "\\x%02x", c);
			tl = 4;
		}
		if (o + tl + 4 >= size) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(buf + o, tmp, tl);
		o += tl;
	}
	buf[o] = '\0';
	return buf;
}
