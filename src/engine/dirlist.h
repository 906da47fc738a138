/* dirlist.h: the *.yaml files of a folder, sorted by name. */
#ifndef TW_ENGINE_DIRLIST_H
#define TW_ENGINE_DIRLIST_H

#include <stddef.h>

#include "util/error.h"

/* Full paths (caller frees each and the array). A missing folder gives
 * zero files; an unreadable one is an error. */
int dirlist_yaml(const char *dir, char ***ret, size_t *ret_n, struct tw_error *err);

#endif
