/* SPDX-License-Identifier: MIT */
/* yaml_get.c: typed accessors over yaml_doc trees (see yaml_get.h). */
#include "engine/yaml_get.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

int yerr(const char *file, const struct ynode *n, struct tw_error *err, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tw_error_set(err, -EINVAL, "%s:%d:%d: %s", file, n ? n->line : 1, n ? n->col : 1, msg);
}

int yget_str(const char *file, const struct ynode *n, const char *what, char **ret,
	     struct tw_error *err)
{
	if (n->type != YNODE_SCALAR)
		return yerr(file, n, err, "%s must be text, not %s", what, ynode_type_name(n->type));
	*ret = tw_xstrdup(n->value);
	return 0;
}

int yget_num(const char *file, const struct ynode *n, const char *what, double *ret,
	     struct tw_error *err)
{
	char *end;
	double d;

	if (n->type != YNODE_SCALAR)
		return yerr(file, n, err, "%s must be a number, not %s", what, ynode_type_name(n->type));
	d = strtod(n->value, &end);
	if (end == n->value || *end != '\0' || !isfinite(d))
		return yerr(file, n, err, "%s must be a number, got '%s'", what, n->value);
	*ret = d;
	return 0;
}

int yget_str_list(const char *file, const struct ynode *n, const char *what, char ***ret,
		  size_t *ret_n, struct tw_error *err)
{
	char **v;

	if (n->type == YNODE_SCALAR) {
		v = tw_xmalloc(sizeof(*v));
		v[0] = tw_xstrdup(n->value);
		*ret = v;
		*ret_n = 1;
		return 0;
	}
	if (n->type != YNODE_SEQ)
		return yerr(file, n, err, "%s must be a list, not %s", what, ynode_type_name(n->type));
	v = tw_xcalloc(n->n ? n->n : 1, sizeof(*v));
	for (size_t i = 0; i < n->n; i++) {
		if (n->items[i]->type != YNODE_SCALAR) {
			int r = yerr(file, n->items[i], err, "items of %s must be text", what);

			str_list_free(v, i);
			return r;
		}
		v[i] = tw_xstrdup(n->items[i]->value);
	}
	*ret = v;
	*ret_n = n->n;
	return 0;
}

int ycheck_keys(const char *file, const struct ynode *map, const char *const *allowed,
		const char *what, struct tw_error *err)
{
	if (map->type != YNODE_MAP)
		return yerr(file, map, err, "%s must be a mapping, not %s", what, ynode_type_name(map->type));
	for (size_t i = 0; i < map->n; i++) {
		const char *k = map->keys[i]->value;
		bool ok = false;

		for (size_t a = 0; allowed[a]; a++)
			ok = ok || strcmp(allowed[a], k) == 0;
		if (!ok) {
			char list[512] = "";

			for (size_t a = 0; allowed[a]; a++) {
				strncat(list, a ? ", " : "", sizeof(list) - strlen(list) - 1);
				strncat(list, allowed[a], sizeof(list) - strlen(list) - 1);
			}
			return yerr(file, map->keys[i], err, "unknown key '%s' in %s (known: %s)", k, what, list);
		}
	}
	return 0;
}

void str_list_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
