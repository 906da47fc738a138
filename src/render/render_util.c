/* SPDX-License-Identifier: MIT */
/* render_util.c: helpers shared by the renderers (see render_util.h).
 *
 * Everything here is a pure function of the report; strings taken from
 * facts or rule files go through ru_append_oneline() wherever a newline
 * would break the output's structure (a sysctl.d comment, a status line). */
#include "render/render_util.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <string.h>

#include "render/render.h"
#include "util/xalloc.h"

const char *ru_kernel(const struct tw_report *r)
{
	if (!r->facts || !r->facts->kernel.known || r->facts->kernel.release[0] == '\0')
		return "unknown";
	return r->facts->kernel.release;
}

const char *ru_source_kind(const struct tw_report *r)
{
	if (r->facts && r->facts->source == TW_SOURCE_SNAPSHOT)
		return "snapshot";
	return "live";
}

void ru_source_describe(const struct tw_report *r, struct strbuf *out)
{
	const struct tw_facts *f = r->facts;

	if (f && f->source == TW_SOURCE_SNAPSHOT) {
		sb_append(out, "snapshot");
		if (f->snapshot_dir && f->snapshot_dir[0]) {
			sb_appendc(out, ' ');
			ru_append_oneline(out, f->snapshot_dir, 0);
		}
	} else if (f && f->netns && f->netns[0]) {
		sb_append(out, "netns ");
		ru_append_oneline(out, f->netns, 0);
	} else {
		sb_append(out, "live");
	}
}

const char *ru_profile(const struct tw_report *r)
{
	return r->profile && r->profile[0] ? r->profile : "unknown";
}

size_t ru_open_count(const struct tw_report *r, enum tw_severity s)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].severity == s && !r->findings[i].acknowledged)
			n++;
	return n;
}

size_t ru_count(const struct tw_report *r, enum tw_severity s)
{
	return (unsigned)s < 3 ? r->count[s] : 0;
}

double ru_top_utilization(const struct tw_report *r)
{
	double max = 0;
	size_t n = r->ntop < sizeof(r->top) / sizeof(r->top[0]) ? r->ntop
		: sizeof(r->top) / sizeof(r->top[0]);

	for (size_t i = 0; i < n; i++)
		if (isfinite(r->top[i].utilization) && r->top[i].utilization > max)
			max = r->top[i].utilization;
	return ru_capped_utilization(max);
}

double ru_capped_utilization(double u)
{
	return u > 1 ? 1 : u;
}

void ru_append_oneline(struct strbuf *out, const char *s, size_t max)
{
	size_t start = out->len;
	bool space = false;

	if (!s)
		return;
	while (*s) {
		unsigned char c = (unsigned char)*s;
		size_t n;

		if (c < 0x20 || c == 0x7f || c == ' ') {
			space = true;
			s++;
			continue;
		}
		if (space && out->len > start)
			sb_appendc(out, ' ');
		space = false;
		n = ru_utf8_len((const unsigned char *)s);
		if (n == 0) {
			sb_appendc(out, '?');   /* not UTF-8 */
			s++;
			continue;
		}
		sb_appendn(out, s, n);
		s += n;
	}
	if (max > 0 && out->len - start > max) {
		size_t cut = start + (max > 3 ? max - 3 : 0);

		/* Back up to the first byte of a UTF-8 sequence. */
		while (cut > start && ((unsigned char)out->buf[cut] & 0xc0) == 0x80)
			cut--;
		out->len = cut;
		out->buf[cut] = '\0';
		sb_append(out, "...");
	}
}

void ru_addr(const struct tw_addr *a, struct strbuf *out)
{
	char buf[TW_ADDR_STRLEN];

	tw_addr_format(a, buf);
	sb_append(out, buf);
}

static void addr_port(const struct tw_addr *a, unsigned port, struct strbuf *out)
{
	if (a->family == AF_INET6) {
		sb_appendc(out, '[');
		ru_addr(a, out);
		sb_appendf(out, "]:%u", port);
	} else {
		ru_addr(a, out);
		sb_appendf(out, ":%u", port);
	}
}

void ru_tuple_ends(const struct tw_tuple *t, struct strbuf *local, struct strbuf *remote)
{
	if (t->side == TW_SIDE_SERVER) {
		addr_port(&t->local, t->port, local);
		ru_addr(&t->remote, remote);
	} else {
		ru_addr(&t->local, local);
		addr_port(&t->remote, t->port, remote);
	}
}

const char *ru_fragment(const struct tw_report *r, struct strbuf *tmp)
{
	if (r->fragment)
		return r->fragment;
	sb_reset(tmp);
	render_fragment(r, tmp);
	return sb_str(tmp);
}

