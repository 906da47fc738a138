/* SPDX-License-Identifier: MIT */
/* xalloc.c: allocation helpers that abort on exhaustion (see xalloc.h). */
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *oom(void)
{
	fputs("twadvise: out of memory\n", stderr);
	abort();
}

void *tw_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	return p ? p : oom();
}

void *tw_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	return p ? p : oom();
}

void *tw_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	return q ? q : oom();
}

void *tw_xgrow(void *p, size_t *cap, size_t want, size_t size)
{
	size_t n = *cap ? *cap : 8;

	if (want <= *cap)
		return p;
	while (n < want) {
		if (n > SIZE_MAX / 2)
			return oom();
		n *= 2;
	}
	if (n > SIZE_MAX / size)
		return oom();
	*cap = n;
	return tw_xrealloc(p, n * size);
}

char *tw_xstrdup(const char *s)
{
	return tw_xstrndup(s, strlen(s));
}

char *tw_xstrndup(const char *s, size_t n)
{
	char *p = tw_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
