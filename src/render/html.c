/* SPDX-License-Identifier: MIT */
/* html.c: the HTML page (see html.h): head with its style and policy,
 * the fleet overview (hosts table, heat map), the host sections and the
 * script. Colours always come with text (a verdict's word, a cell's
 * percentage), and the page prints without its buttons. */
#include "render/html.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "render/html_escape.h"
#include "render/html_host.h"
#include "render/html_json.h"
#include "render/html_svg.h"
#include "util/xalloc.h"

/* Destinations shown in the heat map: the busiest across the fleet. */
#define HEAT_COLS 8

static const char css[] =
	":root{--fg:#1a1a1a;--muted:#4a4a4a;--bg:#fff;--line:#c8c8c8;--act:#a4161a;--watch:#8a5a00;"
	"--ok:#1b6b2f;--err:#5c1a7a}\n"
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--fg);"
	"background:var(--bg);margin:0 auto;max-width:1100px;padding:1rem 1.5rem}\n"
	"h1,h2,h3,h4{line-height:1.25}h2{border-bottom:2px solid var(--line);padding-bottom:.2rem;margin-top:2.5rem}\n"
	"code,pre{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.9em}\n"
	"pre{background:#f4f4f4;border:1px solid var(--line);padding:.75rem;overflow:auto;white-space:pre-wrap}\n"
	"table.data{border-collapse:collapse;margin:.75rem 0;width:100%}\n"
	"table.data th,table.data td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}\n"
	"table.data thead th{background:#eee}caption{text-align:left;font-weight:600;padding:.3rem 0}\n"
	"table.data .n,.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	"dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem}dl.meta dt{font-weight:600}dl.meta dd{margin:0}\n"
	".badge{display:inline-block;padding:.05rem .5rem;border-radius:.3rem;color:#fff;font-weight:700;text-transform:uppercase}\n"
	".lvl-act.badge,.badge.lvl-act{background:var(--act)}.badge.lvl-watch{background:var(--watch)}"
	".badge.lvl-harmless{background:var(--ok)}.badge.lvl-error{background:var(--err)}.badge.lvl-unknown{background:#555}\n"
	".verdict{border-left:6px solid var(--line);padding:.25rem 1rem;margin:1rem 0;background:#fafafa}\n"
	".verdict.lvl-act{border-color:var(--act)}.verdict.lvl-watch{border-color:var(--watch)}"
	".verdict.lvl-harmless{border-color:var(--ok)}.verdict.lvl-error{border-color:var(--err)}\n"
	".finding{border:1px solid var(--line);border-radius:.4rem;padding:0 1rem .5rem;margin:1rem 0;break-inside:avoid-page}\n"
	".sev{display:inline-block;padding:0 .4rem;border-radius:.25rem;color:#fff;font-size:.85em;text-transform:uppercase}\n"
	".sev-critical{background:var(--act)}.sev-warning{background:var(--watch)}.sev-info{background:#1f4e8c}.sev-unknown{background:#555}\n"
	".rid{color:var(--muted);font-weight:400;font-size:.8em}.ack{color:var(--muted)}\n"
	"svg.chart{width:100%;height:auto;max-width:760px;display:block}\n"
	"svg text{font:13px system-ui,sans-serif;fill:#1a1a1a}svg .axis{font-size:11px;fill:#333}svg .gv{font-size:16px;font-weight:700}\n"
	"svg .track{fill:#e6e6e6;stroke:#8a8a8a;stroke-width:1}svg path.track{fill:none;stroke:#ddd;stroke-width:14}\n"
	"svg .u0{fill:#2f6f3e}svg .u1{fill:#6b7d1f}svg .u2{fill:#b07a00}svg .u3{fill:#c2410c}svg .u4{fill:#a4161a}\n"
	"svg .age{fill:#1f4e8c}svg .base{stroke:#333}\n"
	"svg path.fill{fill:none;stroke-width:14}svg path.lvl-act{stroke:var(--act)}svg path.lvl-watch{stroke:var(--watch)}"
	"svg path.lvl-harmless,svg path.lvl-unknown{stroke:var(--ok)}\n"
	".agegrid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:1rem}\n"
	"figure{margin:0}figcaption{font-size:.9em;color:var(--muted)}\n"
	"ul.gauges{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:1rem}\n"
	".gauge-item{border:1px solid var(--line);border-radius:.4rem;padding:.5rem}svg.gauge{width:140px;height:84px}\n"
	".gauge-item p{margin:.2rem 0}.gv-text{font-size:.9em;color:var(--muted)}\n"
	"table.data td.heat{text-align:right;font-variant-numeric:tabular-nums}.scroll{overflow-x:auto}\n"
	"td.h0{background:#eef3ee}td.h1{background:#e6efc4}td.h2{background:#f8dc8a}td.h3{background:#f6a46b}"
	"td.h4{background:#a4161a;color:#fff}table.data td.none{color:var(--muted);text-align:center}\n"
	"th button{font:inherit;font-weight:700;background:none;border:0;padding:0;cursor:pointer;color:inherit;text-decoration:underline dotted}\n"
	"button.copy{font:inherit;padding:.3rem .8rem;margin:.3rem 0;cursor:pointer}\n"
	".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}\n"
	"a{color:#0b4f9c}.error{color:var(--err)}\n"
	"@media print{body{max-width:none;padding:0;font-size:11pt}button{display:none}"
	"section.host{break-before:page}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	"pre{white-space:pre-wrap}a{color:inherit;text-decoration:none}.scroll{overflow:visible}table.heat{font-size:9pt}}\n";

