/* SPDX-License-Identifier: MIT */
/* cmd_apply.c: --apply and --revert, all or nothing.
 *
 * --apply analyses exactly as the default verb does (live host or --netns,
 * --profile, --ignore and acknowledgements), then, for the changes of the
 * report's fragment (non-acknowledged findings, each key once, in report
 * order), does in turn:
 *   1. read every current value (apply_prepare; nothing written yet);
 *   2. record them in the state file FRAGMENT.previous;
 *   3. write the fragment (atomically, keeping the old bytes in memory);
 *   4. write the live values (apply_commit, which rolls itself back).
 * A failure at any step undoes the steps before it: live values restored,
 * the fragment's old bytes put back (or the new file removed), the state
 * file removed. --revert reads the state file, restores those values (in
 * reverse order, all or nothing as well) and removes both files.
 *
 * With --netns, the namespace is entered before anything is read (by the
 * live collector for --apply, by netns_enter() for --revert): /proc/sys/net
 * follows the namespace of the task that opens the file (netns.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "collect/netns.h"
#include "engine/acks.h"
#include "render/render_util.h"
#include "sysctld/apply.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define FRAGMENT_MAX (4u << 20)

static const char *fragment_path(const struct tw_options *o)
{
	return o->output ? o->output : TW_DEFAULT_FRAGMENT;
}

/* FRAGMENT.previous; caller frees. */
static char *state_path(const char *fragment)
{
	struct strbuf sb = STRBUF_INIT;

	sb_appendf(&sb, "%s%s", fragment, TW_APPLY_STATE_SUFFIX);
	return sb_steal(&sb);
}

static int need_root(const char *verb, const char *fragment)
{
	if (geteuid() == 0)
		return 0;
	cli_error("%s needs root (it writes /proc/sys and %s)", verb, fragment);
	return -1;
}

/* Whether 'key' is already among the first 'n' items. */
static bool item_listed(const struct tw_apply_item *items, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(items[i].key, key) == 0)
			return true;
	return false;
}

/* The changes of the report's fragment, as render_fragment() selects them:
 * non-acknowledged findings in report order, writable changes, each key
 * once (the first finding naming it wins). Strings borrowed from 'r'. */
static size_t fragment_items(const struct tw_report *r, struct tw_apply_item **ret)
{
	struct tw_apply_item *items = NULL;
	size_t n = 0;

	for (size_t i = 0; i < r->nfindings; i++) {
		const struct tw_finding *f = &r->findings[i];

		if (f->acknowledged)
			continue;
		for (size_t j = 0; j < f->nchanges; j++) {
			const struct tw_change *c = &f->changes[j];

			if (!ru_change_writable(c) || item_listed(items, n, c->sysctl))
				continue;
			items = tw_xrealloc(items, (n + 1) * sizeof(*items));
			items[n].key = c->sysctl;
			items[n].value = c->recommended;
			n++;
		}
	}
	*ret = items;
	return n;
}

/* What FRAGMENT held before --apply, to put back on failure. */
struct old_file {
	bool existed;
	char *data;
	size_t len;
	mode_t mode;
};

static int old_file_read(const char *path, struct old_file *of)
{
	struct tw_error err = { "" };
	struct stat st;

	memset(of, 0, sizeof(*of));
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		cli_error("%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		cli_error("%s: not a regular file; refusing to replace it", path);
		return -1;
	}
	if (tw_read_file(path, FRAGMENT_MAX, &of->data, &of->len, &err) < 0) {
		cli_error("%s", err.msg);
		return -1;
	}
	of->existed = true;
	of->mode = st.st_mode & 07777;
	return 0;
}

