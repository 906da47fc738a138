/* SPDX-License-Identifier: MIT */
/* render_util.h: helpers shared by the renderers (internal to src/render/).
 *
 * Small, pure functions over a report: how to name its source and kernel,
 * counting open (non-acknowledged) findings, making a string safe for a
 * one-line context, and the fragment text with its fallback. */
#ifndef TW_RENDER_RENDER_UTIL_H
#define TW_RENDER_RENDER_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/report.h"
#include "util/strbuf.h"

/* "unknown" when the report has no facts or the kernel was not read. */
const char *ru_kernel(const struct tw_report *r);
/* "live", "snapshot" (the contract's enum). */
const char *ru_source_kind(const struct tw_report *r);
/* Appends "live", "snapshot DIR" or "netns NAME" (DIR/NAME sanitised to one line). */
void ru_source_describe(const struct tw_report *r, struct strbuf *out);
/* The profile name, "unknown" when NULL or empty. */
const char *ru_profile(const struct tw_report *r);
/* Non-acknowledged findings of severity 's'. */
size_t ru_open_count(const struct tw_report *r, enum tw_severity s);
/* Findings of severity 's' (acknowledged included): r->count[s]. */
size_t ru_count(const struct tw_report *r, enum tw_severity s);
/* The largest utilization among the top rows; 0 when there are none. */
double ru_top_utilization(const struct tw_report *r);
/* A share shown to users: at most 1. More TIME_WAIT sockets than ports
 * is possible (the same local port towards different remote ports), but
 * "120%" of a range reads as a bug; text.c says so in words. */
double ru_capped_utilization(double u);
/* Appends 's' on one line: control characters become spaces, runs of
 * spaces fold to one, leading/trailing spaces go, bytes that are not
 * UTF-8 become '?'; at most 'max' bytes
 * (cut on a UTF-8 boundary, "..." appended) when max > 0. NULL appends "". */
void ru_append_oneline(struct strbuf *out, const char *s, size_t max);
/* Formats a top row's local and remote ends: client "10.0.0.5" and
 * "10.0.1.20:5432"; server "10.0.0.5:80" and "10.0.2.3" (IPv6 in brackets
 * when a port follows). */
void ru_tuple_ends(const struct tw_tuple *t, struct strbuf *local, struct strbuf *remote);
/* The address alone. */
void ru_addr(const struct tw_addr *a, struct strbuf *out);
/* r->fragment, or (when NULL) a freshly rendered one kept in 'tmp'. */
const char *ru_fragment(const struct tw_report *r, struct strbuf *tmp);
/* Whether "sysctl -w KEY=VALUE" can be pasted as one safe shell line: a
 * plain key and a printable one-line value. Formatting only: what is
 * proposed at all is the change plan's decision. */
bool ru_pasteable(const char *key, const char *value);
/* Display columns of 's': UTF-8 characters, ANSI "ESC[...m" sequences skipped. */
size_t ru_width(const char *s);
/* Appends 'text' word-wrapped to 'width' columns: 'prefix' starts the
 * first line, 'indent' spaces start the others; whitespace runs (newlines
 * included) fold to one space; other control characters and bytes that
 * are not UTF-8 print as '?'; ends with a newline. */
void ru_wrap(struct strbuf *out, const char *prefix, size_t indent, const char *text,
	     size_t width);

/* A text table: cells filled row by row, columns padded to the widest
 * cell (ANSI colour in cells allowed), no trailing spaces. */
#define RU_TABLE_MAXCOLS 12
struct ru_table {
	size_t ncols;
	bool right[RU_TABLE_MAXCOLS];   /* right-align this column */
	struct strbuf *cells;
	size_t ncells, cap;
};
void ru_table_init(struct ru_table *t, size_t ncols);
void ru_table_cell(struct ru_table *t, const char *s);
void ru_table_cellf(struct ru_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends the table, each line starting with 'indent' spaces; column gap 2. */
void ru_table_render(const struct ru_table *t, size_t indent, struct strbuf *out);
void ru_table_free(struct ru_table *t);

/* Length of the well-formed UTF-8 sequence at 's' (1..4), or 0 when the
 * bytes there are not one (overlong forms and surrogates included). Reads
 * no further than the first byte that fails, so a NUL stops it. */
size_t ru_utf8_len(const unsigned char *s);

/* The contract's rounding for utilization (4 decimals); non-finite → 0. */
double ru_round4(double v);

#endif
