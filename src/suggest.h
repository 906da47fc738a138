/* SPDX-License-Identifier: MIT */
/* suggest.h: "did you mean" for names the user typed (profile names, rule
 * ids): the closest candidate by edit distance, when it is close enough. */
#ifndef TW_SUGGEST_H
#define TW_SUGGEST_H

#include <stddef.h>

/* The candidate closest to 'word' (Damerau-Levenshtein, optimal string
 * alignment), or NULL when none is within max(2, strlen(word) / 3) edits
 * or 'word' is itself a candidate. Candidates are borrowed: the result
 * points into 'cands'. */
const char *suggest_closest(const char *word, const char *const *cands, size_t n);

#endif