/* Sorting: each header button sorts by its column's data-sort values
 * (numbers when both parse as numbers); copying: the fragment's text. */
static const char script[] =
	"(function(){\n"
	"document.querySelectorAll('table.sortable').forEach(function(t){\n"
	" t.querySelectorAll('thead th').forEach(function(th){\n"
	"  var b=th.querySelector('button');if(!b)return;\n"
	"  b.addEventListener('click',function(){\n"
	"   var i=th.cellIndex,asc=th.getAttribute('aria-sort')!=='ascending',tb=t.tBodies[0];\n"
	"   var rows=Array.prototype.slice.call(tb.rows);\n"
	"   rows.sort(function(a,b){var x=a.cells[i].getAttribute('data-sort')||a.cells[i].textContent,"
	"y=b.cells[i].getAttribute('data-sort')||b.cells[i].textContent,nx=parseFloat(x),ny=parseFloat(y),"
	"c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c;});\n"
	"   rows.forEach(function(r){tb.appendChild(r);});\n"
	"   t.querySelectorAll('thead th').forEach(function(o){o.removeAttribute('aria-sort');});\n"
	"   th.setAttribute('aria-sort',asc?'ascending':'descending');\n"
	"  });\n"
	" });\n"
	"});\n"
	"document.querySelectorAll('button.copy').forEach(function(b){\n"
	" b.addEventListener('click',function(){\n"
	"  var p=document.getElementById(b.getAttribute('data-target'));if(!p)return;\n"
	"  var done=function(){b.textContent='Copied';};\n"
	"  if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(p.textContent).then(done);return;}\n"
	"  var r=document.createRange();r.selectNodeContents(p);var s=window.getSelection();s.removeAllRanges();"
	"s.addRange(r);try{document.execCommand('copy');done();}catch(e){}\n"
	" });\n"
	"});\n"
	"})();\n";

static void host_label(struct strbuf *out, const json_t *doc, size_t i)
{
	const char *name = hj_host_name(doc);

	if (name)
		html_text(out, name);
	else
		sb_appendf(out, "Host %zu", i + 1);
}

struct order {
	size_t i;
	int rank;
};

/* Worst verdict first, then the order given (stable). */
static int by_verdict(const void *a, const void *b)
{
	const struct order *x = a, *y = b;

	if (x->rank != y->rank)
		return y->rank - x->rank;
	return x->i < y->i ? -1 : x->i > y->i;
}

static void count_cell(struct strbuf *out, const json_t *doc, const char *sev)
{
	double v;

	if (hj_num(hj_obj(doc, "summary"), sev, &v))
		sb_appendf(out, "<td class=\"n\" data-sort=\"%.0f\">%.0f</td>", v, v);
	else
		sb_append(out, "<td class=\"n\" data-sort=\"-1\">-</td>");
}

/* The busiest utilization of a report, or -1. */
static double top_share(const json_t *doc)
{
	const json_t *top = hj_arr(hj_obj(doc, "time_wait"), "top");
	double best = -1, u;
	size_t i;
	json_t *t;

	json_array_foreach(top, i, t)
		if (hj_num(t, "utilization", &u) && u > best)
			best = u;
	return best;
}

static void sort_th(struct strbuf *out, const char *name, bool num, bool sorted)
{
	sb_appendf(out, "<th scope=\"col\"%s%s><button type=\"button\">%s</button></th>",
		   num ? " class=\"n\"" : "", sorted ? " aria-sort=\"descending\"" : "", name);
}

