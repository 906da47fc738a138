/* SPDX-License-Identifier: MIT */
/* parse_text.c: line iteration and field splitting for the text parsers
 * (see parse_text.h). */
#include "collect/parse_text.h"

#include <string.h>

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
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != 0x1b) || c == 0x7f)
			return true;
	}
	return false;
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
