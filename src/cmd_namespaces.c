/* SPDX-License-Identifier: MIT */
/* cmd_namespaces.c: --all-namespaces, for the analysis and for --capture.
 *
 * Every network namespace is found (collect/netns_list.c), entered in
 * turn with setns(2) and analysed or captured as --netns does, then the
 * thread returns to the namespace it started in before the next one:
 * /proc/net and /proc/sys/net follow the namespace current at open time
 * and netlink sockets the one they are created in (collect/netns.c), so
 * nothing opened in one namespace is used in another. Rules and profiles
 * are loaded once. The host's own namespace (pid 1's) is analysed as the
 * host; every other one as a namespace, whose plan only holds
 * per-namespace keys and whose fragment is never proposed for the host's
 * boot configuration. Nothing is ever applied. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "collect/capture.h"
#include "collect/netns_list.h"
#include "collect/sources.h"
#include "engine/allowlist.h"
#include "render/k8s_sysctls.h"
#include "render/render.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct ns_result {
	struct tw_facts facts;
	struct tw_report report;
	bool have_report;
	char *error;
};

static void describe(const struct tw_netns_entry *e, struct tw_render_netns *ret)
{
	*ret = (struct tw_render_netns){
		.name = e->name, .inode = e->ino, .dev = e->dev, .host = e->host,
		.run_name = e->run_name, .pid = (long)e->pid, .comm = e->comm,
		.owner_kind = e->host ? "host" : e->run_name && e->owner.kind == TW_NETNS_OWNER_NONE
			? "named" : netns_owner_kind_name(e->owner.kind),
		.owner_runtime = e->owner.runtime, .owner_id = e->owner.id,
		.owner_name = e->owner.name,
	};
}

/* Opens the namespace this thread is in now, to come back to it. */
static int open_self(struct tw_error *err)
{
	int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tw_error_set(err, -errno, "/proc/self/ns/net: %s", strerror(errno));
	return fd;
}

static int find_namespaces(struct tw_netns_list *l)
{
	struct tw_error err = { "" };
	bool fallback = false;

	if (netns_list_find("/proc", "/run/netns", l, &fallback, &err) < 0) {
		cli_error("%s", err.msg);
		return -1;
	}
	if (fallback)
		fprintf(stderr, "twadvise: warning: /proc/1/ns/net is not readable here; "
			"twadvise's own network namespace is taken as the host's\n");
	return 0;
}

static int go_back(int self, struct tw_error *err)
{
	return netns_enter_fd(self, "of twadvise itself", err);
}

/* A pod's plan, as the kubelet sees it: which keys it accepts as safe
 * sysctls in the pod's securityContext, which need its
 * --allowed-unsafe-sysctls, which only the node can set (k8s_sysctls.h). */
static void note_pod_sysctls(const struct tw_netns_entry *ne, struct tw_report *rep)
{
	static const char *const what[] = {
		[K8S_SAFE] = "safe sysctls, which the kubelet accepts in the pod's securityContext",
		[K8S_UNSAFE] = "unsafe: the kubelet refuses them unless it runs with --allowed-unsafe-sysctls naming them",
		[K8S_NODE] = "node-level: a pod cannot set them",
	};

	if (ne->owner.kind != TW_NETNS_OWNER_POD || rep->plan.n == 0)
		return;
	for (int c = K8S_SAFE; c <= K8S_NODE; c++) {
		struct strbuf keys = STRBUF_INIT;

		for (size_t i = 0; i < rep->plan.n; i++) {
			const char *key = rep->plan.v[i].sysctl;
			const struct tw_allowed_key *k = allowlist_find(key);

			if ((int)k8s_sysctl_judge(key, k && k->per_netns, &rep->facts->kernel).cls == c)
				sb_appendf(&keys, "%s%s", keys.len ? ", " : "", key);
		}
		if (keys.len)
			report_note(rep, "Kubernetes pod: %s: %s (--format k8s prints the pod's sysctls)",
				    sb_str(&keys), what[c]);
		sb_free(&keys);
	}
}

static int analyse_all(const struct tw_options *o, const struct tw_engine *e,
		       const struct tw_ack_list *acks, const struct tw_netns_list *l,
		       struct ns_result *res, struct tw_error *err)
{
	int self = open_self(err);

	if (self < 0)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		const struct tw_netns_entry *ne = &l->v[i];
		struct tw_error one = { "" };
		int r = netns_enter_fd(ne->fd, ne->name, &one);

