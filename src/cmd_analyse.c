/* SPDX-License-Identifier: MIT */
/* cmd_analyse.c: the default verb, in three steps: collect_all() (every
 * host's facts and report), render_all() (the run's format, in memory)
 * and emit() (--diff, --output written atomically, stdout); --check and
 * --diff write nothing. With several --snapshot (fleet mode) a host that
 * cannot be analysed is reported as an error in its place, the others
 * are analysed, and the run exits 1 at the end. Output is built whole in
 * memory first, so an error never leaves half a document on stdout or in
 * a file. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "engine/acks.h"
#include "render/html.h"
#include "render/render.h"
#include "util/text_diff.h"
#include "util/fileio.h"
#include "util/lazy.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* --color: auto colours a terminal unless NO_COLOR is set to something
 * (no-color.org: an empty NO_COLOR does not count) or TERM is dumb. */
static bool want_color(const struct tw_options *o)
{
	const char *term = getenv("TERM"), *nc = getenv("NO_COLOR");

	if (o->color != COLOR_AUTO)
		return o->color == COLOR_ALWAYS;
	return isatty(STDOUT_FILENO) && !(nc && *nc) && !(term && strcmp(term, "dumb") == 0);
}

/* The column text wraps at: the terminal's width less a margin, or 78
 * (an 80-column page) when stdout is not a terminal. */
static size_t text_width(void)
{
	struct winsize ws;
	size_t cols = 80;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		cols = ws.ws_col;
	if (cols < 42)
		cols = 42;
	if (cols > 200)
		cols = 200;
	return cols - 2;
}

/* A --profile NAME that names no profile: say so, with the closest name. */
static int check_profile_name(const struct tw_options *o, const struct tw_engine *e)
{
	const char *spec = o->profile, *hint;
	size_t n = strlen(spec);

	if (strcmp(spec, "auto") == 0 || strchr(spec, '/') ||
	    (n > 5 && strcmp(spec + n - 5, ".yaml") == 0) || profile_find(&e->profiles, spec))
		return 0;
	hint = cli_suggest_profile(e, spec);
	if (hint)
		cli_error("unknown profile '%s' (did you mean '%s'?)", spec, hint);
	else
		cli_error("unknown profile '%s' (see --list-profiles)", spec);
	return -1;
}

/* Acknowledged ids (--ignore, acknowledged.yaml) that match no rule are
 * most likely typos: warn, with the closest id, instead of ignoring them
 * silently. */
static void warn_unknown_acks(const struct tw_options *o, const struct tw_engine *e,
			      const struct tw_ack_list *acks)
{
	for (size_t i = 0; i < acks->n; i++) {
		const char *id = acks->v[i].id, *hint, *from = "acknowledged.yaml";

		if (!id || rule_find(&e->rules, id))
			continue;
		for (size_t k = 0; k < o->nignores; k++)
			if (strcmp(o->ignores[k], id) == 0)
				from = "--ignore";
		hint = cli_suggest_rule(e, id);
		fprintf(stderr, "twadvise: warning: %s: no rule with id '%s'%s%s%s\n", from, id,
			hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
	}
}

/* -w/-c replace the utilization thresholds of every profile (percent on
 * the command line, shares in the profiles), so that the findings, the
 * perfdata and the state agree. */
static void override_thresholds(struct tw_engine *e, const struct tw_options *o)
{
	for (size_t i = 0; i < e->profiles.n; i++) {
		struct tw_profile *p = e->profiles.v[i];

		for (size_t t = 0; t < p->nthresholds; t++) {
			if (o->warn_pct >= 0 && strcmp(p->thresholds[t].name, "utilization_warning") == 0)
				p->thresholds[t].value = o->warn_pct / 100.0;
			if (o->crit_pct >= 0 && strcmp(p->thresholds[t].name, "utilization_critical") == 0)
				p->thresholds[t].value = o->crit_pct / 100.0;
		}
	}
}

/* The perfdata levels: the profile's utilization thresholds, in percent. */
static void nagios_opts(const struct tw_options *o, const struct tw_engine *e,
			const struct tw_report *r, struct tw_nagios_opts *no)
{
	const struct tw_profile *p = r->profile ? profile_find(&e->profiles, r->profile) : NULL;
	double v;

	no->fail_on = o->fail_on;
	no->warn_pct = no->crit_pct = NAN;
	no->explicit_thresholds = o->warn_pct >= 0 || o->crit_pct >= 0;
	if (p && profile_threshold(p, "utilization_warning", &v) == 0)
		no->warn_pct = v * 100.0;
	if (p && profile_threshold(p, "utilization_critical", &v) == 0)
		no->crit_pct = v * 100.0;
	if (o->warn_pct >= 0)
		no->warn_pct = o->warn_pct;
	if (o->crit_pct >= 0)
		no->crit_pct = o->crit_pct;
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
	case FORMAT_K8S:
		render_fleet_error_comment(snapshot, msg, out);
		break;
	case FORMAT_HTML:
		break;  /* html_add_doc() in render_all() */
	}
	sb_free(&line);
}

