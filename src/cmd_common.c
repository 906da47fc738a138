/* SPDX-License-Identifier: MIT */
/* cmd_common.c: what several verbs share: finding the data folder, loading
 * the engine, collecting the facts of one source (see cmd.h). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "render/render.h"
#include "collect/live.h"
#include "collect/netns.h"
#include "collect/snapshot_archive.h"
#include "collect/snapshot.h"
#include "sysctld/sysctld.h"
#include "trace/trace.h"
#include "util/strbuf.h"
#include "util/error.h"
#include "util/xalloc.h"

/* The last message cli_error() printed, for --format nagios to repeat on
 * its UNKNOWN line (monitoring shows stdout only). */
static char last_error[512];

void cli_error(const char *fmt, ...)
{
	char raw[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* Messages quote paths and input: never a raw control byte. */
	tw_escape_text(raw, last_error, sizeof(last_error));
	fprintf(stderr, "twadvise: %s\n", last_error);
}

const char *cli_last_error(void)
{
	return last_error;
}

int cli_write_stdout(const char *s, size_t len)
{
	if (len && fwrite(s, 1, len, stdout) != len) {
		cli_error("stdout: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int cli_write_sb(const struct strbuf *sb)
{
	return cli_write_stdout(sb_str(sb), sb->len);
}

/* 'dir' holds both rules/ and profiles/. */
static bool has_data(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/rules", dir) >= (int)sizeof(path) ||
	    stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return false;
	return snprintf(path, sizeof(path), "%s/profiles", dir) < (int)sizeof(path) &&
	       stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* When this binary runs from its build tree, make leaves beside it a file
 * naming the source tree (.twadvise-srcdir): its rules/ and profiles/ are
 * used, so no build or source path is compiled into the binary. */
static const char *build_tree_srcdir(void)
{
	static char src[PATH_MAX];
	char exe[PATH_MAX], marker[PATH_MAX + 32];
	ssize_t n;
	char *slash;
	FILE *fp;
	size_t len;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	snprintf(marker, sizeof(marker), "%s/.twadvise-srcdir", exe);
	fp = fopen(marker, "re");
	if (!fp)
		return NULL;
	len = fread(src, 1, sizeof(src) - 1, fp);
	fclose(fp);
	src[len] = '\0';
	src[strcspn(src, "\n")] = '\0';
	return src[0] == '/' && has_data(src) ? src : NULL;
}

const char *cli_data_dir(const struct tw_options *o)
{
	const char *env = getenv("TWADVISE_DATA_DIR");
	const char *src;

	if (o->data_dir)
		return o->data_dir;
	if (env && *env)
		return env;
	/* Run from a build tree: the sources' data, named by the marker make
	 * leaves beside the binary, never through a path compiled in
	 * (reproducible builds). */
	src = build_tree_srcdir();
	return src ? src : TW_PKGDATADIR;
}

static bool looks_like_file(const char *spec)
{
	size_t n = strlen(spec);

	return strchr(spec, '/') || (n > 5 && strcmp(spec + n - 5, ".yaml") == 0);
}

int cli_load_engine(const struct tw_options *o, struct tw_engine *e)
{
	struct tw_engine_opts eo = {
		.data_dir = cli_data_dir(o),
		.site_dir = o->site_dir,
		.profile_file = looks_like_file(o->profile) ? o->profile : NULL,
	};
	struct tw_error err = { "" };

	if (engine_load(e, &eo, &err) < 0) {
		cli_error("%s", err.msg);
		engine_free(e);
		return -1;
	}
	if (e->rules.n == 0 || e->profiles.n == 0) {
		cli_error("no rules or profiles found under %s (use --data-dir)", eo.data_dir);
		engine_free(e);
		return -1;
	}
	return 0;
}

const char *cli_profile_spec(const struct tw_options *o, const struct tw_engine *e)
{
	return e->file_profile ? e->file_profile : o->profile;
}

static int enter_netns(const struct tw_options *o, struct tw_error *err)
{
	/* A verb that entered once (--watch) is already there. */
	return o->netns && !o->netns_entered ? netns_enter(o->netns, err) : 0;
}

int cli_enter_netns(const struct tw_options *o)
{
	struct tw_error err = { "" };

	if (enter_netns(o, &err) < 0) {
		cli_error("%s", err.msg);
		return -1;
	}
	return 0;
}

/* sysctl.d problems (an unreadable file, a line that is not an
 * assignment) are facts about the host: they go to the report's notes,
 * the first few by name. */
static void note_sysctld_warnings(struct tw_facts *f)
{
	const char *const *w;
	size_t n = sysctld_warnings(f->persisted, &w), shown = 0;

	for (size_t i = 0; i < n; i++) {
		if (f->nnotes + 1 >= TW_MAX_NOTES && i + 1 < n)
			break;
		facts_note(f, "sysctl.d: %s", w[i]);
		shown++;
	}
	if (shown < n)
		facts_note(f, "sysctl.d: %zu more problems not listed", n - shown);
}

/* A snapshot archive: its rows, then its sysctl.d copies, all from
 * memory (snapshot_archive.h). */
static int collect_archive(const char *path, struct tw_facts *f, struct tw_error *err)
{
	struct snap_archive *a = NULL;
	struct sysctld_mem_file *v;
	int r = snap_archive_load(path, &a, err);

	if (r < 0)
		return r;
	r = collect_snapshot_archive(a, f, err);
	if (r == 0) {
		v = tw_xcalloc(a->n ? a->n : 1, sizeof(*v));
		for (size_t i = 0; i < a->n; i++) {
			struct strbuf sb = STRBUF_INIT;

			sb_appendf(&sb, "/%s", a->v[i].rel);
			v[i] = (struct sysctld_mem_file){ sb_steal(&sb), a->v[i].buf, a->v[i].len,
							  a->v[i].refused ? a->v[i].why : NULL };
		}
		sysctld_load_files(v, a->n, &f->persisted);
		for (size_t i = 0; i < a->n; i++)
			free((char *)v[i].host_path);
		free(v);
	}
	snap_archive_free(a);
	return r;
}

static bool is_archive(const char *path)
{
	struct stat st;

	return snapshot_is_archive(path) && !(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

/* Said on stderr once the probes are attached: a caller (or a test) can
 * start its workload then and have it counted whole. */
static void say_tracing(double seconds, void *data)
{
	(void)data;
	fprintf(stderr, "twadvise: tracing connect() for %.0f s\n", seconds);
	fflush(stderr);
}

/* --trace: before the sockets are read, so that they show the end of the
 * interval traced. */
static int run_trace(const struct tw_options *o, struct tw_facts *f, struct tw_error *err)
{
	struct tw_trace_opts to = {
		.seconds = o->trace, .proc = "/proc", .on_attached = say_tracing,
	};

	return trace_run(&to, f, err);
}

/* One source: a snapshot, or live in the namespace 'netns' (entered
 * here by name when 'enter', already entered by the caller otherwise),
 * reading only the sysctls in 'keys' when live (NULL: all of them). */
static int collect_source(const struct tw_options *o, const char *snapshot, const char *netns,
			  bool enter, const struct tw_sysctl_keys *keys, struct tw_facts *f,
			  struct tw_error *err)
{
	int r;

	facts_init(f);
	if (snapshot && is_archive(snapshot)) {
		r = collect_archive(snapshot, f, err);
	} else if (snapshot) {
		r = collect_snapshot(snapshot, f, err);
	} else {
		struct tw_live_opts lo = {
			.netns = netns, .interval_s = o->interval, .force_proc_fallback = o->force_proc,
			.sysctl_keys = keys,
		};

		r = enter ? enter_netns(o, err) : 0;
		if (r == 0 && o->trace > 0)
			r = run_trace(o, f, err);
		if (r == 0)
			r = collect_live(&lo, f, err);
	}
	if (r == 0 && !f->persisted)
		r = sysctld_load(snapshot ? snapshot : "/", &f->persisted, err);
	f->persisted_free = sysctld_free;
	if (r == 0)
		note_sysctld_warnings(f);
	if (r < 0) {
		facts_free(f);
		return -1;
	}
	return 0;
}

int cli_collect_err(const struct tw_options *o, const char *snapshot, struct tw_facts *f,
		    struct tw_error *err)
{
	return collect_source(o, snapshot, o->netns, true, NULL, f, err);
}

int cli_collect(const struct tw_options *o, const char *snapshot, struct tw_facts *f)
{
	struct tw_error err = { "" };

	if (cli_collect_err(o, snapshot, f, &err) < 0) {
		cli_error("%s", err.msg);
		return -1;
	}
	return 0;
}

int cli_load_acks(const struct tw_options *o, struct tw_ack_list *acks)
{
	struct tw_error err = { "" };
	struct strbuf path = STRBUF_INIT;
	int r;

	for (size_t i = 0; i < o->nignores; i++)
		acks_add(acks, o->ignores[i], "--ignore");
	if (o->acks_file) {
		r = acks_load(acks, o->acks_file, true, time(NULL), &err);
	} else {
		sb_appendf(&path, "%s/acknowledged.yaml", o->site_dir);
		r = acks_load(acks, sb_str(&path), false, time(NULL), &err);
		sb_free(&path);
	}
	if (r < 0) {
		cli_error("%s", err.msg);
		return -1;
	}
	return 0;
}

static int analyse_err(const struct tw_options *o, const struct tw_engine *e,
		       const struct tw_ack_list *acks, const char *snapshot, const char *netns,
		       bool enter, const char *enter_cmd, const char *fragment_path,
		       struct tw_facts *f, struct tw_report *rep, struct tw_error *err)
{
	struct tw_run_opts ro = {
		.acks = acks->v, .nacks = acks->n, .fragment_path = fragment_path,
	};
	const struct tw_profile *p;
	char *reason = NULL;
	int r;

	/* Only the sysctls the loaded rules, profiles and the report use. */
	if (collect_source(o, snapshot, netns, enter, &e->sysctl_keys, f, err) < 0)
		return -1;
	if (snapshot && !f->snapshot_dir)
		f->snapshot_dir = tw_xstrdup(snapshot);
	if (netns && !f->netns)
		f->netns = tw_xstrdup(netns);
	f->all_namespaces = o->all_namespaces;
	if (enter_cmd && !f->netns_enter)
		f->netns_enter = tw_xstrdup(enter_cmd);
	for (size_t i = 0; i < acks->nexpired; i++)
		facts_note(f, "acknowledgement of %s has expired; it counts again", acks->expired[i]);
	r = engine_select_profile(e, cli_profile_spec(o, e), f, &p, &reason, err);
	if (r == 0)
		r = engine_run(e, p, reason, f, &ro, rep, err);
	free(reason);
	if (r < 0) {
		facts_free(f);
		return -1;
	}
	/* The plan as a fragment, once: every output and --output print it. */
	{
		struct strbuf sb = STRBUF_INIT;

		render_fragment(rep, &sb);
		rep->fragment = sb_steal(&sb);
	}
	return 0;
}

int cli_analyse_source_err(const struct tw_options *o, const struct tw_engine *e,
			   const struct tw_ack_list *acks, const char *snapshot,
			   const char *fragment_path, struct tw_facts *f, struct tw_report *rep,
			   struct tw_error *err)
{
	return analyse_err(o, e, acks, snapshot, o->netns, true, NULL, fragment_path, f, rep, err);
}

int cli_analyse_entered_err(const struct tw_options *o, const struct tw_engine *e,
			    const struct tw_ack_list *acks, const char *netns, const char *enter_cmd,
			    const char *fragment_path, struct tw_facts *f, struct tw_report *rep,
			    struct tw_error *err)
{
	return analyse_err(o, e, acks, NULL, netns, false, enter_cmd, fragment_path, f, rep, err);
}

int cli_analyse_source(const struct tw_options *o, const struct tw_engine *e,
		       const struct tw_ack_list *acks, const char *snapshot,
		       const char *fragment_path, struct tw_facts *f, struct tw_report *rep)
{
	struct tw_error err = { "" };

	if (cli_analyse_source_err(o, e, acks, snapshot, fragment_path, f, rep, &err) < 0) {
		cli_error("%s", err.msg);
		return -1;
	}
	return 0;
}
