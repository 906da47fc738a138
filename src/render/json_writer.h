/* SPDX-License-Identifier: MIT */
/* json_writer.h: a minimal streaming JSON writer into a strbuf.
 *
 * Compact output (no spaces, no newlines) so that one document fits one
 * line of JSON Lines. The writer places commas and colons itself; the
 * caller only says begin/end, key and value. Strings are escaped (quote,
 * backslash, control characters) and must be UTF-8: well-formed sequences
 * pass through, invalid bytes become U+FFFD, so text read from a hostile
 * snapshot can never produce an invalid document. */
#ifndef TW_RENDER_JSON_WRITER_H
#define TW_RENDER_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "util/strbuf.h"

#define JW_MAX_DEPTH 32

struct json_writer {
	struct strbuf *out;
	int depth;
	bool need_comma[JW_MAX_DEPTH];
	bool after_key;
};

void jw_init(struct json_writer *w, struct strbuf *out);
void jw_object_begin(struct json_writer *w);
void jw_object_end(struct json_writer *w);
void jw_array_begin(struct json_writer *w);
void jw_array_end(struct json_writer *w);
void jw_key(struct json_writer *w, const char *key);
/* NULL writes null. */
void jw_string(struct json_writer *w, const char *s);
void jw_null(struct json_writer *w);
void jw_bool(struct json_writer *w, bool v);
void jw_u64(struct json_writer *w, uint64_t v);
void jw_i64(struct json_writer *w, int64_t v);
/* Integral values below 2^53 print without decimals; others with up to
 * 'sig' significant digits (1..17). NaN and infinities print null. */
void jw_double(struct json_writer *w, double v, int sig);

/* Appends 's' as a quoted JSON string (the escaping above). */
void json_append_string(struct strbuf *out, const char *s);

#endif
