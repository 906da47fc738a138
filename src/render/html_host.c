/* SPDX-License-Identifier: MIT */
/* html_host.c: one host's section (see html_host.h). It reads only the
 * report's JSON document, so a report analysed now and one read back with
 * --from-json render the same. Headings: h1/h2 for the host, then one
 * level below for each part. */
#include "render/html_host.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "render/html_escape.h"
#include "render/html_json.h"
#include "render/html_svg.h"

/* At most this many destinations in the chart and the ages. */
#define HOST_TOP 10

struct ctx {
	struct strbuf *out;
	size_t index;
	int h;          /* heading level of the parts */
};

static void heading(struct ctx *c, const char *text)
{
	sb_appendf(c->out, "<h%d>", c->h);
	html_text(c->out, text);
	sb_appendf(c->out, "</h%d>\n", c->h);
}

static void num_or_unknown(struct strbuf *out, const json_t *o, const char *key)
{
	double v;

	if (hj_num(o, key, &v))
		sb_append_thousands(out, (long long)llround(v));
	else
		sb_append(out, "unknown");
}

/* A <dt>/<dd> pair when 'value' is known. */
static void meta_row(struct strbuf *out, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	sb_append(out, "<dt>");
	html_text(out, name);
	sb_append(out, "</dt><dd>");
	html_text(out, value);
	sb_append(out, "</dd>\n");
}

static void verdict_badge(struct strbuf *out, const char *verdict)
{
	static const struct { const char *v, *sym; } syms[] = {
		{ "act", "\xe2\x9c\x96" }, { "watch", "\xe2\x9a\xa0" }, { "harmless", "\xe2\x9c\x94" },
		{ "error", "\xe2\x9c\x96" },
	};
	const char *sym = "?";

	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		if (strcmp(syms[i].v, verdict) == 0)
			sym = syms[i].sym;
	sb_appendf(out, "<span class=\"badge lvl-%s\"><span aria-hidden=\"true\">%s</span> ",
		   html_level_class(verdict), sym);
	html_text(out, verdict);
	sb_append(out, "</span>");
}

static void verdict_block(struct ctx *c, const json_t *doc)
{
	const json_t *cost = hj_obj(doc, "cost"), *sum = hj_obj(doc, "summary");
	const char *v = hj_verdict(doc), *why = hj_str(cost, "summary");
	double n;

	sb_appendf(c->out, "<div class=\"verdict lvl-%s\"><p><strong>Verdict:</strong> ",
		   html_level_class(v));
	verdict_badge(c->out, v);
	sb_append(c->out, "</p>\n");
	if (why) {
		sb_append(c->out, "<p class=\"why\">");
		html_text(c->out, why);
		sb_append(c->out, "</p>\n");
	}
	if (sum) {
		sb_append(c->out, "<p class=\"counts\">Findings: ");
		sb_appendf(c->out, "%.0f critical, ", hj_num(sum, "critical", &n) ? n : 0);
		sb_appendf(c->out, "%.0f warning, ", hj_num(sum, "warning", &n) ? n : 0);
		sb_appendf(c->out, "%.0f info</p>\n", hj_num(sum, "info", &n) ? n : 0);
	}
	sb_append(c->out, "</div>\n");
}

static void meta_block(struct ctx *c, const json_t *doc)
{
	struct strbuf s = STRBUF_INIT;
	const json_t *tw = hj_obj(doc, "time_wait"), *range = tw ? json_object_get(tw, "port_range") : NULL;

	sb_append(c->out, "<dl class=\"meta\">\n");
	meta_row(c->out, "Host name", hj_str(doc, "hostname"));
	meta_row(c->out, "Snapshot", hj_str(doc, "snapshot"));
	meta_row(c->out, "Source", hj_str(doc, "source"));
	meta_row(c->out, "Kernel", hj_str(doc, "kernel"));
	meta_row(c->out, "Profile", hj_str(doc, "profile"));
	meta_row(c->out, "Why this profile", hj_str(doc, "profile_reason"));
	if (tw) {
		num_or_unknown(&s, tw, "total");
		meta_row(c->out, "TIME_WAIT sockets", sb_str(&s));
		sb_reset(&s);
		if (json_is_array(range) && json_array_size(range) == 2 &&
		    json_is_integer(json_array_get(range, 0)) && json_is_integer(json_array_get(range, 1)))
			sb_appendf(&s, "%lld-%lld (", (long long)json_integer_value(json_array_get(range, 0)),
				   (long long)json_integer_value(json_array_get(range, 1)));
		else
			sb_append(&s, "unknown (");
		num_or_unknown(&s, tw, "ports_available");
		sb_append(&s, " ports available)");
		meta_row(c->out, "Ephemeral port range", sb_str(&s));
	}
	meta_row(c->out, "Generated", hj_str(doc, "generated_at"));
	meta_row(c->out, "twadvise version", hj_str(doc, "version"));
	sb_append(c->out, "</dl>\n");
	sb_free(&s);
}

