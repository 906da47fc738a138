/* SPDX-License-Identifier: MIT */
/* watch_format.c: the pieces of text --watch shows (see watch_model.h):
 * trend glyphs, time to exhaustion, a destination, the verdict line, and
 * the one-line-per-refresh form for logs. Unknown is "-", never 0. */
#include "render/watch_model.h"

#include <stdio.h>
#include <sys/socket.h>

#include "cost/cost.h"
#include "render/render_util.h"

const struct watch_glyphs watch_glyphs_utf8 = {
	.up = "\xe2\x86\x91", .steady = "\xe2\x86\x92", .down = "\xe2\x86\x93",
	.unknown = " ", .none = "\xe2\x80\x94",
};
const struct watch_glyphs watch_glyphs_ascii = {
	.up = "^", .steady = "=", .down = "v", .unknown = " ", .none = "-",
};

const char *watch_trend_glyph(const struct watch_glyphs *g, enum watch_trend t)
{
	switch (t) {
	case WATCH_TREND_UP:
		return g->up;
	case WATCH_TREND_STEADY:
		return g->steady;
	case WATCH_TREND_DOWN:
		return g->down;
	default:
		return g->unknown;
	}
}

void watch_format_eta(const struct watch_row *r, const struct watch_glyphs *g, struct strbuf *out)
{
	double s = r->eta_s;

	if (!r->eta_known)
		sb_append(out, g->none);
	else if (s < 1)
		sb_append(out, "now");
	else if (s < 120)
		sb_appendf(out, "%.0fs", s);
	else if (s < 7200)
		sb_appendf(out, "%.0fm", s / 60);
	else if (s < 172800)
		sb_appendf(out, "%.1fh", s / 3600);
	else
		sb_appendf(out, "%.0fd", s / 86400);
}

void watch_format_dest(const struct tw_tuple *t, const char *arrow, struct strbuf *out)
{
	char l[TW_ADDR_STRLEN], r[TW_ADDR_STRLEN];
	bool v6 = t->side == TW_SIDE_CLIENT ? t->remote.family == AF_INET6
					    : t->local.family == AF_INET6;

	tw_addr_format(&t->local, l);
	tw_addr_format(&t->remote, r);
	/* client: this host -> peer:port; server: peer -> this host:port. */
	if (t->side == TW_SIDE_CLIENT)
		sb_appendf(out, "%s%s%s%s%s:%u", l, arrow, v6 ? "[" : "", r, v6 ? "]" : "", t->port);
	else
		sb_appendf(out, "%s%s%s%s%s:%u", r, arrow, v6 ? "[" : "", l, v6 ? "]" : "", t->port);
}

void watch_format_verdict(const struct tw_report *rep, struct strbuf *out)
{
	size_t c = ru_open_count(rep, TW_SEV_CRITICAL), w = ru_open_count(rep, TW_SEV_WARNING),
	       i = ru_open_count(rep, TW_SEV_INFO);

	sb_appendf(out, "Verdict: %s. %zu critical, %zu warning, %zu info finding%s.",
		   cost_level_name(rep->verdict), c, w, i, c + w + i == 1 ? "" : "s");
	if (rep->cost_known && rep->cost.summary[0])
		sb_appendf(out, " %s", rep->cost.summary);
}

static void rate_kv(struct strbuf *out, const char *name, const struct watch_counter *c)
{
	if (c->rate_known)
		sb_appendf(out, " %s=%.1f", name, c->per_s);
	else
		sb_appendf(out, " %s=-", name);
}

void watch_format_line(const struct watch_frame *fr, struct strbuf *out)
{
	const struct watch_row *top = NULL;
	struct tm tm;
	char ts[32] = "-";

	if (gmtime_r(&fr->wall, &tm))
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* The busiest row by held, whatever the screen's sort. */
	for (size_t i = 0; i < fr->nrows; i++)
		if (!top || fr->rows[i].tuple.held > top->tuple.held)
			top = &fr->rows[i];
	sb_appendf(out, "%s verdict=%s", ts, cost_level_name(fr->verdict));
	if (fr->tw_known)
		sb_appendf(out, " time_wait_total=%llu", (unsigned long long)fr->tw_total);
	else
		sb_append(out, " time_wait_total=-");
	if (top) {
		sb_appendf(out, " top=%s:", top->tuple.side == TW_SIDE_CLIENT ? "client" : "server");
		watch_format_dest(&top->tuple, "->", out);   /* one word per field */
		sb_appendf(out, " held=%llu", (unsigned long long)top->tuple.held);
		if (top->ports)
			sb_appendf(out, "/%llu", (unsigned long long)top->ports);
		sb_appendf(out, " time_wait=%llu", (unsigned long long)top->tuple.count);
		if (top->rate_known)
			sb_appendf(out, " rate=%.1f/s", top->rate);
		else
			sb_append(out, " rate=-");
	} else {
		sb_append(out, " top=-");
	}
	rate_kv(out, "active_opens/s", &fr->active_opens);
	rate_kv(out, "tw_recycled/s", &fr->tw_recycled);
	rate_kv(out, "tw_overflow/s", &fr->tw_overflow);
	if (fr->conntrack_known)
		sb_appendf(out, " conntrack=%lld", (long long)fr->conntrack_count);
	else
		sb_append(out, " conntrack=-");
	if (fr->conntrack_max_known)
		sb_appendf(out, "/%lld", (long long)fr->conntrack_max);
	sb_appendc(out, '\n');
}