/* --output: a replaced file keeps its mode and owner; a new one gets
 * 0644 less the umask. */
static int write_output(const char *path, const char *data, size_t len, struct tw_error *err)
{
	struct tw_file_owner own = { .mode = 0644 & ~tw_umask() };
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
		own = (struct tw_file_owner){ st.st_mode & 07777, true, st.st_uid, st.st_gid };
	return tw_atomic_write_as(path, data, len, &own, err);
}

/* One run: the hosts' reports, then what is printed or written. */
struct analysis {
	const struct tw_options *o;
	struct tw_engine e;
	struct tw_ack_list acks;
	struct host_result *hosts;
	size_t nhosts;
	bool color;
	struct strbuf out;      /* what goes to stdout (or to --output for prometheus) */
	bool counts;            /* --check: a change at or above --fail-on */
	size_t failed;          /* hosts without a report */
	int nagios_rc;
	json_t **docs;          /* --format html: each host's JSON document */
	size_t ndocs;
};

/* --format html renders the JSON documents (as --from-json reads them),
 * so both paths give the same page. render_json() always makes a valid
 * document; a failure to parse it would be a bug, and is an error. */
static int html_add_doc(struct analysis *a, const struct strbuf *json)
{
	json_error_t je;
	json_t *doc = json_loadb(json->buf, json->len, 0, &je);

	if (!doc) {
		cli_error("internal error: a report's JSON does not parse: %s", je.text);
		return -1;
	}
	a->docs = tw_xrealloc(a->docs, (a->ndocs + 1) * sizeof(*a->docs));
	a->docs[a->ndocs++] = doc;
	return 0;
}

/* 1. Collect: every host analysed; in fleet mode a host's failure is its
 * own. */
static int collect_all(struct analysis *a)
{
	const struct tw_options *o = a->o;

	override_thresholds(&a->e, o);
	if (check_profile_name(o, &a->e) < 0 || cli_load_acks(o, &a->acks) < 0)
		return -1;
	warn_unknown_acks(o, &a->e, &a->acks);
	for (size_t i = 0; i < a->nhosts; i++)
		if (analyse_one(o, &a->e, &a->acks, o->nsnapshots ? o->snapshots[i] : NULL,
				a->nhosts > 1, &a->hosts[i]) < 0)
			return -1;
	if (a->hosts[0].error && (o->diff || (o->output && !o->check))) {
		cli_error("%s: no report, so nothing to compare with or write to %s",
			  o->snapshots[0], o->output);
		return -1;
	}
	return 0;
}

