/* SPDX-License-Identifier: MIT */
/* parse_num.c: bounded decimal parsing (see parse_num.h). */
#include "util/parse_num.h"

#include <errno.h>
#include <string.h>

int tw_parse_u64n(const char *s, size_t n, uint64_t min, uint64_t max, uint64_t *ret)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10) {
			/* keep scanning so "12x" with overflow is still EINVAL */
			for (; i < n; i++)
				if (s[i] < '0' || s[i] > '9')
					return -EINVAL;
			return -ERANGE;
		}
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

int tw_parse_i64n(const char *s, size_t n, int64_t min, int64_t max, int64_t *ret)
{
	uint64_t mag;
	int64_t v;
	int neg = 0, r;

	if (n > 0 && s[0] == '-') {
		neg = 1;
		s++;
		n--;
	}
	r = tw_parse_u64n(s, n, 0, (uint64_t)INT64_MAX + (uint64_t)neg, &mag);
	if (r < 0)
		return r;
	if (neg)
		v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	else
		v = (int64_t)mag;
	if (v < min || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

int tw_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *ret)
{
	return tw_parse_u64n(s, strlen(s), min, max, ret);
}

int tw_parse_i64(const char *s, int64_t min, int64_t max, int64_t *ret)
{
	return tw_parse_i64n(s, strlen(s), min, max, ret);
}
