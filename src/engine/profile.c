/* SPDX-License-Identifier: MIT */
/* profile.c: loading, inheritance and lookup of workload profiles (see profile.h). */
#include "engine/profile.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/allowlist.h"
#include "engine/catalog.h"
#include "engine/dirlist.h"
#include "engine/yaml_get.h"
#include "util/xalloc.h"

static void profile_free(struct tw_profile *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->description);
	free(p->inherits);
	free(p->file);
	for (size_t i = 0; i < p->nthresholds; i++)
		free(p->thresholds[i].name);
	free(p->thresholds);
	str_list_free(p->disable, p->ndisable);
	for (size_t i = 0; i < p->nsettings; i++) {
		free(p->settings[i].key);
		free(p->settings[i].value);
		free(p->settings[i].why);
	}
	free(p->settings);
	free(p->auto_when_src);
	free(p->auto_why_src);
	expr_free(p->auto_when);
	template_free(p->auto_why);
	free(p);
}

/* One step of loading: on failure, stop (d == NULL) or record the error
 * and go on with the next independent part (--validate, 'd' given). */
#define STEP(d, call)                                         \
	do {                                                  \
		int step_rc_ = (call);                        \
		if (step_rc_ < 0 && !ydiags_take((d), err, step_rc_)) \
			return step_rc_;                      \
	} while (0)

/* The i-th setting; stops at its first error. */
static int load_setting(struct tw_profile *p, const char *file, const struct ynode *n, size_t i,
			struct tw_error *err)
{
	static const char *const keys[] = { "value", "why", NULL };
	const struct ynode *s = n->items[i], *v, *why;
	struct tw_setting *st = &p->settings[p->nsettings];
	char key[TW_ALLOWLIST_KEY_MAX];
	const char *msg;
	int r;

	r = ycheck_keys(file, s, keys, "a setting", err);
	if (r < 0)
		return r;
	v = ynode_get(s, "value");
	why = ynode_get(s, "why");
	if (!v)
		return yerr(file, s, err, "setting '%s' needs a value", n->keys[i]->value);
	if (!why)
		return yerr(file, s, err, "setting '%s' needs a why: say why it is pinned", n->keys[i]->value);
	/* Invariant 5: only allow-listed keys, judged in their dotted
	 * form (a slash-form key is the same key) and stored so. */
	if (!allowlist_permits(n->keys[i]->value, false, &msg))
		return yerr(file, n->keys[i], err, "%s: %s", n->keys[i]->value, msg);
	allowlist_normalise(n->keys[i]->value, key, sizeof(key));
	st->key = tw_xstrdup(key);
	st->line = n->keys[i]->line;
	p->nsettings++;
	if ((r = yget_str(file, v, "value", &st->value, err)) < 0 ||
	    (r = yget_str(file, why, "why", &st->why, err)) < 0)
		return r;
	/* Invariant 1: tcp_tw_recycle may only ever be pinned to 0. */
	if (!allowlist_value_permitted(st->key, st->value, &msg))
		return yerr(file, v, err, "%s %s", st->key, msg);
	for (size_t j = 0; j < i; j++) {
		char other[TW_ALLOWLIST_KEY_MAX];

		if (allowlist_normalise(n->keys[j]->value, other, sizeof(other)) &&
		    strcmp(other, st->key) == 0)
			return yerr(file, n->keys[i], err, "%s is pinned twice (as '%s' too)",
				    st->key, n->keys[j]->value);
	}
	return 0;
}

/* Each setting is independent: with 'd', a bad one does not hide the next. */
static int load_settings(struct tw_profile *p, const char *file, const struct ynode *n,
			 struct ydiags *d, struct tw_error *err)
{
	if (n->type != YNODE_MAP)
		return yerr(file, n, err, "settings must be a mapping of sysctl keys");
	p->settings = tw_xcalloc(n->n ? n->n : 1, sizeof(*p->settings));
	for (size_t i = 0; i < n->n; i++)
		STEP(d, load_setting(p, file, n, i, err));
	return 0;
}

