/* SPDX-License-Identifier: MIT */
/* nagios.c: --format nagios, a monitoring-plugins check.
 *
 *   TWADVISE CRITICAL - 1 critical, 2 warning: Ports to 10.0.1.20:5432 are
 *   nearly exhausted | time_wait=27000;;;0; ports_available=28232;;;0;
 *   top_utilization=95.6%;50;80;0;100 critical=1;;;0; warning=2;;;0; info=0;;;0;
 *   [CRITICAL] client-ports-exhausted: Ports to 10.0.1.20:5432 are nearly exhausted
 *   [WARNING] tw-reuse-client: ...
 *
 * The first line is the status and the performance data; every finding
 * follows on a line of its own (the plugin's long output). The state
 * counts the findings that are not acknowledged, are at or above
 * --fail-on, and ask for something: warnings and criticals always do; an
 * info finding only when it recommends a change or an action (so "no
 * action needed" never turns into WARNING). CRITICAL (2) when one of them
 * is critical, WARNING (1) when there is any other, OK (0) otherwise.
 * Text is made safe for the plugin format: one line, '|' replaced.
 * Perfdata follows the guidelines ('label'=value[UOM];[warn];[crit];
 * [min];[max]): top_utilization is a percentage with the warn and crit
 * levels of the profile's utilization thresholds (or -w/-c). A quantity
 * that is unknown is left out. */
#include "render/render.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine.h"
#include "render/render_util.h"

#define TEXT_MAX 200

static const char *const state_names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

/* Appends text safe for the plugin output: one line, no '|'. */
static void plugin_text(struct strbuf *out, const char *s, size_t max)
{
	size_t start = out->len;

	ru_append_oneline(out, s, max);
	for (size_t i = start; i < out->len; i++)
		if (out->buf[i] == '|')
			out->buf[i] = '/';
}

bool nagios_finding_counts(const struct tw_finding *f, enum tw_severity fail_on)
{
	if (f->acknowledged || f->severity < fail_on || (unsigned)f->severity > TW_SEV_CRITICAL)
		return false;
	return f->severity >= TW_SEV_WARNING || f->nchanges > 0 || f->nactions > 0;
}

/* "50" or "" for a threshold in percent (NaN: none). */
static void threshold_field(struct strbuf *out, double pct)
{
	if (!isnan(pct))
		sb_appendf(out, "%.4g", pct);
}

static const char *finding_title(const struct tw_finding *f)
{
	return f->title && f->title[0] ? f->title : f->id;
}

int render_nagios(const struct tw_report *r, const struct tw_nagios_opts *no, struct strbuf *out)
{
	const struct tw_tw_stats *tw = r->facts ? &r->facts->tw : NULL;
	size_t n[3] = { 0, 0, 0 };
	const struct tw_finding *first = NULL;
	double util_pct = ru_round4(ru_top_utilization(r)) * 100.0;
	int state;

	for (size_t i = 0; i < r->nfindings; i++) {
		const struct tw_finding *f = &r->findings[i];

		if (!nagios_finding_counts(f, no->fail_on))
			continue;
		n[f->severity]++;
		if (!first || f->severity > first->severity)
			first = f;
	}
	/* The report's one verdict (act CRITICAL, watch WARNING, harmless
	 * OK), as text, JSON and Prometheus give it; with --fail-on critical
	 * a "watch" does not warn. Findings at or above --fail-on that ask
	 * for something can only raise the state (an info finding with a
	 * change under --fail-on info). */
	{
		int vstate = r->verdict == TW_COST_ACT ? 2 : r->verdict == TW_COST_WATCH ? 1 : 0;
		int cstate = n[TW_SEV_CRITICAL] ? 2 : (n[TW_SEV_WARNING] || n[TW_SEV_INFO]) ? 1 : 0;

		if (no->fail_on == TW_SEV_CRITICAL && vstate == 1)
			vstate = 0;
		state = vstate > cstate ? vstate : cstate;
	}
	/* Explicit -w/-c also judge the busiest tuple directly. */
	if (no->explicit_thresholds) {
		if (!isnan(no->crit_pct) && util_pct >= no->crit_pct)
			state = 2;
		else if (!isnan(no->warn_pct) && util_pct >= no->warn_pct && state < 1)
			state = 1;
	}

	sb_appendf(out, "TWADVISE %s - ", state_names[state]);
	if (!first) {
		if (state == 0)
			sb_appendf(out, "nothing to change at or above %s", severity_name(no->fail_on));
		else
			sb_appendf(out, "busiest tuple at %.4g%% of its ports", util_pct);
		if (tw && tw->known)
			sb_appendf(out, " (%" PRIu64 " TIME_WAIT)", tw->total);
	} else {
		bool sep = false;

		for (int s = TW_SEV_CRITICAL; s >= TW_SEV_INFO; s--) {
			if (!n[s])
				continue;
			sb_appendf(out, "%s%zu %s", sep ? ", " : "", n[s],
				   severity_name((enum tw_severity)s));
			sep = true;
		}
		sb_append(out, ": ");
		plugin_text(out, finding_title(first), TEXT_MAX);
	}

	sb_append(out, " |");
	if (tw && tw->known)
		sb_appendf(out, " time_wait=%" PRIu64 ";;;0;", tw->total);
	if (r->port_low != 0 || r->port_high != 0)
		sb_appendf(out, " ports_available=%" PRIu64 ";;;0;", r->ports_available);
	sb_appendf(out, " top_utilization=%.4g%%;", util_pct);
	threshold_field(out, no->warn_pct);
	sb_appendc(out, ';');
	threshold_field(out, no->crit_pct);
	sb_append(out, ";0;100");
	sb_appendf(out, " critical=%zu;;;0; warning=%zu;;;0; info=%zu;;;0;\n",
		   ru_count(r, TW_SEV_CRITICAL), ru_count(r, TW_SEV_WARNING),
		   ru_count(r, TW_SEV_INFO));

	/* Long output: every finding, most severe first. */
	for (int s = TW_SEV_CRITICAL; s >= TW_SEV_INFO; s--) {
		for (size_t i = 0; i < r->nfindings; i++) {
			const struct tw_finding *f = &r->findings[i];
			char tag[16];

			if ((int)f->severity != s)
				continue;
			snprintf(tag, sizeof(tag), "%s", severity_name(f->severity));
			for (char *c = tag; *c; c++)
				*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
			sb_appendf(out, "[%s] ", tag);
			plugin_text(out, f->id, 64);
			sb_append(out, ": ");
			plugin_text(out, finding_title(f), TEXT_MAX);
			if (f->acknowledged)
				sb_append(out, " (acknowledged)");
			sb_appendc(out, '\n');
		}
	}
	return state;
}

int render_nagios_unknown(const char *message, struct strbuf *out)
{
	sb_append(out, "TWADVISE UNKNOWN - ");
	plugin_text(out, message && message[0] ? message : "error", 0);
	sb_appendc(out, '\n');
	return 3;
}
