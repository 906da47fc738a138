/* SPDX-License-Identifier: MIT */
/* cmd_apply.c: --apply and --revert, all or nothing, one at a time.
 *
 * Both take an exclusive lock in the state folder (applystate.h) before
 * they read anything, and hold it until they are done, so two runs never
 * interleave: the second sees what the first did.
 *
 * --apply analyses exactly as the default verb does (live host or --netns,
 * --profile, --ignore and acknowledgements), takes the (key, value) items
 * of the change plan (apply_items()), checks every one against the
 * allow-list (per namespace with --netns) and the fragment's text too,
 * then in turn:
 *   1. reads every current value and the file at --output (nothing written);
 *   2. records both in the state file, exclusively (never over a state);
 *   3. writes the fragment atomically (a replaced file keeps its mode and
 *      owner; a new one gets 0644 less the umask);
 *   4. writes the live values (apply_commit, which rolls itself back).
 * A failure undoes the steps before it. Exit 2 when something changed, 0
 * when nothing was to change (a second identical --apply), 1 on error.
 *
 * --revert reads and checks the state, checks that the fragment is still
 * the one --apply wrote (its SHA-256) or already the file that was there
 * before (an interrupted --apply or --revert), then in turn:
 *   1. restores the recorded values (all or nothing);
 *   2. puts back the previous file (bytes, mode, owner) or removes the
 *      fragment;
 *   3. removes the state, last, so that a crash at any point leaves a
 *      state that a second --revert completes.
 * Exit 2 when something changed, 0 when nothing was recorded.
 *
 * With --netns, the namespace is entered before any value is read, in one
 * place (the cmd layer, cli_enter_netns()): /proc/sys/net follows the
 * namespace of the task that opens the file (netns.c). Files are opened
 * by path, which does not depend on the network namespace.
 *
 * Test hooks: a binary built with -DTW_TEST_HOOKS (tests/twadvise-hooks,
 * never installed) dies with SIGKILL at the step named by the environment
 * variable TW_TEST_KILL_AT; the installed binary has no such code. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "collect/netns.h"
#include "engine/acks.h"
#include "engine/allowlist.h"
#include "sysctld/apply.h"
#include "sysctld/applystate.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* How long to wait for another --apply/--revert to finish. */
#define LOCK_TIMEOUT_S 60
/* A temporary file of ours beside the fragment older than this is stale
 * (beside the fragment no lock covers --output writes of the analyse verb). */
#define STALE_TMP_AGE_S 60

static void kill_point(const char *step)
{
#ifdef TW_TEST_HOOKS
	const char *at = getenv("TW_TEST_KILL_AT");

	if (at && strcmp(at, step) == 0)
		raise(SIGKILL);
#else
	(void)step;
#endif
}

static const char *fragment_path(const struct tw_options *o)
{
	return o->output ? o->output : TW_DEFAULT_FRAGMENT;
}

static const char *state_dir_path(const struct tw_options *o)
{
	return o->state_dir ? o->state_dir : TW_DEFAULT_STATE_DIR;
}

/* A namespace's values never go where the host's boot reads them: the
 * folders systemd-sysctl and `sysctl --system` read, and sysctl.conf
 * (ip netns shares the host's files). */
static int check_netns_output(const struct tw_options *o, const char *abs_fragment)
{
	static const char *const boot[] = { "/etc/sysctl.d/", "/run/sysctl.d/",
					    "/usr/local/lib/sysctl.d/", "/usr/lib/sysctl.d/",
					    "/lib/sysctl.d/", NULL };

	if (!o->netns)
		return 0;
	for (const char *const *b = boot; *b; b++) {
		if (strncmp(abs_fragment, *b, strlen(*b)) == 0 && !strchr(abs_fragment + strlen(*b), '/')) {
			cli_error("--output %s is read by the host at boot; the values of network namespace "
				  "'%s' go elsewhere (where the namespace's owner applies them)", abs_fragment, o->netns);
			return -1;
		}
	}
	if (strcmp(abs_fragment, "/etc/sysctl.conf") == 0) {
		cli_error("--output /etc/sysctl.conf is read by the host at boot; the values of network "
			  "namespace '%s' go elsewhere", o->netns);
		return -1;
	}
	return 0;
}

