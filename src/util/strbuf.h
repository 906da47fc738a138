/* SPDX-License-Identifier: MIT */
/* strbuf.h: a growable, always NUL-terminated byte string.
 *
 * Renderers build their whole output in one strbuf so that a failure half
 * way never leaves half a document on stdout or in a file. */
#ifndef TW_UTIL_STRBUF_H
#define TW_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;   /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void sb_append(struct strbuf *sb, const char *s);
void sb_appendn(struct strbuf *sb, const char *s, size_t n);
void sb_appendc(struct strbuf *sb, char c);
void sb_appendf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vappendf(struct strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Integer with thousands separators: 27000 -> "27,000". */
void sb_append_thousands(struct strbuf *sb, long long v);
void sb_reset(struct strbuf *sb);
/* Returns the text ("" when empty, never NULL); valid until the next append. */
const char *sb_str(const struct strbuf *sb);
/* Hands the buffer to the caller (caller frees) and resets 'sb'. */
char *sb_steal(struct strbuf *sb);
void sb_free(struct strbuf *sb);

#endif