/* The budget of a destination: the local range for a client tuple; for a
 * server tuple the peer's, which the report gives only through the
 * utilization (held / budget). */
static double tuple_budget(const json_t *t, double ports_available, double held, double share)
{
	const char *side = hj_str(t, "side");

	if (!(side && strcmp(side, "server") == 0) && ports_available > 0)
		return ports_available;
	/* The report rounds utilization to 4 decimals: below 1% the
	 * quotient would be off by more than a few percent. */
	if (share >= 0.01)
		return held / share;
	return -1;
}

static void destinations(struct ctx *c, const json_t *doc)
{
	const json_t *tw = hj_obj(doc, "time_wait"), *top = hj_arr(tw, "top");
	struct html_bar bars[HOST_TOP];
	struct strbuf labels[HOST_TOP];
	double avail = -1;
	size_t n = 0, i;
	bool any_ages = false;
	json_t *t;

	heading(c, "Busiest destinations: ports held against their budget");
	if (!top || json_array_size(top) == 0) {
		sb_append(c->out, "<p>No TIME_WAIT destinations were seen.</p>\n");
		return;
	}
	hj_num(tw, "ports_available", &avail);
	json_array_foreach(top, i, t) {
		double held = 0, share = -1;

		if (n == HOST_TOP)
			break;
		if (!hj_num(t, "held", &held))
			hj_num(t, "count", &held);
		hj_num(t, "utilization", &share);
		labels[n] = (struct strbuf)STRBUF_INIT;
		hj_tuple_label(t, &labels[n]);
		bars[n] = (struct html_bar){ sb_str(&labels[n]), held, tuple_budget(t, avail, held, share), share };
		n++;
	}
	html_svg_ports(c->out, bars, n);
	sb_append(c->out, "<table class=\"data\"><caption>Busiest destinations (sockets holding a port, "
		   "TIME_WAIT among them, and the ports available to each)</caption>\n<thead><tr>"
		   "<th scope=\"col\">Destination</th><th scope=\"col\">Side</th>"
		   "<th scope=\"col\" class=\"n\">Held</th><th scope=\"col\" class=\"n\">TIME_WAIT</th>"
		   "<th scope=\"col\" class=\"n\">Budget (ports)</th><th scope=\"col\" class=\"n\">Utilization</th>"
		   "</tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		t = json_array_get(top, i);
		sb_append(c->out, "<tr><th scope=\"row\">");
		html_text(c->out, bars[i].label);
		sb_append(c->out, "</th><td>");
		html_text(c->out, hj_str(t, "side") ? hj_str(t, "side") : "?");
		sb_append(c->out, "</td><td class=\"n\">");
		sb_append_thousands(c->out, (long long)bars[i].held);
		sb_append(c->out, "</td><td class=\"n\">");
		num_or_unknown(c->out, t, "count");
		sb_append(c->out, "</td><td class=\"n\">");
		if (bars[i].budget > 0)
			sb_append_thousands(c->out, llround(bars[i].budget));
		else
			sb_append(c->out, "unknown");
		if (bars[i].share >= 0)
			sb_appendf(c->out, "</td><td class=\"n\">%.1f%%</td></tr>\n", bars[i].share * 100);
		else
			sb_append(c->out, "</td><td class=\"n\">unknown</td></tr>\n");
		if (json_is_array(json_object_get(t, "ages")))
			any_ages = true;
	}
	sb_append(c->out, "</tbody></table>\n");

	heading(c, "TIME_WAIT ages per destination (how fast sockets enter)");
	if (!any_ages) {
		sb_append(c->out, "<p>Unknown: the source gives no TIME_WAIT timers. "
			   "<code>twadvise --capture</code> records them (<code>ss -tanop</code>).</p>\n");
	} else {
		sb_append(c->out, "<div class=\"agegrid\">\n");
		for (i = 0; i < n; i++) {
			const json_t *ages = json_object_get(json_array_get(top, i), "ages");

			if (json_is_array(ages))
				html_svg_ages(c->out, bars[i].label, ages);
		}
		sb_append(c->out, "</div>\n");
	}
	for (i = 0; i < n; i++)
		sb_free(&labels[i]);
}

