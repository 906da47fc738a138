/* SPDX-License-Identifier: MIT */
/* error.c: formatting of struct tw_error (see error.h). */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void tw_escape_text(const char *s, char *out, size_t size)
{
	size_t o = 0;
	unsigned char prev = 0;

	if (size == 0)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; prev = *p, p++) {
		unsigned char c = *p;
		char esc[5];
		size_t n = 1;

		/* 0x80..0x9f after an ASCII byte is no UTF-8 continuation but a
		 * C1 control (0x9b is CSI on 8-bit terminals). */
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f && prev < 0x80)) {
			snprintf(esc, sizeof(esc), "\\x%02x", c);
			n = 4;
		} else {
			esc[0] = (char)c;
		}
		if (o + n >= size)
			break;
		memcpy(out + o, esc, n);
		o += n;
	}
	out[o] = '\0';
}

const char *tw_excerpt(const char *s, size_t n, char out[TW_EXCERPT_MAX + 4])
{
	size_t k = n > TW_EXCERPT_MAX ? TW_EXCERPT_MAX : n;
	size_t nul = strnlen(s, k);

	memcpy(out, s, nul);
	if (n > TW_EXCERPT_MAX)
		memcpy(out + nul, "...", 4);
	else
		out[nul] = '\0';
	return out;
}

/* Formats, then escapes into err->msg. */
static void set_escaped(struct tw_error *err, const char *raw)
{
	tw_escape_text(raw, err->msg, sizeof(err->msg));
}

int tw_error_set(struct tw_error *err, int code, const char *fmt, ...)
{
	char raw[sizeof(err->msg)];
	va_list ap;

	if (!err)
		return code;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	set_escaped(err, raw);
	return code;
}

int tw_error_prefix(struct tw_error *err, int code, const char *fmt, ...)
{
	char prefix[512], raw[sizeof(err->msg)];
	va_list ap;

	if (!err)
		return code;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	/* The old message is escaped already; only the prefix is new. Keep
	 * the prefix whole, truncate the rest. */
	snprintf(raw, sizeof(raw), "%s: ", prefix);
	{
		char esc[sizeof(err->msg)];
		size_t plen;

		tw_escape_text(raw, esc, sizeof(esc));
		plen = strlen(esc);
		memmove(err->msg + plen, err->msg, sizeof(err->msg) - plen - 1);
		err->msg[sizeof(err->msg) - 1] = '\0';
		memcpy(err->msg, esc, plen);
	}
	return code;
}