		struct strbuf enter = STRBUF_INIT;

		/* How the operator runs the recommended sysctl -w in it. */
		if (ne->run_name)
			sb_appendf(&enter, "ip netns exec %s", ne->run_name);
		else if (ne->pid)
			sb_appendf(&enter, "nsenter -t %d -n", (int)ne->pid);
		if (r == 0)
			r = cli_analyse_entered_err(o, e, acks, ne->host ? NULL : ne->name,
						    ne->host || !enter.len ? NULL : sb_str(&enter),
						    ne->host ? TW_DEFAULT_FRAGMENT : NULL,
						    &res[i].facts, &res[i].report, &one);
		sb_free(&enter);
		if (r == 0)
			note_pod_sysctls(ne, &res[i].report);
		res[i].have_report = r == 0;
		if (r < 0) {
			cli_error("network namespace %s: %s", ne->name, one.msg);
			res[i].error = tw_xstrdup(one.msg);
		}
		if (go_back(self, err) < 0) {
			close(self);
			return -1;
		}
	}
	close(self);
	return 0;
}

int cmd_all_namespaces(const struct tw_options *o)
{
	struct tw_engine e = { 0 };
	struct tw_ack_list acks = { 0 };
	struct tw_netns_list l = { 0 };
	struct tw_error err = { "" };
	struct ns_result *res = NULL;
	struct tw_namespace_report *nr = NULL;
	struct strbuf out = STRBUF_INIT;
	size_t failed = 0;
	bool counts = false;
	int rc = 1, r;

	if (cli_load_engine(o, &e) < 0)
		return 1;
	if (cli_prepare_analysis(o, &e, &acks) < 0)
		goto out;
	if (find_namespaces(&l) < 0)
		goto out;
	res = tw_xcalloc(l.n, sizeof(*res));
	sources_share_host_rows(true);   /* /proc/slabinfo and the like: read once */
	r = analyse_all(o, &e, &acks, &l, res, &err);
	sources_share_host_rows(false);
	if (r < 0) {
		cli_error("%s", err.msg);
		goto out;
	}
	if (!res[0].have_report)
		goto out;   /* the host's own: said above */
	nr = tw_xcalloc(l.n, sizeof(*nr));
	for (size_t i = 0; i < l.n; i++) {
		nr[i].report = res[i].have_report ? &res[i].report : NULL;
		nr[i].error = res[i].error;
		describe(&l.v[i], &nr[i].ns);
		failed += !res[i].have_report;
		counts = counts || (res[i].have_report && plan_counts(&res[i].report.plan, o->fail_on));
	}
	switch (o->format) {
	case FORMAT_JSON:
		render_json_namespaces(nr, l.n, &out);
		break;
	case FORMAT_PROMETHEUS:
		render_prometheus_namespaces(nr, l.n, &out);
		break;
	default: {
		struct tw_text_opts t = { .color = cli_want_color(o), .width = cli_text_width(),
					  .quiet = o->quiet, .fail_on = o->fail_on };

		render_text_namespaces(nr, l.n, &t, &out);
		break;
	}
	}
	if (o->output) {
		struct tw_error werr = { "" };
		const char *text = sb_str(&out);
		size_t len = out.len;

		if (tw_atomic_write(o->output, text, len, 0644 & ~tw_umask(), &werr) < 0) {
			cli_error("%s", werr.msg);
			goto out;
		}
	} else if (cli_write_sb(&out) < 0) {
		goto out;
	}
	rc = failed ? 1 : o->check && counts ? 2 : 0;
out:
	for (size_t i = 0; res && i < l.n; i++) {
		if (res[i].have_report)
			report_free(&res[i].report);
		facts_free(&res[i].facts);
		free(res[i].error);
	}
	free(res);
	free(nr);
	sb_free(&out);
	netns_list_free(&l);
	acks_free(&acks);
	engine_free(&e);
	return rc;
}

/* ---- --capture DIR --all-namespaces ---------------------------------- */

/* A folder name from a namespace name: letters, digits, '.', '-', '_'
 * kept, anything else '_'; never hidden, never empty. */
static char *folder_name(const char *name)
{
	struct strbuf s = STRBUF_INIT;

	for (const char *p = name; *p && s.len < 100; p++) {
		char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '-' || c == '_' || (c == '.' && s.len > 0);

		sb_appendc(&s, ok ? c : '_');
	}
	if (s.len == 0)
		sb_append(&s, "_");
	return sb_steal(&s);
}

