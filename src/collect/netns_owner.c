/* SPDX-License-Identifier: MIT */
/* netns_owner.c: who owns a network namespace, from the cgroup path of
 * one of its processes (see netns_list.h).
 *
 * Patterns (systemd and cgroupfs drivers):
 *   …/kubepods…/pod<uid>…              pod (uid with '_' for '-' under systemd)
 *   …/docker-<id>.scope, /docker/<id>  Docker
 *   …/cri-containerd-<id>.scope        containerd
 *   …/libpod-<id>.scope                Podman
 *   …/foo.service                      a systemd unit (the innermost)
 * A pod wins over its containers; a container over the unit that runs
 * its runtime. Names come from the runtime's state where readable. */
#include "collect/netns_list.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

void netns_owner_free(struct tw_netns_owner *o)
{
	if (!o)
		return;
	free(o->runtime);
	free(o->id);
	free(o->name);
	memset(o, 0, sizeof(*o));
}

const char *netns_owner_kind_name(enum tw_netns_owner_kind k)
{
	switch (k) {
	case TW_NETNS_OWNER_UNIT:
		return "unit";
	case TW_NETNS_OWNER_CONTAINER:
		return "container";
	case TW_NETNS_OWNER_POD:
		return "pod";
	case TW_NETNS_OWNER_NONE:
		break;
	}
	return "process";
}

/* The cgroup path of one line "N:controllers:/path", or NULL. */
static const char *line_path(const char *line, size_t len, size_t *ret_len, bool *unified,
			     bool *systemd)
{
	const char *c1 = memchr(line, ':', len), *c2;

	if (!c1)
		return NULL;
	c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line));
	if (!c2)
		return NULL;
	*unified = c1 == line + 1 && line[0] == '0' && c2 == c1 + 1;
	*systemd = (size_t)(c2 - c1 - 1) == strlen("name=systemd") &&
		   memcmp(c1 + 1, "name=systemd", strlen("name=systemd")) == 0;
	*ret_len = len - (size_t)(c2 + 1 - line);
	return c2 + 1;
}

static bool is_hexid(const char *s, size_t n)
{
	if (n < 12 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* One path component: a container scope or folder "PREFIX<id>SUFFIX". */
static bool container_in(const char *comp, size_t n, const char *prefix, const char *suffix,
			 char **ret_id)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);

	if (n <= pl + sl || memcmp(comp, prefix, pl) != 0 || memcmp(comp + n - sl, suffix, sl) != 0)
		return false;
	if (!is_hexid(comp + pl, n - pl - sl))
		return false;
	*ret_id = tw_xstrndup(comp + pl, n - pl - sl);
	return true;
}

/* "pod<uid>" inside a kubepods component: the uid, '_' turned to '-'. */
static bool pod_in(const char *comp, size_t n, char **ret_uid)
{
	const char *p = NULL;
	size_t i, len;

	for (i = 0; i + 3 < n; i++) {
		if (memcmp(comp + i, "pod", 3) == 0 &&
		    (i == 0 || comp[i - 1] == '-' || comp[i - 1] == '/')) {
			p = comp + i + 3;
			break;
		}
	}
	if (!p)
		return false;
	len = (size_t)(comp + n - p);
	if (len > 6 && memcmp(p + len - 6, ".slice", 6) == 0)
		len -= 6;
	if (len < 8 || len > 64)
		return false;
	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)p[i]) && p[i] != '-' && p[i] != '_')
			return false;
	*ret_uid = tw_xstrndup(p, len);
	for (char *c = *ret_uid; *c; c++)
		if (*c == '_')
			*c = '-';
	return true;
}

static void set_owner(struct tw_netns_owner *o, enum tw_netns_owner_kind k, const char *runtime,
		      char *id)
{
	netns_owner_free(o);
	o->kind = k;
	o->runtime = runtime ? tw_xstrdup(runtime) : NULL;
	o->id = id;
}

