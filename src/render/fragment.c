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
 * Only non-acknowledged findings contribute, in report order (most severe
 * first); a key named by two findings is written once, by the first. Text
 * from facts and rules is folded to one line so that nothing can smuggle
 * an extra assignment into a comment, and a change whose key or value
 * could not be written safely is left out. tcp_tw_recycle is never written
 * with any value but 0 (contract invariant 1; the engine enforces it too). */
#include "render/render.h"

#include <stdbool.h>
#include <string.h>

#include "render/render_util.h"

#define TITLE_MAX 160

/* Whether an earlier writable change (of findings before 'fi', or of 'fi'
 * before 'ci') names 'key': then 'key' is already in the fragment. */
static bool written_before(const struct tw_report *r, size_t fi, size_t ci, const char *key)
{
	for (size_t i = 0; i <= fi; i++) {
		const struct tw_finding *f = &r->findings[i];
		size_t n = i == fi ? ci : f->nchanges;

		if (f->acknowledged)
			continue;
		for (size_t j = 0; j < n; j++) {
			const struct tw_change *c = &f->changes[j];

			if (ru_change_writable(c) && strcmp(c->sysctl, key) == 0)
				return true;
		}
	}
	return false;
}

static bool change_writable(const struct tw_report *r, size_t fi, size_t ci)
{
	const struct tw_change *c = &r->findings[fi].changes[ci];

	return ru_change_writable(c) && !written_before(r, fi, ci, c->sysctl);
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

	for (size_t i = 0; i < r->nfindings; i++) {
		const struct tw_finding *f = &r->findings[i];
		bool header = false;

		if (f->acknowledged)
			continue;
		for (size_t j = 0; j < f->nchanges; j++) {
			const struct tw_change *c = &f->changes[j];

			if (!change_writable(r, i, j))
				continue;
			if (!header) {
				sb_append(out, "\n# ");
				ru_append_oneline(out, f->id ? f->id : "unnamed", 0);
				sb_append(out, ": ");
				ru_append_oneline(out, f->title, TITLE_MAX);
				sb_appendc(out, '\n');
				header = true;
			}
			sb_append(out, c->sysctl);
			sb_append(out, " = ");
			append_value(out, c->recommended);
			sb_appendc(out, '\n');
			written++;
		}
	}
	if (written == 0)
		sb_append(out, "\n# no changes recommended\n");
}
