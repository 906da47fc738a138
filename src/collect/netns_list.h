/* SPDX-License-Identifier: MIT */
/* netns_list.h: every network namespace of the host (--all-namespaces),
 * found without spawning ip(8), each held open by a descriptor and named
 * the way the operator knows it. */
#ifndef TW_COLLECT_NETNS_LIST_H
#define TW_COLLECT_NETNS_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/error.h"

/* Who owns a namespace, from the cgroup of one of its processes. */
enum tw_netns_owner_kind {
	TW_NETNS_OWNER_NONE,       /* no process, or none that says more than its pid */
	TW_NETNS_OWNER_UNIT,       /* a systemd service (…/foo.service) */
	TW_NETNS_OWNER_CONTAINER,  /* docker-, cri-containerd-, libpod-<id>.scope or /docker/<id> */
	TW_NETNS_OWNER_POD,        /* kubepods…pod<uid>… */
};

struct tw_netns_owner {
	enum tw_netns_owner_kind kind;
	char *runtime;    /* container: "docker", "containerd", "podman"; pod: "kubernetes" */
	char *id;         /* unit name, container id or pod uid */
	char *name;       /* container or pod name from the runtime's state, or NULL */
};

struct tw_netns_entry {
	int fd;                   /* open namespace file (setns target), O_CLOEXEC */
	uint64_t dev, ino;        /* the nsfs identity, st_dev and st_ino */
	bool host;                /* that of pid 1: the host's own */
	char *run_name;           /* name under /run/netns, or NULL */
	pid_t pid;                /* its lowest process id seen, 0 when none */
	char *comm;               /* that process's command, or NULL */
	struct tw_netns_owner owner;
	char *name;               /* what to call it: "host", the run name, the owner, "pid N (comm)" */
};

struct tw_netns_list {
	struct tw_netns_entry *v;
	size_t n;
};

/* Finds every network namespace: pid 1's first (the host), then those
 * under /run/netns (sorted by name), then the distinct /proc/PID/ns/net
 * not seen yet (by pid), deduplicated by (st_dev, st_ino). A process
 * that ends meanwhile is skipped. 'proc' and 'run_netns' are the folders
 * to read ("/proc", "/run/netns"; other paths in tests). Names are made
 * unique (a duplicate gets " #INODE" appended). Needs root to open
 * other processes' namespaces; when even root may not read pid 1's
 * (a sandbox), twadvise's own namespace stands for the host's and
 * *ret_host_fallback (may be NULL) is set. Caller frees with
 * netns_list_free. */
int netns_list_find(const char *proc, const char *run_netns, struct tw_netns_list *ret,
		    bool *ret_host_fallback, struct tw_error *err);
void netns_list_free(struct tw_netns_list *l);

/* Moves the calling thread into the namespace open at 'fd'. */
int netns_enter_fd(int fd, const char *what, struct tw_error *err);

/* The owner from the text of /proc/PID/cgroup (pure; tests feed it).
 * The unified ("0::") path is preferred, then name=systemd, then any.
 * Caller frees with netns_owner_free. */
void netns_owner_from_cgroup(const char *text, struct tw_netns_owner *ret);
/* Adds the container's or pod's name from the runtime's state under
 * 'root' ("/" normally) when readable; leaves it NULL otherwise. */
void netns_owner_resolve_name(const char *root, struct tw_netns_owner *o);
void netns_owner_free(struct tw_netns_owner *o);
/* "unit", "container", "pod" or "process". */
const char *netns_owner_kind_name(enum tw_netns_owner_kind k);

#endif
