/* SPDX-License-Identifier: MIT */
/* sysctls.c: the kernel parameter table (see sysctls.h). */
#include "facts/sysctls.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/parse_num.h"
#include "util/sysctl_text.h"
#include "util/xalloc.h"

static int cmp_entry(const void *a, const void *b)
{
	const struct tw_sysctl_entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct tw_sysctl_entry *)a)->key,
		      ((const struct tw_sysctl_entry *)b)->key);
}

void sysctls_seal(struct tw_sysctls *t)
{
	size_t w = 0;

	if (t->sealed)
		return;
	/* Equal keys sort by insertion order; keep the last one. (qsort()
	 * must not see the NULL array of an empty table.) */
	if (t->n > 1)
		qsort(t->v, t->n, sizeof(t->v[0]), cmp_entry);
	for (size_t i = 0; i < t->n; i++) {
		if (w > 0 && strcmp(t->v[w - 1].key, t->v[i].key) == 0) {
			free(t->v[w - 1].key);
			free(t->v[w - 1].value);
			t->v[w - 1] = t->v[i];
			continue;
		}
		t->v[w++] = t->v[i];
	}
	/* Number the survivors below t->n, so that every later put (whose seq
	 * is the index it is appended at) is newer than all of them; keeping
	 * the old numbers could let a stale entry win the next seal. */
	for (size_t i = 0; i < w; i++)
		t->v[i].seq = i;
	t->n = w;
	t->sealed = true;
}

void sysctls_mark_subset(struct tw_sysctls *t, const struct tw_sysctl_keys *keys)
{
	if (!t->subset)
		t->subset = tw_xcalloc(1, sizeof(*t->subset));
	sysctl_keys_merge(t->subset, keys);
}

/* A key looked up that was not read: its "absent" would be a lie. Only
 * a missing entry in a module's key list can cause it (sysctl_keys.h). */
static void subset_miss(const char *key)
{
	if (getenv("TW_TEST_SYSCTL_STRICT")) {
		fprintf(stderr, "twadvise: internal error: sysctl %s looked up but not read\n", key);
		abort();
	}
}

const struct tw_sysctl_entry *sysctls_find(const struct tw_sysctls *t, const char *key)
{
	struct tw_sysctl_entry probe = { .key = (char *)key };

	if (t->subset && !sysctl_keys_has(t->subset, key))
		subset_miss(key);

	if (!t->sealed) {
		/* Linear scan from the end: the last put wins. */
		for (size_t i = t->n; i-- > 0;)
			if (strcmp(t->v[i].key, key) == 0)
				return &t->v[i];
		return NULL;
	}
	if (t->n == 0)
		return NULL;  /* bsearch() must not see the NULL array of an empty table */
	return bsearch(&probe, t->v, t->n, sizeof(t->v[0]), cmp_key);
}

void sysctls_put(struct tw_sysctls *t, const char *key, const char *value)
{
	struct tw_sysctl_entry *e = t->sealed ? (struct tw_sysctl_entry *)sysctls_find(t, key) : NULL;

	if (e) {
		free(e->value);
		e->value = value ? sysctl_text_fold(value) : NULL;
		return;
	}
	t->v = tw_xgrow(t->v, &t->cap, t->n + 1, sizeof(t->v[0]));
	t->v[t->n].key = tw_xstrdup(key);
	t->v[t->n].value = value ? sysctl_text_fold(value) : NULL;
	t->v[t->n].seq = t->n;
	t->n++;
	t->sealed = false;
}

bool sysctls_has(const struct tw_sysctls *t, const char *key)
{
	return sysctls_find(t, key) != NULL;
}

const char *sysctls_get(const struct tw_sysctls *t, const char *key)
{
	const struct tw_sysctl_entry *e = sysctls_find(t, key);

	return e ? e->value : NULL;
}

int sysctls_get_i64(const struct tw_sysctls *t, const char *key, int64_t min,
		    int64_t max, int64_t *ret)
{
	const struct tw_sysctl_entry *e = sysctls_find(t, key);

	if (!e)
		return -ENOENT;
	if (!e->value)
		return -EACCES;
	return tw_parse_i64(e->value, min, max, ret);
}

void sysctls_free(struct tw_sysctls *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].key);
		free(t->v[i].value);
	}
	free(t->v);
	sysctl_keys_free(t->subset);
	free(t->subset);
	memset(t, 0, sizeof(*t));
}

/* Dots and slashes swap roles between the two spellings. */
static char *swap_dots_slashes(const char *s)
{
	char *r = tw_xstrdup(s);

	for (char *p = r; *p; p++) {
		if (*p == '.')
			*p = '/';
		else if (*p == '/')
			*p = '.';
	}
	return r;
}

char *sysctl_key_to_path(const char *key)
{
	return swap_dots_slashes(key);
}

char *sysctl_path_to_key(const char *relpath)
{
	return swap_dots_slashes(relpath);
}
