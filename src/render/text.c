/* SPDX-License-Identifier: MIT */
/* text.c: --format text, the report a person reads and acts on.
 *
 * Order: the verdict in one sentence (the cost model's summary when it is
 * known, otherwise a sentence from the findings), the host (kernel,
 * profile and why, source), the TIME_WAIT picture (total, client/server
 * split, port range, the busiest tuples with a utilization bar), the
 * findings by severity (each with evidence, the changes as "key: current →
 * recommended" with their boot-time origin, why, risk, other actions,
 * references and the exact `sysctl -w` line to paste), the cost items and
 * the notes. Prose wraps at the width the caller gives (78 columns by
 * default: an 80-column terminal less a margin). --quiet keeps only the
 * findings that are not acknowledged and at or above --fail-on. Colour (ANSI) and the UTF-8 bar
 * glyphs appear only when the caller asks for colour; without it the
 * output is plain text suitable for pipes and golden files. */
#include "render/render.h"

#include <math.h>
#include <stdio.h>
#include <sys/socket.h>
#include <string.h>
#include <sys/socket.h>

#include "render/render_util.h"
#include "util/macros.h"

#define DEFAULT_WIDTH 78
#define BAR_CELLS 20

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"

struct text {
	struct strbuf *out;
	bool color;
	size_t width;
};

/* Appends 's' in 'code' when colour is on. */
static void paint(const struct text *t, struct strbuf *out, const char *code, const char *s)
{
	if (t->color)
		sb_append(out, code);
	sb_append(out, s);
	if (t->color)
		sb_append(out, C_RESET);
}

static const char *severity_color(enum tw_severity s)
{
	return s == TW_SEV_CRITICAL ? C_RED : s == TW_SEV_WARNING ? C_YELLOW : C_CYAN;
}

static const char *level_color(enum tw_cost_level l)
{
	return l == TW_COST_ACT ? C_RED : l == TW_COST_WATCH ? C_YELLOW : C_GREEN;
}

static void heading(const struct text *t, const char *s)
{
	sb_appendc(t->out, '\n');
	paint(t, t->out, C_BOLD, s);
	sb_appendc(t->out, '\n');
}

/* "1 critical finding", "2 warnings" style counts. */
static void plural(struct strbuf *out, size_t n, const char *one, const char *many)
{
	sb_appendf(out, "%zu %s", n, n == 1 ? one : many);
}

/* The report's one verdict (engine.c), then why: the findings that raise
 * it above the cost model's, and the cost model's sentence. */
static void verdict(const struct text *t, const struct tw_report *r)
{
	size_t c = ru_open_count(r, TW_SEV_CRITICAL), w = ru_open_count(r, TW_SEV_WARNING),
	       i = ru_open_count(r, TW_SEV_INFO), open = c + w + i;
	bool summary = r->cost_known && r->cost.summary[0];
	struct strbuf s = STRBUF_INIT, prefix = STRBUF_INIT, word = STRBUF_INIT;

	if (open == 0 && r->verdict == TW_COST_HARMLESS) {
		paint(t, &prefix, C_GREEN, "No action needed:");
		sb_appendc(&prefix, ' ');
		if (summary)
			sb_append(&s, r->cost.summary);
		else if (r->nfindings > 0)
			sb_appendf(&s, "every finding (%zu) is acknowledged.", r->nfindings);
		else
			sb_appendf(&s, "nothing to change for profile %s on this host.", ru_profile(r));
	} else {
		sb_appendf(&word, "Verdict: %s.", cost_level_name(r->verdict));
		paint(t, &prefix, level_color(r->verdict), sb_str(&word));
		sb_appendc(&prefix, ' ');
		if (summary && r->cost.verdict == r->verdict) {
			/* The cost model says it all. */
		} else if (c > 0) {
			plural(&s, c, "critical finding needs", "critical findings need");
			sb_append(&s, " a change now");
			if (w > 0) {
				sb_append(&s, ", and ");
				plural(&s, w, "warning is", "warnings are");
				sb_append(&s, " worth fixing");
			}
			sb_append(&s, ". ");
		} else if (w > 0) {
			plural(&s, w, "warning is", "warnings are");
			sb_append(&s, " worth fixing. ");
		} else if (i > 0 && r->verdict == TW_COST_HARMLESS) {
			plural(&s, i, "informational finding", "informational findings");
			sb_append(&s, " below; nothing needs a change. ");
		}
		if (summary)
			sb_append(&s, r->cost.summary);
		else if (s.len == 0)
			sb_append(&s, "see the cost section below.");
	}
	ru_wrap(t->out, sb_str(&prefix), 2, sb_str(&s), t->width);
	sb_free(&s);
	sb_free(&prefix);
	sb_free(&word);
}

