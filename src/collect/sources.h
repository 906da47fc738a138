/* SPDX-License-Identifier: MIT */
/* sources.h: the one table of what twadvise reads about a host.
 *
 * Each row names a file by its path in a snapshot folder (doc/snapshot-format.md,
 * "Snapshot directory"), where the live host has it (under a root folder,
 * "/" normally, as ss has PROC_ROOT), the parser that turns its bytes
 * into facts, the part of the fact table it fills, and whether it is
 * required. The same rows drive live reading (collect_live), snapshot
 * reading (collect_snapshot) and --capture, so the three cannot drift
 * apart, and the live collector can be run on a fake /proc tree in tests.
 *
 * One policy for every optional row, live or snapshot: absent means
 * unknown (listed in one note); unreadable, refused (a link out of the
 * snapshot, a FIFO, a device) or malformed means unknown with a note
 * saying why. A required row that is absent or malformed is an error
 * naming the file and line. The socket list (ss-tan.txt) is a row too,
 * but its reading is the socket walk's (live.c, snapshot.c), through the
 * callback given. sysctl.d copies are read by src/sysctld/. */
#ifndef TW_COLLECT_SOURCES_H
#define TW_COLLECT_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

#include "facts/facts.h"
#include "util/error.h"

struct snap_archive;

/* How the live host provides a row. */
enum source_live {
	SOURCE_LIVE_FILE,    /* the file at 'live_rel' under the root */
	SOURCE_LIVE_SYSCTLS, /* the /proc/sys tree under the root (sysctl -a) */
	SOURCE_LIVE_KLOG,    /* the kernel log (klogctl), only when the root is "/" */
	SOURCE_LIVE_SOCKETS, /* the socket walk (netlink, or /proc/net/tcp) */
	SOURCE_LIVE_META,    /* written by --capture from what it knows (meta.txt); not read live */
	SOURCE_LIVE_NFT,     /* the nftables ruleset through libnftables, only when the root is "/" */
};

/* Parses a row's bytes (in the snapshot's format) into 'out', which
 * points into 'f' at the row's destination; 'f' is for notes only. */
typedef int (*source_parser)(const char *buf, size_t len, const char *name, void *out,
			     struct tw_facts *f, struct tw_error *err);

struct source_row {
	const char *rel;          /* path in a snapshot */
	const char *live_rel;     /* path under the live root (SOURCE_LIVE_FILE) */
	enum source_live live;
	source_parser parse;      /* NULL for the socket row */
	size_t dest;              /* offsetof(struct tw_facts, ...) it fills */
	size_t dest_size;         /* sizeof that part: parsed into a copy first */
	void (*discard)(void *);  /* frees a failed copy (NULL: nothing to free) */
	bool required;
	size_t max;               /* bytes read at most */
	/* Absent from a snapshot, not named in the "snapshot lacks" note: an
	 * alternative spelling of another row (conntrack-L.txt), or a file
	 * older captures lack whose facts say "unknown" themselves. */
	bool quiet_absent;
};

extern const struct source_row tw_sources[];
extern const size_t tw_nsources;

enum source_mode {
	SOURCE_MODE_LIVE,
	SOURCE_MODE_SNAPSHOT,
};

/* Where and how to read. */
struct source_ctx {
	enum source_mode mode;
	int rootfd;               /* the live root or the snapshot folder (O_PATH is enough) */
	const char *root;         /* its name for messages ("/" or the folder) */
	/* A snapshot archive held in memory (snapshot_archive.h): rows are
	 * taken from it instead of opened beneath rootfd. */
	struct snap_archive *archive;
	/* Reads the socket row into 'f' (live.c or snapshot.c). */
	int (*sockets)(const struct source_ctx *ctx, struct tw_facts *f, void *data,
		       struct tw_error *err);
	void *sockets_data;
	/* Live: read only these sysctls (NULL, or keys->all: all of them). */
	const struct tw_sysctl_keys *sysctl_keys;
};

/* Reads every row in table order into 'f' (initialised by the caller).
 * Returns 0, or a negative errno with 'err' naming the file for a
 * required row, the socket callback's failure or a failed allocation;
 * optional rows only add notes. */
int sources_collect(const struct source_ctx *ctx, struct tw_facts *f, struct tw_error *err);

/* The bytes of one row in the snapshot's format, read from the live
 * root (for --capture): 1 with *ret_buf (caller frees), 0 when the
 * source is absent or unreadable and optional, <0 on error. Not for the
 * socket row. */
int source_live_bytes(const struct source_ctx *ctx, const struct source_row *s,
		      char **ret_buf, size_t *ret_len, struct tw_error *err);

/* The row for snapshot path 'rel', or NULL. */
const struct source_row *source_find(const char *rel);

/* "ROOT/REL" for messages (root "/" gives "/REL"). Caller frees. */
char *source_path(const struct source_ctx *ctx, const char *rel);

#endif