/* The index of the folders: one line per namespace, tab-separated:
 * folder, name, inode, owner kind, owner id. */
static void index_line(struct strbuf *idx, const char *folder, const struct tw_netns_entry *ne)
{
	struct tw_render_netns d;

	describe(ne, &d);
	sb_appendf(idx, "%s\t%s\t%llu\t%s\t%s\n", folder, ne->name, (unsigned long long)ne->ino,
		   d.owner_kind, ne->owner.id ? ne->owner.id : ne->run_name ? ne->run_name : "-");
}

static int capture_all(const char *tmp, const struct tw_options *o, const struct tw_netns_list *l,
		       struct tw_error *err)
{
	struct strbuf idx = STRBUF_INIT, path = STRBUF_INIT;
	char **folders = tw_xcalloc(l->n, sizeof(*folders));
	int self = open_self(err), r = 0;

	if (self < 0) {
		free(folders);
		return -1;
	}
	sb_append(&idx, "# folder\tname\tinode\towner\tid\n");
	for (size_t i = 0; i < l->n && r == 0; i++) {
		const struct tw_netns_entry *ne = &l->v[i];
		struct tw_live_opts lo = { .netns = ne->host ? NULL : ne->name,
					   .force_proc_fallback = o->force_proc };

		folders[i] = folder_name(ne->name);
		for (size_t j = 0; j < i; j++) {
			if (strcmp(folders[i], folders[j]) == 0) {
				struct strbuf u = STRBUF_INIT;

				sb_appendf(&u, "%s-%llu", folders[i], (unsigned long long)ne->ino);
				free(folders[i]);
				folders[i] = sb_steal(&u);
				break;
			}
		}
		sb_reset(&path);
		sb_appendf(&path, "%s/%s", tmp, folders[i]);
		r = netns_enter_fd(ne->fd, ne->name, err);
		if (r == 0)
			r = capture_snapshot(sb_str(&path), &lo, err);
		if (r < 0)
			tw_error_prefix(err, r, "network namespace %s", ne->name);
		{
			struct tw_error back = { "" };

			if (go_back(self, &back) < 0) {
				if (r == 0)
					*err = back;
				r = -1;
			}
		}
		if (r == 0)
			index_line(&idx, folders[i], ne);
	}
	if (r == 0) {
		sb_reset(&path);
		sb_appendf(&path, "%s/namespaces.txt", tmp);
		const char *text = sb_str(&idx);
		size_t len = idx.len;

		r = tw_atomic_write(sb_str(&path), text, len, 0600, err);
	}
	for (size_t i = 0; i < l->n; i++)
		free(folders[i]);
	free(folders);
	sb_free(&idx);
	sb_free(&path);
	close(self);
	return r < 0 ? -1 : 0;
}

int cmd_capture_all_namespaces(const struct tw_options *o)
{
	struct tw_netns_list l = { 0 };
	struct tw_error err = { "" };
	struct strbuf target = STRBUF_INIT, tmp = STRBUF_INIT;
	struct stat st;
	int rc = 1, r;
	size_t n = strlen(o->capture_dir);

	while (n > 1 && o->capture_dir[n - 1] == '/')
		n--;
	sb_appendn(&target, o->capture_dir, n);
	if (lstat(sb_str(&target), &st) == 0) {
		/* An empty folder may be filled (as --capture does); rmdir
		 * refuses one that is not empty. */
		if (!S_ISDIR(st.st_mode) || rmdir(sb_str(&target)) < 0) {
			cli_error("%s exists and is not an empty folder", sb_str(&target));
			goto out;
		}
	}
	if (find_namespaces(&l) < 0)
		goto out;
	sb_appendf(&tmp, "%s.tmp-XXXXXX", sb_str(&target));
	if (!mkdtemp(tmp.buf)) {
		cli_error("%s: %s", sb_str(&tmp), strerror(errno));
		goto out;
	}
	r = capture_all(sb_str(&tmp), o, &l, &err);
	if (r == 0)
		r = rename(sb_str(&tmp), sb_str(&target));
	if (r == 0) {
		tw_sync_parent(sb_str(&target));
		rc = 0;
	} else {
		if (!err.msg[0])
			tw_error_set(&err, -errno, "%s: %s", sb_str(&target), strerror(errno));
		cli_error("%s", err.msg);
		capture_remove_tree(sb_str(&tmp));
	}
out:
	netns_list_free(&l);
	sb_free(&target);
	sb_free(&tmp);
	return rc;
}
