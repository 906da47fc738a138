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
/* Every key of 'map' must be one of 'allowed' (NULL-terminated). */
int ycheck_keys(const char *file, const struct ynode *map, const char *const *allowed,
		const char *what, struct tw_error *err);
int yerr(const char *file, const struct ynode *n, struct tw_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

void str_list_free(char **v, size_t n);

#endif
