/* SPDX-License-Identifier: MIT */
/* error.h: an error report carried from library code up to main().
 *
 * Library functions return 0 or a negative errno and, on failure, fill a
 * caller-owned struct tw_error with one line for the user, already
 * formatted as "FILE:LINE: what is wrong" where a location is known.
 * Only main() prints it. */
#ifndef TW_UTIL_ERROR_H
#define TW_UTIL_ERROR_H

#include <stddef.h>

struct tw_error {
	char msg[1024];
};

/* Formats the message into 'err' (when not NULL) and returns 'code', so
 * callers can write: return tw_error_set(err, -EINVAL, "...", ...); */
int tw_error_set(struct tw_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes an existing message with "prefix: " (e.g. a file name). */
int tw_error_prefix(struct tw_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
