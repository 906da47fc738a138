/* SPDX-License-Identifier: MIT */
/* snapshot.h: reading a snapshot folder (doc/snapshot-format.md, "Snapshot
 * directory") into the fact table, for offline analysis. */
#ifndef TW_COLLECT_SNAPSHOT_H
#define TW_COLLECT_SNAPSHOT_H

#include "facts/facts.h"
#include "util/error.h"

/* Reads the snapshot folder 'dir' into 'f', which the caller initialised
 * with facts_init() and frees with facts_free() (also on failure).
 * Required: uname-r.txt, sysctl-a.txt, ss-tan.txt; a missing or malformed
 * one is an error naming the file (and line). Optional files (proc/net/...,
 * proc/slabinfo, proc/meminfo, dmesg.txt) that are missing, refused or
 * malformed leave their facts unknown, with a note. Every file is opened
 * inside 'dir' only, and only when it is a regular file (fileio.h,
 * tw_open_beneath). ss-tan.txt
 * is streamed twice (listeners, then TIME_WAIT), so memory does not grow
 * with its length. sysctl.d copies are not read here (f->persisted stays
 * NULL). Returns 0 or a negative errno with 'err' set. */
int collect_snapshot(const char *dir, struct tw_facts *f, struct tw_error *err);

struct snap_archive;
/* The same from a snapshot archive loaded by snap_archive_load(): the
 * rows are taken from it (so each is read once); its sysctl.d copies are
 * left for the caller. f->snapshot_dir is the archive's path. */
int collect_snapshot_archive(struct snap_archive *a, struct tw_facts *f, struct tw_error *err);

#endif