static int need_root(const char *verb, const char *fragment)
{
	if (geteuid() == 0)
		return 0;
	cli_error("%s needs root (it writes /proc/sys and %s)", verb, fragment);
	return -1;
}

/* The state folder, locked, and the name of this fragment's state in it.
 * With !create, a missing folder is *ret_missing (nothing recorded). */
static int open_state(const struct tw_options *o, bool create, const char *abs_fragment,
		      struct tw_state_dir *d, char **ret_name, bool *ret_missing)
{
	struct tw_error err = { "" };
	int r;

	r = state_dir_open(state_dir_path(o), create, d, &err);
	if (r == -ENOENT && !create) {
		*ret_missing = true;
		return 0;
	}
	if (r < 0 || state_dir_lock(d, LOCK_TIMEOUT_S, &err) < 0) {
		cli_error("%s", err.msg);
		return -1;
	}
	*ret_name = state_name(abs_fragment);
	/* Leftovers of a run that was killed: ours, and the lock is ours. */
	stale_tmp_clean(abs_fragment, STALE_TMP_AGE_S);
	{
		struct strbuf st = STRBUF_INIT;

		sb_appendf(&st, "%s/%s", d->path, *ret_name);
		stale_tmp_clean(st.buf, 0);
		sb_free(&st);
	}
	return 0;
}

/* THE source of what --apply writes live: exactly the report's change
 * plan (engine/plan.c), which the fragment also prints. Strings borrowed
 * from 'r'. */
static size_t apply_items(const struct tw_report *r, struct tw_apply_item **ret)
{
	struct tw_apply_item *items = tw_xcalloc(r->plan.n ? r->plan.n : 1, sizeof(*items));

	for (size_t i = 0; i < r->plan.n; i++) {
		items[i].key = r->plan.v[i].sysctl;
		items[i].value = r->plan.v[i].value;
	}
	*ret = items;
	return r->plan.n;
}

/* Invariants 1 and 5 once more, on exactly what is about to be written:
 * the live items and every assignment of the fragment's text. */
/* The allow-list's word on KEY = VALUE: the key in this scope, then the
 * value; *why says what refused it. */
static bool allowed(const char *key, const char *value, bool netns, const char **why)
{
	if (!allowlist_permits(key, netns, why))
		return false;
	return allowlist_value_permitted(key, value, why);
}

static int check_plan(const struct tw_options *o, const struct tw_apply_item *items, size_t n,
		      const char *fragment_text)
{
	bool netns = o->netns != NULL;
	const char *why;
	char *copy, *line, *next;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		char k[TW_ALLOWLIST_KEY_MAX];

		if (!allowed(items[i].key, items[i].value, netns, &why)) {
			cli_error("%s: %s; nothing was changed", items[i].key, why);
			return -1;
		}
		if (!allowlist_normalise(items[i].key, k, sizeof(k)) || strcmp(k, items[i].key) != 0) {
			cli_error("%s: not in the dotted form; nothing was changed", items[i].key);
			return -1;
		}
	}
	copy = tw_xstrdup(fragment_text ? fragment_text : "");
	for (line = copy; line && rc == 0; line = next) {
		char *eq, *key, *end;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line += strspn(line, " \t");
		if (*line == '\0' || *line == '#' || *line == ';')
			continue;
		if (*line == '-')
			line++;
		eq = strchr(line, '=');
		if (!eq) {
			cli_error("the fragment to write has a line that is not KEY = VALUE ('%.60s'); "
				  "nothing was changed", line);
			rc = -1;
			break;
		}
		*eq = '\0';
		key = line;
		end = eq;
		while (end > key && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (!allowed(key, eq + 1, netns, &why)) {
			cli_error("%s (in the fragment): %s; nothing was changed", key, why);
			rc = -1;
		}
	}
	free(copy);
	return rc;
}

