/* SPDX-License-Identifier: MIT */
/* nagios.c: --format nagios, a monitoring-plugins status line.
 *
 *   TWADVISE CRITICAL - 1 critical, 2 warning: Ports to 10.0.1.20:5432 are
 *   nearly exhausted | time_wait=27000;;;0; ports_available=28232;;;0;
 *   top_utilization=0.956;;;0; critical=1;;;0; warning=2;;;0; info=0;;;0;
 *
 * (one line). The state counts only findings that are not acknowledged
 * and are at or above --fail-on: CRITICAL (2) when one of them is
 * critical, WARNING (1) when there is any other, OK (0) otherwise. The
 * text names the counts and the first such finding's title; '|' and line
 * breaks in it are replaced so that the perfdata stays parseable.
 * Perfdata follows the plugin guidelines ('label'=value[UOM];[warn];
 * [crit];[min];[max]); the report carries no utilization thresholds, so
 * warn/crit are empty. A quantity that is unknown is left out. */
#include "render/render.h"

#include <inttypes.h>
#include <string.h>

#include "render/render_util.h"

#define TEXT_MAX 200

static const char *const state_names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

/* Appends text safe for the part before the '|': one line, no '|'. */
static void plugin_text(struct strbuf *out, const char *s, size_t max)
{
	size_t start = out->len;

	ru_append_oneline(out, s, max);
	for (size_t i = start; i < out->len; i++)
		if (out->buf[i] == '|')
			out->buf[i] = '/';
}

int render_nagios(const struct tw_report *r, enum tw_severity fail_on, struct strbuf *out)
{
	const struct tw_tw_stats *tw = r->facts ? &r->facts->tw : NULL;
	size_t n[3] = { 0, 0, 0 };
	const struct tw_finding *first = NULL;
	int state;

	for (size_t i = 0; i < r->nfindings; i++) {
		const struct tw_finding *f = &r->findings[i];

		if (f->acknowledged || f->severity < fail_on || (unsigned)f->severity > 2)
			continue;
		n[f->severity]++;
		if (!first || f->severity > first->severity)
			first = f;
	}
	state = n[TW_SEV_CRITICAL] ? 2 : (n[TW_SEV_WARNING] || n[TW_SEV_INFO]) ? 1 : 0;

	sb_appendf(out, "TWADVISE %s - ", state_names[state]);
	if (state == 0) {
		sb_appendf(out, "nothing to change at or above %s", severity_name(fail_on));
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
		plugin_text(out, first->title && first->title[0] ? first->title : first->id, TEXT_MAX);
	}

	sb_append(out, " |");
	if (tw && tw->known)
		sb_appendf(out, " time_wait=%" PRIu64 ";;;0;", tw->total);
	if (r->port_low != 0 || r->port_high != 0)
		sb_appendf(out, " ports_available=%" PRIu64 ";;;0;", r->ports_available);
	sb_appendf(out, " top_utilization=%.4g;;;0;", ru_round4(ru_top_utilization(r)));
	sb_appendf(out, " critical=%zu;;;0; warning=%zu;;;0; info=%zu;;;0;\n",
		   ru_count(r, TW_SEV_CRITICAL), ru_count(r, TW_SEV_WARNING),
		   ru_count(r, TW_SEV_INFO));
	return state;
}

int render_nagios_unknown(const char *message, struct strbuf *out)
{
	sb_append(out, "TWADVISE UNKNOWN - ");
	plugin_text(out, message && message[0] ? message : "error", 0);
	sb_appendc(out, '\n');
	return 3;
}
