/* SPDX-License-Identifier: MIT */
/* prometheus.c: --format prometheus, for node_exporter's textfile collector.
 *
 * Text exposition format 0.0.4: each family has one # HELP and one # TYPE
 * line followed by its samples; no sample timestamps (the collector
 * stamps the scrape). Label values are escaped (backslash, double quote,
 * newline). Each family has one unit, named in its suffix (_sockets,
 * _bytes, ...; _ratio for shares 0..1); no label value is a path. A
 * quantity that is unknown on this host (TIME_WAIT not readable, cost
 * model not run) is left out, never exported as 0. Families:
 *
 *   twadvise_build_info{version} 1
 *   twadvise_info{profile,kernel,source} 1     source: live or snapshot
 *   twadvise_last_run_timestamp_seconds        when the analysis ran
 *                                              (SOURCE_DATE_EPOCH if set)
 *   twadvise_findings{severity}                findings, acknowledged included
 *   twadvise_findings_open{severity}           findings not acknowledged
 *   twadvise_finding{id,severity,acknowledged} 1 per finding (alerts route by id)
 *   twadvise_time_wait_sockets
 *   twadvise_time_wait_sockets_by_side{side}
 *   twadvise_ports_available                   ephemeral ports per client tuple
 *   twadvise_top_tuple_utilization_ratio       busiest tuple, 0 when none
 *   twadvise_verdict{verdict} 1|0              the report's one verdict (a state set)
 *   twadvise_verdict_level 0|1|2
 *   twadvise_cost_verdict{verdict} 1|0         one sample per level (a state set)
 *   twadvise_cost_level                        0 harmless, 1 watch, 2 act
 *   twadvise_cost_item_<unit>{item}            each cost item's value, one
 *                                              family per unit (_sockets,
 *                                              _bytes, _entries, _buckets,
 *                                              _connections_per_second,
 *                                              _file_descriptors)
 *   twadvise_cost_item_share_ratio{item}, twadvise_cost_item_level{item} */
#include "render/render.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render/render_util.h"
#include "util/macros.h"