/* Puts FRAGMENT back as it was; -1 (reported) when that fails. */
static int old_file_restore(const char *path, const struct old_file *of)
{
	struct tw_error err = { "" };

	if (of->existed) {
		if (tw_atomic_write(path, of->data, of->len, of->mode, &err) < 0) {
			cli_error("could not restore the previous %s: %s", path, err.msg);
			return -1;
		}
	} else if (unlink(path) < 0 && errno != ENOENT) {
		cli_error("could not remove %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void remove_state(const char *state)
{
	if (unlink(state) < 0 && errno != ENOENT)
		cli_error("could not remove %s: %s", state, strerror(errno));
}

static void print_changes(const struct tw_apply_undo *u, struct strbuf *out)
{
	for (size_t i = 0; i < u->n; i++) {
		const struct tw_apply_entry *e = &u->v[i];

		sb_appendf(out, "%s: %s -> %s\n", e->key, *e->previous ? e->previous : "\"\"",
			   *e->value ? e->value : "\"\"");
	}
}

/* Steps 1-4 of the file comment, for the items of one report. */
static int apply_report(const struct tw_options *o, const struct tw_report *rep,
			const struct tw_apply_item *items, size_t n, struct strbuf *out)
{
	const char *fragment = fragment_path(o);
	char *state = state_path(fragment);
	struct tw_apply_undo u = { 0 };
	struct tw_error err = { "" };
	struct old_file of = { 0 };
	struct stat st;
	int rc = -1;

	if (lstat(state, &st) == 0) {
		cli_error("%s: a previous --apply is recorded there and was not reverted; "
			  "run twadvise --revert --output %s%s%s first", state, fragment,
			  o->netns ? " --netns " : "", o->netns ? o->netns : "");
		goto out;
	}
	if (old_file_read(fragment, &of) < 0)
		goto out;
	if (apply_prepare(TW_PROC_SYS, items, n, &u, &err) < 0) {
		cli_error("%s; nothing was changed", err.msg);
		goto out;
	}
	if (apply_state_write(state, fragment, o->netns, &u, &err) < 0) {
		cli_error("%s; nothing was changed", err.msg);
		goto out;
	}
	if (tw_atomic_write(fragment, rep->fragment, strlen(rep->fragment), 0644, &err) < 0) {
		cli_error("%s; nothing was changed", err.msg);
		remove_state(state);
		goto out;
	}
	if (apply_commit(TW_PROC_SYS, &u, &err) < 0) {
		cli_error("%s", err.msg);
		if (old_file_restore(fragment, &of) == 0)
			cli_error("%s %s", fragment, of.existed ? "has its previous content again" : "was removed");
		remove_state(state);
		goto out;
	}
	print_changes(&u, out);
	sb_appendf(out, "wrote %s; previous values recorded in %s (twadvise --revert --output %s%s%s)\n",
		   fragment, state, fragment, o->netns ? " --netns " : "", o->netns ? o->netns : "");
	rc = 0;
out:
	apply_undo_free(&u);
	free(of.data);
	free(state);
	return rc;
}

int cmd_apply(const struct tw_options *o)
{
	struct tw_ack_list acks = { 0 };
	struct strbuf out = STRBUF_INIT;
	struct tw_apply_item *items = NULL;
	struct tw_facts facts;
	struct tw_report rep;
	struct tw_engine e;
	bool have_report = false;
	size_t n;
	int rc = 1;

	if (need_root("--apply", fragment_path(o)) < 0)
		return 1;
	if (cli_load_engine(o, &e) < 0)
		return 1;
	if (cli_load_acks(o, &acks) < 0)
		goto out;
	/* Enters --netns first: everything below reads and writes its /proc/sys. */
	if (cli_analyse_source(o, &e, &acks, NULL, fragment_path(o), &facts, &rep) < 0)
		goto out;
	have_report = true;

	n = fragment_items(&rep, &items);
	if (n == 0) {
		sb_appendf(&out, "nothing to change (profile %s): no values set, %s left as it is\n",
			   rep.profile ? rep.profile : "?", fragment_path(o));
		rc = cli_write_stdout(sb_str(&out), out.len) < 0 ? 1 : 0;
		goto out;
	}
	if (apply_report(o, &rep, items, n, &out) < 0)
		goto out;
	rc = cli_write_stdout(sb_str(&out), out.len) < 0 ? 1 : 0;
out:
	free(items);
	if (have_report) {
		report_free(&rep);
		facts_free(&facts);
	}
	acks_free(&acks);
	sb_free(&out);
	engine_free(&e);
	return rc;
}

/* The recorded namespace must be the one asked for: values of one
 * namespace never go into another. */
static int check_netns(const struct tw_options *o, const char *state, const char *recorded)
{
	if (recorded && (!o->netns || strcmp(o->netns, recorded) != 0)) {
		cli_error("%s records values of network namespace '%s'; run twadvise --revert "
			  "--output %s --netns %s", state, recorded, fragment_path(o), recorded);
		return -1;
	}
	if (!recorded && o->netns) {
		cli_error("%s records values of the initial network namespace, not of '%s'; "
			  "run --revert without --netns", state, o->netns);
		return -1;
	}
	return 0;
}

int cmd_revert(const struct tw_options *o)
{
	const char *fragment = fragment_path(o);
	char *state = state_path(fragment), *netns = NULL;
	struct tw_apply_undo rec = { 0 }, now = { 0 };
	struct tw_apply_item *items = NULL;
	struct tw_error err = { "" };
	struct strbuf out = STRBUF_INIT;
	struct old_file of = { 0 };
	bool have_now = false;
	int rc = 1;

	if (need_root("--revert", fragment) < 0)
		goto out;
	if (apply_state_read(state, &netns, &rec, &err) < 0) {
		cli_error("%s", err.msg);
		goto out;
	}
	if (check_netns(o, state, netns) < 0)
		goto out;
	if (o->netns && netns_enter(o->netns, &err) < 0) {
		cli_error("%s", err.msg);
		goto out;
	}
	if (old_file_read(fragment, &of) < 0)
		goto out;
	/* Restore last-written first. */
	items = tw_xcalloc(rec.n, sizeof(*items));
	for (size_t i = 0; i < rec.n; i++) {
		items[i].key = rec.v[rec.n - 1 - i].key;
		items[i].value = rec.v[rec.n - 1 - i].previous;
	}
	if (apply_changes(TW_PROC_SYS, items, rec.n, &now, &err) < 0) {
		cli_error("%s", err.msg);
		goto out;
	}
	have_now = true;
	/* The files go only once the values are back; if removing one fails,
	 * the values are set again so that nothing has changed. */
	if (unlink(state) < 0 && errno != ENOENT) {
		cli_error("could not remove %s: %s", state, strerror(errno));
		goto undo;
	}
	if (unlink(fragment) < 0 && errno != ENOENT) {
		cli_error("could not remove %s: %s", fragment, strerror(errno));
		if (apply_state_write(state, fragment, netns, &rec, &err) < 0)
			cli_error("%s", err.msg);
		goto undo;
	}
	print_changes(&now, &out);
	sb_appendf(&out, "removed %s%s and %s\n", fragment, of.existed ? "" : " (already gone)", state);
	rc = cli_write_stdout(sb_str(&out), out.len) < 0 ? 1 : 0;
	goto out;
undo:
	if (apply_rollback(TW_PROC_SYS, &now, now.n, &err) < 0)
		cli_error("%s", err.msg);
	else
		cli_error("the values applied before are set again; nothing was changed");
out:
	if (have_now)
		apply_undo_free(&now);
	apply_undo_free(&rec);
	free(items);
	free(netns);
	free(of.data);
	free(state);
	sb_free(&out);
	return rc;
}
