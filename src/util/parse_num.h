/* SPDX-License-Identifier: MIT */
/* parse_num.h: the one bounded number parser.
 *
 * sysctl values, /proc counters and snapshot fields are text; every number
 * taken from them goes through these helpers, which accept only a whole
 * decimal string (optional leading '-' for the signed variant), refuse
 * trailing garbage and check the bounds. */
#ifndef TW_UTIL_PARSE_NUM_H
#define TW_UTIL_PARSE_NUM_H

#include <stddef.h>
#include <stdint.h>

/* 0 on success; -EINVAL when 's' is not a number; -ERANGE when outside
 * [min, max]. *ret is untouched on failure. */
int tw_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *ret);
int tw_parse_i64(const char *s, int64_t min, int64_t max, int64_t *ret);
/* Same, on the first 'n' bytes of 's' (no NUL needed). */
int tw_parse_u64n(const char *s, size_t n, uint64_t min, uint64_t max, uint64_t *ret);
int tw_parse_i64n(const char *s, size_t n, int64_t min, int64_t max, int64_t *ret);

#endif
