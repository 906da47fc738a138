/* SPDX-License-Identifier: MIT */
/* applystate.h: what --apply records for --revert, where, and when it is
 * trusted.
 *
 * The state lives in a state folder (default /var/lib/twadvise, --state-dir
 * in tests), created 0700 and refused when it is a symbolic link, not
 * owned by root or by us, or writable by group or others. One file per
 * fragment, named after a hash of the fragment's absolute path
 * ("fragment-<16 hex>.state"), and a lock file ("lock") that --apply and
 * --revert hold with flock(2) from before they read anything until they
 * exit, so that two runs never interleave.
 *
 * A state file is refused when it is a symbolic link, not a regular file,
 * not owned by root or by us, writable by group or others, or linked
 * more than once; when it does not parse exactly (format below); when it
 * names a key that is not on the allow-list (with a recorded namespace:
 * not per namespace); or when its recorded prior bytes do not match their
 * hash. It is published with link(2) from a complete temporary file, which
 * fails with EEXIST when a state is already there (the O_EXCL of a
 * rename), so a state file is never partial and never overwritten.
 *
 * Format (text; every line is required unless marked optional):
 *
 *   # twadvise apply state 2
 *   # (comment lines: what wrote it, how to revert)
 *   fragment /etc/sysctl.d/60-twadvise.conf     absolute path
 *   netns blue                                   optional
 *   applied-sha256 <64 hex>                      the bytes --apply wrote
 *   prior none                                   no file was there, or:
 *   prior mode 0640 uid 0 gid 0 size 57 sha256 <64 hex>
 *   prior-data <hex, at most 64 bytes a line>    repeated, in order
 *   value net.ipv4.tcp_fin_timeout = 60          one a key, in apply order
 *   end
 *
 * Functions return 0 or -errno and fill a struct tw_error; they never
 * print or exit. */
#ifndef TW_SYSCTLD_APPLYSTATE_H
#define TW_SYSCTLD_APPLYSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "sysctld/apply.h"
#include "util/error.h"
#include "util/sha256.h"

#define TW_STATE_MAGIC "# twadvise apply state 2"
/* The largest file --apply takes over at --output (its bytes go into the
 * state, twice their size in hex). */
#define TW_PRIOR_MAX (256u * 1024u)

/* A regular file's bytes and metadata, as read before replacing it. */
struct tw_file_prior {
	bool existed;
	char *data;        /* owned; NULL when !existed */
	size_t len;
	mode_t mode;       /* permission bits only */
	uid_t uid;
	gid_t gid;
};

void file_prior_free(struct tw_file_prior *p);

/* Reads 'path' into *ret (caller frees with file_prior_free): !existed
 * when there is no such file. Refuses a symbolic link, anything not a
 * regular file (never opens a FIFO or device), or more than 'max' bytes. */
int file_prior_read(const char *path, size_t max, struct tw_file_prior *ret,
		    struct tw_error *err);

/* Whether 'p' describes what is at 'path' now: the same bytes, or both
 * absent. */
bool file_prior_matches(const struct tw_file_prior *p, const struct tw_file_prior *now);

/* Writes 'data' to 'path' atomically (temporary file in the same folder,
 * fsync, rename, fsync of the folder). With 'keep' (a file that existed),
 * the new file gets its mode, owner and group; otherwise the mode is 0644
 * less the process umask. Refuses to replace a symbolic link or a
 * non-regular file. */
int file_write_atomic(const char *path, const void *data, size_t len,
		      const struct tw_file_prior *keep, struct tw_error *err);

/* Removes 'path' (absent is fine) and makes that durable (fsync of the
 * folder). Refuses anything but a regular file. */
int file_remove_durable(const char *path, struct tw_error *err);

/* Removes stale temporary files of twadvise's own naming for 'file' in
 * its folder: "BASE.tmp.XXXXXX" and "BASE.previous.tmp.XXXXXX" (six
 * letters or digits, as mkstemp makes them), regular files owned by us and
 * older than 'min_age' seconds. Returns how many were removed. */
size_t stale_tmp_clean(const char *file, unsigned min_age);

/* The state folder, open and (after state_dir_lock) locked. */
struct tw_state_dir {
	char *path;
	int fd;
	int lock_fd;
};

/* Opens 'path', creating it (0700, parents too) when 'create'; refuses a
 * symbolic link, a folder not owned by root or by us, or one writable by
 * group or others. -ENOENT (with a message) when absent and !create. */
int state_dir_open(const char *path, bool create, struct tw_state_dir *ret,
		   struct tw_error *err);
/* Takes the exclusive lock, waiting at most 'timeout_s' seconds. */
int state_dir_lock(struct tw_state_dir *d, unsigned timeout_s, struct tw_error *err);
/* Releases the lock and closes; accepts NULL and a zeroed struct. */
void state_dir_close(struct tw_state_dir *d);

/* The absolute path of 'fragment' (its folder resolved, the name kept);
 * caller frees. The folder must exist. */
int fragment_abspath(const char *fragment, char **ret, struct tw_error *err);
/* "fragment-<16 hex>.state" for an absolute fragment path; caller frees. */
char *state_name(const char *abs_fragment);

struct tw_apply_state {
	char *fragment;                  /* absolute path */
	char *netns;                     /* NULL: the initial namespace */
	char applied_sha256[TW_SHA256_HEX_LEN + 1];
	struct tw_file_prior prior;      /* the file at 'fragment' before --apply */
	struct tw_apply_undo values;     /* 'previous' of each key; 'value' NULL when read */
};

void apply_state_free(struct tw_apply_state *s);

/* The text of a state (format above); caller frees. -EINVAL when a
 * field cannot be recorded (control characters, a key off the list). */
int apply_state_format(const struct tw_apply_state *s, char **ret, struct tw_error *err);
/* Parses the text of a state file named 'what' (for messages). Errors
 * are "WHAT:LINE: problem". On failure *ret is untouched. */
int apply_state_parse(const char *what, const char *buf, size_t len,
		      struct tw_apply_state *ret, struct tw_error *err);

/* Publishes 'name' in the state folder, exclusively: -EEXIST when a
 * state is already there, nothing written. */
int apply_state_write(const struct tw_state_dir *d, const char *name,
		      const struct tw_apply_state *s, struct tw_error *err);
/* Reads and checks 'name' (see the refusals above). -ENOENT when there is
 * none. */
int apply_state_read(const struct tw_state_dir *d, const char *name,
		     struct tw_apply_state *ret, struct tw_error *err);
/* Removes 'name' durably; absent is fine. */
int apply_state_remove(const struct tw_state_dir *d, const char *name, struct tw_error *err);

#endif
