/* SPDX-License-Identifier: MIT */
/* xalloc.h: allocation that cannot return NULL.
 *
 * Out of memory is not a condition twadvise can report usefully half-way
 * through an analysis, so these abort with a message instead. */
#ifndef TW_UTIL_XALLOC_H
#define TW_UTIL_XALLOC_H

#include <stddef.h>

void *tw_xmalloc(size_t n);
void *tw_xcalloc(size_t nmemb, size_t size);
void *tw_xrealloc(void *p, size_t n);
/* Grows an array of 'size'-byte items to at least 'want' items,
 * doubling; updates *cap. */
void *tw_xgrow(void *p, size_t *cap, size_t want, size_t size);
char *tw_xstrdup(const char *s);
char *tw_xstrndup(const char *s, size_t n);

#endif
