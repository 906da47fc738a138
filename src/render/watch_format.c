/* SPDX-License-Identifier: MIT */
/* watch_format.c: the pieces of text --watch shows (see watch_model.h):
 * trend glyphs, time to exhaustion, a destination, the verdict line, and
 * the one-line-per-refresh form for logs. Unknown is "-", never 0. */
#include "render/watch_model.h"

#include <stdio.h>
#include <string.h>
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

static void timestamp(time_t wall, struct strbuf *out)
{
	struct tm tm;
	char ts[32] = "-";

	if (gmtime_r(&wall, &tm))
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	sb_append(out, ts);
}

/* The fields after the time (and netns=) of a line: " verdict=..." up to
 * the conntrack use, no newline. */
static void line_fields(const struct watch_frame *fr, struct strbuf *out)
{
	const struct watch_row *top = NULL;

	/* The busiest row by held, whatever the screen's sort. */
	for (size_t i = 0; i < fr->nrows; i++)
		if (!top || fr->rows[i].tuple.held > top->tuple.held)
			top = &fr->rows[i];
	sb_appendf(out, " verdict=%s", cost_level_name(fr->verdict));
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
}

void watch_format_line(const struct watch_frame *fr, struct strbuf *out)
{
	timestamp(fr->wall, out);
	line_fields(fr, out);
	sb_appendc(out, '\n');
}

void watch_format_word(const char *s, struct strbuf *out)
{
	bool bare = *s != '\0';

	for (const char *p = s; *p && bare; p++)
		bare = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		       strchr("._-:/@+", *p) != NULL;
	if (bare) {
		sb_append(out, s);
		return;
	}
	sb_appendc(out, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_appendc(out, '\\');
		/* (control characters would break the line: shown as '?') */
		sb_appendc(out, (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p);
	}
	sb_appendc(out, '"');
}

void watch_format_verdict_all(const struct watch_summary *s, struct strbuf *out)
{
	size_t n = s->critical + s->warning + s->info;

	sb_appendf(out, "Verdict: %s (worst of %zu namespace%s: %zu act, %zu watch, %zu harmless",
		   cost_level_name(s->verdict), s->namespaces, s->namespaces == 1 ? "" : "s",
		   s->by_level[TW_COST_ACT], s->by_level[TW_COST_WATCH], s->by_level[TW_COST_HARMLESS]);
	if (s->failed)
		sb_appendf(out, "; %zu not read", s->failed);
	sb_appendf(out, "). %zu critical, %zu warning, %zu info finding%s.", s->critical, s->warning,
		   s->info, n == 1 ? "" : "s");
	if (s->worst_name && s->verdict != TW_COST_HARMLESS)
		sb_appendf(out, " %s: %s", s->worst_name,
			   s->worst_summary && *s->worst_summary ? s->worst_summary : "see its findings");
}

void watch_format_summary_line(const struct watch_summary *s, struct strbuf *out)
{
	timestamp(s->wall, out);
	sb_appendf(out, " namespaces=%zu failed=%zu verdict=%s", s->namespaces, s->failed,
		   cost_level_name(s->verdict));
	if (s->tw_known)
		sb_appendf(out, " time_wait_total=%llu", (unsigned long long)s->tw_total);
	else
		sb_append(out, " time_wait_total=-");
	sb_appendf(out, " refresh_ms=%.0f behind=%d\n", s->refresh_s * 1000,
		   s->refresh_s > s->interval_s);
}

void watch_format_ns_line(const char *netns, const struct watch_frame *fr,
			  const struct tw_report *rep, struct strbuf *out)
{
	size_t listed = 0;

	timestamp(fr->wall, out);
	sb_append(out, " netns=");
	watch_format_word(netns, out);
	line_fields(fr, out);
	sb_append(out, " findings=");
	for (size_t i = 0; i < rep->nfindings; i++) {
		if (rep->findings[i].acknowledged)
			continue;
		if (listed++)
			sb_appendc(out, ',');
		watch_format_word(rep->findings[i].id, out);
	}
	if (!listed)
		sb_appendc(out, '-');
	sb_appendc(out, '\n');
}