/* One host's report in the run's format. */
static int render_one(struct analysis *a, size_t i, const struct tw_text_opts *topts)
{
	const struct tw_options *o = a->o;
	const struct tw_report *r = &a->hosts[i].report;
	int rc = 0;

	switch (o->format) {
	case FORMAT_TEXT:
		if (a->nhosts > 1)
			sb_appendf(&a->out, "%s== %s ==\n", i ? "\n" : "", o->snapshots[i]);
		render_text_opts(r, topts, &a->out);
		break;
	case FORMAT_JSON: {
		struct strbuf doc = STRBUF_INIT;

		render_json(r, &doc);
		/* JSON Lines with several hosts: one document per line. */
		if (a->nhosts > 1) {
			for (size_t c = 0; c + 1 < doc.len; c++)
				if (doc.buf[c] == '\n')
					doc.buf[c] = ' ';
		}
		sb_append(&a->out, sb_str(&doc));
		sb_free(&doc);
		break;
	}
	case FORMAT_SYSCTL:
		sb_append(&a->out, r->fragment);
		break;
	case FORMAT_PROMETHEUS:
		render_prometheus(r, &a->out);
		break;
	case FORMAT_K8S:
		render_k8s(r, &a->out);
		break;
	case FORMAT_NAGIOS: {
		struct tw_nagios_opts no;
		int n;

		nagios_opts(o, &a->e, r, &no);
		n = render_nagios(r, &no, &a->out);
		a->nagios_rc = n > a->nagios_rc ? n : a->nagios_rc;
		break;
	}
	case FORMAT_HTML: {
		struct strbuf doc = STRBUF_INIT;

		render_json(r, &doc);
		rc = html_add_doc(a, &doc);
		sb_free(&doc);
		break;
	}
	}
	return rc;
}

/* 2. Render: every host (or its error), then the fleet table (or, for
 * html, the page of them all). */
static int render_all(struct analysis *a)
{
	const struct tw_options *o = a->o;
	struct tw_text_opts topts = { .color = a->color, .width = text_width(), .quiet = o->quiet,
				      .fail_on = o->fail_on };

	for (size_t i = 0; i < a->nhosts; i++) {
		if (a->hosts[i].error) {
			a->failed++;
			if (!o->diff)
				emit_host_error(o->format, o->snapshots[i], a->hosts[i].error, i, &a->out);
			if (!o->diff && o->format == FORMAT_HTML) {
				struct strbuf line = STRBUF_INIT;
				int r;

				render_fleet_error_json(o->snapshots[i], a->hosts[i].error, &line);
				r = html_add_doc(a, &line);
				sb_free(&line);
				if (r < 0)
					return -1;
			}
			if (o->format == FORMAT_NAGIOS)
				a->nagios_rc = 3 > a->nagios_rc ? 3 : a->nagios_rc;
			continue;
		}
		a->counts = a->counts || plan_counts(&a->hosts[i].report.plan, o->fail_on);
		if (!o->diff && render_one(a, i, &topts) < 0)
			return -1;
	}
	if (o->format == FORMAT_HTML && !o->diff && a->ndocs)
		render_html(a->docs, a->ndocs, &a->out);
	if (a->nhosts > 1 && o->format == FORMAT_TEXT && !o->diff && !o->quiet) {
		const struct tw_report **reps = tw_xcalloc(a->nhosts, sizeof(*reps));
		const char **errors = tw_xcalloc(a->nhosts, sizeof(*errors));

		for (size_t i = 0; i < a->nhosts; i++) {
			reps[i] = a->hosts[i].have_report ? &a->hosts[i].report : NULL;
			errors[i] = a->hosts[i].error;
		}
		sb_append(&a->out, "\n");
		render_fleet_table(reps, o->snapshots, errors, a->nhosts, a->color, &a->out);
		free(reps);
		free(errors);
	}
	return 0;
}

