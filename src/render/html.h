/* SPDX-License-Identifier: MIT */
/* html.h: --format html, one self-contained page (inline CSS and SVG, a
 * small inline script for copying and sorting, a Content-Security-Policy
 * that forbids every fetch). It renders report documents as --format
 * json prints them (parsed with jansson), so a run's own reports and
 * reports read back with --from-json give the same page. */
#ifndef TW_RENDER_HTML_H
#define TW_RENDER_HTML_H

#include <stddef.h>

#include <jansson.h>

#include "util/strbuf.h"

/* Appends the page for 'n' documents (n >= 1). One document: that host's
 * report. Several (a fleet): a table of the hosts, sortable and sorted by
 * verdict (worst first), a heat map of destination utilization across
 * hosts, then each host's section, linked from the table (#host-N, N the
 * document's position from 1). A document with an "error" key is a host
 * that could not be analysed. Output depends only on the documents. */
void render_html(json_t *const *docs, size_t n, struct strbuf *out);

#endif