static int load_auto(struct tw_profile *p, const char *file, const struct ynode *n,
		     struct tw_error *err)
{
	static const char *const keys[] = { "priority", "when", "why", NULL };
	const struct ynode *pr, *w, *why;
	double d;
	int r;

	r = ycheck_keys(file, n, keys, "auto", err);
	if (r < 0)
		return r;
	pr = ynode_get(n, "priority");
	w = ynode_get(n, "when");
	why = ynode_get(n, "why");
	if (!w || !why)
		return yerr(file, n, err, "auto needs 'when' and 'why'");
	if (pr) {
		if ((r = yget_num(file, pr, "priority", &d, err)) < 0)
			return r;
		p->auto_priority = (int)d;
	}
	if ((r = yget_str(file, w, "auto.when", &p->auto_when_src, err)) < 0 ||
	    (r = yget_str(file, why, "auto.why", &p->auto_why_src, err)) < 0)
		return r;
	/* A multi-line condition is compiled as written (see yaml_doc.h), so
	 * that errors point at the right line and column. */
	if (w->src) {
		free(p->auto_when_src);
		p->auto_when_src = tw_xstrdup(w->src);
		p->auto_when_line = w->src_line;
		p->auto_when_col = w->src_col;
	} else {
		p->auto_when_line = w->line;
		p->auto_when_col = w->col + (w->quoted ? 1 : 0);
	}
	p->auto_why_line = why->line;
	p->auto_why_col = why->col + (why->quoted ? 1 : 0);
	p->has_auto = true;
	return 0;
}

/* Loads a profile. Without 'dg', stops at the first error; with it,
 * records every independent error and returns the first one's code. */
static int parse_profile(const struct ydoc *d, struct tw_profile *p, struct ydiags *dg,
			 struct tw_error *err)
{
	static const char *const keys[] = { "name", "description", "inherits", "thresholds",
					    "rules", "settings", "auto", NULL };
	static const char *const rule_keys[] = { "disable", NULL };
	const char *file = d->file;
	const struct ynode *root = d->root, *n;
	int r;

	if (!root)
		return tw_error_set(err, -EINVAL, "%s:1:1: empty profile", file);
	if (root->type != YNODE_MAP)
		return ycheck_keys(file, root, keys, "a profile", err);
	STEP(dg, ycheck_keys_each(file, root, keys, "a profile", dg, err));
	if (!(n = ynode_get(root, "name"))) {
		STEP(dg, yerr(file, root, err, "a profile needs a name"));
	} else {
		r = yget_str(file, n, "name", &p->name, err);
		if (r == 0 && (!*p->name || strchr(p->name, '/')))
			r = yerr(file, n, err, "invalid profile name '%s'", p->name);
		STEP(dg, r);
	}
	if ((n = ynode_get(root, "description")))
		STEP(dg, yget_str(file, n, "description", &p->description, err));
	if ((n = ynode_get(root, "inherits")))
		STEP(dg, yget_str(file, n, "inherits", &p->inherits, err));
	if ((n = ynode_get(root, "thresholds"))) {
		if (n->type != YNODE_MAP) {
			STEP(dg, yerr(file, n, err, "thresholds must be a mapping of names to numbers"));
		} else {
			p->thresholds = tw_xcalloc(n->n ? n->n : 1, sizeof(*p->thresholds));
			for (size_t i = 0; i < n->n; i++) {
				struct tw_threshold *t = &p->thresholds[p->nthresholds];

				r = yget_num(file, n->items[i], n->keys[i]->value, &t->value, err);
				STEP(dg, r);
				if (r < 0)
					continue;
				t->name = tw_xstrdup(n->keys[i]->value);
				p->nthresholds++;
			}
		}
	}
	if ((n = ynode_get(root, "rules"))) {
		const struct ynode *dis;

		r = ycheck_keys_each(file, n, rule_keys, "rules", dg, err);
		STEP(dg, r);
		if (r == 0 && (dis = ynode_get(n, "disable")))
			STEP(dg, yget_str_list(file, dis, "rules.disable", &p->disable, &p->ndisable, err));
	}
	if ((n = ynode_get(root, "settings")))
		STEP(dg, load_settings(p, file, n, dg, err));
	if ((n = ynode_get(root, "auto")))
		STEP(dg, load_auto(p, file, n, err));
	return dg ? dg->first : 0;
}

