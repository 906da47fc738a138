/* SPDX-License-Identifier: MIT */
/* html_escape.h: text from a report made safe for HTML (internal to
 * src/render/). Every string of a report may come from a hostile snapshot
 * (a hostname, a path, a sysctl value), so the HTML renderer writes none
 * of them but through these functions. */
#ifndef TW_RENDER_HTML_ESCAPE_H
#define TW_RENDER_HTML_ESCAPE_H

#include "util/strbuf.h"

/* Appends 's' as text or as an attribute value (inside double or single
 * quotes): & < > " ' become entities, control characters other than tab
 * and newline become U+FFFD. NULL appends nothing. */
void html_text(struct strbuf *out, const char *s);
/* Appends 's' as the value of an id or a fragment link (#...): letters,
 * digits, '-' and '_' are kept, every other byte becomes '_'. */
void html_id(struct strbuf *out, const char *s);

#endif
