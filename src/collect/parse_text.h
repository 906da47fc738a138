/* SPDX-License-Identifier: MIT */
/* parse_text.h: line and field splitting shared by the text parsers.
 *
 * Internal to src/collect/: the parsers of parsers.h walk their input one
 * line at a time and split lines into whitespace-separated fields with
 * these helpers, so that every parser treats CR, tabs, a missing final
 * newline and binary bytes the same way. Nothing here allocates. */
#ifndef TW_COLLECT_PARSE_TEXT_H
#define TW_COLLECT_PARSE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/addr.h"

/* Walks 'buf' line by line; lineno counts from 1. */
struct text_lines {
	const char *p, *end;
	unsigned lineno;
};

/* A field of a line: 'n' bytes at 's' (not NUL-terminated). */
struct text_field {
	const char *s;
	size_t n;
};

void text_lines_init(struct text_lines *it, const char *buf, size_t len);
/* The next line without its '\n' and trailing '\r'; false at the end. A
 * final line without '\n' is returned too. */
bool text_lines_next(struct text_lines *it, const char **ret, size_t *ret_len);

/* True when the bytes hold a NUL or a control character other than tab,
 * CR, LF and ESC: binary data, never the text of a /proc file or tool. */
bool text_is_binary(const char *s, size_t n);
/* True when the bytes are only spaces and tabs (or none). */
bool text_is_blank(const char *s, size_t n);

/* Splits on runs of spaces and tabs. Stores at most 'max' fields in 'f'
 * and returns how many fields the line has (which may exceed 'max'). */
size_t text_split(const char *s, size_t n, struct text_field *f, size_t max);
/* The field equals the NUL-terminated 'word'. */
bool text_field_is(const struct text_field *f, const char *word);
/* The field is 1..max_len characters of [A-Za-z0-9_-]: a counter name, a
 * protocol or state word. */
bool text_field_is_word(const struct text_field *f, size_t max_len);

/* Parses an address as tw_addr_parse() does ("10.0.0.1", "::1", "[::1]",
 * "::ffff:10.0.0.1" normalised to IPv4, "*" as 0.0.0.0, "fe80::1%eth0"
 * with the scope dropped), accepting exactly what inet_pton() accepts,
 * without copying or calling it: the snapshot parser's inner loop. */
int text_parse_addr(const char *s, size_t n, struct tw_addr *ret);

/* Decimal digits only, no sign, at most 'max': 0 or -EINVAL. */
int text_parse_u32(const char *s, size_t n, uint32_t max, uint32_t *ret);

#endif
