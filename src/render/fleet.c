/* SPDX-License-Identifier: MIT */
/* fleet.c: the summary table printed after several --snapshot reports.
 *
 * One row per host, in the order given: the snapshot folder, kernel,
 * profile, TIME_WAIT total, the busiest tuple's utilization, the finding
 * counts by severity (acknowledged included, as in the JSON summary) and
 * the report's verdict; a host that could not be analysed gets an ERROR
 * row, and its error is shown in its own section and JSON line (the
 * render_fleet_error_* functions). Rows are
 * sorted by nobody but the caller, so the output is deterministic. */
#include "render/render.h"

#include <math.h>

#include "render/json_writer.h"
#include "render/render_util.h"
#include "util/macros.h"

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
			const char *const *errors, size_t n, bool color, struct strbuf *out)
{
	static const char *const head[] = { "HOST", "KERNEL", "PROFILE", "TIME_WAIT", "TOP UTIL",
					    "CRIT", "WARN", "INFO", "VERDICT" };
	const size_t ncols = ARRAY_SIZE(head);
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

		if (!r) {
			if (!errors || !errors[i])
				continue;
			sb_reset(&s);
			ru_append_oneline(&s, names && names[i] ? names[i] : "-", 0);
			ru_table_cell(&t, sb_str(&s));
			ru_table_cell(&t, "-");
			painted(&t, color, C_RED, "ERROR");
			for (size_t c = 3; c < ncols; c++)
				ru_table_cell(&t, "-");
			continue;
		}
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
		painted(&t, color, r->verdict == TW_COST_ACT ? C_RED : r->verdict == TW_COST_WATCH ? C_YELLOW : C_GREEN,
			cost_level_name(r->verdict));
	}
	ru_table_render(&t, 0, out);
	ru_table_free(&t);
	sb_free(&s);
}

void render_fleet_error_text(const char *name, const char *msg, bool first, struct strbuf *out)
{
	sb_append(out, first ? "== " : "\n== ");
	ru_append_oneline(out, name, 0);
	sb_append(out, " ==\nerror: ");
	ru_append_oneline(out, msg, 0);
	sb_appendc(out, '\n');
}

void render_fleet_error_json(const char *name, const char *msg, struct strbuf *out)
{
	struct json_writer w;

	jw_init(&w, out);
	jw_object_begin(&w);
	jw_key(&w, "twadvise");
	jw_u64(&w, 1);
	jw_key(&w, "source");
	jw_string(&w, "snapshot");
	jw_key(&w, "snapshot");
	jw_string(&w, name);
	jw_key(&w, "error");
	jw_string(&w, msg);
	jw_object_end(&w);
	sb_appendc(out, '\n');
}

void render_fleet_error_comment(const char *name, const char *msg, struct strbuf *out)
{
	sb_append(out, "# twadvise: ");
	ru_append_oneline(out, name, 0);
	sb_append(out, ": ");
	ru_append_oneline(out, msg, 0);
	sb_appendc(out, '\n');
}
