/* SPDX-License-Identifier: MIT */
/* json_writer.c: a minimal streaming JSON writer (see json_writer.h).
 *
 * The nesting state is a small stack of "a value was already written at
 * this level" flags; deeper nesting than JW_MAX_DEPTH is a programming
 * error in a renderer and is clamped rather than overflowing. */
#include "render/json_writer.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "render/render_util.h"

void jw_init(struct json_writer *w, struct strbuf *out)
{
	w->out = out;
	w->depth = 0;
	w->need_comma[0] = false;
	w->after_key = false;
}

/* Called before every value and key: separates it from the previous one. */
static void before_value(struct json_writer *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->need_comma[w->depth])
		sb_appendc(w->out, ',');
	w->need_comma[w->depth] = true;
}

static void push(struct json_writer *w, char c)
{
	before_value(w);
	sb_appendc(w->out, c);
	if (w->depth < JW_MAX_DEPTH - 1)
		w->depth++;
	w->need_comma[w->depth] = false;
}

static void pop(struct json_writer *w, char c)
{
	sb_appendc(w->out, c);
	if (w->depth > 0)
		w->depth--;
	w->after_key = false;
}

void jw_object_begin(struct json_writer *w) { push(w, '{'); }
void jw_object_end(struct json_writer *w) { pop(w, '}'); }
void jw_array_begin(struct json_writer *w) { push(w, '['); }
void jw_array_end(struct json_writer *w) { pop(w, ']'); }

void jw_key(struct json_writer *w, const char *key)
{
	before_value(w);
	json_append_string(w->out, key);
	sb_appendc(w->out, ':');
	w->after_key = true;
}

void json_append_string(struct strbuf *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	sb_appendc(out, '"');
	while (*s) {
		unsigned char c = *s;
		size_t n;

		switch (c) {
		case '"': sb_append(out, "\\\""); s++; continue;
		case '\\': sb_append(out, "\\\\"); s++; continue;
		case '\n': sb_append(out, "\\n"); s++; continue;
		case '\r': sb_append(out, "\\r"); s++; continue;
		case '\t': sb_append(out, "\\t"); s++; continue;
		case '\b': sb_append(out, "\\b"); s++; continue;
		case '\f': sb_append(out, "\\f"); s++; continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f) {
			sb_appendf(out, "\\u%04x", c);
			s++;
			continue;
		}
		/* ru_utf8_len reads at most up to the first byte that fails, and a
		 * NUL terminator always fails the continuation test. */
		n = ru_utf8_len(s);
		if (n == 0) {
			sb_append(out, "\\ufffd");
			s++;
			continue;
		}
		sb_appendn(out, (const char *)s, n);
		s += n;
	}
	sb_appendc(out, '"');
}

void jw_string(struct json_writer *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	before_value(w);
	json_append_string(w->out, s);
}

void jw_null(struct json_writer *w)
{
	before_value(w);
	sb_append(w->out, "null");
}

void jw_bool(struct json_writer *w, bool v)
{
	before_value(w);
	sb_append(w->out, v ? "true" : "false");
}

void jw_u64(struct json_writer *w, uint64_t v)
{
	before_value(w);
	sb_appendf(w->out, "%" PRIu64, v);
}

void jw_i64(struct json_writer *w, int64_t v)
{
	before_value(w);
	sb_appendf(w->out, "%" PRId64, v);
}

void jw_double(struct json_writer *w, double v, int sig)
{
	if (!isfinite(v)) {
		jw_null(w);
		return;
	}
	before_value(w);
	if (v == 0) {
		sb_appendc(w->out, '0');   /* no "-0" */
		return;
	}
	if (fabs(v) < 9007199254740992.0 && v == trunc(v)) {
		sb_appendf(w->out, "%.0f", v);
		return;
	}
	if (sig < 1)
		sig = 1;
	if (sig > 17)
		sig = 17;
	/* %g gives "1e-07" or "0.956": both valid JSON numbers. */
	sb_appendf(w->out, "%.*g", sig, v);
}
