/* SPDX-License-Identifier: MIT */
/* fragment.c: the sysctl.d fragment twadvise proposes (--format sysctl).
 *
 * The fragment is a pure function of the report, so running twadvise
 * twice on the same host gives the same bytes and --diff/--output stay
 * quiet when nothing changed: no timestamps, no version, no host text but
 * the facts already in the report. Layout:
 *
 *   # sysctl.d fragment proposed by twadvise
 *   # profile: client-heavy
 *   # kernel: 5.15.0-91-generic
 *   # source: live
 *
 *   # tw-reuse-off: Outgoing connections cannot reuse TIME_WAIT ports
 *   net.ipv4.tcp_tw_reuse = 1
 *
 * It prints the change plan (engine/plan.c), which alone decides what is
 * written: grouped under "# ID: TITLE" of the finding that owns each
 * item, in plan order. Text from facts and rules is folded to one line
 * so that nothing can smuggle an extra assignment into a comment. */
#include "render/render.h"

#include <stdbool.h>
#include <string.h>

#include "render/render_util.h"

#define TITLE_MAX 160

static const char *finding_title(const struct tw_report *r, const char *id)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].id, id) == 0)
			return r->findings[i].title;
	return "";
}

static void append_value(struct strbuf *out, const char *v)
{
	/* sysctl.d strips surrounding whitespace; keep the inner text as is
	 * (tabs between fields, as sysctl prints them, become one space). */
	ru_append_oneline(out, v, 0);
}

void render_fragment(const struct tw_report *r, struct strbuf *out)
{
	size_t written = 0;

	sb_append(out, "# sysctl.d fragment proposed by twadvise\n# profile: ");
	ru_append_oneline(out, ru_profile(r), 0);
	sb_append(out, "\n# kernel: ");
	ru_append_oneline(out, ru_kernel(r), 0);
	sb_append(out, "\n# source: ");
	ru_source_describe(r, out);
	sb_appendc(out, '\n');

	for (size_t i = 0; i < r->plan.n; i++) {
		const struct tw_plan_item *it = &r->plan.v[i];

		if (i == 0 || strcmp(it->finding_id, r->plan.v[i - 1].finding_id) != 0) {
			sb_append(out, "\n# ");
			ru_append_oneline(out, it->finding_id, 0);
			sb_append(out, ": ");
			ru_append_oneline(out, finding_title(r, it->finding_id), TITLE_MAX);
			sb_appendc(out, '\n');
		}
		ru_append_oneline(out, it->sysctl, 0);
		sb_append(out, " = ");
		append_value(out, it->value);
		sb_appendc(out, '\n');
		written++;
	}
	if (written == 0)
		sb_append(out, "\n# no changes recommended\n");
}