static void findings_line(const struct text *t, const struct tw_report *r)
{
	size_t acked = 0;

	if (r->nfindings == 0)
		return;
	for (size_t i = 0; i < r->nfindings; i++)
		acked += r->findings[i].acknowledged;
	sb_appendf(t->out, "Findings: %zu critical, %zu warning, %zu info",
		   ru_count(r, TW_SEV_CRITICAL), ru_count(r, TW_SEV_WARNING),
		   ru_count(r, TW_SEV_INFO));
	if (acked)
		sb_appendf(t->out, " (%zu acknowledged)", acked);
	sb_append(t->out, ".\n");
}

static void host(const struct text *t, const struct tw_report *r)
{
	struct strbuf s = STRBUF_INIT;

	sb_append(&s, "kernel ");
	ru_append_oneline(&s, ru_kernel(r), 0);
	sb_append(&s, ", profile ");
	ru_append_oneline(&s, ru_profile(r), 0);
	if (r->profile_reason && r->profile_reason[0]) {
		sb_append(&s, " (");
		ru_append_oneline(&s, r->profile_reason, 0);
		sb_append(&s, ")");
	}
	sb_append(&s, ", source ");
	ru_source_describe(r, &s);
	ru_wrap(t->out, "Host: ", 6, sb_str(&s), t->width);
	sb_free(&s);
}

static void bar(const struct text *t, double util, struct strbuf *out)
{
	double u = isfinite(util) && util > 0 ? util : 0;
	long filled = lround(u * BAR_CELLS);
	struct strbuf cells = STRBUF_INIT;

	if (filled > BAR_CELLS)
		filled = BAR_CELLS;
	sb_appendc(out, '[');
	for (long i = 0; i < BAR_CELLS; i++) {
		if (t->color)
			sb_append(&cells, i < filled ? "\u2588" : "\u2591");
		else
			sb_appendc(&cells, i < filled ? '#' : '.');
	}
	paint(t, out, u >= 0.8 ? C_RED : u >= 0.5 ? C_YELLOW : C_GREEN, sb_str(&cells));
	sb_appendf(out, "] %3.0f%%", floor(u * 100 + 0.5));
	sb_free(&cells);
}

/* Under the table: who holds the live connections of each client row
 * that was looked up (collect/owners.c), e.g. "127.0.0.1:5432: api.service
 * (pid 1234) 35, worker (pid 99) 3 of 40 live connections". */
static void owners_lines(const struct text *t, const struct tw_report *r, size_t ntop)
{
	struct strbuf s = STRBUF_INIT, local = STRBUF_INIT, remote = STRBUF_INIT;

	for (size_t i = 0; i < ntop; i++) {
		const struct tw_tuple_owners *o = facts_tuple_owners(r->facts, &r->top[i].tuple);

		if (!o || o->n == 0)
			continue;
		sb_reset(&s);
		sb_reset(&local);
		sb_reset(&remote);
		ru_tuple_ends(&r->top[i].tuple, &local, &remote);
		sb_appendf(&s, "%s: ", sb_str(&remote));
		for (size_t k = 0; k < o->n; k++)
			sb_appendf(&s, "%s%s (pid %d) %llu", k ? ", " : "",
				   o->v[k].service[0] ? o->v[k].service : o->v[k].comm, o->v[k].pid,
				   (unsigned long long)o->v[k].sockets);
		sb_appendf(&s, " of %llu live connections", (unsigned long long)o->live);
		ru_wrap(t->out, "  Held by: ", 4, sb_str(&s), t->width);
	}
	sb_free(&s);
	sb_free(&local);
	sb_free(&remote);
}

