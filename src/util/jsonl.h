/* SPDX-License-Identifier: MIT */
/* jsonl.h: reading a JSON Lines file of twadvise reports (--from-json),
 * as `--format json` prints them: one object per line, "twadvise": 1. */
#ifndef TW_UTIL_JSONL_H
#define TW_UTIL_JSONL_H

#include <stddef.h>

#include <jansson.h>

#include "util/error.h"

/* The most a --from-json file may hold (a report is a few tens of KiB). */
#define TW_JSONL_MAX (256u << 20)

struct tw_jsonl {
	json_t **docs;  /* owned, one per non-blank line */
	size_t n;
};

/* Reads 'path' (a regular file, see tw_read_regular) and parses each
 * non-blank line with jansson. A line that is not a JSON object with
 * "twadvise": 1 is an error "PATH:LINE:COL: what" in 'err'; an empty
 * file is one too. 0, or a negative errno with *ret untouched. */
int jsonl_read(const char *path, struct tw_jsonl *ret, struct tw_error *err);
/* Frees the documents; accepts NULL and a zeroed struct. */
void jsonl_free(struct tw_jsonl *j);

#endif
