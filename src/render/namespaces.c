/* SPDX-License-Identifier: MIT */
/* namespaces.c: --all-namespaces in text and Prometheus (see render.h;
 * the JSON document is json.c's).
 *
 * Text: one summary row per namespace (inode, name, TIME_WAIT, the top
 * destination's held sockets against its ports, verdict), then the full
 * report of each namespace with something to say. Prometheus: each
 * report is rendered as on its own (prometheus.c) and every sample gets a
 * netns="NAME" label; the samples of one family are gathered under one
 * HELP/TYPE pair, as the exposition format requires. */
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

#include "render/render_util.h"
#include "util/xalloc.h"

/* "10.0.1.20:5432 1,500/28,232": the busiest tuple, its held sockets and
 * the ports it may use (the local range for a client tuple, the peer's
 * assumed default range for a server one); "-" without TIME_WAIT. */
static void top_cell(const struct tw_report *r, struct strbuf *s)
{
	const struct tw_top_row *row;
	struct strbuf local = STRBUF_INIT, remote = STRBUF_INIT;
	uint64_t ports;

	if (r->ntop == 0) {
		sb_append(s, "-");
		return;
	}
	row = &r->top[0];
	ru_tuple_ends(&row->tuple, &local, &remote);
	if (row->tuple.side == TW_SIDE_SERVER) {
		ru_append_oneline(s, sb_str(&local), 0);
		sb_append(s, " from ");
		ru_append_oneline(s, sb_str(&remote), 0);
		ports = TW_DEFAULT_PORT_COUNT;
	} else {
		ru_append_oneline(s, sb_str(&remote), 0);
		ports = r->ports_available;
	}
	sb_appendc(s, ' ');
	sb_append_thousands(s, (long long)row->tuple.held);
	sb_appendc(s, '/');
	if (ports)
		sb_append_thousands(s, (long long)ports);
	else
		sb_appendc(s, '?');
	sb_free(&local);
	sb_free(&remote);
}

/* Whether a namespace's full report is worth printing. */
static bool worth_a_section(const struct tw_report *r, enum tw_severity fail_on)
{
	if (r->verdict != TW_COST_HARMLESS)
		return true;
	for (size_t i = 0; i < r->nfindings; i++)
		if (!r->findings[i].acknowledged && r->findings[i].severity >= fail_on)
			return true;
	return false;
}

void render_text_namespaces(const struct tw_namespace_report *v, size_t n,
			    const struct tw_text_opts *o, struct strbuf *out)
{
	static const char *const head[] = { "NETNS", "NAME", "TIME_WAIT", "TOP DESTINATION HELD/PORTS",
					    "VERDICT" };
	struct ru_table t;
	struct strbuf s = STRBUF_INIT;
	size_t quiet = 0;

	ru_table_init(&t, 5);
	t.right[0] = t.right[2] = true;
	for (size_t c = 0; c < 5; c++)
		ru_table_cell(&t, head[c]);
	for (size_t i = 0; i < n; i++) {
		const struct tw_report *r = v[i].report;
		const struct tw_tw_stats *tw = r && r->facts ? &r->facts->tw : NULL;

		ru_table_cellf(&t, "%llu", (unsigned long long)v[i].ns.inode);
		sb_reset(&s);
		ru_append_oneline(&s, v[i].ns.name, 60);
		ru_table_cell(&t, sb_str(&s));
		if (!r) {
			ru_table_cell(&t, "-");
			ru_table_cell(&t, "-");
			ru_table_cell(&t, "ERROR");
			continue;
		}
		sb_reset(&s);
		if (tw && tw->known)
			sb_append_thousands(&s, (long long)tw->total);
		else
			sb_append(&s, "?");
		ru_table_cell(&t, sb_str(&s));
		sb_reset(&s);
		top_cell(r, &s);
		ru_table_cell(&t, sb_str(&s));
		ru_table_cell(&t, cost_level_name(r->verdict));
	}
	sb_appendf(out, "%zu network namespaces\n\n", n);
	ru_table_render(&t, 0, out);
	ru_table_free(&t);
	for (size_t i = 0; i < n; i++) {
		const struct tw_report *r = v[i].report;

		if (!r) {
			sb_append(out, "\n== ");
			ru_append_oneline(out, v[i].ns.name, 0);
			sb_append(out, " ==\nerror: ");
			ru_append_oneline(out, v[i].error, 0);
			sb_appendc(out, '\n');
			continue;
		}
		if (!worth_a_section(r, o->fail_on)) {
			quiet++;
			continue;
		}
		sb_append(out, "\n== ");
		ru_append_oneline(out, v[i].ns.name, 0);
		sb_appendf(out, " (netns %llu) ==\n", (unsigned long long)v[i].ns.inode);
		render_text_opts(r, o, out);
	}
	if (quiet && !o->quiet)
		sb_appendf(out, "\n%zu namespace%s with nothing at or above %s to act on; "
			   "--format json has every report.\n", quiet, quiet == 1 ? "" : "s",
			   severity_name(o->fail_on));
	sb_free(&s);
}

