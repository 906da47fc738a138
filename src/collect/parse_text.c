/* SPDX-License-Identifier: MIT */
/* parse_text.c: line iteration and field splitting for the text parsers
 * (see parse_text.h). */
#include "collect/parse_text.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

void text_lines_init(struct text_lines *it, const char *buf, size_t len)
{
	it->p = buf;
	it->end = buf + len;
	it->lineno = 0;
}

bool text_lines_next(struct text_lines *it, const char **ret, size_t *ret_len)
{
	const char *nl;
	size_t n;

	if (it->p >= it->end)
		return false;
	nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	n = nl ? (size_t)(nl - it->p) : (size_t)(it->end - it->p);
	*ret = it->p;
	it->p = nl ? nl + 1 : it->end;
	while (n > 0 && (*ret)[n - 1] == '\r')
		n--;
	*ret_len = n;
	it->lineno++;
	return true;
}

bool text_is_binary(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned bad = 0;

	/* No early exit and no table: the compiler vectorises this loop. */
	for (size_t i = 0; i < n; i++) {
		unsigned c = p[i];

		bad |= (unsigned)(c < 0x20) & (unsigned)(c != '\t') & (unsigned)(c != '\r') &
		       (unsigned)(c != '\n') & (unsigned)(c != 0x1b);
		bad |= (unsigned)(c == 0x7f);
	}
	return bad != 0;
}

bool text_is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

size_t text_split(const char *s, size_t n, struct text_field *f, size_t max)
{
	size_t count = 0, i = 0;

	while (i < n) {
		size_t start;

		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= n)
			break;
		start = i;
		while (i < n && s[i] != ' ' && s[i] != '\t')
			i++;
		if (count < max) {
			f[count].s = s + start;
			f[count].n = i - start;
		}
		count++;
	}
	return count;
}

bool text_field_is(const struct text_field *f, const char *word)
{
	size_t wn = strlen(word);

	return f->n == wn && memcmp(f->s, word, wn) == 0;
}

bool text_field_is_word(const struct text_field *f, size_t max_len)
{
	if (f->n == 0 || f->n > max_len)
		return false;
	for (size_t i = 0; i < f->n; i++) {
		char c = f->s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

int text_parse_u32(const char *s, size_t n, uint32_t max, uint32_t *ret)
{
	uint64_t v = 0;

	if (n == 0 || n > 10)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(unsigned char)s[i] - '0';

		if (d > 9)
			return -EINVAL;
		v = v * 10 + d;
	}
	if (v > max)
		return -EINVAL;
	*ret = (uint32_t)v;
	return 0;
}

/* Dotted quad as inet_pton(AF_INET) takes it: four decimal parts of
 * 0..255, no leading zero in a part of several digits. Unrolled: it runs
 * twice per line of a listing. */
static int parse_ipv4(const char *s, size_t n, uint8_t out[4])
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;

	for (int part = 0; part < 4; part++) {
		unsigned v, d;

		if (part > 0) {
			if (p == e || *p != '.')
				return -EINVAL;
			p++;
		}
		if (p == e || (v = (unsigned)*p - '0') > 9)
			return -EINVAL;
		p++;
		if (p < e && (d = (unsigned)*p - '0') <= 9) {
			if (v == 0)
				return -EINVAL;   /* leading zero */
			v = v * 10 + d;
			p++;
			if (p < e && (d = (unsigned)*p - '0') <= 9) {
				v = v * 10 + d;
				p++;
				if (v > 255)
					return -EINVAL;
			}
		}
		out[part] = (uint8_t)v;
	}
	return p == e ? 0 : -EINVAL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* IPv6 text as inet_pton(AF_INET6) takes it (glibc's inet_pton6): groups
 * of 1-4 hex digits, one "::", an optional dotted quad in the last 32
 * bits. */
static int parse_ipv6(const char *s, size_t n, uint8_t out[16])
{
	uint8_t tmp[16] = { 0 };
	size_t i = 0, tp = 0, curtok = 0;
	long colonp = -1;
	unsigned val = 0;
	int saw_xdigit = 0, digits = 0;

	if (n == 0)
		return -EINVAL;
	if (s[0] == ':') {
		if (n < 2 || s[1] != ':')
			return -EINVAL;
		i = 1;
	}
	curtok = i;
	for (; i < n; i++) {
		char ch = s[i];
		int d = hexval(ch);

		if (d >= 0) {
			if (++digits > 4)
				return -EINVAL;
			val = (val << 4) | (unsigned)d;
			saw_xdigit = 1;
			continue;
		}
		if (ch == ':') {
			curtok = i + 1;
			if (!saw_xdigit) {
				if (colonp >= 0)
					return -EINVAL;
				colonp = (long)tp;
				continue;
			}
			if (i + 1 >= n)
				return -EINVAL;   /* trailing single ':' */
			if (tp + 2 > 16)
				return -EINVAL;
			tmp[tp++] = (uint8_t)(val >> 8);
			tmp[tp++] = (uint8_t)val;
			saw_xdigit = 0;
			digits = 0;
			val = 0;
			continue;
		}
		if (ch == '.' && tp + 4 <= 16) {
			if (parse_ipv4(s + curtok, n - curtok, tmp + tp) < 0)
				return -EINVAL;
			tp += 4;
			saw_xdigit = 0;
			break;
		}
		return -EINVAL;
	}
	if (saw_xdigit) {
		if (tp + 2 > 16)
			return -EINVAL;
		tmp[tp++] = (uint8_t)(val >> 8);
		tmp[tp++] = (uint8_t)val;
	}
	if (colonp >= 0) {
		size_t moved = tp - (size_t)colonp;

		if (tp == 16)
			return -EINVAL;
		memmove(tmp + 16 - moved, tmp + colonp, moved);
		memset(tmp + colonp, 0, 16 - moved - (size_t)colonp);
		tp = 16;
	}
	if (tp != 16)
		return -EINVAL;
	memcpy(out, tmp, 16);
	return 0;
}

int text_parse_addr(const char *s, size_t n, struct tw_addr *ret)
{
	uint8_t raw[16];
	const char *pct;

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n == 0 || n > TW_ADDR_STRLEN + 1)
		return -EINVAL;   /* as tw_addr_parse() */
	/* The common case first, written in place: a plain dotted quad. */
	if (n <= 15 && parse_ipv4(s, n, raw) == 0) {
		memset(ret, 0, sizeof(*ret));
		ret->family = AF_INET;
		memcpy(ret->a, raw, 4);
		return 0;
	}
	if (n == 1 && s[0] == '*') {
		memset(ret, 0, sizeof(*ret));
		ret->family = AF_INET;
		return 0;
	}
	pct = memchr(s, '%', n);
	if (pct) {
		n = (size_t)(pct - s);
		if (n <= 15 && parse_ipv4(s, n, raw) == 0) {
			tw_addr_from_raw(AF_INET, raw, ret);
			return 0;
		}
	}
	if (parse_ipv6(s, n, raw) == 0) {
		tw_addr_from_raw(AF_INET6, raw, ret);
		return 0;
	}
	return -EINVAL;
}
