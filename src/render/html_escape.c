/* SPDX-License-Identifier: MIT */
/* html_escape.c: HTML escaping (see html_escape.h). */
#include "render/html_escape.h"

#include <stdbool.h>

void html_text(struct strbuf *out, const char *s)
{
	if (!s)
		return;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': sb_append(out, "&amp;"); break;
		case '<': sb_append(out, "&lt;"); break;
		case '>': sb_append(out, "&gt;"); break;
		case '"': sb_append(out, "&quot;"); break;
		case '\'': sb_append(out, "&#39;"); break;
		case '\t': case '\n': sb_appendc(out, (char)c); break;
		default:
			if (c < 0x20 || c == 0x7f)
				sb_append(out, "\xef\xbf\xbd");
			else
				sb_appendc(out, (char)c);
		}
	}
}

void html_id(struct strbuf *out, const char *s)
{
	if (!s)
		return;
	for (; *s; s++) {
		char c = *s;
		bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '-' || c == '_';

		sb_appendc(out, keep ? c : '_');
	}
}