static void time_wait(const struct text *t, const struct tw_report *r)
{
	const struct tw_tw_stats *tw = r->facts ? &r->facts->tw : NULL;
	size_t ntop = r->ntop < sizeof(r->top) / sizeof(r->top[0]) ? r->ntop
		: sizeof(r->top) / sizeof(r->top[0]);
	struct strbuf s = STRBUF_INIT;

	heading(t, "TIME_WAIT");
	if (!tw || !tw->known) {
		sb_append(t->out, "  TIME_WAIT sockets could not be read.\n");
	} else {
		sb_append_thousands(&s, (long long)tw->total);
		sb_append(&s, tw->total == 1 ? " socket" : " sockets");
		if (tw->total > 0) {
			sb_append(&s, " (client ");
			sb_append_thousands(&s, (long long)tw->client);
			sb_append(&s, ", this host connected out; server ");
			sb_append_thousands(&s, (long long)tw->server);
			sb_append(&s, ", peers connected in)");
		}
		ru_wrap(t->out, "  Total: ", 4, sb_str(&s), t->width);
	}
	sb_reset(&s);
	if (r->port_low == 0 && r->port_high == 0) {
		sb_append(&s, "range unknown");
	} else {
		sb_appendf(&s, "%u-%u, ", (unsigned)r->port_low,
			   (unsigned)r->port_high);
		sb_append_thousands(&s, (long long)r->ports_available);
		sb_append(&s, " available per destination");
	}
	ru_wrap(t->out, "  Ephemeral ports: ", 4, sb_str(&s), t->width);
	sb_free(&s);

	if (ntop > 0) {
		struct ru_table tab;

		sb_append(t->out, "  Busiest tuples (utilization = share of the ports to that destination):\n");
		ru_table_init(&tab, 5);
		tab.right[3] = true;
		ru_table_cell(&tab, "SIDE");
		ru_table_cell(&tab, "LOCAL");
		ru_table_cell(&tab, "REMOTE");
		ru_table_cell(&tab, "COUNT");
		ru_table_cell(&tab, "UTILIZATION");
		for (size_t i = 0; i < ntop; i++) {
			const struct tw_top_row *row = &r->top[i];
			struct strbuf local = STRBUF_INIT, remote = STRBUF_INIT, n = STRBUF_INIT,
				      b = STRBUF_INIT;

			ru_tuple_ends(&row->tuple, &local, &remote);
			sb_append_thousands(&n, (long long)row->tuple.count);
			bar(t, ru_capped_utilization(row->utilization), &b);
			ru_table_cell(&tab, row->tuple.side == TW_SIDE_SERVER ? "server" : "client");
			ru_table_cell(&tab, sb_str(&local));
			ru_table_cell(&tab, sb_str(&remote));
			ru_table_cell(&tab, sb_str(&n));
			ru_table_cell(&tab, sb_str(&b));
			sb_free(&local);
			sb_free(&remote);
			sb_free(&n);
			sb_free(&b);
		}
		ru_table_render(&tab, 2, t->out);
		ru_table_free(&tab);
		owners_lines(t, r, ntop);
		for (size_t i = 0; i < ntop; i++) {
			if (!(r->top[i].utilization > 1))
				continue;
			sb_reset(&s);
			sb_appendf(&s, "a tuple holds more TIME_WAIT sockets than it has ports "
				   "(%.1f times as many): shown as 100%%. The count is exact: the "
				   "sockets use ports outside the range assumed (it changed while "
				   "they were open, the application binds its own ports, or a "
				   "server-side peer's range is wider).", r->top[i].utilization);
			ru_wrap(t->out, "  Note: ", 4, sb_str(&s), t->width);
			break;
		}
	}
	sb_free(&s);
}