static int load_file(struct tw_profile_set *set, const char *path,
		     struct tw_profile **ret_loaded, struct ydiags *dg, struct tw_error *err)
{
	struct tw_profile *p = tw_xcalloc(1, sizeof(*p));
	struct ydoc d = { 0 };
	int r;

	r = ydoc_load(path, &d, err);
	if (r < 0) {
		free(p);
		return r;
	}
	p->file = tw_xstrdup(path);
	r = parse_profile(&d, p, dg, err);
	ydoc_free(&d);
	if (r < 0) {
		profile_free(p);
		return r;
	}
	for (size_t i = 0; i < set->n; i++) {
		if (strcmp(set->v[i]->name, p->name) == 0) {
			profile_free(set->v[i]);
			set->v[i] = p;
			if (ret_loaded)
				*ret_loaded = p;
			return 0;
		}
	}
	set->v = tw_xgrow(set->v, &set->cap, set->n + 1, sizeof(*set->v));
	set->v[set->n++] = p;
	if (ret_loaded)
		*ret_loaded = p;
	return 0;
}

int profile_load_file(struct tw_profile_set *set, const char *path, struct tw_profile **ret_loaded,
		      struct tw_error *err)
{
	return load_file(set, path, ret_loaded, NULL, err);
}

int profile_validate_file(struct tw_profile_set *set, const char *path, char ***ret_msgs,
			  size_t *ret_n)
{
	struct ydiags dg = { 0 };
	struct tw_error err = { "" };
	int r = load_file(set, path, NULL, &dg, &err);

	return ydiags_finish(&dg, &err, r, path, ret_msgs, ret_n);
}

static int load_one_profile(void *set, const char *path, struct tw_error *err)
{
	return profile_load_file(set, path, NULL, err);
}

int profile_load_dir(struct tw_profile_set *set, const char *dir, struct tw_error *err)
{
	return dirlist_yaml_each(dir, load_one_profile, set, err);
}

struct tw_profile *profile_find(const struct tw_profile_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->v[i]->name, name) == 0)
			return set->v[i];
	return NULL;
}

static bool has_threshold(const struct tw_profile *p, const char *name)
{
	for (size_t i = 0; i < p->nthresholds; i++)
		if (strcmp(p->thresholds[i].name, name) == 0)
			return true;
	return false;
}

static bool has_setting(const struct tw_profile *p, const char *key)
{
	for (size_t i = 0; i < p->nsettings; i++)
		if (strcmp(p->settings[i].key, key) == 0)
			return true;
	return false;
}

/* Copies the parent's keys that 'p' does not set itself. */
static void inherit_from(struct tw_profile *p, const struct tw_profile *parent)
{
	for (size_t i = 0; i < parent->nthresholds; i++) {
		if (has_threshold(p, parent->thresholds[i].name))
			continue;
		p->thresholds = tw_xrealloc(p->thresholds, (p->nthresholds + 1) * sizeof(*p->thresholds));
		p->thresholds[p->nthresholds].name = tw_xstrdup(parent->thresholds[i].name);
		p->thresholds[p->nthresholds++].value = parent->thresholds[i].value;
	}
	for (size_t i = 0; i < parent->ndisable; i++) {
		if (profile_disables(p, parent->disable[i]))
			continue;
		p->disable = tw_xrealloc(p->disable, (p->ndisable + 1) * sizeof(*p->disable));
		p->disable[p->ndisable++] = tw_xstrdup(parent->disable[i]);
	}
	for (size_t i = 0; i < parent->nsettings; i++) {
		const struct tw_setting *s = &parent->settings[i];

		if (has_setting(p, s->key))
			continue;
		p->settings = tw_xrealloc(p->settings, (p->nsettings + 1) * sizeof(*p->settings));
		p->settings[p->nsettings].key = tw_xstrdup(s->key);
		p->settings[p->nsettings].value = tw_xstrdup(s->value);
		p->settings[p->nsettings].why = tw_xstrdup(s->why);
		p->settings[p->nsettings++].line = s->line;
	}
	if (!p->description && parent->description)
		p->description = tw_xstrdup(parent->description);
}

