/* SPDX-License-Identifier: MIT */
/* html_svg.c: inline SVG charts (see html_svg.h). Sizes are in SVG user
 * units with a viewBox, so the charts scale with the page and print. */
#include "render/html_svg.h"

#include <math.h>
#include <string.h>

#include "render/html_escape.h"

/* Chart geometry (user units). */
#define BAR_W 640.0
#define BAR_ROW 46.0
#define AGE_W 330.0
#define AGE_H 150.0
#define TW_PI 3.14159265358979323846

const char *html_level_class(const char *level)
{
	static const char *const known[] = { "act", "watch", "harmless", "error" };

	for (size_t i = 0; level && i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(level, known[i]) == 0)
			return known[i];
	return "unknown";
}

static double clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* The fill class of a utilization: the same levels as the heat map. */
static const char *use_class(double share)
{
	return share >= 0.9 ? "u4" : share >= 0.7 ? "u3" : share >= 0.5 ? "u2" : share >= 0.2 ? "u1" : "u0";
}

void html_svg_ports(struct strbuf *out, const struct html_bar *bars, size_t n)
{
	double h = BAR_ROW * (double)n + 8;

	sb_appendf(out, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
		   "aria-label=\"Port use of the busiest destinations against their budget\">\n"
		   "<title>Port use of the busiest destinations against their budget</title>\n",
		   BAR_W, h);
	for (size_t i = 0; i < n; i++) {
		const struct html_bar *b = &bars[i];
		double y = BAR_ROW * (double)i + 4, share = b->share;

		if (share < 0 && b->budget > 0)
			share = b->held / b->budget;
		sb_appendf(out, "<g><text x=\"0\" y=\"%.0f\" class=\"lbl\">", y + 14);
		html_text(out, b->label);
		sb_append(out, ": ");
		sb_append_thousands(out, (long long)b->held);
		if (b->budget > 0) {
			sb_append(out, " held of ");
			sb_append_thousands(out, (long long)llround(b->budget));
			sb_append(out, " ports");
		} else {
			sb_append(out, " held");
		}
		if (share >= 0)
			sb_appendf(out, " (%.1f%%%s)</text>\n", share * 100, b->budget > 0 ? "" : " of its ports");
		else
			sb_append(out, " (utilization unknown)</text>\n");
		sb_appendf(out, "<rect class=\"track\" x=\"0\" y=\"%.0f\" width=\"%.0f\" height=\"16\"/>\n",
			   y + 20, BAR_W);
		if (share > 0)
			sb_appendf(out, "<rect class=\"%s\" x=\"0\" y=\"%.0f\" width=\"%.1f\" height=\"16\"/>\n",
				   use_class(share), y + 20, BAR_W * clamp01(share));
		sb_append(out, "</g>\n");
	}
	sb_append(out, "</svg>\n");
}

void html_svg_ages(struct strbuf *out, const char *label, const json_t *ages)
{
	double v[6] = { 0 }, max = 0, total = 0;
	const double slot = AGE_W / 6, base = AGE_H - 24, top = 20;

	for (size_t i = 0; i < 6; i++) {
		json_t *e = json_array_get(ages, i);

		v[i] = json_is_number(e) && json_number_value(e) > 0 ? json_number_value(e) : 0;
		max = v[i] > max ? v[i] : max;
		total += v[i];
	}
	sb_append(out, "<figure class=\"ages\"><svg class=\"chart\" viewBox=\"0 0 330 150\" role=\"img\" aria-label=\"");
	sb_append(out, "TIME_WAIT ages toward ");
	html_text(out, label);
	sb_append(out, "\"><title>TIME_WAIT ages toward ");
	html_text(out, label);
	sb_append(out, "</title>\n");
	for (size_t i = 0; i < 6; i++) {
		double bh = max > 0 ? (base - top) * v[i] / max : 0, x = slot * (double)i;

		sb_appendf(out, "<rect class=\"age\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
			   x + 6, base - bh, slot - 12, bh);
		sb_appendf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"num\" text-anchor=\"middle\">",
			   x + slot / 2, base - bh - 4);
		sb_append_thousands(out, (long long)v[i]);
		sb_appendf(out, "</text><text x=\"%.1f\" y=\"%.0f\" class=\"axis\" text-anchor=\"middle\">"
			   "%zu–%zu s</text>\n", x + slot / 2, base + 16, i * 10, i * 10 + 10);
	}
	sb_appendf(out, "<line class=\"base\" x1=\"0\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>\n",
		   base, AGE_W, base);
	sb_append(out, "</svg><figcaption>");
	html_text(out, label);
	sb_append(out, ": ");
	sb_append_thousands(out, (long long)total);
	sb_appendf(out, " in TIME_WAIT; %.1f entered per second over the last 10 s</figcaption></figure>\n",
		   v[0] / 10);
}

void html_svg_gauge(struct strbuf *out, const char *name, double share, const char *level)
{
	const double cx = 70, cy = 70, r = 56;
	double f = clamp01(share), a = TW_PI * (1 - f);

	sb_append(out, "<svg class=\"gauge\" viewBox=\"0 0 140 84\" role=\"img\" aria-label=\"");
	html_text(out, name);
	if (share >= 0)
		sb_appendf(out, ": %.1f%% of its limit", share * 100);
	else
		sb_append(out, ": share unknown");
	sb_append(out, "\"><title>");
	html_text(out, name);
	sb_append(out, "</title>");
	sb_appendf(out, "<path class=\"track\" d=\"M%.0f %.0f A%.0f %.0f 0 0 1 %.0f %.0f\"/>",
		   cx - r, cy, r, r, cx + r, cy);
	if (share > 0)
		sb_appendf(out, "<path class=\"fill lvl-%s\" d=\"M%.0f %.0f A%.0f %.0f 0 0 1 %.2f %.2f\"/>",
			   html_level_class(level), cx - r, cy, r, r, cx + r * cos(a), cy - r * sin(a));
	if (share < 0)
		sb_appendf(out, "<text x=\"%.0f\" y=\"%.0f\" class=\"gv\" text-anchor=\"middle\">?</text>",
			   cx, cy - 6);
	else if (share > 0 && share < 0.001)
		sb_appendf(out, "<text x=\"%.0f\" y=\"%.0f\" class=\"gv\" text-anchor=\"middle\">&lt;0.1%%</text>",
			   cx, cy - 6);
	else
		sb_appendf(out, "<text x=\"%.0f\" y=\"%.0f\" class=\"gv\" text-anchor=\"middle\">%.1f%%</text>",
			   cx, cy - 6, share * 100);
	sb_appendf(out, "<text x=\"%.0f\" y=\"%.0f\" class=\"axis\" text-anchor=\"middle\">",
		   cx, cy + 12);
	html_text(out, level ? level : "unknown");
	sb_append(out, "</text></svg>");
}
