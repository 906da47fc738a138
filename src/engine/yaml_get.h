/* SPDX-License-Identifier: MIT */
/* yaml_get.h: typed accessors over yaml_doc trees with positioned errors.
 *
 * Shared by the rule and profile loaders: each returns 0, or -EINVAL with
 * "FILE:LINE:COL: message" naming the node at fault. */
#ifndef TW_ENGINE_YAML_GET_H
#define TW_ENGINE_YAML_GET_H

#include <stddef.h>

#include "engine/yaml_doc.h"
#include "util/error.h"

/* 'n' must be a scalar; *ret is a copy (caller frees). */
int yget_str(const char *file, const struct ynode *n, const char *what, char **ret,
	     struct tw_error *err);
/* 'n' must be a scalar holding a finite number. */
int yget_num(const char *file, const struct ynode *n, const char *what, double *ret,
	     struct tw_error *err);
/* 'n' must be a list of scalars (a single scalar is accepted as a list of
 * one); *ret (caller frees each and the array). */
int yget_str_list(const char *file, const struct ynode *n, const char *what, char ***ret,
		  size_t *ret_n, struct tw_error *err);
/* Errors gathered instead of stopping at the first (--validate). */
struct ydiags {
	char **msgs;
	size_t n, cap;
	int first;     /* the first error's code, 0 when none */
};
/* After a failed step (rc < 0, 'err' set): with 'd', records the message
 * and returns true (carry on with the next independent part); without,
 * returns false (stop at the first error, as loading does). */
bool ydiags_take(struct ydiags *d, const struct tw_error *err, int rc);
/* Puts the messages "FILE:LINE:COL: ..." of 'file' in file order. */
void ydiags_sort(struct ydiags *d, const char *file);
void ydiags_free(struct ydiags *d);
/* The end of a --validate load that returned 'rc': an error met before
 * the file was parsed (unreadable, not YAML) is taken from 'err'; the
 * messages, in file order, move to *ret_msgs (caller frees). Returns rc. */
int ydiags_finish(struct ydiags *d, const struct tw_error *err, int rc, const char *file,
		  char ***ret_msgs, size_t *ret_n);

/* Every key of 'map' must be one of 'allowed' (NULL-terminated). */
int ycheck_keys(const char *file, const struct ynode *map, const char *const *allowed,
		const char *what, struct tw_error *err);
/* The same, each unknown key recorded in 'd' when given (see ydiags_take). */
int ycheck_keys_each(const char *file, const struct ynode *map, const char *const *allowed,
		     const char *what, struct ydiags *d, struct tw_error *err);
int yerr(const char *file, const struct ynode *n, struct tw_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

void str_list_free(char **v, size_t n);

#endif