/* SNAT port use, on a host that source-NATs (facts/nat.h). */
#define NAT_TEXT_ROWS 5

static void nat(const struct text *t, const struct tw_report *r)
{
	const struct tw_nat_stats *n = r->facts ? &r->facts->conntrack.nat : NULL;
	struct strbuf s = STRBUF_INIT;
	struct ru_table tab;

	if (!n || !r->facts->conntrack.table_known || !n->known || n->masqueraded == 0)
		return;
	heading(t, "NAT");
	sb_append_thousands(&s, (long long)n->masqueraded);
	sb_append(&s, " source-NATed TCP conntrack entries (");
	sb_append_thousands(&s, (long long)n->masqueraded_time_wait);
	sb_append(&s, " in TIME_WAIT) over ");
	sb_append_thousands(&s, (long long)n->keys);
	sb_append(&s, " (public address, destination) keys; ");
	sb_append_thousands(&s, (long long)r->snat_ports);
	sb_appendf(&s, " SNAT ports per key, held %g s after close: about ", r->ct_tw_timeout_s);
	sb_append_thousands(&s, (long long)((double)r->snat_ports / r->ct_tw_timeout_s));
	sb_append(&s, " new connections/s per key");
	ru_wrap(t->out, "  SNAT: ", 4, sb_str(&s), t->width);
	if (r->facts->ct_stats.known) {
		sb_reset(&s);
		sb_append(&s, "insert_failed ");
		sb_append_thousands(&s, (long long)r->facts->ct_stats.insert_failed);
		sb_append(&s, ", drop ");
		sb_append_thousands(&s, (long long)r->facts->ct_stats.drop);
		sb_append(&s, " (conntrack -S, since boot)");
		ru_wrap(t->out, "  Conntrack: ", 4, sb_str(&s), t->width);
	}
	ru_table_init(&tab, 5);
	tab.right[2] = tab.right[3] = true;
	ru_table_cell(&tab, "PUBLIC");
	ru_table_cell(&tab, "REMOTE");
	ru_table_cell(&tab, "HELD");
	ru_table_cell(&tab, "TIME_WAIT");
	ru_table_cell(&tab, "UTILIZATION");
	for (size_t i = 0; i < n->ntop && i < NAT_TEXT_ROWS; i++) {
		const struct tw_nat_key *k = &n->top[i];
		char a[TW_ADDR_STRLEN];
		struct strbuf c = STRBUF_INIT;

		tw_addr_format(&k->public_addr, a);
		ru_table_cell(&tab, a);
		tw_addr_format(&k->dst, a);
		sb_appendf(&c, k->dst.family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, (unsigned)k->dport);
		ru_table_cell(&tab, sb_str(&c));
		sb_reset(&c);
		sb_append_thousands(&c, (long long)k->count);
		ru_table_cell(&tab, sb_str(&c));
		sb_reset(&c);
		sb_append_thousands(&c, (long long)k->time_wait);
		ru_table_cell(&tab, sb_str(&c));
		sb_reset(&c);
		bar(t, ru_capped_utilization((double)k->count / (double)r->snat_ports), &c);
		ru_table_cell(&tab, sb_str(&c));
		sb_free(&c);
	}
	ru_table_render(&tab, 2, t->out);
	ru_table_free(&tab);
	sb_free(&s);
}

/* The value quoted for a POSIX shell inside double quotes. */
static void shell_dquote(struct strbuf *out, const char *v)
{
	sb_appendc(out, '"');
	for (; *v; v++) {
		if (*v == '"' || *v == '\\' || *v == '$' || *v == '`')
			sb_appendc(out, '\\');
		sb_appendc(out, *v == '\t' ? ' ' : *v);
	}
	sb_appendc(out, '"');
}