static void fleet_table(struct strbuf *out, json_t *const *docs, size_t n)
{
	struct order *ord = tw_xcalloc(n, sizeof(*ord));

	for (size_t i = 0; i < n; i++)
		ord[i] = (struct order){ i, hj_verdict_rank(hj_verdict(docs[i])) };
	qsort(ord, n, sizeof(*ord), by_verdict);
	sb_append(out, "<h2 id=\"hosts\">Hosts by verdict</h2>\n"
		   "<table class=\"data sortable\" id=\"hosts-table\"><caption>Hosts, worst verdict first "
		   "(select a column heading to sort by it)</caption>\n<thead><tr>");
	sort_th(out, "Host", false, false);
	sort_th(out, "Verdict", false, true);
	sort_th(out, "Kernel", false, false);
	sort_th(out, "Profile", false, false);
	sort_th(out, "TIME_WAIT", true, false);
	sort_th(out, "Busiest destination", true, false);
	sort_th(out, "Critical", true, false);
	sort_th(out, "Warning", true, false);
	sort_th(out, "Info", true, false);
	sb_append(out, "</tr></thead>\n<tbody>\n");
	for (size_t k = 0; k < n; k++) {
		size_t i = ord[k].i;
		const json_t *d = docs[i];
		const char *v = hj_verdict(d);
		double total, u = top_share(d);

		sb_appendf(out, "<tr data-host=\"%zu\"><th scope=\"row\" data-sort=\"", i + 1);
		host_label(out, d, i);
		sb_appendf(out, "\"><a href=\"#host-%zu\">", i + 1);
		host_label(out, d, i);
		sb_appendf(out, "</a></th><td class=\"verdict-cell\" data-sort=\"%d\"><span class=\"badge lvl-%s\">",
			   ord[k].rank, html_level_class(v));
		html_text(out, v);
		sb_append(out, "</span></td><td>");
		html_text(out, hj_str(d, "kernel") ? hj_str(d, "kernel") : "-");
		sb_append(out, "</td><td>");
		html_text(out, hj_str(d, "profile") ? hj_str(d, "profile") : "-");
		sb_append(out, "</td>");
		if (hj_num(hj_obj(d, "time_wait"), "total", &total)) {
			sb_appendf(out, "<td class=\"n\" data-sort=\"%.0f\">", total);
			sb_append_thousands(out, llround(total));
			sb_append(out, "</td>");
		} else {
			sb_append(out, "<td class=\"n\" data-sort=\"-1\">unknown</td>");
		}
		if (u >= 0)
			sb_appendf(out, "<td class=\"n\" data-sort=\"%.4f\">%.1f%%</td>", u, u * 100);
		else
			sb_append(out, "<td class=\"n\" data-sort=\"-1\">-</td>");
		count_cell(out, d, "critical");
		count_cell(out, d, "warning");
		count_cell(out, d, "info");
		sb_append(out, "</tr>\n");
	}
	sb_append(out, "</tbody></table>\n");
	free(ord);
}

struct heat_col {
	char *label;
	double max;
};

static int by_heat(const void *a, const void *b)
{
	const struct heat_col *x = a, *y = b;

	if (x->max != y->max)
		return x->max < y->max ? 1 : -1;
	return strcmp(x->label, y->label);
}

/* A host's utilization of destination 'label', or -1 when it is not
 * among that host's busiest. */
static double host_share(const json_t *doc, const char *label, double *held)
{
	const json_t *top = hj_arr(hj_obj(doc, "time_wait"), "top");
	struct strbuf s = STRBUF_INIT;
	double u = -1;
	size_t i;
	json_t *t;

	json_array_foreach(top, i, t) {
		sb_reset(&s);
		hj_tuple_label(t, &s);
		if (strcmp(sb_str(&s), label) == 0) {
			if (!hj_num(t, "utilization", &u))
				u = -2;     /* seen, utilization unknown */
			if (!hj_num(t, "held", held))
				*held = -1;
			break;
		}
	}
	sb_free(&s);
	return u;
}

