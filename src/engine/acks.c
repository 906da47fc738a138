/* SPDX-License-Identifier: MIT */
/* acks.c: the acknowledged-findings file (see acks.h). */
#include "engine/acks.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/yaml_get.h"
#include "util/parse_num.h"
#include "util/xalloc.h"

void acks_add(struct tw_ack_list *l, const char *id, const char *reason)
{
	l->v = tw_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n].id = tw_xstrdup(id);
	l->v[l->n].reason = reason ? tw_xstrdup(reason) : NULL;
	l->n++;
}

/* "YYYY-MM-DD" -> the end of that day, UTC. */
static int parse_date(const char *s, time_t *ret)
{
	uint64_t y, m, d;
	struct tm tm = { 0 };

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    tw_parse_u64n(s, 4, 1970, 9999, &y) < 0 || tw_parse_u64n(s + 5, 2, 1, 12, &m) < 0 ||
	    tw_parse_u64n(s + 8, 2, 1, 31, &d) < 0)
		return -EINVAL;
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)m - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_sec = 59;
	*ret = timegm(&tm);
	/* timegm() normalises 2027-02-30 to March 2: refuse such dates. */
	if (tm.tm_mday != (int)d || tm.tm_mon != (int)m - 1)
		return -EINVAL;
	return 0;
}

int acks_load(struct tw_ack_list *l, const char *path, bool required, time_t now,
	      struct tw_error *err)
{
	static const char *const top_keys[] = { "acknowledged", NULL };
	static const char *const keys[] = { "id", "reason", "expires", NULL };
	const struct ynode *list;
	struct ydoc d = { 0 };
	int r;

	if (!required && access(path, F_OK) != 0)
		return 0;
	r = ydoc_load(path, &d, err);
	if (r < 0)
		return r;
	if (!d.root)
		goto out;
	if ((r = ycheck_keys(path, d.root, top_keys, "the acknowledgement file", err)) < 0)
		goto out;
	list = ynode_get(d.root, "acknowledged");
	if (!list)
		goto out;
	if (list->type != YNODE_SEQ) {
		r = yerr(path, list, err, "acknowledged must be a list of {id, reason, expires}");
		goto out;
	}
	for (size_t i = 0; i < list->n; i++) {
		const struct ynode *e = list->items[i], *id, *reason, *exp;
		time_t until;

		if ((r = ycheck_keys(path, e, keys, "an acknowledgement", err)) < 0)
			goto out;
		id = ynode_get(e, "id");
		reason = ynode_get(e, "reason");
		exp = ynode_get(e, "expires");
		if (!id || id->type != YNODE_SCALAR) {
			r = yerr(path, e, err, "an acknowledgement needs an id");
			goto out;
		}
		if (!reason || reason->type != YNODE_SCALAR) {
			r = yerr(path, e, err, "acknowledgement of '%s' needs a reason", id->value);
			goto out;
		}
		if (exp) {
			if (exp->type != YNODE_SCALAR || parse_date(exp->value, &until) < 0) {
				r = yerr(path, exp, err, "expires must be a date YYYY-MM-DD");
				goto out;
			}
			if (until < now) {
				l->expired = tw_xrealloc(l->expired, (l->nexpired + 1) * sizeof(char *));
				l->expired[l->nexpired++] = tw_xstrdup(id->value);
				continue;
			}
		}
		acks_add(l, id->value, reason->value);
	}
out:
	ydoc_free(&d);
	return r;
}

void acks_free(struct tw_ack_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free((char *)l->v[i].id);
		free((char *)l->v[i].reason);
	}
	free(l->v);
	str_list_free(l->expired, l->nexpired);
	memset(l, 0, sizeof(*l));
}
