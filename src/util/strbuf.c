/* SPDX-License-Identifier: MIT */
/* strbuf.c: growable strings (see strbuf.h). */
#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static void reserve(struct strbuf *sb, size_t extra)
{
	sb->buf = tw_xgrow(sb->buf, &sb->cap, sb->len + extra + 1, 1);
}

void sb_appendn(struct strbuf *sb, const char *s, size_t n)
{
	reserve(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_append(struct strbuf *sb, const char *s)
{
	sb_appendn(sb, s, strlen(s));
}

/* Templates and the expression lexer build their text a character at a
 * time (tens of thousands of calls as the rules load): no call to grow
 * while there is room. */
void sb_appendc(struct strbuf *sb, char c)
{
	if (sb->len + 1 < sb->cap) {
		sb->buf[sb->len++] = c;
		sb->buf[sb->len] = '\0';
		return;
	}
	sb_appendn(sb, &c, 1);
}

void sb_vappendf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	reserve(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_appendf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vappendf(sb, fmt, ap);
	va_end(ap);
}

void sb_append_thousands(struct strbuf *sb, long long v)
{
	char digits[32];
	unsigned long long mag = (unsigned long long)v;
	int n, i;

	if (v < 0) {
		sb_appendc(sb, '-');
		mag = 0ULL - mag;  /* well defined for LLONG_MIN too */
	}
	n = snprintf(digits, sizeof(digits), "%llu", mag);
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			sb_appendc(sb, ',');
		sb_appendc(sb, digits[i]);
	}
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

const char *sb_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

char *sb_steal(struct strbuf *sb)
{
	char *p = sb->buf ? sb->buf : tw_xstrdup("");

	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}
