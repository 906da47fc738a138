/* SPDX-License-Identifier: MIT */
/* capture.h: writing a snapshot folder of this host (or of a namespace). */
#ifndef TW_COLLECT_CAPTURE_H
#define TW_COLLECT_CAPTURE_H

#include "collect/live.h"
#include "util/error.h"

/* Writes the snapshot files of the contract into 'dir' (which must not
 * exist, or be an empty folder): uname-r.txt, sysctl-a.txt, ss-tan.txt
 * (LISTEN sockets first, then every other state), copies of the
 * proc/net counters, proc/slabinfo, proc/meminfo, proc/net/nf_conntrack
 * and dmesg.txt when readable, and the sysctl.d files with their paths.
 * Everything is written into a temporary folder beside 'dir' and renamed
 * at the end; on any failure the temporary folder is removed, so 'dir'
 * is either complete or untouched. The folder is mode 0700: it may hold
 * the conntrack table and kernel log. The caller enters o->netns first
 * (o->interval_s is ignored). */
int capture_snapshot(const char *dir, const struct tw_live_opts *o, struct tw_error *err);

/* Removes 'path' and what it holds (never following a symbolic link):
 * for a caller's own temporary folder. */
void capture_remove_tree(const char *path);

#endif
