/* SPDX-License-Identifier: MIT */
/* html_host.h: one host's section of the HTML report (internal to
 * src/render/): verdict, busiest destinations against their port budget,
 * TIME_WAIT ages, findings, cost gauges and the proposed fragment. */
#ifndef TW_RENDER_HTML_HOST_H
#define TW_RENDER_HTML_HOST_H

#include <stddef.h>

#include <jansson.h>

#include "util/strbuf.h"

/* Appends <section id="host-N"> (N = index + 1) for the report 'doc' (a
 * --format json document, or a fleet error line with "error"). The
 * heading is <h2> with 'level2', else <h1> (a report of one host). */
void html_host_section(struct strbuf *out, const json_t *doc, size_t index, int level2);

#endif
