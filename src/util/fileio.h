/* SPDX-License-Identifier: MIT */
/* fileio.h: reading small files whole, and writing files atomically. */
#ifndef TW_UTIL_FILEIO_H
#define TW_UTIL_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"

/* Reads at most 'max' bytes of 'path' into a NUL-terminated buffer (caller
 * frees *ret_buf). Returns -EFBIG when the file is larger than 'max', so a
 * hostile /proc or snapshot file cannot exhaust memory. Errors name the
 * path. On failure *ret_buf is untouched. */
int tw_read_file(const char *path, size_t max, char **ret_buf, size_t *ret_len,
		 struct tw_error *err);

/* Writes all of 'buf' to 'fd', retrying short writes and EINTR; 0 or -errno. */
int tw_write_all(int fd, const void *buf, size_t len);

/* Writes 'len' bytes to 'path' atomically: a temporary file in the same
 * folder, fsync, rename over 'path', fsync of the folder. Refuses to
 * replace a symbolic link. On any failure the old file is untouched and
 * the temporary file removed. */
int tw_atomic_write(const char *path, const void *data, size_t len, mode_t mode,
		    struct tw_error *err);

#endif
