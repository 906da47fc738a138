/* SPDX-License-Identifier: MIT */
/* error.h: an error report carried from library code up to the verbs.
 *
 * Library functions return 0 or a negative errno and, on failure, fill a
 * caller-owned struct tw_error with one line for the user, already
 * formatted as "FILE:LINE: what is wrong" where a location is known.
 * Library code never prints: the verb (src/cmd_*.c) prints the message.
 *
 * Messages quote input (a key, a line of a snapshot file), and that input
 * may come from a hostile host: every message is passed through
 * tw_escape_text() when formatted, so it is one line of printable text
 * whatever the input held. */
#ifndef TW_UTIL_ERROR_H
#define TW_UTIL_ERROR_H

#include <stddef.h>

struct tw_error {
	char msg[1024];
};

/* The longest excerpt of input a message should quote (see tw_excerpt). */
#define TW_EXCERPT_MAX 40

/* Formats the message into 'err' (when not NULL) and returns 'code', so
 * callers can write: return tw_error_set(err, -EINVAL, "...", ...); */
int tw_error_set(struct tw_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes an existing message with "prefix: " (e.g. a file name). */
int tw_error_prefix(struct tw_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Copies 's' into 'out' (always NUL-terminated, truncated to 'size')
 * with control characters (C0, DEL, and C1 bytes 0x80..0x9f that do not
 * continue a UTF-8 sequence) written as "\xNN":
 * the one function that makes quoted input safe for a terminal. */
void tw_escape_text(const char *s, char *out, size_t size);

/* A short excerpt of the 'n' bytes at 's' for a message: at most
 * TW_EXCERPT_MAX bytes, followed by "..." when cut; 'out' must hold
 * TW_EXCERPT_MAX + 4 bytes. Escaping happens when the message is set. */
const char *tw_excerpt(const char *s, size_t n, char out[TW_EXCERPT_MAX + 4]);

#endif
