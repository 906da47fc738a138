/* SPDX-License-Identifier: MIT */
/* sysctld.h: the persisted sysctl configuration, resolved as the boot does.
 *
 * systemd-sysctl reads *.conf from /etc/sysctl.d, /run/sysctl.d,
 * /usr/local/lib/sysctl.d, /usr/lib/sysctl.d and /lib/sysctl.d: a file in
 * an earlier folder hides a file of the same basename in a later one; the
 * survivors are read in basename order; a later assignment of a key wins.
 * procps `sysctl --system` does the same and reads /etc/sysctl.conf last.
 * Keys may be globs (net.ipv4.conf.*.rp_filter) and lines may start with
 * '-' (ignore failure). This module answers, for a key: which file and line
 * sets it at boot, and which earlier assignments it shadows. */
#ifndef TW_SYSCTLD_SYSCTLD_H
#define TW_SYSCTLD_SYSCTLD_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

struct tw_sysctld_assign {
	char *key;          /* as written, dots (slashes normalised to dots) */
	char *value;        /* whitespace folded like sysctl prints it */
	char *file;         /* path on the analysed host, e.g. /etc/sysctl.d/10-net.conf */
	unsigned line;      /* from 1 */
	bool ignore_failure;/* '-' prefix */
};

struct tw_sysctld;

/* Reads the configuration under 'root' ("/" for this host, a snapshot
 * folder for a snapshot; paths inside are reported without the root).
 * Missing folders are fine; an unreadable file is skipped and listed by
 * sysctld_warnings(). Caller frees with sysctld_free(). */
int sysctld_load(const char *root, struct tw_sysctld **ret, struct tw_error *err);

/* One file given in memory (a snapshot archive's copy). */
struct sysctld_mem_file {
	const char *host_path;  /* "/etc/sysctl.d/x.conf", as on the host */
	const char *buf;
	size_t len;
	const char *refused;    /* non-NULL: why it was not read (a link, too large) */
};
/* The same precedence as sysctld_load() over files given in memory: per
 * name the first folder wins, empty files mask, /etc/sysctl.conf last.
 * Links were refused by whoever read them. Caller frees *ret. */
int sysctld_load_files(const struct sysctld_mem_file *v, size_t n, struct tw_sysctld **ret);

/* The assignment that wins at boot for 'key' (exact or glob match), or
 * NULL when no file sets it. When 'ret_shadowed' is given it receives the
 * earlier, overridden assignments of the same key (oldest first). */
const struct tw_sysctld_assign *sysctld_lookup(const struct tw_sysctld *c, const char *key,
					       const struct tw_sysctld_assign *const **ret_shadowed,
					       size_t *ret_nshadowed);

/* Files read, in the order they apply (paths as on the host). */
size_t sysctld_files(const struct tw_sysctld *c, const char *const **ret_files);
/* Human-readable problems met while reading (unreadable files, lines
 * without '='); they never stop the analysis. */
size_t sysctld_warnings(const struct tw_sysctld *c, const char *const **ret_msgs);

/* The first file, in boot order, that assigns 'key' AFTER the file whose
 * host path is 'own_file' (so it would override a fragment written
 * there), or NULL. 'own_file' need not exist yet. */
const struct tw_sysctld_assign *sysctld_overrider(const struct tw_sysctld *c, const char *key,
						  const char *own_file);

void sysctld_free(struct tw_sysctld *c);

#endif
