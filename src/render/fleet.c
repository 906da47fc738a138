/* SPDX-License-Identifier: MIT */
/* fleet.c: the summary table printed after several --snapshot reports.
 *
 * One row per host, in the order given: the snapshot folder, kernel,
 * profile, TIME_WAIT total, the busiest tuple's utilization, the finding
 * counts by severity (acknowledged included, as in the JSON summary) and
 * the cost verdict ("-" when the cost model did not run). Rows are
 * sorted by nobody but the caller, so the output is deterministic. */
#include "render/render.h"

#include <math.h>

#include "render/render_util.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"

static void painted(struct ru_table *t, bool color, const char *code, const char *s)
{
	if (!color) {
		ru_table_cell(t, s);
		return;
	}
	ru_table_cellf(t, "%s%s%s", code, s, C_RESET);
}

void render_fleet_table(const struct tw_report *const *reports, const char *const *names,
			size_t n, bool color, struct strbuf *out)
{
	static const char *const head[] = { "HOST", "KERNEL", "PROFILE", "TIME_WAIT", "TOP UTIL",
					    "CRIT", "WARN", "INFO", "COST" };
	const size_t ncols = sizeof(head) / sizeof(head[0]);
	struct ru_table t;
	struct strbuf s = STRBUF_INIT;

	ru_table_init(&t, ncols);
	for (size_t c = 3; c <= 7; c++)
		t.right[c] = true;
	for (size_t c = 0; c < ncols; c++)
		painted(&t, color, C_BOLD, head[c]);
	for (size_t i = 0; i < n; i++) {
		const struct tw_report *r = reports[i];
		const struct tw_tw_stats *tw;
		double u;

		if (!r)
			continue;
		tw = r->facts ? &r->facts->tw : NULL;
		sb_reset(&s);
		ru_append_oneline(&s, names && names[i] ? names[i] : "-", 0);
		ru_table_cell(&t, sb_str(&s));
		sb_reset(&s);
		ru_append_oneline(&s, ru_kernel(r), 0);
		ru_table_cell(&t, sb_str(&s));
		sb_reset(&s);
		ru_append_oneline(&s, ru_profile(r), 0);
		ru_table_cell(&t, sb_str(&s));
		sb_reset(&s);
		if (tw && tw->known)
			sb_append_thousands(&s, (long long)tw->total);
		else
			sb_append(&s, "?");
		ru_table_cell(&t, sb_str(&s));
		u = ru_top_utilization(r);
		ru_table_cellf(&t, "%.0f%%", floor(u * 100 + 0.5));
		ru_table_cellf(&t, "%zu", ru_count(r, TW_SEV_CRITICAL));
		ru_table_cellf(&t, "%zu", ru_count(r, TW_SEV_WARNING));
		ru_table_cellf(&t, "%zu", ru_count(r, TW_SEV_INFO));
		if (r->cost_known) {
			enum tw_cost_level l = r->cost.verdict;

			painted(&t, color, l == TW_COST_ACT ? C_RED : l == TW_COST_WATCH ? C_YELLOW : C_GREEN,
				cost_level_name(l));
		} else {
			ru_table_cell(&t, "-");
		}
	}
	ru_table_render(&t, 0, out);
	ru_table_free(&t);
	sb_free(&s);
}