/* "KEY: BEFORE -> AFTER" for each value that moved. */
static void print_changes(const struct tw_apply_undo *u, struct strbuf *out)
{
	for (size_t i = 0; i < u->n; i++) {
		const struct tw_apply_entry *e = &u->v[i];

		if (strcmp(e->previous, e->value) == 0)
			continue;
		sb_appendf(out, "%s: %s -> %s\n", e->key, *e->previous ? e->previous : "\"\"",
			   *e->value ? e->value : "\"\"");
	}
}

static const char *netns_arg(const struct tw_options *o, struct strbuf *sb)
{
	if (o->netns)
		sb_appendf(sb, " --netns %s", o->netns);
	return sb_str(sb);
}

/* Steps 1-4 of the file comment. Returns the exit status. */
static int apply_plan(const struct tw_options *o, const struct tw_state_dir *d, const char *name,
		      const char *abs_fragment, const char *text, const struct tw_apply_item *items,
		      size_t n, struct strbuf *out)
{
	struct tw_apply_state s = { 0 };
	struct tw_error err = { "" };
	struct strbuf ns = STRBUF_INIT;
	int rc = 1;

	if (file_prior_read(abs_fragment, TW_PRIOR_MAX, &s.prior, &err) < 0) {
		cli_error("%s; nothing was changed", err.msg);
		goto out;
	}
	if (apply_prepare(TW_PROC_SYS, items, n, &s.values, &err) < 0) {
		cli_error("%s; nothing was changed", err.msg);
		goto out;
	}
	s.fragment = tw_xstrdup(abs_fragment);
	s.netns = o->netns ? tw_xstrdup(o->netns) : NULL;
	tw_sha256_hex(text, strlen(text), s.applied_sha256);
	if (apply_state_write(d, name, &s, &err) < 0) {
		cli_error("%s; nothing was changed", err.msg);
		goto out;
	}
	kill_point("apply-after-state");
	if (file_write_atomic(abs_fragment, text, strlen(text), &s.prior, &err) < 0) {
		cli_error("%s; nothing was changed", err.msg);
		if (apply_state_remove(d, name, &err) < 0)
			cli_error("%s", err.msg);
		goto out;
	}
	kill_point("apply-after-fragment");
	if (apply_commit(TW_PROC_SYS, &s.values, &err) < 0) {
		struct tw_error ferr = { "" };

		cli_error("%s", err.msg);
		if (s.prior.existed ? file_write_atomic(abs_fragment, s.prior.data, s.prior.len, &s.prior, &ferr)
				    : file_remove_durable(abs_fragment, &ferr)) {
			cli_error("could not put %s back: %s; the state %s/%s is kept for --revert",
				  abs_fragment, ferr.msg, d->path, name);
			goto out;
		}
		cli_error("%s %s", abs_fragment, s.prior.existed ? "has its previous content again" : "was removed");
		if (apply_state_remove(d, name, &err) < 0)
			cli_error("%s", err.msg);
		goto out;
	}
	print_changes(&s.values, out);
	sb_appendf(out, "wrote %s; previous values recorded in %s/%s (twadvise --revert --output %s%s)\n",
		   abs_fragment, d->path, name, abs_fragment, netns_arg(o, &ns));
	rc = 2;
out:
	apply_state_free(&s);
	sb_free(&ns);
	return rc;
}