static void family(struct strbuf *out, const char *name, const char *help)
{
	sb_appendf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* A label value as the exposition format wants it, without its quotes:
 * backslash, quote and newline escaped, bytes that are not UTF-8 as '?'. */
void prometheus_label_escape(struct strbuf *out, const char *v)
{
	const unsigned char *s = (const unsigned char *)(v ? v : "");

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
}

static void label_value(struct strbuf *out, const char *v)
{
	sb_appendc(out, '"');
	prometheus_label_escape(out, v);
	sb_appendc(out, '"');
}

/* name{l1="v1",l2="v2",l3="v3"} followed by a space; labels from the
 * first NULL name on are left out. */
static void sample3(struct strbuf *out, const char *name, const char *l1, const char *v1,
		    const char *l2, const char *v2, const char *l3, const char *v3)
{
	const char *l[3] = { l1, l2, l3 }, *v[3] = { v1, v2, v3 };

	sb_append(out, name);
	for (size_t i = 0; i < 3 && l[i]; i++) {
		sb_appendf(out, "%c%s=", i ? ',' : '{', l[i]);
		label_value(out, v[i]);
	}
	if (l1)
		sb_appendc(out, '}');
	sb_appendc(out, ' ');
}

/* name{label="value"} with at most two labels; 'l2' may be NULL. */
static void sample_start(struct strbuf *out, const char *name, const char *l1, const char *v1,
			 const char *l2, const char *v2)
{
	sample3(out, name, l1, v1, l1 ? l2 : NULL, v2, NULL, NULL);
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

/* The family suffix for a cost unit ("conn/s" -> "connections_per_second"). */
static const char *unit_suffix(const char *unit)
{
	static const struct { const char *unit, *suffix; } map[] = {
		{ "bytes", "bytes" }, { "sockets", "sockets" }, { "entries", "entries" },
		{ "buckets", "buckets" }, { "conn/s", "connections_per_second" },
		{ "fds", "file_descriptors" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (strcmp(unit, map[i].unit) == 0)
			return map[i].suffix;
	return NULL;
}

/* Seconds since 1970: now, or SOURCE_DATE_EPOCH (reproducible output). */
static double run_timestamp(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");

	if (sde && *sde) {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(sde, &end, 10);
		if (errno == 0 && *end == '\0' && v >= 0)
			return (double)v;
	}
	return (double)time(NULL);
}

static void cost_families(const struct tw_report *r, struct strbuf *out)
{
	static const enum tw_cost_level levels[] = { TW_COST_HARMLESS, TW_COST_WATCH, TW_COST_ACT };
	size_t n = r->cost.n < TW_COST_MAX_ITEMS ? r->cost.n : TW_COST_MAX_ITEMS;
	size_t nshare = 0;

	family(out, "twadvise_cost_verdict", "Overall cost verdict of TIME_WAIT: 1 for the current verdict.");
	for (size_t i = 0; i < 3; i++) {
		sample_start(out, "twadvise_cost_verdict", "verdict", cost_level_name(levels[i]), NULL, NULL);
		value_u64(out, r->cost.verdict == levels[i]);
	}
	family(out, "twadvise_cost_level", "Overall cost verdict: 0 harmless, 1 watch, 2 act.");
	sample_start(out, "twadvise_cost_level", NULL, NULL, NULL, NULL);
	value_u64(out, (uint64_t)r->cost.verdict);
	if (n == 0)
		return;
	/* One family per unit, in the order the units first appear. */
	for (size_t i = 0; i < n; i++) {
		const char *suffix = unit_suffix(r->cost.items[i].unit);
		char name[96], help[160];
		bool seen = false;

		if (!suffix)
			continue;
		for (size_t j = 0; j < i; j++)
			seen = seen || (unit_suffix(r->cost.items[j].unit) == suffix);
		if (seen)
			continue;
		snprintf(name, sizeof(name), "twadvise_cost_item_%s", suffix);
		snprintf(help, sizeof(help), "Cost items measured in %s: each item's value.",
			 r->cost.items[i].unit);
		family(out, name, help);
		for (size_t j = i; j < n; j++) {
			const struct tw_cost_item *it = &r->cost.items[j];

			if (unit_suffix(it->unit) != suffix)
				continue;
			sample_start(out, name, "item", it->name ? it->name : "", NULL, NULL);
			value_double(out, it->value);
		}
	}
	for (size_t i = 0; i < n; i++)
		nshare += r->cost.items[i].share_known;
	if (nshare)
		family(out, "twadvise_cost_item_share_ratio",
		       "Each cost item's share of its limit, 0..1 (may exceed 1; when the limit is known).");
	for (size_t i = 0; i < n; i++) {
		const struct tw_cost_item *it = &r->cost.items[i];

		if (!it->share_known)
			continue;
		sample_start(out, "twadvise_cost_item_share_ratio", "item", it->name ? it->name : "", NULL, NULL);
		value_double(out, it->share);
	}
	family(out, "twadvise_cost_item_level", "Each cost item's level: 0 harmless, 1 watch, 2 act.");
	for (size_t i = 0; i < n; i++) {
		const struct tw_cost_item *it = &r->cost.items[i];

		sample_start(out, "twadvise_cost_item_level", "item", it->name ? it->name : "", NULL, NULL);
		value_u64(out, (uint64_t)it->level);
	}
}

void render_prometheus(const struct tw_report *r, struct strbuf *out)
{
	static const enum tw_severity sevs[] = { TW_SEV_CRITICAL, TW_SEV_WARNING, TW_SEV_INFO };
	const struct tw_tw_stats *tw = r->facts ? &r->facts->tw : NULL;

	family(out, "twadvise_build_info", "twadvise's version.");
	sample_start(out, "twadvise_build_info", "version", PACKAGE_VERSION, NULL, NULL);
	value_u64(out, 1);
	family(out, "twadvise_info", "Analysis context: profile used, kernel release and source (live or snapshot).");
	sample3(out, "twadvise_info", "profile", ru_profile(r), "kernel", ru_kernel(r),
		"source", ru_source_kind(r));
	value_u64(out, 1);
	family(out, "twadvise_last_run_timestamp_seconds", "When this analysis ran, in seconds since 1970.");
	sample_start(out, "twadvise_last_run_timestamp_seconds", NULL, NULL, NULL, NULL);
	value_double(out, run_timestamp());

	/* The report's one verdict, from the findings and the cost together
	 * (a state set, and its level for thresholds). */
	family(out, "twadvise_verdict", "The report's verdict (findings and cost together): 1 for the current one.");
	for (size_t i = 0; i < 3; i++) {
		static const enum tw_cost_level lv[3] = { TW_COST_HARMLESS, TW_COST_WATCH, TW_COST_ACT };

		sample_start(out, "twadvise_verdict", "verdict", cost_level_name(lv[i]), NULL, NULL);
		value_u64(out, r->verdict == lv[i]);
	}
	family(out, "twadvise_verdict_level", "The report's verdict: 0 harmless, 1 watch, 2 act.");
	sample_start(out, "twadvise_verdict_level", NULL, NULL, NULL, NULL);
	value_u64(out, (uint64_t)r->verdict);
	family(out, "twadvise_findings", "Findings by severity, acknowledged ones included.");
	for (size_t i = 0; i < 3; i++) {
		sample_start(out, "twadvise_findings", "severity", severity_name(sevs[i]), NULL, NULL);
		value_u64(out, ru_count(r, sevs[i]));
	}
	family(out, "twadvise_findings_open", "Findings by severity that are not acknowledged.");
	for (size_t i = 0; i < 3; i++) {
		sample_start(out, "twadvise_findings_open", "severity", severity_name(sevs[i]), NULL, NULL);
		value_u64(out, ru_open_count(r, sevs[i]));
	}
	if (r->nfindings) {
		family(out, "twadvise_finding", "One sample per finding, 1, labelled by rule id, severity and acknowledgement.");
		for (size_t i = 0; i < r->nfindings; i++) {
			const struct tw_finding *f = &r->findings[i];

			sample3(out, "twadvise_finding", "id", f->id, "severity", severity_name(f->severity),
				"acknowledged", f->acknowledged ? "true" : "false");
			value_u64(out, 1);
		}
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
	family(out, "twadvise_top_tuple_utilization_ratio",
	       "Largest share, 0..1, of its ports that one tuple holds in TIME_WAIT (0 when none).");
	sample_start(out, "twadvise_top_tuple_utilization_ratio", NULL, NULL, NULL, NULL);
	value_double(out, ru_round4(ru_top_utilization(r)));

	if (r->cost_known)
		cost_families(r, out);
}