/* 3. Emit: --diff, --output, then stdout. */
static int emit(struct analysis *a)
{
	const struct tw_options *o = a->o;
	const char *fragment = a->hosts[0].report.fragment;

	if (o->diff) {
		char *old;

		if (read_existing(o->output, &old) < 0)
			return -1;
		text_unified_diff(o->output, old, o->output, fragment, &a->out);
		free(old);
	} else if (o->output && !o->check) {
		struct tw_error err = { "" };
		/* Prometheus, k8s and html write their own document; the others the fragment. */
		bool own_doc = o->format == FORMAT_PROMETHEUS || o->format == FORMAT_K8S ||
			       o->format == FORMAT_HTML;
		const char *data = own_doc ? sb_str(&a->out) : fragment;

		if (write_output(o->output, data ? data : "", strlen(data ? data : ""), &err) < 0) {
			cli_error("%s", err.msg);
			return -1;
		}
		if (own_doc)
			sb_reset(&a->out);  /* the document went to the file */
	}
	return cli_write_sb(&a->out) < 0 ? -1 : 0;
}

int cmd_analyse(const struct tw_options *o)
{
	struct analysis a = { .o = o, .color = want_color(o), .out = STRBUF_INIT };
	int rc = 1;
	bool wrote = false;

	if (o->from_json)
		return cmd_from_json(o);
	if (o->all_namespaces)
		return cmd_all_namespaces(o);
	a.nhosts = o->nsnapshots ? o->nsnapshots : 1;
	if (o->format == FORMAT_HTML) {
		struct tw_error e = { "" };

		/* Before any work: the page is made with jansson. */
		if (lazy_jansson_load(&e) < 0) {
			cli_error("%s", e.msg);
			return 1;
		}
	}
	if (cli_load_engine(o, &a.e) < 0) {
		if (o->format == FORMAT_NAGIOS) {
			struct strbuf u = STRBUF_INIT;
			int r = render_nagios_unknown(cli_last_error(), &u);

			fputs(sb_str(&u), stdout);
			sb_free(&u);
			return r;
		}
		return 1;
	}
	a.hosts = tw_xcalloc(a.nhosts, sizeof(*a.hosts));
	if (collect_all(&a) == 0 && render_all(&a) == 0) {
		if (emit(&a) == 0) {
			wrote = true;
			if (o->format == FORMAT_NAGIOS)
				rc = a.nagios_rc;
			else if (a.failed)
				rc = 1;   /* the other hosts' reports are out; the run still failed */
			else
				rc = o->check && a.counts ? 2 : 0;
		}
	}
	/* Errors are UNKNOWN for a monitoring plugin, with a line saying why
	 * (what went to stdout before, if anything, was not written). */
	if (rc == 1 && o->format == FORMAT_NAGIOS && !wrote) {
		struct strbuf u = STRBUF_INIT;

		rc = render_nagios_unknown(cli_last_error(), &u);
		fputs(sb_str(&u), stdout);
		sb_free(&u);
	}
	for (size_t i = 0; i < a.nhosts; i++) {
		if (a.hosts[i].have_report)
			report_free(&a.hosts[i].report);
		facts_free(&a.hosts[i].facts);
		free(a.hosts[i].error);
	}
	free(a.hosts);
	for (size_t i = 0; i < a.ndocs; i++)
		json_decref(a.docs[i]);
	free(a.docs);
	acks_free(&a.acks);
	sb_free(&a.out);
	engine_free(&a.e);
	return rc;
}

/* For --all-namespaces (cmd_namespaces.c): what collect_all() does
 * before the first host, and the terminal's settings. */
int cli_prepare_analysis(const struct tw_options *o, struct tw_engine *e, struct tw_ack_list *acks)
{
	override_thresholds(e, o);
	if (check_profile_name(o, e) < 0 || cli_load_acks(o, acks) < 0)
		return -1;
	warn_unknown_acks(o, e, acks);
	return 0;
}

bool cli_want_color(const struct tw_options *o)
{
	return want_color(o);
}

size_t cli_text_width(void)
{
	return text_width();
}
