/* SPDX-License-Identifier: MIT */
/* sysctl_keys.c: a sorted set of sysctl keys (see sysctl_keys.h). */
#include "facts/sysctl_keys.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* The index of 'key', or where it would go. */
static size_t lower_bound(const struct tw_sysctl_keys *s, const char *key, bool *ret_found)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->v[mid], key);

		if (c == 0) {
			*ret_found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*ret_found = false;
	return lo;
}

void sysctl_keys_add(struct tw_sysctl_keys *s, const char *key)
{
	bool found;
	size_t i = lower_bound(s, key, &found);

	if (found)
		return;
	s->v = tw_xgrow(s->v, &s->cap, s->n + 1, sizeof(s->v[0]));
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(s->v[0]));
	s->v[i] = tw_xstrdup(key);
	s->n++;
}

void sysctl_keys_add_list(struct tw_sysctl_keys *s, const char *const *keys)
{
	for (size_t i = 0; keys[i]; i++)
		sysctl_keys_add(s, keys[i]);
}

void sysctl_keys_merge(struct tw_sysctl_keys *s, const struct tw_sysctl_keys *from)
{
	for (size_t i = 0; i < from->n; i++)
		sysctl_keys_add(s, from->v[i]);
	s->all = s->all || from->all;
}

bool sysctl_keys_has(const struct tw_sysctl_keys *s, const char *key)
{
	bool found;

	lower_bound(s, key, &found);
	return found;
}

void sysctl_keys_free(struct tw_sysctl_keys *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}
