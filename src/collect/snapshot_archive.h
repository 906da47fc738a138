/* SPDX-License-Identifier: MIT */
/* snapshot_archive.h: a snapshot packed as a tar archive (.tar.gz, .tgz,
 * .tar), read straight into memory, never extracted.
 *
 * Only regular-file entries of the snapshot's known names are kept (the
 * rows of sources.h and the sysctl.d copies), possibly all under one
 * top-level folder. An entry of a known name that is a link, a device or
 * larger than that file's cap is kept as refused, so that reading it
 * fails as the same file would in a folder (tw_open_beneath); entries
 * with an absolute path or a ".." component, and unknown names, are
 * skipped and counted. */
#ifndef TW_COLLECT_SNAPSHOT_ARCHIVE_H
#define TW_COLLECT_SNAPSHOT_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

struct snap_entry {
	char *rel;        /* the snapshot path ("ss-tan.txt", "etc/sysctl.d/x.conf") */
	char *buf;        /* NUL-terminated bytes; NULL once taken or when refused */
	size_t len;
	int refused;      /* 0, or the -errno a folder read would give */
	char *why;        /* for a refused entry: what it is */
};

struct snap_archive {
	char *path;
	struct snap_entry *v;
	size_t n, cap;
	size_t skipped_outside;   /* absolute paths and ".." components */
	size_t skipped_other;     /* unknown names, second top-level folders */
};

/* True when 'path' names an archive by its suffix (.tar.gz, .tgz, .tar). */
bool snapshot_is_archive(const char *path);

/* Reads the archive at 'path' into *ret (caller frees with
 * snap_archive_free). A file that is not a readable tar archive, or one
 * that ends early (a truncated gzip), is an error naming it. */
int snap_archive_load(const char *path, struct snap_archive **ret, struct tw_error *err);
void snap_archive_free(struct snap_archive *a);

/* Takes the bytes of entry 'rel' (caller frees *ret_buf): 0; -ENOENT
 * when absent; a refused entry's code with 'err' naming 'name'. */
int snap_archive_take(struct snap_archive *a, const char *rel, const char *name,
		      char **ret_buf, size_t *ret_len, struct tw_error *err);

#endif
