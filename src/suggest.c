/* SPDX-License-Identifier: MIT */
/* suggest.c: the closest name by edit distance, for "did you mean". */
#include "suggest.h"

#include <stdlib.h>
#include <string.h>

#define MAX_LEN 128

/* Edit distance with adjacent transpositions; names longer than MAX_LEN
 * are never suggested (distance treated as infinite). */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	static const size_t inf = (size_t)-1;
	size_t d[3][MAX_LEN + 1];   /* rows i-2, i-1, i */

	if (la > MAX_LEN || lb > MAX_LEN)
		return inf;
	for (size_t j = 0; j <= lb; j++)
		d[1][j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *cur = d[(i + 1) % 3], *prev = d[i % 3], *prev2 = d[(i + 2) % 3];

		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = prev[j] + 1;

			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
	}
	return d[(la + 1) % 3][lb];
}

const char *suggest_closest(const char *word, const char *const *cands, size_t n)
{
	size_t best_d = (size_t)-1, limit;
	const char *best = NULL;

	if (!word)
		return NULL;
	limit = strlen(word) / 3 > 2 ? strlen(word) / 3 : 2;
	for (size_t i = 0; i < n; i++) {
		size_t dd;

		if (!cands[i])
			continue;
		dd = distance(word, cands[i]);
		if (dd == 0)
			return NULL;
		if (dd < best_d) {
			best_d = dd;
			best = cands[i];
		}
	}
	return best_d <= limit ? best : NULL;
}
