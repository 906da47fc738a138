/* cmd_analyse.c: the default verb: collect, evaluate, render, and (with
 * --output) write the fragment atomically; --check and --diff write
 * nothing. With several --snapshot (fleet mode) a host that cannot be
 * analysed is reported as an error in its place, the others are
 * analysed, and the run exits 1 at the end. Output is built whole in memory first, so an error never leaves
 * half a document on stdout or in a file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "engine/acks.h"
#include "render/render.h"
#include "util/text_diff.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static bool want_color(void)
{
	const char *term = getenv("TERM");

	return isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && !(term && strcmp(term, "dumb") == 0);
}

/* The current content of 'path' for --diff ("" when it does not exist). */
static int read_existing(const char *path, char **ret)
{
	struct tw_error err = { "" };
	size_t len;

	struct stat st;

	if (lstat(path, &st) != 0 && errno == ENOENT) {
		*ret = tw_xstrdup("");
		return 0;
	}
	if (tw_read_regular(path, 4 << 20, ret, &len, &err) < 0) {
		cli_error("%s", err.msg);
		return -1;
	}
	return 0;
}

struct host_result {
	struct tw_facts facts;
	struct tw_report report;
	bool have_report;
	char *error;        /* fleet mode: why this host has no report */
};

/* One host. In fleet mode (several --snapshot) a failure is that host's
 * result, kept in h->error, and the others go on; alone, it is the run's. */
static int analyse_one(const struct tw_options *o, const struct tw_engine *e,
		       const struct tw_ack_list *acks, const char *snapshot, bool fleet,
		       struct host_result *h)
{
	struct tw_error err = { "" };
	const char *frag = o->output ? o->output : TW_DEFAULT_FRAGMENT;

	if (cli_analyse_source_err(o, e, acks, snapshot, frag, &h->facts, &h->report, &err) < 0) {
		cli_error("%s", err.msg);
		if (!fleet)
			return -1;
		h->error = tw_xstrdup(err.msg);
		return 0;
	}
	h->have_report = true;
	return 0;
}

/* A host without a report, in the run's format. */
static void emit_host_error(enum tw_format format, const char *snapshot, const char *msg,
			    size_t index, struct strbuf *out)
{
	struct strbuf line = STRBUF_INIT;

	switch (format) {
	case FORMAT_TEXT:
		render_fleet_error_text(snapshot, msg, index == 0, out);
		break;
	case FORMAT_JSON:
		render_fleet_error_json(snapshot, msg, out);
		break;
	case FORMAT_NAGIOS:
		sb_appendf(&line, "%s: %s", snapshot, msg);
		render_nagios_unknown(sb_str(&line), out);
		break;
	case FORMAT_SYSCTL:
	case FORMAT_PROMETHEUS:
		render_fleet_error_comment(snapshot, msg, out);
		break;
	}
	sb_free(&line);
}

