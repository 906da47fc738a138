/* SPDX-License-Identifier: MIT */
/* fileio.h: reading small files whole, reading inside a hostile folder,
 * and writing files atomically. */
#ifndef TW_UTIL_FILEIO_H
#define TW_UTIL_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "util/error.h"

/* Reads at most 'max' bytes of 'path' into a NUL-terminated buffer (caller
 * frees *ret_buf). Returns -EFBIG when the file is larger than 'max', so a
 * hostile /proc or snapshot file cannot exhaust memory. Errors name the
 * path. On failure *ret_buf is untouched. */
int tw_read_file(const char *path, size_t max, char **ret_buf, size_t *ret_len,
		 struct tw_error *err);

/* ---- reading inside a folder that may be hostile (a snapshot) ----
 *
 * Every file of a snapshot is opened relative to the snapshot folder's
 * descriptor with openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS), so no
 * path, symbolic link or ".." leads out of it; on kernels without
 * openat2 (before 5.6) each component is opened with O_NOFOLLOW instead,
 * so no symbolic link is followed at all. The file is first opened with
 * O_PATH and checked with fstat: only a regular file is then opened for
 * reading (O_NONBLOCK, O_CLOEXEC, O_NOCTTY), so a FIFO or device node is
 * never opened and nothing can block. */

/* Opens 'rel' under 'dirfd' for reading as above. Returns the descriptor
 * and fills *ret_st, or: -ENOENT absent, -EXDEV / -ELOOP a link leading
 * out or any link (fallback), -EINVAL for a FIFO, device,
 * socket or folder, or another -errno. Never sets an error message: the
 * caller names the file (see tw_open_error). */
int tw_open_beneath(int dirfd, const char *rel, struct stat *ret_st);
/* Tests only: behave as on a kernel without openat2 (true) or not. */
void tw_open_beneath_force_walk(bool on);
/* One line for an error of tw_open_beneath() on 'name'. */
int tw_open_error(struct tw_error *err, int code, const char *name);

/* Reads at most 'max' bytes from an open descriptor into a NUL-terminated
 * buffer (caller frees *ret_buf); -EFBIG when larger ('name' in the
 * message). A regular file whose size is known to exceed 'max' is refused
 * before anything is read. */
int tw_read_fd(int fd, const char *name, size_t max, char **ret_buf, size_t *ret_len,
	       struct tw_error *err);
/* tw_open_beneath() + tw_read_fd(); errors name 'name' (e.g. DIR/FILE). */
int tw_read_beneath(int dirfd, const char *rel, const char *name, size_t max,
		    char **ret_buf, size_t *ret_len, struct tw_error *err);

/* A bounded line reader: a line longer than 'max' bytes is an error at
 * that line ("NAME:LINE: line longer than MAX bytes") after reading at
 * most max + one chunk of it, so memory stays bounded whatever the file. */
struct tw_line_reader {
	int fd;
	const char *name;
	char *buf;
	size_t size, start, end, max;
	unsigned lineno;
	int eof;
};
/* Takes 'fd' (not owned: the caller closes it after tw_line_reader_free). */
void tw_line_reader_init(struct tw_line_reader *r, int fd, const char *name, size_t max);
/* 1 with the next line (without '\n', NUL-terminated, valid until the next
 * call) and its number in r->lineno; 0 at the end; -errno with 'err' set. */
int tw_line_reader_next(struct tw_line_reader *r, char **ret, size_t *ret_len,
			struct tw_error *err);
/* Back to the start of the file (lseek), for a second pass. */
int tw_line_reader_rewind(struct tw_line_reader *r, struct tw_error *err);
void tw_line_reader_free(struct tw_line_reader *r);

/* Reads 'path' whole (at most 'max' bytes) only when it is a regular file
 * and not a symbolic link: the checks tw_atomic_write() makes before
 * replacing it, so --diff reads what --output would replace, never a
 * link's target, a FIFO or a device. */
int tw_read_regular(const char *path, size_t max, char **ret_buf, size_t *ret_len,
		    struct tw_error *err);

/* Writes all of 'buf' to 'fd', retrying short writes and EINTR; 0 or -errno. */
int tw_write_all(int fd, const void *buf, size_t len);

/* Writes 'len' bytes to 'path' atomically: a temporary file in the same
 * folder, fsync, rename over 'path', fsync of the folder. The file gets
 * 'mode' less the process umask. Refuses to
 * replace a symbolic link. On any failure the old file is untouched and
 * the temporary file removed. */
int tw_atomic_write(const char *path, const void *data, size_t len, mode_t mode,
		    struct tw_error *err);

/* The same, with the new file's mode exactly 'mode' and, with 'chown',
 * its owner and group (to keep those of a file it replaces). */
struct tw_file_owner {
	mode_t mode;
	bool chown;
	uid_t uid;
	gid_t gid;
};
int tw_atomic_write_as(const char *path, const void *data, size_t len,
		       const struct tw_file_owner *own, struct tw_error *err);

/* The process umask (read without changing it for good). */
mode_t tw_umask(void);
/* fsync of the folder holding 'path', so that a rename or unlink lasts. */
void tw_sync_parent(const char *path);

#endif