static void change(const struct text *t, const struct tw_report *r, const struct tw_change *c)
{
	struct strbuf s = STRBUF_INIT;
	const char *prefix = "  Change: ";

	ru_append_oneline(&s, c->sysctl, 0);
	sb_append(&s, ": ");
	if (c->current && *c->current)
		ru_append_oneline(&s, c->current, 0);
	else
		sb_append(&s, c->current ? "(empty)" : "unknown");
	sb_append(&s, " \u2192 ");
	ru_append_oneline(&s, c->recommended, 0);
	if (c->persisted.known) {
		sb_append(&s, " (set at boot by ");
		ru_append_oneline(&s, c->persisted.file, 0);
		sb_appendf(&s, ":%u = ", c->persisted.line);
		ru_append_oneline(&s, c->persisted.value, 0);
		sb_append(&s, ")");
	} else if (r->facts && r->facts->persisted) {
		sb_append(&s, " (no sysctl.d file sets it)");
	}
	ru_wrap(t->out, prefix, 4, sb_str(&s), t->width);
	if (c->persisted.known && c->current && c->persisted.value &&
	    strcmp(c->current, c->persisted.value) != 0) {
		sb_append(t->out, "    ");
		paint(t, t->out, C_YELLOW, "runtime differs from boot value");
		sb_appendc(t->out, '\n');
	}
	if (c->overridden_by) {
		struct strbuf p = STRBUF_INIT;

		sb_reset(&s);
		sb_append(&s, "this key is set again later at boot by ");
		ru_append_oneline(&s, c->overridden_by, 0);
		sb_append(&s, ", which would override the proposed fragment");
		sb_append(&p, "    ");
		paint(t, &p, C_YELLOW, "warning:");
		sb_appendc(&p, ' ');
		ru_wrap(t->out, sb_str(&p), 6, sb_str(&s), t->width);
		sb_free(&p);
	}
	if (!ru_pasteable(c->sysctl, c->recommended)) {
		sb_append(t->out, "    not offered: this key or value cannot be pasted as one shell line.\n");
		sb_free(&s);
		return;
	}
	sb_append(t->out, "    ");
	if (t->color)
		sb_append(t->out, C_BOLD);
	sb_append(t->out, "sysctl -w ");
	sb_append(t->out, c->sysctl);
	sb_appendc(t->out, '=');
	shell_dquote(t->out, c->recommended);
	if (t->color)
		sb_append(t->out, C_RESET);
	sb_appendc(t->out, '\n');
	sb_free(&s);
}

static void finding(const struct text *t, const struct tw_report *r, const struct tw_finding *f)
{
	struct strbuf s = STRBUF_INIT, p = STRBUF_INIT;
	char label[16];

	snprintf(label, sizeof(label), "%s", severity_name(f->severity));
	for (char *q = label; *q; q++)
		*q = (char)(*q - (*q >= 'a' && *q <= 'z' ? 'a' - 'A' : 0));
	sb_appendc(t->out, '\n');
	paint(t, &p, severity_color(f->severity), label);
	sb_appendc(&p, ' ');
	ru_append_oneline(&p, f->id && f->id[0] ? f->id : "unnamed", 0);
	sb_append(&p, ": ");
	ru_append_oneline(&s, f->title && f->title[0] ? f->title : f->id, 0);
	if (f->acknowledged) {
		sb_append(&s, " (acknowledged");
		if (f->ack_reason && f->ack_reason[0]) {
			sb_append(&s, ": ");
			ru_append_oneline(&s, f->ack_reason, 0);
		}
		sb_append(&s, ")");
	}
	ru_wrap(t->out, sb_str(&p), 2, sb_str(&s), t->width);
	if (f->evidence && f->evidence[0])
		ru_wrap(t->out, "  Evidence: ", 4, f->evidence, t->width);
	for (size_t i = 0; i < f->nchanges; i++)
		change(t, r, &f->changes[i]);
	for (size_t i = 0; i < f->nwithheld; i++)
		ru_wrap(t->out, "  Not proposed: ", 4, f->withheld[i], t->width);
	if (f->rationale && f->rationale[0])
		ru_wrap(t->out, "  Why: ", 4, f->rationale, t->width);
	if (f->risk && f->risk[0])
		ru_wrap(t->out, "  Risk: ", 4, f->risk, t->width);
	if (f->nactions > 0) {
		sb_append(t->out, "  Also do:\n");
		for (size_t i = 0; i < f->nactions; i++)
			ru_wrap(t->out, "    - ", 6, f->actions[i], t->width);
	}
	if (f->nreferences > 0) {
		sb_reset(&s);
		for (size_t i = 0; i < f->nreferences; i++) {
			if (i)
				sb_append(&s, "; ");
			ru_append_oneline(&s, f->references[i], 0);
		}
		ru_wrap(t->out, "  References: ", 4, sb_str(&s), t->width);
	}
	sb_free(&s);
	sb_free(&p);
}

