/* SPDX-License-Identifier: MIT */
/* prometheus.c: --format prometheus, for node_exporter's textfile collector.
 *
 * Text exposition format 0.0.4: each family has one # HELP and one # TYPE
 * line followed by its samples; no timestamps (the collector stamps the
 * scrape). Label values are escaped (backslash, double quote, newline).
 * A quantity that is unknown on this host (TIME_WAIT not readable, cost
 * model not run) is left out, never exported as 0. Families:
 *
 *   twadvise_info{profile,kernel,source} 1
 *   twadvise_findings{severity}               findings, acknowledged included
 *   twadvise_findings_open{severity}          findings not acknowledged
 *   twadvise_time_wait_sockets
 *   twadvise_time_wait_sockets_by_side{side}
 *   twadvise_ports_available
 *   twadvise_top_tuple_utilization            busiest tuple, 0 when none
 *   twadvise_cost_verdict{verdict} 1|0        one sample per level (a state set)
 *   twadvise_cost_level                       0 harmless, 1 watch, 2 act
 *   twadvise_cost_item_value{item,unit}, twadvise_cost_item_share{item},
 *   twadvise_cost_item_level{item} */
#include "render/render.h"

#include <inttypes.h>
#include <math.h>

#include "render/render_util.h"

static void family(struct strbuf *out, const char *name, const char *help)
{
	sb_appendf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void label_value(struct strbuf *out, const char *v)
{
	const unsigned char *s = (const unsigned char *)(v ? v : "");

	sb_appendc(out, '"');
	while (*s) {
		size_t n;

		if (*s == '\\' || *s == '"' || *s == '\n') {
			sb_appendc(out, '\\');
			sb_appendc(out, *s == '\n' ? 'n' : (char)*s);
			s++;
			continue;
		}
		n = ru_utf8_len(s);
		if (n == 0) {
			sb_appendc(out, '?');   /* label values must be UTF-8 */
			s++;
			continue;
		}
		sb_appendn(out, (const char *)s, n);
		s += n;
	}
	sb_appendc(out, '"');
}

/* name{label="value"} with at most two labels; 'l2' may be NULL. */
static void sample_start(struct strbuf *out, const char *name, const char *l1, const char *v1,
			 const char *l2, const char *v2)
{
	sb_append(out, name);
	if (l1) {
		sb_appendf(out, "{%s=", l1);
		label_value(out, v1);
		if (l2) {
			sb_appendf(out, ",%s=", l2);
			label_value(out, v2);
		}
		sb_appendc(out, '}');
	}
	sb_appendc(out, ' ');
}

static void value_u64(struct strbuf *out, uint64_t v)
{
	sb_appendf(out, "%" PRIu64 "\n", v);
}

static void value_double(struct strbuf *out, double v)
{
	if (isnan(v))
		sb_append(out, "NaN\n");
	else if (isinf(v))
		sb_append(out, v > 0 ? "+Inf\n" : "-Inf\n");
	else if (fabs(v) < 9007199254740992.0 && v == trunc(v))
		sb_appendf(out, "%.0f\n", v == 0 ? 0.0 : v);
	else
		sb_appendf(out, "%.6g\n", v);
}

void render_prometheus(const struct tw_report *r, struct strbuf *out)
{
	static const enum tw_severity sevs[] = { TW_SEV_CRITICAL, TW_SEV_WARNING, TW_SEV_INFO };
	const struct tw_tw_stats *tw = r->facts ? &r->facts->tw : NULL;
	struct strbuf src = STRBUF_INIT;

	ru_source_describe(r, &src);
	family(out, "twadvise_info", "Analysis context: profile used, kernel release and source.");
	sb_append(out, "twadvise_info{profile=");
	label_value(out, ru_profile(r));
	sb_append(out, ",kernel=");
	label_value(out, ru_kernel(r));
	sb_append(out, ",source=");
	label_value(out, sb_str(&src));
	sb_append(out, "} 1\n");
	sb_free(&src);

	family(out, "twadvise_findings", "Findings by severity, acknowledged ones included.");
	for (size_t i = 0; i < 3; i++) {
		sample_start(out, "twadvise_findings", "severity", severity_name(sevs[i]), NULL, NULL);
		value_u64(out, ru_count(r, sevs[i]));
	}
	family(out, "twadvise_findings_open", "Findings by severity that are not acknowledged.");
	for (size_t i = 0; i < 3; i++) {
		sample_start(out, "twadvise_findings_open", "severity", severity_name(sevs[i]), NULL,
			     NULL);
		value_u64(out, ru_open_count(r, sevs[i]));
	}

	if (tw && tw->known) {
		family(out, "twadvise_time_wait_sockets", "TCP sockets in TIME_WAIT.");
		sample_start(out, "twadvise_time_wait_sockets", NULL, NULL, NULL, NULL);
		value_u64(out, tw->total);
		family(out, "twadvise_time_wait_sockets_by_side",
		       "TIME_WAIT sockets by side: client (this host connected out) or server (peers connected in).");
		sample_start(out, "twadvise_time_wait_sockets_by_side", "side", "client", NULL, NULL);
		value_u64(out, tw->client);
		sample_start(out, "twadvise_time_wait_sockets_by_side", "side", "server", NULL, NULL);
		value_u64(out, tw->server);
	}
	if (r->port_low != 0 || r->port_high != 0) {
		family(out, "twadvise_ports_available",
		       "Ephemeral ports available to one client tuple (range minus reserved ports).");
		sample_start(out, "twadvise_ports_available", NULL, NULL, NULL, NULL);
		value_u64(out, r->ports_available);
	}
	family(out, "twadvise_top_tuple_utilization",
	       "Largest share of its ports that one tuple holds in TIME_WAIT (0 when none).");
	sample_start(out, "twadvise_top_tuple_utilization", NULL, NULL, NULL, NULL);
	value_double(out, ru_round4(ru_top_utilization(r)));

	if (r->cost_known) {
		static const enum tw_cost_level levels[] = { TW_COST_HARMLESS, TW_COST_WATCH, TW_COST_ACT };
		size_t n = r->cost.n < TW_COST_MAX_ITEMS ? r->cost.n : TW_COST_MAX_ITEMS;
		size_t nshare = 0;

		family(out, "twadvise_cost_verdict", "Overall cost verdict of TIME_WAIT: 1 for the current verdict.");
		for (size_t i = 0; i < 3; i++) {
			sample_start(out, "twadvise_cost_verdict", "verdict", cost_level_name(levels[i]),
				     NULL, NULL);
			value_u64(out, r->cost.verdict == levels[i]);
		}
		family(out, "twadvise_cost_level", "Overall cost verdict: 0 harmless, 1 watch, 2 act.");
		sample_start(out, "twadvise_cost_level", NULL, NULL, NULL, NULL);
		value_u64(out, (uint64_t)r->cost.verdict);
		if (n > 0) {
			family(out, "twadvise_cost_item_value", "Each cost item's value, in its unit.");
			for (size_t i = 0; i < n; i++) {
				const struct tw_cost_item *it = &r->cost.items[i];

				sample_start(out, "twadvise_cost_item_value", "item", it->name ? it->name : "",
					     "unit", it->unit);
				value_double(out, it->value);
			}
			for (size_t i = 0; i < n; i++)
				nshare += r->cost.items[i].share_known;
			if (nshare)
				family(out, "twadvise_cost_item_share",
				       "Each cost item's share of its limit (when the limit is known).");
			for (size_t i = 0; i < n; i++) {
				const struct tw_cost_item *it = &r->cost.items[i];

				if (!it->share_known)
					continue;
				sample_start(out, "twadvise_cost_item_share", "item", it->name ? it->name : "",
					     NULL, NULL);
				value_double(out, it->share);
			}
			family(out, "twadvise_cost_item_level", "Each cost item's level: 0 harmless, 1 watch, 2 act.");
			for (size_t i = 0; i < n; i++) {
				const struct tw_cost_item *it = &r->cost.items[i];

				sample_start(out, "twadvise_cost_item_level", "item", it->name ? it->name : "",
					     NULL, NULL);
				value_u64(out, (uint64_t)it->level);
			}
		}
	}
}