/* Walks the components of one cgroup path. */
static void owner_from_path(const char *path, size_t len, struct tw_netns_owner *ret)
{
	const char *end = path + len, *c = path;
	bool kube = false;

	while (c < end) {
		const char *slash = memchr(c, '/', (size_t)(end - c));
		size_t n = slash ? (size_t)(slash - c) : (size_t)(end - c);
		char *id = NULL;

		if (n >= 8 && memcmp(c, "kubepods", 8) == 0)
			kube = true;
		if (kube && ret->kind != TW_NETNS_OWNER_POD && pod_in(c, n, &id)) {
			set_owner(ret, TW_NETNS_OWNER_POD, "kubernetes", id);
		} else if (ret->kind == TW_NETNS_OWNER_POD) {
			/* a pod's containers stay the pod's */
		} else if (container_in(c, n, "docker-", ".scope", &id) ||
			   (c > path && n >= 12 && c - path >= 8 && memcmp(c - 8, "/docker/", 8) == 0 &&
			    container_in(c, n, "", "", &id))) {
			set_owner(ret, TW_NETNS_OWNER_CONTAINER, "docker", id);
		} else if (container_in(c, n, "cri-containerd-", ".scope", &id)) {
			set_owner(ret, TW_NETNS_OWNER_CONTAINER, "containerd", id);
		} else if (container_in(c, n, "libpod-", ".scope", &id)) {
			set_owner(ret, TW_NETNS_OWNER_CONTAINER, "podman", id);
		} else if (ret->kind != TW_NETNS_OWNER_CONTAINER && n > 8 &&
			   memcmp(c + n - 8, ".service", 8) == 0) {
			set_owner(ret, TW_NETNS_OWNER_UNIT, NULL, tw_xstrndup(c, n));
		}
		c += n + 1;
	}
}

void netns_owner_from_cgroup(const char *text, struct tw_netns_owner *ret)
{
	const char *best = NULL, *s = text;
	size_t best_len = 0;
	int best_rank = 0;

	memset(ret, 0, sizeof(*ret));
	while (s && *s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s), plen = 0;
		bool unified = false, systemd = false;
		const char *p = line_path(s, len, &plen, &unified, &systemd);
		int rank = unified ? 3 : systemd ? 2 : 1;

		/* "/" says nothing: a more specific line of lower rank wins. */
		if (p && plen > 1 && rank > best_rank) {
			best = p;
			best_len = plen;
			best_rank = rank;
		}
		s = nl ? nl + 1 : NULL;
	}
	if (best)
		owner_from_path(best, best_len, ret);
}

/* The "Name" of Docker's config.v2.json, without its leading '/'. */
static char *docker_name(const char *root, const char *id)
{
	struct strbuf p = STRBUF_INIT;
	struct tw_error err;
	char *buf = NULL, *name = NULL;
	size_t len;

	sb_appendf(&p, "%s/var/lib/docker/containers/%s/config.v2.json", root, id);
	if (tw_read_regular(sb_str(&p), 4 << 20, &buf, &len, &err) == 0) {
		/* The key appears once at the top level: "Name":"/web" */
		const char *k = strstr(buf, "\"Name\":\"");

		if (k) {
			const char *v = k + 8, *q;

			if (*v == '/')
				v++;
			q = strchr(v, '"');
			if (q && q > v && (size_t)(q - v) < 256 && !memchr(v, '\\', (size_t)(q - v)))
				name = tw_xstrndup(v, (size_t)(q - v));
		}
		free(buf);
	}
	sb_free(&p);
	return name;
}

/* The pod's name as kubelet wrote it in its etc-hosts (the last line
 * names the pod's own address and hostname, the pod's name by default). */
static char *pod_name(const char *root, const char *uid)
{
	struct strbuf p = STRBUF_INIT;
	struct tw_error err;
	char *buf = NULL, *name = NULL;
	size_t len;

	sb_appendf(&p, "%s/var/lib/kubelet/pods/%s/etc-hosts", root, uid);
	if (tw_read_regular(sb_str(&p), 1 << 20, &buf, &len, &err) == 0) {
		char *line = strtok(buf, "\n");
		char *last = NULL;

		for (; line; line = strtok(NULL, "\n"))
			if (line[0] != '#' && strspn(line, " \t") < strlen(line))
				last = line;
		if (last) {
			char *f1 = last + strcspn(last, " \t");

			f1 += strspn(f1, " \t");
			if (*f1 && strcspn(f1, " \t") < 254)
				name = tw_xstrndup(f1, strcspn(f1, " \t"));
		}
		free(buf);
	}
	sb_free(&p);
	return name;
}

void netns_owner_resolve_name(const char *root, struct tw_netns_owner *o)
{
	if (!o->id || o->name)
		return;
	if (o->kind == TW_NETNS_OWNER_CONTAINER && o->runtime && strcmp(o->runtime, "docker") == 0)
		o->name = docker_name(strcmp(root, "/") == 0 ? "" : root, o->id);
	else if (o->kind == TW_NETNS_OWNER_POD)
		o->name = pod_name(strcmp(root, "/") == 0 ? "" : root, o->id);
}
