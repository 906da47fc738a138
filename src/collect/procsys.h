/* SPDX-License-Identifier: MIT */
/* procsys.h: every kernel parameter under /proc/sys, as sysctl -a sees it. */
#ifndef TW_COLLECT_PROCSYS_H
#define TW_COLLECT_PROCSYS_H

#include "facts/sysctl_keys.h"
#include "facts/sysctls.h"
#include "util/error.h"

/* Reads the tree under 'root' (normally "/proc/sys"; a folder in tests)
 * into 'out', keys in sysctl's dotted form. 'subtree' limits the walk to
 * one part ("net"), or NULL for all of it. A file that exists but cannot
 * be read (write-only, EACCES, EIO as for an unset stable_secret) is put
 * with a NULL value; values longer than 64 KiB or holding NUL bytes are
 * put as unreadable too. Other file systems mounted inside the tree
 * (binfmt_misc) are skipped, as sysctl -a does. Sets out->known. Errors:
 * the root cannot be opened (e.g. /proc not mounted). Does not seal. */
int procsys_read(const char *root, const char *subtree, struct tw_sysctls *out,
		 struct tw_error *err);

/* Reads only the keys in 'keys' (keys->all is not looked at), with the
 * same result for each as procsys_read() would give: a key whose file
 * does not exist is not put. Sets out->known. Errors: the root cannot be
 * opened. Does not seal. */
int procsys_read_keys(const char *root, const struct tw_sysctl_keys *keys,
		      struct tw_sysctls *out, struct tw_error *err);

#endif