int cmd_apply(const struct tw_options *o)
{
	struct tw_state_dir d = { .fd = -1, .lock_fd = -1 };
	struct tw_ack_list acks = { 0 };
	struct strbuf out = STRBUF_INIT, ns = STRBUF_INIT;
	struct tw_apply_item *items = NULL;
	struct tw_apply_state recorded = { 0 };
	struct tw_error err = { "" };
	char *abs_fragment = NULL, *name = NULL;
	struct tw_facts facts;
	struct tw_report rep;
	struct tw_engine e;
	bool have_engine = false, have_report = false, missing = false;
	size_t n;
	int rc = 1, r;

	if (need_root("--apply", fragment_path(o)) < 0)
		return 1;
	if (fragment_abspath(fragment_path(o), &abs_fragment, &err) < 0) {
		cli_error("%s", err.msg);
		return 1;
	}
	if (check_netns_output(o, abs_fragment) < 0)
		goto out;
	if (cli_load_engine(o, &e) < 0)
		goto out;
	have_engine = true;
	if (cli_load_acks(o, &acks) < 0)
		goto out;
	/* Locked before anything is read: a concurrent run finishes first. */
	if (open_state(o, true, abs_fragment, &d, &name, &missing) < 0)
		goto out;
	/* Enters --netns first: everything below reads and writes its /proc/sys. */
	if (cli_analyse_source(o, &e, &acks, NULL, fragment_path(o), &facts, &rep) < 0)
		goto out;
	have_report = true;

	n = apply_items(&rep, &items);
	r = apply_state_read(&d, name, &recorded, &err);
	if (r < 0 && r != -ENOENT) {
		cli_error("%s", err.msg);
		goto out;
	}
	if (n == 0) {
		sb_appendf(&out, "nothing to change (profile %s): no values set, %s left as it is%s\n",
			   rep.profile ? rep.profile : "?", abs_fragment,
			   r == 0 ? "; an earlier --apply is recorded" : "");
		rc = cli_write_sb(&out) < 0 ? 1 : 0;
		goto out;
	}
	if (r == 0) {
		cli_error("%s/%s: a previous --apply of %s is recorded and was not reverted; run "
			  "twadvise --revert --output %s%s first; nothing was changed", d.path, name,
			  abs_fragment, abs_fragment, netns_arg(o, &ns));
		goto out;
	}
	if (check_plan(o, items, n, rep.fragment) < 0)
		goto out;
	rc = apply_plan(o, &d, name, abs_fragment, rep.fragment ? rep.fragment : "", items, n, &out);
	if (rc == 2 && cli_write_sb(&out) < 0)
		rc = 1;
out:
	free(items);
	if (have_report) {
		report_free(&rep);
		facts_free(&facts);
	}
	apply_state_free(&recorded);
	acks_free(&acks);
	sb_free(&out);
	sb_free(&ns);
	if (have_engine)
		engine_free(&e);
	state_dir_close(&d);
	free(name);
	free(abs_fragment);
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

/* Whether the file at the fragment is the one --apply wrote (*applied),
 * or already the one that was there before (an interrupted run); -1
 * (reported) when it is neither: someone changed it since. */
static int check_fragment(const struct tw_apply_state *s, const char *state, bool *applied)
{
	struct tw_file_prior now = { 0 };
	struct tw_error err = { "" };
	char hex[TW_SHA256_HEX_LEN + 1];
	int rc = -1;

	if (file_prior_read(s->fragment, TW_PRIOR_MAX, &now, &err) < 0) {
		cli_error("%s; nothing was changed", err.msg);
		return -1;
	}
	if (now.existed) {
		tw_sha256_hex(now.data ? now.data : "", now.len, hex);
		if (strcmp(hex, s->applied_sha256) == 0) {
			*applied = true;
			rc = 0;
		}
	}
	if (rc < 0 && file_prior_matches(&s->prior, &now)) {
		*applied = false;
		rc = 0;
	}
	if (rc < 0)
		cli_error("%s changed since --apply wrote it (its SHA-256 is not the one recorded in %s); "
			  "refusing to revert over it; nothing was changed. Put back the applied file, or "
			  "restore the values by hand and remove %s", s->fragment, state, state);
	file_prior_free(&now);
	return rc;
}

int cmd_revert(const struct tw_options *o)
{
	struct tw_state_dir d = { .fd = -1, .lock_fd = -1 };
	struct tw_apply_state s = { 0 };
	struct tw_apply_undo now = { 0 };
	struct tw_apply_item *items = NULL;
	struct tw_error err = { "" };
	struct strbuf out = STRBUF_INIT, state = STRBUF_INIT;
	char *abs_fragment = NULL, *name = NULL;
	bool missing = false, applied = false, have_now = false;
	int rc = 1, r;

	if (need_root("--revert", fragment_path(o)) < 0)
		return 1;
	if (fragment_abspath(fragment_path(o), &abs_fragment, &err) < 0) {
		cli_error("%s", err.msg);
		return 1;
	}
	if (open_state(o, false, abs_fragment, &d, &name, &missing) < 0)
		goto out;
	if (missing) {
		sb_appendf(&out, "nothing to revert: no state folder %s\n", state_dir_path(o));
		rc = cli_write_sb(&out) < 0 ? 1 : 0;
		goto out;
	}
	sb_appendf(&state, "%s/%s", d.path, name);
	r = apply_state_read(&d, name, &s, &err);
	if (r == -ENOENT) {
		sb_appendf(&out, "nothing to revert: no --apply of %s is recorded in %s\n",
			   abs_fragment, d.path);
		rc = cli_write_sb(&out) < 0 ? 1 : 0;
		goto out;
	}
	if (r < 0) {
		cli_error("%s", err.msg);
		goto out;
	}
	if (strcmp(s.fragment, abs_fragment) != 0) {
		cli_error("%s records %s, not %s; refusing it", state.buf, s.fragment, abs_fragment);
		goto out;
	}
	if (check_netns(o, state.buf, s.netns) < 0)
		goto out;
	if (check_fragment(&s, state.buf, &applied) < 0)
		goto out;
	if (cli_enter_netns(o) < 0)
		goto out;
	/* 1. The values, last-written first. */
	items = tw_xcalloc(s.values.n, sizeof(*items));
	for (size_t i = 0; i < s.values.n; i++) {
		items[i].key = s.values.v[s.values.n - 1 - i].key;
		items[i].value = s.values.v[s.values.n - 1 - i].previous;
	}
	if (apply_changes(TW_PROC_SYS, items, s.values.n, &now, &err) < 0) {
		cli_error("%s", err.msg);
		goto out;
	}
	have_now = true;
	kill_point("revert-after-values");
	/* 2. The file, before the state goes. */
	if (applied) {
		r = s.prior.existed ? file_write_atomic(abs_fragment, s.prior.data, s.prior.len, &s.prior, &err)
				    : file_remove_durable(abs_fragment, &err);
		if (r < 0) {
			struct tw_error rb = { "" };

			cli_error("%s", err.msg);
			if (apply_rollback(TW_PROC_SYS, &now, now.n, &rb) < 0)
				cli_error("%s", rb.msg);
			else
				cli_error("the applied values are set again; nothing was changed");
			goto out;
		}
	}
	kill_point("revert-after-fragment");
	/* 3. The state, last. */
	if (apply_state_remove(&d, name, &err) < 0) {
		cli_error("%s; the values and %s are restored; run --revert again to remove it",
			  err.msg, abs_fragment);
		goto out;
	}
	print_changes(&now, &out);
	if (!applied)
		sb_appendf(&out, "%s was already as before --apply (an interrupted run)\n", abs_fragment);
	else
		sb_appendf(&out, "%s %s\n", abs_fragment,
			   s.prior.existed ? "has its previous content, mode and owner again" : "removed");
	sb_appendf(&out, "removed the state %s\n", state.buf);
	rc = cli_write_sb(&out) < 0 ? 1 : 2;
out:
	if (have_now)
		apply_undo_free(&now);
	apply_state_free(&s);
	free(items);
	free(name);
	free(abs_fragment);
	state_dir_close(&d);
	sb_free(&out);
	sb_free(&state);
	return rc;
}
