/* SPDX-License-Identifier: MIT */
/* netns_list.c: finding every network namespace (see netns_list.h).
 *
 * A namespace is identified by the nsfs inode of its file, the same for
 * /proc/PID/ns/net and a bind mount of it under /run/netns (st_dev and
 * st_ino together). Each one found is opened at once: the descriptor
 * keeps it alive until it has been analysed, even if its last process
 * ends or `ip netns del` removes the name meanwhile. */
#include "collect/netns_list.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* More namespaces than this is a runaway (each holds a descriptor). */
#define NETNS_MAX 4096

void netns_list_free(struct tw_netns_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		struct tw_netns_entry *e = &l->v[i];

		if (e->fd >= 0)
			close(e->fd);
		free(e->run_name);
		free(e->comm);
		free(e->name);
		netns_owner_free(&e->owner);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static struct tw_netns_entry *find(struct tw_netns_list *l, const struct stat *st)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].dev == (uint64_t)st->st_dev && l->v[i].ino == (uint64_t)st->st_ino)
			return &l->v[i];
	return NULL;
}

/* Opens 'path' and adds it unless already known; the entry (new or not)
 * in *ret. 0, or -errno when it cannot be opened (the caller decides
 * whether that matters). */
static int add(struct tw_netns_list *l, const char *path, struct tw_netns_entry **ret)
{
	struct stat st;
	struct tw_netns_entry *e;
	int fd;

	if (stat(path, &st) < 0)
		return -errno;
	e = find(l, &st);
	if (e) {
		*ret = e;
		return 0;
	}
	if (l->n >= NETNS_MAX)
		return -E2BIG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* What was opened is what was stat()ed (a pid may be reused). */
	if (fstat(fd, &st) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	e = find(l, &st);
	if (e) {
		close(fd);
		*ret = e;
		return 0;
	}
	l->v = tw_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->fd = fd;
	e->dev = (uint64_t)st.st_dev;
	e->ino = (uint64_t)st.st_ino;
	*ret = e;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names under /run/netns, sorted; a missing folder has none. */
static void add_run_netns(struct tw_netns_list *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = tw_xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = tw_xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		struct strbuf p = STRBUF_INIT;
		struct tw_netns_entry *e;

		sb_appendf(&p, "%s/%s", dir, names[i]);
		/* A stale name (not a mounted namespace) fails here: skipped. */
		if (add(l, sb_str(&p), &e) == 0 && !e->run_name && !e->host)
			e->run_name = tw_xstrdup(names[i]);
		sb_free(&p);
		free(names[i]);
	}
	free(names);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* /proc/PID/comm without its newline, or NULL. */
static char *read_comm(const char *proc, pid_t pid)
{
	struct strbuf p = STRBUF_INIT;
	struct tw_error err;
	char *buf = NULL;
	size_t len;

	sb_appendf(&p, "%s/%d/comm", proc, (int)pid);
	if (tw_read_file(sb_str(&p), 256, &buf, &len, &err) < 0)
		buf = NULL;
	sb_free(&p);
	if (buf)
		buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* Every process's namespace, in pid order; records each namespace's
 * lowest pid and, for one not yet named by its owner, the owner. */
static void add_processes(struct tw_netns_list *l, const char *proc)
{
	DIR *d = opendir(proc);
	struct dirent *de;
	pid_t *pids = NULL;
	size_t n = 0;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!all_digits(de->d_name) || strlen(de->d_name) > 9)
			continue;
		pids = tw_xrealloc(pids, (n + 1) * sizeof(*pids));
		pids[n++] = (pid_t)atoi(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(pids, n, sizeof(*pids), cmp_pid);
	for (size_t i = 0; i < n; i++) {
		struct strbuf p = STRBUF_INIT;
		struct tw_netns_entry *e;

		sb_appendf(&p, "%s/%d/ns/net", proc, (int)pids[i]);
		/* Kernel threads have no namespace link to open; an ended
		 * process is gone: both skipped. */
		if (add(l, sb_str(&p), &e) == 0 && !e->host) {
			struct tw_error err;
			char *cg = NULL;
			size_t len;

			if (!e->pid) {
				e->pid = pids[i];
				e->comm = read_comm(proc, pids[i]);
			}
			if (e->owner.kind == TW_NETNS_OWNER_NONE) {
				sb_reset(&p);
				sb_appendf(&p, "%s/%d/cgroup", proc, (int)pids[i]);
				if (tw_read_file(sb_str(&p), 65536, &cg, &len, &err) == 0) {
					netns_owner_from_cgroup(cg, &e->owner);
					free(cg);
				}
			}
		}
		sb_free(&p);
	}
	free(pids);
}

static void name_entry(struct tw_netns_entry *e)
{
	struct strbuf s = STRBUF_INIT;

	if (e->host)
		sb_append(&s, "host");
	else if (e->run_name)
		sb_append(&s, e->run_name);
	else if (e->owner.kind == TW_NETNS_OWNER_UNIT)
		sb_append(&s, e->owner.id);
	else if (e->owner.kind != TW_NETNS_OWNER_NONE && e->owner.name)
		sb_appendf(&s, "%s %s", e->owner.kind == TW_NETNS_OWNER_POD ? "pod" : e->owner.runtime,
			   e->owner.name);
	else if (e->owner.kind != TW_NETNS_OWNER_NONE)
		sb_appendf(&s, "%s %.12s", e->owner.kind == TW_NETNS_OWNER_POD ? "pod" : e->owner.runtime,
			   e->owner.id);
	else if (e->pid)
		sb_appendf(&s, "pid %d (%s)", (int)e->pid, e->comm ? e->comm : "?");
	else
		sb_appendf(&s, "netns %llu", (unsigned long long)e->ino);
	e->name = sb_steal(&s);
}

int netns_list_find(const char *proc, const char *run_netns, struct tw_netns_list *ret,
		    bool *ret_host_fallback, struct tw_error *err)
{
	struct tw_netns_list l = { 0 };
	struct tw_netns_entry *e;
	struct strbuf p = STRBUF_INIT;
	int r;

	sb_appendf(&p, "%s/1/ns/net", proc);
	r = add(&l, sb_str(&p), &e);
	if (r < 0 && (r == -EACCES || r == -EPERM) && geteuid() == 0) {
		/* Root that may not look at pid 1 (a sandbox, or pid 1 in
		 * another user namespace): twadvise's own namespace stands for
		 * the host's, and the caller says so. */
		sb_reset(&p);
		sb_appendf(&p, "%s/self/ns/net", proc);
		if (add(&l, sb_str(&p), &e) == 0) {
			if (ret_host_fallback)
				*ret_host_fallback = true;
			r = 0;
		}
	}
	sb_free(&p);
	if (r < 0) {
		if (r == -EACCES || r == -EPERM)
			return tw_error_set(err, r, "--all-namespaces needs root: %s/1/ns/net: %s",
					    proc, strerror(-r));
		return tw_error_set(err, r, "%s/1/ns/net: %s", proc, strerror(-r));
	}
	e->host = true;
	add_run_netns(&l, run_netns);
	add_processes(&l, proc);
	for (size_t i = 0; i < l.n; i++) {
		if (!l.v[i].host && l.v[i].owner.kind != TW_NETNS_OWNER_NONE)
			netns_owner_resolve_name("/", &l.v[i].owner);
		name_entry(&l.v[i]);
	}
	/* Unique names: they become labels and folder names. */
	for (size_t i = 1; i < l.n; i++) {
		for (size_t j = 0; j < i; j++) {
			if (strcmp(l.v[i].name, l.v[j].name) == 0) {
				struct strbuf s = STRBUF_INIT;

				sb_appendf(&s, "%s #%llu", l.v[i].name, (unsigned long long)l.v[i].ino);
				free(l.v[i].name);
				l.v[i].name = sb_steal(&s);
				break;
			}
		}
	}
	*ret = l;
	return 0;
}

int netns_enter_fd(int fd, const char *what, struct tw_error *err)
{
	if (setns(fd, CLONE_NEWNET) < 0) {
		int r = -errno;

		if (r == -EPERM)
			return tw_error_set(err, r, "entering network namespace %s needs root (CAP_SYS_ADMIN)",
					    what);
		return tw_error_set(err, r, "entering network namespace %s: %s", what, strerror(-r));
	}
	return 0;
}
