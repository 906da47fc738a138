/* SPDX-License-Identifier: MIT */
/* html_svg.h: the inline SVG charts of the HTML report (internal to
 * src/render/). Each chart carries its numbers as text beside its shapes
 * and a <title> for assistive technology, so no meaning rests on colour
 * or shape alone; every string passes through html_text(). */
#ifndef TW_RENDER_HTML_SVG_H
#define TW_RENDER_HTML_SVG_H

#include <stdbool.h>

#include <jansson.h>

#include "util/strbuf.h"

/* One destination of the busiest-destinations chart. */
struct html_bar {
	const char *label;      /* "10.0.0.5 → 10.0.1.20:5432" */
	double held;            /* sockets holding its ports */
	double budget;          /* ports available to it; <= 0: unknown */
	double share;           /* held / budget (as the report says); < 0: unknown */
};

/* Horizontal bars: each destination's port use against its budget. */
void html_svg_ports(struct strbuf *out, const struct html_bar *bars, size_t n);
/* TIME_WAIT sockets of one destination by age: 'ages' is the report's
 * array of six 10-second buckets, newest first. */
void html_svg_ages(struct strbuf *out, const char *label, const json_t *ages);
/* A half-circle gauge filled to 'share' (0..1, more is drawn full), with
 * the percentage and 'level' (harmless, watch, act) written in it;
 * share < 0: unknown, drawn empty with "?". */
void html_svg_gauge(struct strbuf *out, const char *name, double share, const char *level);
/* "act" / "watch" / "harmless" / "error" as a CSS class suffix, or "unknown". */
const char *html_level_class(const char *level);

#endif