static void heat_map(struct strbuf *out, json_t *const *docs, size_t n)
{
	struct heat_col *cols = NULL;
	size_t ncols = 0, shown;
	struct strbuf s = STRBUF_INIT;

	for (size_t h = 0; h < n; h++) {
		const json_t *top = hj_arr(hj_obj(docs[h], "time_wait"), "top");
		size_t i, c;
		json_t *t;

		json_array_foreach(top, i, t) {
			double u = 0;

			sb_reset(&s);
			hj_tuple_label(t, &s);
			hj_num(t, "utilization", &u);
			for (c = 0; c < ncols && strcmp(cols[c].label, sb_str(&s)) != 0; c++)
				;
			if (c == ncols) {
				cols = tw_xrealloc(cols, (ncols + 1) * sizeof(*cols));
				cols[ncols++] = (struct heat_col){ tw_xstrdup(sb_str(&s)), u };
			} else if (u > cols[c].max) {
				cols[c].max = u;
			}
		}
	}
	sb_append(out, "<h2 id=\"heat\">Destination utilization across hosts</h2>\n");
	if (ncols == 0) {
		sb_append(out, "<p>No host reports a TIME_WAIT destination.</p>\n");
		sb_free(&s);
		return;
	}
	qsort(cols, ncols, sizeof(*cols), by_heat);
	shown = ncols < HEAT_COLS ? ncols : HEAT_COLS;
	sb_append(out, "<p class=\"legend\">Each cell: the share of the destination's ports held on that host "
		   "(shade darkens with use: under 20%, 20-50%, 50-70%, 70-90%, 90% and more); "
		   "&#8220;-&#8221; where the destination is not among the host's busiest.");
	if (ncols > shown)
		sb_appendf(out, " The %zu busiest of %zu destinations are shown.", shown, ncols);
	sb_append(out, "</p>\n<div class=\"scroll\"><table class=\"data heat\"><caption>Utilization (%) per host "
		   "and destination</caption>\n<thead><tr><th scope=\"col\">Host</th>");
	for (size_t c = 0; c < shown; c++) {
		sb_append(out, "<th scope=\"col\">");
		html_text(out, cols[c].label);
		sb_append(out, "</th>");
	}
	sb_append(out, "</tr></thead>\n<tbody>\n");
	for (size_t h = 0; h < n; h++) {
		sb_appendf(out, "<tr><th scope=\"row\"><a href=\"#host-%zu\">", h + 1);
		host_label(out, docs[h], h);
		sb_append(out, "</a></th>");
		for (size_t c = 0; c < shown; c++) {
			double held = -1, u = host_share(docs[h], cols[c].label, &held);
			int lvl = u >= 0.9 ? 4 : u >= 0.7 ? 3 : u >= 0.5 ? 2 : u >= 0.2 ? 1 : 0;

			if (u == -1) {
				sb_append(out, "<td class=\"none\">-</td>");
				continue;
			}
			if (u < 0) {
				sb_append(out, "<td class=\"heat\">unknown</td>");
				continue;
			}
			sb_appendf(out, "<td class=\"heat h%d\" data-util=\"%.4f\"", lvl, u);
			if (held >= 0)
				sb_appendf(out, " title=\"%.0f sockets hold ports\"", held);
			sb_appendf(out, ">%.1f%%</td>", u * 100);
		}
		sb_append(out, "</tr>\n");
	}
	sb_append(out, "</tbody></table></div>\n");
	for (size_t c = 0; c < ncols; c++)
		free(cols[c].label);
	free(cols);
	sb_free(&s);
}

void render_html(json_t *const *docs, size_t n, struct strbuf *out)
{
	bool fleet = n > 1;

	sb_append(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		   "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		   "<meta name=\"generator\" content=\"twadvise\">\n<title>");
	if (fleet) {
		sb_appendf(out, "twadvise: TIME_WAIT report for %zu hosts", n);
	} else {
		sb_append(out, "twadvise: TIME_WAIT report for ");
		host_label(out, docs[0], 0);
	}
	sb_append(out, "</title>\n<style>\n");
	sb_append(out, css);
	sb_append(out, "</style>\n</head>\n<body>\n<main>\n");
	if (fleet) {
		sb_appendf(out, "<h1>TIME_WAIT report for %zu hosts</h1>\n", n);
		sb_append(out, "<nav aria-label=\"Hosts\"><p>Jump to: <a href=\"#hosts\">hosts</a>, "
			   "<a href=\"#heat\">destination heat map</a>");
		for (size_t i = 0; i < n; i++) {
			sb_appendf(out, ", <a href=\"#host-%zu\">", i + 1);
			host_label(out, docs[i], i);
			sb_append(out, "</a>");
		}
		sb_append(out, "</p></nav>\n");
		fleet_table(out, docs, n);
		heat_map(out, docs, n);
	}
	for (size_t i = 0; i < n; i++)
		html_host_section(out, docs[i], i, fleet);
	sb_append(out, "</main>\n<footer><p>Made by twadvise");
	if (hj_str(docs[0], "version")) {
		sb_append(out, " ");
		html_text(out, hj_str(docs[0], "version"));
	}
	sb_append(out, ". This page fetches nothing; it works offline and prints without its buttons.</p></footer>\n<script>\n");
	sb_append(out, script);
	sb_append(out, "</script>\n</body>\n</html>\n");
}