static void text_par(struct strbuf *out, const char *cls, const char *label, const char *s)
{
	if (!s || !*s)
		return;
	sb_appendf(out, "<p class=\"%s\"><strong>", cls);
	html_text(out, label);
	sb_append(out, ":</strong> ");
	html_text(out, s);
	sb_append(out, "</p>\n");
}

/* A list of strings (actions, references, withheld changes). */
static void str_list(struct strbuf *out, const char *label, const json_t *arr, const char *cls)
{
	size_t i;
	json_t *v;

	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return;
	sb_appendf(out, "<div class=\"%s\"><strong>", cls);
	html_text(out, label);
	sb_append(out, ":</strong><ul>\n");
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v))
			continue;
		sb_append(out, "<li>");
		html_text(out, json_string_value(v));
		sb_append(out, "</li>\n");
	}
	sb_append(out, "</ul></div>\n");
}

static void value_cell(struct strbuf *out, const json_t *o, const char *key)
{
	const char *s = hj_str(o, key);

	sb_append(out, "<td>");
	if (s && !*s) {
		sb_append(out, "(empty)");
	} else if (s) {
		sb_append(out, "<code>");
		html_text(out, s);
		sb_append(out, "</code>");
	} else {
		sb_append(out, "unknown");
	}
	sb_append(out, "</td>");
}

static void changes_table(struct strbuf *out, const json_t *changes)
{
	size_t i;
	json_t *ch;

	if (!json_is_array(changes) || json_array_size(changes) == 0)
		return;
	sb_append(out, "<table class=\"data changes\"><caption>Changes (current \xe2\x86\x92 recommended)</caption>\n"
		   "<thead><tr><th scope=\"col\">sysctl</th><th scope=\"col\">Current</th>"
		   "<th scope=\"col\"><span class=\"sr\">to </span>Recommended</th>"
		   "<th scope=\"col\">Persisted (next boot)</th></tr></thead>\n<tbody>\n");
	json_array_foreach(changes, i, ch) {
		const json_t *p = hj_obj(ch, "persisted");
		double line;

		sb_append(out, "<tr><th scope=\"row\"><code>");
		html_text(out, hj_str(ch, "sysctl") ? hj_str(ch, "sysctl") : "?");
		sb_append(out, "</code></th>");
		value_cell(out, ch, "current");
		sb_append(out, "<td><span aria-hidden=\"true\">\xe2\x86\x92 </span>");
		if (hj_str(ch, "recommended")) {
			sb_append(out, "<code>");
			html_text(out, hj_str(ch, "recommended"));
			sb_append(out, "</code>");
		} else {
			sb_append(out, "unknown");
		}
		sb_append(out, "</td><td>");
		if (!p) {
			sb_append(out, "not set in any sysctl.d file");
		} else {
			sb_append(out, "<code>");
			html_text(out, hj_str(p, "value") ? hj_str(p, "value") : "?");
			sb_append(out, "</code> at <code>");
			html_text(out, hj_str(p, "file") ? hj_str(p, "file") : "?");
			if (hj_num(p, "line", &line))
				sb_appendf(out, ":%.0f", line);
			sb_append(out, "</code>");
		}
		sb_append(out, "</td></tr>\n");
	}
	sb_append(out, "</tbody></table>\n");
}

static void finding(struct ctx *c, const json_t *f)
{
	const char *id = hj_str(f, "id"), *sev = hj_str(f, "severity");
	json_t *ack = json_object_get(f, "acknowledged");

	if (!id)
		id = "unnamed";
	if (!sev)
		sev = "unknown";
	sb_appendf(c->out, "<article class=\"finding\" id=\"host-%zu-finding-", c->index + 1);
	html_id(c->out, id);
	sb_append(c->out, "\" data-finding=\"");
	html_text(c->out, id);
	sb_append(c->out, "\">\n");
	sb_appendf(c->out, "<h%d><span class=\"sev sev-", c->h + 1);
	html_id(c->out, sev);
	sb_append(c->out, "\">");
	html_text(c->out, sev);
	sb_append(c->out, "</span> ");
	html_text(c->out, hj_str(f, "title") ? hj_str(f, "title") : id);
	sb_append(c->out, " <code class=\"rid\">");
	html_text(c->out, id);
	sb_appendf(c->out, "</code></h%d>\n", c->h + 1);
	if (json_is_true(ack)) {
		sb_append(c->out, "<p class=\"ack\"><strong>Acknowledged</strong>");
		if (hj_str(f, "ack_reason")) {
			sb_append(c->out, ": ");
			html_text(c->out, hj_str(f, "ack_reason"));
		}
		sb_append(c->out, "</p>\n");
	}
	text_par(c->out, "evidence", "Evidence", hj_str(f, "evidence"));
	changes_table(c->out, json_object_get(f, "changes"));
	str_list(c->out, "Withheld", json_object_get(f, "withheld"), "withheld");
	str_list(c->out, "Actions", json_object_get(f, "actions"), "actions");
	text_par(c->out, "rationale", "Rationale", hj_str(f, "rationale"));
	text_par(c->out, "risk", "Risk", hj_str(f, "risk"));
	str_list(c->out, "References", json_object_get(f, "references"), "refs");
	sb_append(c->out, "</article>\n");
}

