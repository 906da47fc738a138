/* SPDX-License-Identifier: MIT */
/* dirlist.h: the *.yaml files of a folder, sorted by name. */
#ifndef TW_ENGINE_DIRLIST_H
#define TW_ENGINE_DIRLIST_H

#include <stddef.h>

#include "util/error.h"

/* Full paths (caller frees each and the array). A missing folder gives
 * zero files; an unreadable one is an error. */
int dirlist_yaml(const char *dir, char ***ret, size_t *ret_n, struct tw_error *err);

/* Calls load(ctx, path, err) for each *.yaml of 'dir' in name order,
 * stopping at the first error, which it returns. */
int dirlist_yaml_each(const char *dir, int (*load)(void *ctx, const char *path,
						   struct tw_error *err),
		      void *ctx, struct tw_error *err);

#endif
