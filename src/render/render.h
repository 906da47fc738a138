/* SPDX-License-Identifier: MIT */
/* render.h: every output format of twadvise, from one struct tw_report.
 *
 * Only this module formats output. Each renderer appends its whole
 * document to a caller-owned strbuf (main() writes it out in one go, so a
 * failure never leaves half a document) and never prints, exits or reads
 * anything but the report and the facts it points to. Output depends only
 * on the report: the same report gives the same bytes (no clocks, no
 * environment; colour only when the caller asks for it). */
#ifndef TW_RENDER_RENDER_H
#define TW_RENDER_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/report.h"
#include "util/strbuf.h"

/* The sysctl.d fragment (--format sysctl, --output): a comment header
 * (profile, kernel, source), then for each non-acknowledged finding with
 * changes, "# ID: TITLE" and its "key = value" lines. Each key appears
 * once (the first finding naming it wins); tcp_tw_recycle is never
 * written with a value other than 0. The engine stores the result in
 * r->fragment; other renderers print r->fragment and fall back to this
 * function only when it is NULL. */
void render_fragment(const struct tw_report *r, struct strbuf *out);

/* --format json: one compact document (the contract's shape, see
 * twadvise.schema.json) followed by "\n", so several reports appended in
 * turn form JSON Lines. */
void render_json(const struct tw_report *r, struct strbuf *out);

/* --format text: the report for a person. 'color' adds ANSI colours and
 * UTF-8 bar glyphs; without it the output is plain (ASCII bars, no escape
 * sequences) apart from the "→" between current and recommended values. */
void render_text(const struct tw_report *r, bool color, struct strbuf *out);

/* --format prometheus: node_exporter textfile collector format, metrics
 * named twadvise_*, no timestamps. Metrics whose value is unknown are
 * left out rather than reported as 0. */
void render_prometheus(const struct tw_report *r, struct strbuf *out);

/* --format nagios: one status line with perfdata, and the plugin exit
 * code: 2 when a non-acknowledged critical finding is at or above
 * 'fail_on', 1 when any other non-acknowledged finding is, else 0 (3,
 * UNKNOWN, is main()'s for errors; see render_nagios_unknown()). */
int render_nagios(const struct tw_report *r, enum tw_severity fail_on, struct strbuf *out);
/* "TWADVISE UNKNOWN - MESSAGE" for errors before a report exists; returns 3. */
int render_nagios_unknown(const char *message, struct strbuf *out);

/* The summary table of several --snapshot runs (text format): one row per
 * host, named by names[i] (the snapshot folder; NULL prints "-"). */
void render_fleet_table(const struct tw_report *const *reports, const char *const *names,
			size_t n, bool color, struct strbuf *out);

#endif