int cmd_analyse(const struct tw_options *o)
{
	size_t nhosts = o->nsnapshots ? o->nsnapshots : 1;
	struct host_result *hosts = tw_xcalloc(nhosts, sizeof(*hosts));
	struct tw_ack_list acks = { 0 };
	struct strbuf out = STRBUF_INIT, file = STRBUF_INIT;
	struct tw_engine e;
	bool color = want_color(), counts = false;
	size_t failed = 0;
	int rc = 1, nagios_rc = 0;

	if (cli_load_engine(o, &e) < 0) {
		free(hosts);
		return o->format == FORMAT_NAGIOS ? 3 : 1;
	}
	if (cli_load_acks(o, &acks) < 0)
		goto out;
	for (size_t i = 0; i < nhosts; i++)
		if (analyse_one(o, &e, &acks, o->nsnapshots ? o->snapshots[i] : NULL, nhosts > 1,
				&hosts[i]) < 0)
			goto out;
	if (hosts[0].error && (o->diff || (o->output && !o->check))) {
		cli_error("%s: no report, so nothing to compare with or write to %s",
			  o->snapshots[0], o->output);
		goto out;
	}

	for (size_t i = 0; i < nhosts; i++) {
		const struct tw_report *r = &hosts[i].report;

		if (hosts[i].error) {
			failed++;
			if (!o->diff)
				emit_host_error(o->format, o->snapshots[i], hosts[i].error, i, &out);
			if (o->format == FORMAT_NAGIOS)
				nagios_rc = 3 > nagios_rc ? 3 : nagios_rc;
			continue;
		}
		counts = counts || plan_counts(&r->plan, o->fail_on);
		if (o->diff)
			continue;
		switch (o->format) {
		case FORMAT_TEXT:
			if (nhosts > 1)
				sb_appendf(&out, "%s== %s ==\n", i ? "\n" : "", o->snapshots[i]);
			render_text(r, color, &out);
			break;
		case FORMAT_JSON: {
			struct strbuf doc = STRBUF_INIT;

			render_json(r, &doc);
			/* JSON Lines with several hosts: one document per line. */
			if (nhosts > 1) {
				for (size_t c = 0; c + 1 < doc.len; c++)
					if (doc.buf[c] == '\n')
						doc.buf[c] = ' ';
			}
			sb_append(&out, sb_str(&doc));
			sb_free(&doc);
			break;
		}
		case FORMAT_SYSCTL:
			sb_append(&out, r->fragment);
			break;
		case FORMAT_PROMETHEUS:
			render_prometheus(r, &out);
			break;
		case FORMAT_NAGIOS: {
			int n = render_nagios(r, o->fail_on, &out);

			nagios_rc = n > nagios_rc ? n : nagios_rc;
			break;
		}
		}
	}
	if (nhosts > 1 && o->format == FORMAT_TEXT && !o->diff) {
		const struct tw_report **reps = tw_xcalloc(nhosts, sizeof(*reps));

		const char **errors = tw_xcalloc(nhosts, sizeof(*errors));

		for (size_t i = 0; i < nhosts; i++) {
			reps[i] = hosts[i].have_report ? &hosts[i].report : NULL;
			errors[i] = hosts[i].error;
		}
		sb_append(&out, "\n");
		render_fleet_table(reps, o->snapshots, errors, nhosts, color, &out);
		free(reps);
		free(errors);
	}

	if (o->diff) {
		char *old;

		if (read_existing(o->output, &old) < 0)
			goto out;
		text_unified_diff(o->output, old, o->output, hosts[0].report.fragment, &out);
		free(old);
	} else if (o->output && !o->check) {
		struct tw_error err = { "" };

		if (o->format == FORMAT_PROMETHEUS)
			sb_append(&file, sb_str(&out));
		else
			sb_append(&file, hosts[0].report.fragment);
		if (tw_atomic_write(o->output, file.buf ? file.buf : "", file.len, 0644, &err) < 0) {
			cli_error("%s", err.msg);
			goto out;
		}
		if (o->format == FORMAT_PROMETHEUS)
			sb_reset(&out);  /* the metrics went to the file */
	}
	if (cli_write_stdout(sb_str(&out), out.len) < 0)
		goto out;
	if (o->format == FORMAT_NAGIOS)
		rc = nagios_rc;
	else if (failed)
		rc = 1;   /* the other hosts' reports are out; the run still failed */
	else
		rc = o->check && counts ? 2 : 0;
out:
	if (rc == 1 && o->format == FORMAT_NAGIOS)
		rc = 3;
	for (size_t i = 0; i < nhosts; i++) {
		if (hosts[i].have_report)
			report_free(&hosts[i].report);
		facts_free(&hosts[i].facts);
		free(hosts[i].error);
	}
	free(hosts);
	acks_free(&acks);
	sb_free(&out);
	sb_free(&file);
	engine_free(&e);
	return rc;
}