/* Whether a change can be written at all: a plain key, a one-line value,
 * and never tcp_tw_recycle other than 0. */

double ru_round4(double v)
{
	if (!isfinite(v) || v < 0)
		return 0;
	return round(v * 10000.0) / 10000.0;
}

size_t ru_width(const char *s)
{
	size_t w = 0;

	if (!s)
		return 0;
	while (*s) {
		unsigned char c = (unsigned char)*s;

		if (c == 0x1b && s[1] == '[') {
			s += 2;
			while (*s && !(*s >= '@' && *s <= '~'))
				s++;
			if (*s)
				s++;
			continue;
		}
		if ((c & 0xc0) != 0x80)
			w++;
		s++;
	}
	return w;
}

static void spaces(struct strbuf *out, size_t n)
{
	while (n--)
		sb_appendc(out, ' ');
}

void ru_wrap(struct strbuf *out, const char *prefix, size_t indent, const char *text,
	     size_t width)
{
	size_t col;
	bool first_word = true;
	const char *p = text ? text : "";

	sb_append(out, prefix);
	col = ru_width(prefix);
	for (;;) {
		const char *start;
		size_t len, w;
		struct strbuf word = STRBUF_INIT;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		len = (size_t)(p - start);
		/* Other control characters and invalid UTF-8 never reach the
		 * terminal. */
		for (size_t i = 0; i < len;) {
			unsigned char c = (unsigned char)start[i];
			size_t n = ru_utf8_len((const unsigned char *)start + i);

			if (c < 0x20 || c == 0x7f || n == 0 || i + n > len) {
				sb_appendc(&word, '?');
				i++;
				continue;
			}
			sb_appendn(&word, start + i, n);
			i += n;
		}
		w = ru_width(sb_str(&word));
		if (!first_word && col + 1 + w > width) {
			sb_appendc(out, '\n');
			spaces(out, indent);
			col = indent;
		} else if (!first_word) {
			sb_appendc(out, ' ');
			col++;
		}
		sb_append(out, sb_str(&word));
		col += w;
		first_word = false;
		sb_free(&word);
	}
	sb_appendc(out, '\n');
}

void ru_table_init(struct ru_table *t, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols < 1 ? 1 : ncols > RU_TABLE_MAXCOLS ? RU_TABLE_MAXCOLS : ncols;
}

void ru_table_cell(struct ru_table *t, const char *s)
{
	struct strbuf cell = STRBUF_INIT;

	t->cells = tw_xgrow(t->cells, &t->cap, t->ncells + 1, sizeof(t->cells[0]));
	sb_append(&cell, s ? s : "");
	t->cells[t->ncells++] = cell;
}

void ru_table_cellf(struct ru_table *t, const char *fmt, ...)
{
	struct strbuf cell = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vappendf(&cell, fmt, ap);
	va_end(ap);
	ru_table_cell(t, sb_str(&cell));
	sb_free(&cell);
}

void ru_table_render(const struct ru_table *t, size_t indent, struct strbuf *out)
{
	size_t widths[RU_TABLE_MAXCOLS] = { 0 };
	size_t nrows = (t->ncells + t->ncols - 1) / t->ncols;

	for (size_t i = 0; i < t->ncells; i++) {
		size_t w = ru_width(sb_str(&t->cells[i]));

		if (w > widths[i % t->ncols])
			widths[i % t->ncols] = w;
	}
	for (size_t r = 0; r < nrows; r++) {
		size_t pending = 0;   /* padding owed before the next cell */

		spaces(out, indent);
		for (size_t c = 0; c < t->ncols; c++) {
			size_t i = r * t->ncols + c;
			const char *s = i < t->ncells ? sb_str(&t->cells[i]) : "";
			size_t w = ru_width(s);
			bool last = c + 1 == t->ncols;

			if (c > 0)
				pending += 2;
			if (t->right[c])
				pending += widths[c] - w;
			if (*s) {
				spaces(out, pending);
				pending = 0;
				sb_append(out, s);
			}
			if (!t->right[c] && !last)
				pending += widths[c] - w;
		}
		sb_appendc(out, '\n');
	}
}

void ru_table_free(struct ru_table *t)
{
	for (size_t i = 0; i < t->ncells; i++)
		sb_free(&t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

/* Length of the well-formed UTF-8 sequence at 's' (1..4), or 0 when the
 * bytes there are not one (overlong forms and surrogates included). */
size_t ru_utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		unsigned char lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;

		if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned char lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;

		if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

bool ru_pasteable(const char *key, const char *value)
{
	if (!key || !*key || !value)
		return false;
	for (const char *p = key; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '.' || *p == '-' || *p == '/'))
			return false;
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return false;
	return true;
}
