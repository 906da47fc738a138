/* SPDX-License-Identifier: MIT */
/* port_set.c: port bitmaps and their sysctl text form (see port_set.h). */
#include "facts/port_set.h"

#include <errno.h>
#include <string.h>

#include "util/parse_num.h"

/* Bits lo..hi (lo <= hi < 64) of a word. */
static uint64_t word_bits(unsigned lo, unsigned hi)
{
	uint64_t upto = hi == 63 ? UINT64_MAX : (UINT64_C(1) << (hi + 1)) - 1;

	return upto & ~((UINT64_C(1) << lo) - 1);
}

void port_set_clear(struct tw_port_set *s)
{
	memset(s, 0, sizeof(*s));
}

void port_set_add(struct tw_port_set *s, uint16_t port)
{
	s->bits[port / 64] |= UINT64_C(1) << (port % 64);
}

void port_set_add_range(struct tw_port_set *s, uint16_t lo, uint16_t hi)
{
	if (lo > hi)
		return;
	for (unsigned w = lo / 64; w <= (unsigned)hi / 64; w++) {
		unsigned a = w == lo / 64u ? lo % 64u : 0, b = w == hi / 64u ? hi % 64u : 63;

		s->bits[w] |= word_bits(a, b);
	}
}

bool port_set_has(const struct tw_port_set *s, uint16_t port)
{
	return (s->bits[port / 64] >> (port % 64)) & 1;
}

/* A word at a time: called for every tuple's available ports. */
size_t port_set_count_in(const struct tw_port_set *s, uint16_t lo, uint16_t hi)
{
	size_t n = 0, wlo = lo / 64, whi = hi / 64;

	if (lo > hi)
		return 0;
	for (size_t w = wlo; w <= whi; w++) {
		uint64_t bits = s->bits[w];

		if (w == wlo)
			bits &= ~UINT64_C(0) << (lo % 64);
		if (w == whi && hi % 64 != 63)
			bits &= (UINT64_C(1) << (hi % 64 + 1)) - 1;
		n += (size_t)__builtin_popcountll(bits);
	}
	return n;
}

size_t port_set_count(const struct tw_port_set *s)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(s->bits) / sizeof(s->bits[0]); i++)
		n += (size_t)__builtin_popcountll(s->bits[i]);
	return n;
}

void port_set_union(struct tw_port_set *dst, const struct tw_port_set *src)
{
	for (size_t i = 0; i < sizeof(dst->bits) / sizeof(dst->bits[0]); i++)
		dst->bits[i] |= src->bits[i];
}

int port_set_parse(const char *text, struct tw_port_set *s)
{
	const char *p = text;

	port_set_clear(s);
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '\n')
		return 0;
	for (;;) {
		const char *end = p, *dash = NULL;
		uint64_t lo, hi;

		while (*end && *end != ',' && *end != '\n') {
			if (*end == '-' && !dash)
				dash = end;
			end++;
		}
		if (dash) {
			if (tw_parse_u64n(p, (size_t)(dash - p), 0, 65535, &lo) < 0 ||
			    tw_parse_u64n(dash + 1, (size_t)(end - dash - 1), 0, 65535, &hi) < 0 ||
			    lo > hi)
				return -EINVAL;
		} else {
			if (tw_parse_u64n(p, (size_t)(end - p), 0, 65535, &lo) < 0)
				return -EINVAL;
			hi = lo;
		}
		port_set_add_range(s, (uint16_t)lo, (uint16_t)hi);
		if (*end != ',')
			break;
		p = end + 1;
	}
	return 0;
}

void port_set_format(const struct tw_port_set *s, struct strbuf *out)
{
	bool first = true;
	uint32_t p = 0;

	while (p <= 65535) {
		uint32_t start;

		if (!port_set_has(s, (uint16_t)p)) {
			p++;
			continue;
		}
		start = p;
		while (p + 1 <= 65535 && port_set_has(s, (uint16_t)(p + 1)))
			p++;
		if (!first)
			sb_appendc(out, ',');
		first = false;
		if (start == p)
			sb_appendf(out, "%u", start);
		else
			sb_appendf(out, "%u-%u", start, p);
		p++;
	}
}