static void findings(struct ctx *c, const json_t *doc)
{
	const json_t *fs = hj_arr(doc, "findings");
	size_t i;
	json_t *f;

	heading(c, "Findings");
	if (!fs || json_array_size(fs) == 0) {
		sb_append(c->out, "<p>No findings.</p>\n");
		return;
	}
	json_array_foreach(fs, i, f)
		finding(c, f);
}

static void cost(struct ctx *c, const json_t *doc)
{
	const json_t *items = hj_arr(hj_obj(doc, "cost"), "items");
	size_t i;
	json_t *it;

	heading(c, "What TIME_WAIT costs this host");
	if (!items || json_array_size(items) == 0) {
		sb_append(c->out, "<p>Unknown.</p>\n");
		return;
	}
	sb_append(c->out, "<ul class=\"gauges\">\n");
	json_array_foreach(items, i, it) {
		const char *name = hj_str(it, "name") ? hj_str(it, "name") : "?";
		const char *level = hj_str(it, "level");
		double share = -1;
		json_t *measured = json_object_get(it, "measured");

		hj_num(it, "share", &share);
		sb_append(c->out, "<li class=\"gauge-item\">");
		html_svg_gauge(c->out, name, share, level);
		sb_append(c->out, "<p class=\"gname\"><strong>");
		html_text(c->out, name);
		sb_append(c->out, "</strong>: ");
		num_or_unknown(c->out, it, "value");
		sb_append(c->out, " of ");
		num_or_unknown(c->out, it, "limit");
		if (hj_str(it, "unit")) {
			sb_append(c->out, " ");
			html_text(c->out, hj_str(it, "unit"));
		}
		sb_append(c->out, json_is_false(measured) ? " (estimated)" : "");
		sb_append(c->out, "</p><p class=\"gv-text\">");
		html_text(c->out, hj_str(it, "verdict"));
		sb_append(c->out, "</p></li>\n");
	}
	sb_append(c->out, "</ul>\n");
}

static void fragment(struct ctx *c, const json_t *doc)
{
	const char *frag = hj_str(doc, "sysctl_d");

	heading(c, "Proposed sysctl.d fragment");
	if (!frag) {
		sb_append(c->out, "<p>None in this report.</p>\n");
		return;
	}
	sb_appendf(c->out, "<div class=\"frag\"><button type=\"button\" class=\"copy\" "
		   "data-target=\"frag-%zu\">Copy the fragment</button>\n"
		   "<pre id=\"frag-%zu\" aria-label=\"sysctl.d fragment\">", c->index + 1, c->index + 1);
	html_text(c->out, frag);
	sb_append(c->out, "</pre></div>\n");
}

static void notes(struct ctx *c, const json_t *doc)
{
	const json_t *ns = hj_arr(doc, "notes");

	if (!ns || json_array_size(ns) == 0)
		return;
	heading(c, "Notes on the input");
	str_list(c->out, "Notes", ns, "notes");
}

void html_host_section(struct strbuf *out, const json_t *doc, size_t index, int level2)
{
	struct ctx c = { out, index, level2 ? 3 : 2 };
	const char *name = hj_host_name(doc), *err = hj_str(doc, "error");
	int h = level2 ? 2 : 1;

	sb_appendf(out, "<section class=\"host\" id=\"host-%zu\" aria-labelledby=\"host-%zu-h\">\n", index + 1,
		   index + 1);
	sb_appendf(out, "<h%d id=\"host-%zu-h\">", h, index + 1);
	if (name)
		html_text(out, name);
	else
		sb_appendf(out, "Host %zu", index + 1);
	sb_appendf(out, "</h%d>\n", h);
	if (err) {
		verdict_block(&c, doc);
		sb_append(out, "<p class=\"error\"><strong>Not analysed:</strong> ");
		html_text(out, err);
		sb_append(out, "</p>\n</section>\n");
		return;
	}
	meta_block(&c, doc);
	verdict_block(&c, doc);
	destinations(&c, doc);
	findings(&c, doc);
	cost(&c, doc);
	fragment(&c, doc);
	notes(&c, doc);
	sb_append(out, "</section>\n");
}