/* ---- Prometheus -------------------------------------------------------- */

/* Families that describe the run, not a namespace: printed once. */
static bool run_wide(const char *name, size_t len)
{
	static const char *const names[] = { "twadvise_build_info", "twadvise_last_run_timestamp_seconds" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return true;
	return false;
}

struct family {
	char *name;
	struct strbuf head;     /* # HELP and # TYPE */
	struct strbuf samples;
};

struct families {
	struct family *v;
	size_t n;
};

static struct family *family_get(struct families *fs, const char *name, size_t len)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strlen(fs->v[i].name) == len && memcmp(fs->v[i].name, name, len) == 0)
			return &fs->v[i];
	fs->v = tw_xrealloc(fs->v, (fs->n + 1) * sizeof(*fs->v));
	fs->v[fs->n] = (struct family){ tw_xstrndup(name, len), STRBUF_INIT, STRBUF_INIT };
	return &fs->v[fs->n++];
}


/* Adds one report's lines, each sample labelled netns="NAME". */
static void add_report(struct families *fs, const char *text, const char *netns, bool first)
{
	const char *line = text;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (len > 7 && line[0] == '#') {
			/* "# HELP name ..." / "# TYPE name ..." */
			const char *name = line + 7;
			size_t nlen = strcspn(name, " \n");
			struct family *f = family_get(fs, name, nlen);

			if (f->head.len == 0 || (memcmp(line, "# TYPE", 6) == 0 && !strstr(sb_str(&f->head), "# TYPE")))
				sb_appendn(&f->head, line, len + 1);
		} else if (len > 0) {
			size_t nlen = strcspn(line, "{ ");
			struct family *f = family_get(fs, line, nlen);

			if (run_wide(line, nlen)) {
				if (first)
					sb_appendn(&f->samples, line, len);
			} else {
				sb_appendn(&f->samples, line, nlen);
				sb_append(&f->samples, "{netns=\"");
				prometheus_label_escape(&f->samples, netns);
				sb_appendc(&f->samples, '"');
				if (line[nlen] == '{')
					sb_appendc(&f->samples, ',');
				else
					sb_appendc(&f->samples, '}');
				sb_appendn(&f->samples, line + nlen + (line[nlen] == '{'),
					   len - nlen - (line[nlen] == '{'));
			}
			if (f->samples.len && f->samples.buf[f->samples.len - 1] != '\n')
				sb_appendc(&f->samples, '\n');
		}
		line += len + (nl ? 1 : 0);
	}
}

void render_prometheus_namespaces(const struct tw_namespace_report *v, size_t n,
				  struct strbuf *out)
{
	struct families fs = { 0 };
	struct strbuf one = STRBUF_INIT;
	bool first = true;

	for (size_t i = 0; i < n; i++) {
		if (!v[i].report)
			continue;
		sb_reset(&one);
		render_prometheus(v[i].report, &one);
		add_report(&fs, sb_str(&one), v[i].ns.name, first);
		first = false;
	}
	for (size_t i = 0; i < fs.n; i++) {
		sb_append(out, sb_str(&fs.v[i].head));
		sb_append(out, sb_str(&fs.v[i].samples));
		free(fs.v[i].name);
		sb_free(&fs.v[i].head);
		sb_free(&fs.v[i].samples);
	}
	free(fs.v);
	sb_free(&one);
}