static void findings(const struct text *t, const struct tw_report *r)
{
	static const struct {
		enum tw_severity sev;
		const char *title;
	} groups[] = {
		{ TW_SEV_CRITICAL, "Critical" },
		{ TW_SEV_WARNING, "Warnings" },
		{ TW_SEV_INFO, "Information" },
	};

	for (size_t g = 0; g < ARRAY_SIZE(groups); g++) {
		size_t n = 0;
		char h[64];

		for (size_t i = 0; i < r->nfindings; i++)
			n += r->findings[i].severity == groups[g].sev;
		if (n == 0)
			continue;
		snprintf(h, sizeof(h), "%s (%zu)", groups[g].title, n);
		heading(t, h);
		for (size_t i = 0; i < r->nfindings; i++)
			if (r->findings[i].severity == groups[g].sev)
				finding(t, r, &r->findings[i]);
	}
}

/* A cost quantity: bytes in binary units, whole numbers with thousands
 * separators, fractions with one decimal. */
static void quantity(struct strbuf *out, double v, const char *unit)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };

	if (!isfinite(v)) {
		sb_append(out, "?");
		return;
	}
	if (strcmp(unit, "bytes") == 0 && fabs(v) >= 1024) {
		size_t u = 0;

		v /= 1024;
		while (fabs(v) >= 1024 && u + 1 < ARRAY_SIZE(units)) {
			v /= 1024;
			u++;
		}
		sb_appendf(out, "%.1f %s", v, units[u]);
		return;
	}
	if (v == trunc(v) && fabs(v) < 1e18)
		sb_append_thousands(out, (long long)v);
	else
		sb_appendf(out, "%.1f", v);
	if (unit[0]) {
		sb_appendc(out, ' ');
		sb_append(out, unit);
	}
}

static void share(struct strbuf *out, double s)
{
	double pct = s * 100;

	if (!isfinite(pct))
		sb_append(out, "?%");
	else if (pct > 0 && pct < 0.1)
		sb_append(out, "<0.1%");
	else
		sb_appendf(out, "%.1f%%", pct);
}

static void cost(const struct text *t, const struct tw_report *r)
{
	const struct tw_cost *c = &r->cost;
	size_t n = c->n < TW_COST_MAX_ITEMS ? c->n : TW_COST_MAX_ITEMS;
	struct strbuf s = STRBUF_INIT;

	if (!r->cost_known)
		return;
	sb_append(&s, "What TIME_WAIT costs this host: ");
	paint(t, &s, level_color(c->verdict), cost_level_name(c->verdict));
	heading(t, sb_str(&s));
	for (size_t i = 0; i < n; i++) {
		const struct tw_cost_item *it = &c->items[i];

		sb_reset(&s);
		quantity(&s, it->value, it->unit);
		if (it->limit_known) {
			sb_append(&s, " of ");
			quantity(&s, it->limit, it->unit);
		}
		if (it->share_known) {
			sb_append(&s, " (");
			share(&s, it->share);
			sb_append(&s, ")");
		}
		sb_append(&s, it->measured ? ", measured: " : ", estimated: ");
		paint(t, &s, level_color(it->level), cost_level_name(it->level));
		sb_appendf(t->out, "  %s: ", it->name ? it->name : "?");
		sb_append(t->out, sb_str(&s));
		sb_appendc(t->out, '\n');
		if (it->verdict[0])
			ru_wrap(t->out, "    ", 4, it->verdict, t->width);
	}
	sb_free(&s);
}

