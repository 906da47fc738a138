/* SPDX-License-Identifier: MIT */
/* sysctl_text.c: folding, trimming and key validation (see sysctl_text.h). */
#include "util/sysctl_text.h"

#include <string.h>

#include "util/xalloc.h"

bool sysctl_text_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void sysctl_text_fold_inplace(char *s)
{
	char *w = s;
	bool space = false;

	for (const char *r = s; *r; r++) {
		if (sysctl_text_is_blank(*r)) {
			space = w != s;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = false;
		*w++ = *r;
	}
	*w = '\0';
}

char *sysctl_text_fold(const char *value)
{
	char *s = tw_xstrdup(value);

	sysctl_text_fold_inplace(s);
	return s;
}

void sysctl_text_trim(const char **s, size_t *n)
{
	while (*n > 0 && sysctl_text_is_blank(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && sysctl_text_is_blank((*s)[*n - 1]))
		(*n)--;
}

char *sysctl_text_strip(char *s)
{
	size_t n = strlen(s);
	const char *p = s;

	sysctl_text_trim(&p, &n);
	memmove(s, p, n);
	s[n] = '\0';
	return s;
}

bool sysctl_text_key_valid(const char *key, size_t n)
{
	size_t comp = 0, ncomp = 0;
	char sep = '.', inner = '/';

	if (!key || n == 0 || n > SYSCTL_TEXT_KEY_MAX)
		return false;
	/* "net/ipv4/x" is the same key in path form: the first separator
	 * decides which of '.' and '/' separates (as sysctl does). */
	for (size_t i = 0; i < n; i++) {
		if (key[i] == '/' || key[i] == '.') {
			if (key[i] == '/') {
				sep = '/';
				inner = '.';
			}
			break;
		}
	}
	for (size_t i = 0; i <= n; i++) {
		unsigned char c = i < n ? (unsigned char)key[i] : (unsigned char)sep;

		if (c == (unsigned char)sep) {
			/* A component of the path the key names, where 'inner'
			 * stands for '.': "." and ".." spelt so are refused. */
			size_t len = i - comp;
			const char *p = key + comp;

			if (len == 0 || (len == 1 && p[0] == inner) ||
			    (len == 2 && p[0] == inner && p[1] == inner))
				return false;
			ncomp++;
			comp = i + 1;
			continue;
		}
		if (c <= ' ' || c == 0x7f || c == '=' || c == '*' || c == '?' || c == '[')
			return false;
	}
	return ncomp >= 2;
}

bool sysctl_text_key_valid_str(const char *key)
{
	return key && sysctl_text_key_valid(key, strlen(key));
}