static int resolve_one(struct tw_profile_set *set, struct tw_profile *p, size_t depth,
		       struct tw_error *err)
{
	struct tw_profile *parent;
	int r;

	if (p->resolved || !p->inherits) {
		p->resolved = true;
		return 0;
	}
	if (depth > set->n)
		return tw_error_set(err, -EINVAL, "%s: inheritance cycle through profile '%s'",
				    p->file, p->name);
	parent = profile_find(set, p->inherits);
	if (!parent)
		return tw_error_set(err, -EINVAL, "%s: profile '%s' inherits unknown profile '%s'",
				    p->file, p->name, p->inherits);
	r = resolve_one(set, parent, depth + 1, err);
	if (r < 0)
		return r;
	inherit_from(p, parent);
	p->resolved = true;
	return 0;
}

static void add_threshold_name(struct tw_profile_set *set, const char *name)
{
	for (size_t i = 0; i < set->nthreshold_names; i++)
		if (strcmp(set->threshold_names[i], name) == 0)
			return;
	set->threshold_names = tw_xrealloc(set->threshold_names,
					   (set->nthreshold_names + 1) * sizeof(char *));
	set->threshold_names[set->nthreshold_names++] = tw_xstrdup(name);
}

int profiles_resolve(struct tw_profile_set *set, struct tw_error *err)
{
	struct tw_catalog_names names = { .sysctl_keys = set->sysctl_keys };
	struct tw_symbols syms;
	int r;

	for (size_t i = 0; i < set->n; i++)
		if ((r = resolve_one(set, set->v[i], 0, err)) < 0)
			return r;
	for (size_t i = 0; i < set->n; i++)
		for (size_t t = 0; t < set->v[i]->nthresholds; t++)
			add_threshold_name(set, set->v[i]->thresholds[t].name);
	names.thresholds = (const char *const *)set->threshold_names;
	names.nthresholds = set->nthreshold_names;
	catalog_symbols(&names, &syms);
	for (size_t i = 0; i < set->n; i++) {
		struct tw_profile *p = set->v[i];
		struct tw_srcpos pos;
		enum tw_type type;

		if (!p->has_auto || p->auto_when)
			continue;
		pos = (struct tw_srcpos){ p->file, p->auto_when_line, p->auto_when_col };
		r = expr_compile(p->auto_when_src, &pos, &syms, &p->auto_when, &type, err);
		if (r < 0)
			return r;
		if (type != TW_T_BOOL)
			return tw_error_set(err, -EINVAL, "%s:%d:%d: auto.when must be a condition (bool), not %s",
					    p->file, pos.line, pos.col, tw_type_name(type));
		pos = (struct tw_srcpos){ p->file, p->auto_why_line, p->auto_why_col };
		r = template_compile(p->auto_why_src, &pos, &syms, &p->auto_why, err);
		if (r < 0)
			return r;
	}
	return 0;
}

int profile_threshold(const struct tw_profile *p, const char *name, double *ret)
{
	for (size_t i = 0; i < p->nthresholds; i++) {
		if (strcmp(p->thresholds[i].name, name) == 0) {
			*ret = p->thresholds[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

bool profile_disables(const struct tw_profile *p, const char *rule_id)
{
	for (size_t i = 0; i < p->ndisable; i++)
		if (strcmp(p->disable[i], rule_id) == 0)
			return true;
	return false;
}

void profile_set_free(struct tw_profile_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		profile_free(set->v[i]);
	free(set->v);
	str_list_free(set->threshold_names, set->nthreshold_names);
	memset(set, 0, sizeof(*set));
}
