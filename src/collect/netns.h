/* SPDX-License-Identifier: MIT */
/* netns.h: entering a named network namespace (ip netns add NAME). */
#ifndef TW_COLLECT_NETNS_H
#define TW_COLLECT_NETNS_H

#include "util/error.h"

/* Moves the calling thread (twadvise is single-threaded: the process)
 * into /run/netns/NAME. Afterwards /proc/net, /proc/self/net and
 * /proc/sys/net show that namespace and netlink sockets opened later talk
 * to it. 'name' must be a plain file name (no '/', not "." or "..").
 * Errors: -ENOENT "network namespace 'x' not found (/run/netns/x)",
 * -EPERM when not privileged, -EINVAL for a bad name. */
int netns_enter(const char *name, struct tw_error *err);

#endif
