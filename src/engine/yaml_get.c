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

bool ydiags_take(struct ydiags *d, const struct tw_error *err, int rc)
{
	if (!d)
		return false;
	d->msgs = tw_xgrow(d->msgs, &d->cap, d->n + 1, sizeof(*d->msgs));
	d->msgs[d->n++] = tw_xstrdup(err->msg);
	if (!d->first)
		d->first = rc;
	return true;
}

struct diag_pos {
	unsigned long line, col;
	size_t i;
	char *msg;
};

static int diag_pos_cmp(const void *a, const void *b)
{
	const struct diag_pos *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

void ydiags_sort(struct ydiags *d, const char *file)
{
	size_t fn = strlen(file);
	struct diag_pos *v;

	if (!d || d->n < 2)
		return;
	v = tw_xcalloc(d->n, sizeof(*v));
	for (size_t i = 0; i < d->n; i++) {
		const char *m = d->msgs[i];
		char *end;

		v[i] = (struct diag_pos){ 0, 0, i, d->msgs[i] };
		if (strncmp(m, file, fn) != 0 || m[fn] != ':')
			continue;
		v[i].line = strtoul(m + fn + 1, &end, 10);
		if (*end == ':')
			v[i].col = strtoul(end + 1, NULL, 10);
	}
	qsort(v, d->n, sizeof(*v), diag_pos_cmp);
	for (size_t i = 0; i < d->n; i++)
		d->msgs[i] = v[i].msg;
	free(v);
}

int ydiags_finish(struct ydiags *d, const struct tw_error *err, int rc, const char *file,
		  char ***ret_msgs, size_t *ret_n)
{
	if (rc < 0 && d->n == 0)
		ydiags_take(d, err, rc);
	ydiags_sort(d, file);
	*ret_msgs = d->msgs;
	*ret_n = d->n;
	return rc;
}

void ydiags_free(struct ydiags *d)
{
	if (!d)
		return;
	str_list_free(d->msgs, d->n);
	memset(d, 0, sizeof(*d));
}

int ycheck_keys_each(const char *file, const struct ynode *map, const char *const *allowed,
		     const char *what, struct ydiags *d, struct tw_error *err)
{
	int first = 0;

	if (map->type != YNODE_MAP)
		return yerr(file, map, err, "%s must be a mapping, not %s", what, ynode_type_name(map->type));
	for (size_t i = 0; i < map->n; i++) {
		const char *k = map->keys[i]->value;
		bool ok = false;

		for (size_t a = 0; allowed[a]; a++)
			ok = ok || strcmp(allowed[a], k) == 0;
		if (!ok) {
			char list[512] = "";
			int rc;

			for (size_t a = 0; allowed[a]; a++) {
				strncat(list, a ? ", " : "", sizeof(list) - strlen(list) - 1);
				strncat(list, allowed[a], sizeof(list) - strlen(list) - 1);
			}
			rc = yerr(file, map->keys[i], err, "unknown key '%s' in %s (known: %s)", k, what, list);
			if (!ydiags_take(d, err, rc))
				return rc;
			first = first ? first : rc;
		}
	}
	/* Recorded already: the caller's own take must not repeat it. */
	return d ? 0 : first;
}

int ycheck_keys(const char *file, const struct ynode *map, const char *const *allowed,
		const char *what, struct tw_error *err)
{
	return ycheck_keys_each(file, map, allowed, what, NULL, err);
}

void str_list_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
