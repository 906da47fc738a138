/* SPDX-License-Identifier: MIT */
/* netns.c: setns(2) into /run/netns/NAME (see netns.h).
 *
 * What follows the namespace after setns(CLONE_NEWNET), checked on Linux
 * 6.18 (tests/netns/netns-proc.sh checks the first two through twadvise):
 *  - /proc/net is a symlink to self/net, and /proc/self/net is resolved
 *    against the task's current namespace at lookup time: it follows.
 *  - /proc/sys/net: the sysctl tree looks entries up in the namespace of
 *    the *current* task (net_ctl_header_lookup uses
 *    current->nsproxy->net_ns), at open and readdir time, so it follows
 *    too, with no remount; files opened before setns keep the old one.
 *  - /sys/class/net would NOT follow (sysfs is tied to the namespace of
 *    the mounter); twadvise never reads /sys.
 *  - Netlink sockets belong to the namespace they were created in, so
 *    they must be opened after setns: netns_enter() runs first. */
#include "collect/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int netns_enter(const char *name, struct tw_error *err)
{
	char path[4096];
	int fd, r;

	if (!name || !*name || strchr(name, '/') || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return tw_error_set(err, -EINVAL, "invalid network namespace name '%s'",
				    name ? name : "");
	r = snprintf(path, sizeof(path), "/run/netns/%s", name);
	if (r < 0 || (size_t)r >= sizeof(path))
		return tw_error_set(err, -ENAMETOOLONG, "network namespace name too long");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		if (r == -ENOENT)
			return tw_error_set(err, r, "network namespace '%s' not found (%s)",
					    name, path);
		return tw_error_set(err, r, "network namespace '%s': %s: %s", name, path,
				    strerror(-r));
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		r = -errno;
		close(fd);
		if (r == -EPERM)
			return tw_error_set(err, r,
					    "entering network namespace '%s' needs root (CAP_SYS_ADMIN)",
					    name);
		if (r == -EINVAL)
			return tw_error_set(err, r, "%s is not a network namespace", path);
		return tw_error_set(err, r, "entering network namespace '%s': %s", name,
				    strerror(-r));
	}
	close(fd);
	return 0;
}