/* --trace: the busiest destinations by connect() attempts, and who
 * failed with EADDRNOTAVAIL. */
static void trace_section(const struct text *t, const struct tw_report *r)
{
	const struct tw_trace *tr = r->facts ? &r->facts->trace : NULL;
	double secs;
	struct strbuf s = STRBUF_INIT;

	if (!tr || !tr->known)
		return;
	secs = tr->seconds > 0 ? tr->seconds : 1;
	sb_appendf(&s, "Traced for %.0f s", tr->seconds);
	heading(t, sb_str(&s));
	sb_reset(&s);
	sb_append_thousands(&s, (long long)tr->connects);
	sb_appendf(&s, " connect() attempts (%.1f/s), ", (double)tr->connects / secs);
	sb_append_thousands(&s, (long long)tr->eaddrnotavail);
	sb_append(&s, " failed with EADDRNOTAVAIL");
	if (tr->drops)
		sb_appendf(&s, "; %llu events lost (counts are low)", (unsigned long long)tr->drops);
	ru_wrap(t->out, "  Total: ", 4, sb_str(&s), t->width);
	for (size_t i = 0; i < tr->ndest; i++) {
		const struct tw_trace_dest *d = &tr->dest[i];
		char addr[TW_ADDR_STRLEN];

		tw_addr_format(&d->remote, addr);
		sb_reset(&s);
		sb_appendf(&s, d->remote.family == AF_INET6 ? "[%s]:%u: " : "%s:%u: ", addr, d->port);
		sb_append_thousands(&s, (long long)d->connects);
		sb_appendf(&s, " (%.1f/s), most from %s (pid %d) ", (double)d->connects / secs,
			   d->service[0] ? d->service : d->comm[0] ? d->comm : "?", d->pid);
		sb_append_thousands(&s, (long long)d->pid_connects);
		ru_wrap(t->out, "  To ", 4, sb_str(&s), t->width);
	}
	for (size_t i = 0; i < tr->nproc; i++) {
		const struct tw_trace_proc *p = &tr->proc[i];

		sb_reset(&s);
		sb_appendf(&s, "%s (pid %d): ", p->service[0] ? p->service : p->comm[0] ? p->comm : "?",
			   p->pid);
		sb_append_thousands(&s, (long long)p->eaddrnotavail);
		sb_append(&s, " of ");
		sb_append_thousands(&s, (long long)p->connects);
		sb_append(&s, " connect() attempts");
		ru_wrap(t->out, "  EADDRNOTAVAIL: ", 4, sb_str(&s), t->width);
	}
	sb_free(&s);
}

static void notes(const struct text *t, const struct tw_report *r)
{
	if (r->nnotes == 0)
		return;
	heading(t, "Notes");
	for (size_t i = 0; i < r->nnotes; i++)
		ru_wrap(t->out, "  - ", 4, r->notes[i], t->width);
}

void render_text_opts(const struct tw_report *r, const struct tw_text_opts *o, struct strbuf *out)
{
	struct text t = { out, o->color, o->width >= 40 ? o->width : DEFAULT_WIDTH };

	if (o->quiet) {
		for (size_t i = 0; i < r->nfindings; i++) {
			const struct tw_finding *f = &r->findings[i];

			if (!f->acknowledged && f->severity >= o->fail_on)
				finding(&t, r, f);
		}
		return;
	}
	verdict(&t, r);
	findings_line(&t, r);
	host(&t, r);
	time_wait(&t, r);
	nat(&t, r);
	trace_section(&t, r);
	findings(&t, r);
	cost(&t, r);
	notes(&t, r);
}

void render_text(const struct tw_report *r, bool color, struct strbuf *out)
{
	struct tw_text_opts o = { .color = color, .width = DEFAULT_WIDTH };

	render_text_opts(r, &o, out);
}
