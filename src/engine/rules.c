/* SPDX-License-Identifier: MIT */
/* rules.c: loading and compiling rule files (see rules.h). */
#include "engine/rules.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/allowlist.h"
#include "engine/dirlist.h"
#include "engine/yaml_get.h"
#include "util/xalloc.h"
#include "util/sysctl_text.h"

static void rule_free(struct tw_rule *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->title);
	free(r->file);
	str_list_free(r->profiles, r->nprofiles);
	free(r->when_src);
	expr_free(r->when);
	free(r->critical_when_src);
	expr_free(r->critical_when);
	for (size_t i = 0; i < r->nchanges; i++) {
		free(r->changes[i].sysctl);
		free(r->changes[i].value_src);
		template_free(r->changes[i].value);
		expr_free(r->changes[i].when);
		str_list_free(r->changes[i].requires, r->changes[i].nrequires);
		expr_free(r->changes[i].unless);
		template_free(r->changes[i].requires_why);
	}
	free(r->changes);
	for (size_t i = 0; i < r->nactions; i++)
		template_free(r->actions[i]);
	free(r->actions);
	str_list_free(r->action_srcs, r->nactions);
	free(r->evidence_src);
	free(r->rationale_src);
	free(r->risk_src);
	free(r->formula);
	template_free(r->title_t);
	template_free(r->evidence);
	template_free(r->rationale);
	template_free(r->risk);
	str_list_free(r->references, r->nreferences);
	free(r);
}

/* Where a scalar's text begins: quoted scalars start one column later. */
static struct tw_srcpos pos_of(const char *file, const struct ynode *n)
{
	return (struct tw_srcpos){ file, n->line, n->col + (n->quoted && n->value ? 1 : 0) };
}

static int compile_template(const char *file, const struct ynode *n, const char *what,
			    const struct tw_symbols *syms, char **ret_src,
			    struct tw_template **ret, struct tw_error *err)
{
	struct tw_srcpos pos = pos_of(file, n);
	char *src;
	int r;

	if ((r = yget_str(file, n, what, &src, err)) < 0)
		return r;
	r = template_compile(src, &pos, syms, ret, err);
	if (r < 0 && n->src) {
		/* A block scalar is folded before compiling, which moves the
		 * error; the text as written places it on its true line. */
		struct tw_srcpos raw = { file, n->src_line, n->src_col };
		struct tw_template *t = NULL;
		struct tw_error precise;

		if (template_compile(n->src, &raw, syms, &t, &precise) < 0)
			*err = precise;
		template_free(t);
	}
	if (ret_src)
		*ret_src = src;
	else
		free(src);
	return r;
}

static bool id_valid(const char *id)
{
	if (!*id)
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return false;
	return true;
}

/* A condition (bool expression) in a rule file, compiled as written so
 * that errors point at their true line and column. */
static int compile_condition(const char *file, const struct ynode *n, const char *what,
			     const struct tw_symbols *syms, struct tw_expr **ret, struct tw_error *err)
{
	struct tw_srcpos pos;
	enum tw_type type;
	char *src;
	int rc;

	if ((rc = yget_str(file, n, what, &src, err)) < 0)
		return rc;
	pos = n->src ? (struct tw_srcpos){ file, n->src_line, n->src_col } : pos_of(file, n);
	rc = expr_compile(n->src ? n->src : src, &pos, syms, ret, &type, err);
	free(src);
	if (rc < 0)
		return rc;
	if (type != TW_T_BOOL)
		return yerr(file, n, err, "'%s' must be a condition (bool), not %s", what, tw_type_name(type));
	return 0;
}

/* requires: {any_of: [KEY...], unless: CONDITION, why: TEXT} */
static int load_requires(struct tw_rule_change *ch, const char *file, const struct ynode *n,
			 const struct tw_symbols *syms, struct tw_error *err)
{
	static const char *const keys[] = { "any_of", "unless", "why", NULL };
	const struct ynode *any = ynode_get(n, "any_of"), *unless = ynode_get(n, "unless"),
			   *why = ynode_get(n, "why");
	int rc;

	if ((rc = ycheck_keys(file, n, keys, "requires", err)) < 0)
		return rc;
	if (!any || !why)
		return yerr(file, n, err, "requires needs 'any_of' (a list of sysctl keys) and 'why'");
	if ((rc = yget_str_list(file, any, "any_of", &ch->requires, &ch->nrequires, err)) < 0)
		return rc;
	if (ch->nrequires == 0)
		return yerr(file, any, err, "any_of must name at least one sysctl key");
	for (size_t i = 0; i < ch->nrequires; i++) {
		char key[TW_ALLOWLIST_KEY_MAX];
		const char *msg;

		if (!allowlist_permits(ch->requires[i], false, &msg))
			return yerr(file, any, err, "%s: %s", ch->requires[i], msg);
		allowlist_normalise(ch->requires[i], key, sizeof(key));
		free(ch->requires[i]);
		ch->requires[i] = tw_xstrdup(key);
	}
	if (unless && (rc = compile_condition(file, unless, "unless", syms, &ch->unless, err)) < 0)
		return rc;
	return compile_template(file, why, "why", syms, NULL, &ch->requires_why, err);
}

/* One step of loading: on failure, stop (d == NULL) or record the error
 * and go on with the next independent part (--validate, 'd' given). */
#define STEP(d, call)                                         \
	do {                                                  \
		int step_rc_ = (call);                        \
		if (step_rc_ < 0 && !ydiags_take((d), err, step_rc_)) \
			return step_rc_;                      \
	} while (0)

/* One item of 'changes'; stops at its first error. */
static int load_change(struct tw_rule_change *ch, const char *file, const struct ynode *c,
		       const struct tw_symbols *syms, struct tw_error *err)
{
	static const char *const keys[] = { "sysctl", "value", "when", "requires", NULL };
	char key[TW_ALLOWLIST_KEY_MAX];
	const struct ynode *k, *v, *w, *req;
	const char *msg;
	int rc;

	if ((rc = ycheck_keys(file, c, keys, "a change", err)) < 0)
		return rc;
	k = ynode_get(c, "sysctl");
	v = ynode_get(c, "value");
	if (!k || !v)
		return yerr(file, c, err, "a change needs 'sysctl' and 'value'");
	if ((rc = yget_str(file, k, "sysctl", &ch->sysctl, err)) < 0)
		return rc;
	ch->line = k->line;
	/* Invariant 5: only allow-listed keys, judged and kept in their
	 * dotted form (a slash-form key is the same key). */
	if (!allowlist_permits(ch->sysctl, false, &msg))
		return yerr(file, k, err, "%s: %s", ch->sysctl, msg);
	allowlist_normalise(ch->sysctl, key, sizeof(key));
	free(ch->sysctl);
	ch->sysctl = tw_xstrdup(key);
	if ((rc = compile_template(file, v, "value", syms, &ch->value_src, &ch->value, err)) < 0)
		return rc;
	/* Invariant 1 at load time, for any value but a literal 0
	 * (computed ones included); the change plan checks again. */
	if (!allowlist_value_permitted(ch->sysctl, ch->value_src, &msg))
		return yerr(file, v, err, "%s %s", ch->sysctl, msg);
	if ((w = ynode_get(c, "when")) && (rc = compile_condition(file, w, "when", syms, &ch->when, err)) < 0)
		return rc;
	if ((req = ynode_get(c, "requires")) && (rc = load_requires(ch, file, req, syms, err)) < 0)
		return rc;
	return 0;
}

/* Each change is independent: with 'd', a bad one does not hide the next. */
static int load_changes(struct tw_rule *r, const char *file, const struct ynode *n,
			const struct tw_symbols *syms, struct ydiags *d, struct tw_error *err)
{
	if (n->type != YNODE_SEQ)
		return yerr(file, n, err, "changes must be a list of {sysctl, value}");
	r->changes = tw_xcalloc(n->n ? n->n : 1, sizeof(*r->changes));
	for (size_t i = 0; i < n->n; i++) {
		r->nchanges = i + 1;   /* freed with the rule, whatever was filled */
		STEP(d, load_change(&r->changes[i], file, n->items[i], syms, err));
	}
	return 0;
}

/* Loads a rule. Without 'd', stops at the first error; with it, records
 * every independent error (each field, each change, each action) and
 * returns the first one's code. */
static int parse_rule(const struct ydoc *d, struct tw_rule *r, const struct tw_symbols *syms,
		      struct ydiags *dg, struct tw_error *err)
{
	static const char *const keys[] = { "id", "title", "severity", "profiles", "when", "changes",
					    "actions", "evidence", "rationale", "risk", "formula",
					    "references", "critical_when", NULL };
	const char *file = d->file;
	const struct ynode *root = d->root, *n;
	char *sev;
	int rc;

	if (!root)
		return tw_error_set(err, -EINVAL, "%s:1:1: empty rule file", file);
	if (root->type != YNODE_MAP)
		return ycheck_keys(file, root, keys, "a rule", err);
	STEP(dg, ycheck_keys_each(file, root, keys, "a rule", dg, err));
	for (const char *const *req = (const char *const[]){ "id", "title", "severity", "when",
							     "evidence", "rationale", NULL }; *req; req++)
		if (!ynode_get(root, *req))
			STEP(dg, yerr(file, root, err, "a rule needs '%s'", *req));

	if ((n = ynode_get(root, "id"))) {
		rc = yget_str(file, n, "id", &r->id, err);
		if (rc == 0 && !id_valid(r->id))
			rc = yerr(file, n, err, "rule id '%s' must use only a-z, 0-9, '-', '_', '.'", r->id);
		STEP(dg, rc);
	}
	if ((n = ynode_get(root, "severity"))) {
		rc = yget_str(file, n, "severity", &sev, err);
		if (rc == 0) {
			rc = severity_parse(sev, &r->severity);
			free(sev);
			if (rc < 0)
				rc = yerr(file, n, err, "severity must be info, warning or critical");
		}
		STEP(dg, rc);
	}
	if ((n = ynode_get(root, "title")))
		STEP(dg, compile_template(file, n, "title", syms, &r->title, &r->title_t, err));
	if ((n = ynode_get(root, "profiles")))
		STEP(dg, yget_str_list(file, n, "profiles", &r->profiles, &r->nprofiles, err));

	if ((n = ynode_get(root, "when"))) {
		rc = yget_str(file, n, "when", &r->when_src, err);
		if (rc == 0)
			rc = compile_condition(file, n, "when", syms, &r->when, err);
		STEP(dg, rc);
	}
	if ((n = ynode_get(root, "critical_when"))) {
		rc = yget_str(file, n, "critical_when", &r->critical_when_src, err);
		if (rc == 0)
			rc = compile_condition(file, n, "critical_when", syms, &r->critical_when, err);
		STEP(dg, rc);
	}

	if ((n = ynode_get(root, "changes")))
		STEP(dg, load_changes(r, file, n, syms, dg, err));
	if ((n = ynode_get(root, "actions"))) {
		if (n->type != YNODE_SEQ) {
			STEP(dg, yerr(file, n, err, "actions must be a list"));
		} else {
			r->actions = tw_xcalloc(n->n ? n->n : 1, sizeof(*r->actions));
			r->action_srcs = tw_xcalloc(n->n ? n->n : 1, sizeof(*r->action_srcs));
			for (size_t i = 0; i < n->n; i++) {
				r->nactions = i + 1;
				STEP(dg, compile_template(file, n->items[i], "an action", syms,
							  &r->action_srcs[i], &r->actions[i], err));
			}
		}
	}
	if ((n = ynode_get(root, "evidence")))
		STEP(dg, compile_template(file, n, "evidence", syms, &r->evidence_src, &r->evidence, err));
	if ((n = ynode_get(root, "rationale")))
		STEP(dg, compile_template(file, n, "rationale", syms, &r->rationale_src, &r->rationale,
					  err));
	if ((n = ynode_get(root, "risk")))
		STEP(dg, compile_template(file, n, "risk", syms, &r->risk_src, &r->risk, err));
	if ((n = ynode_get(root, "formula")))
		STEP(dg, yget_str(file, n, "formula", &r->formula, err));
	if ((n = ynode_get(root, "references")))
		STEP(dg, yget_str_list(file, n, "references", &r->references, &r->nreferences, err));
	return dg ? dg->first : 0;
}

static int load_file(struct tw_rule_set *set, const char *path,
		     const struct tw_catalog_names *names, struct ydiags *dg, struct tw_error *err)
{
	struct tw_rule *r = tw_xcalloc(1, sizeof(*r));
	struct tw_symbols syms;
	struct ydoc d = { 0 };
	int rc;

	catalog_symbols(names, &syms);
	rc = ydoc_load(path, &d, err);
	if (rc < 0) {
		free(r);
		return rc;
	}
	r->file = tw_xstrdup(path);
	rc = parse_rule(&d, r, &syms, dg, err);
	ydoc_free(&d);
	if (rc < 0) {
		rule_free(r);
		return rc;
	}
	for (size_t i = 0; i < set->n; i++) {
		if (strcmp(set->v[i]->id, r->id) == 0) {
			rule_free(set->v[i]);
			set->v[i] = r;
			return 0;
		}
	}
	set->v = tw_xgrow(set->v, &set->cap, set->n + 1, sizeof(*set->v));
	set->v[set->n++] = r;
	return 0;
}

int rule_load_file(struct tw_rule_set *set, const char *path,
		   const struct tw_catalog_names *names, struct tw_error *err)
{
	return load_file(set, path, names, NULL, err);
}

int rule_validate_file(struct tw_rule_set *set, const char *path,
		       const struct tw_catalog_names *names, char ***ret_msgs, size_t *ret_n)
{
	struct ydiags dg = { 0 };
	struct tw_error err = { "" };
	int rc = load_file(set, path, names, &dg, &err);

	return ydiags_finish(&dg, &err, rc, path, ret_msgs, ret_n);
}

struct rule_dir_ctx {
	struct tw_rule_set *set;
	const struct tw_catalog_names *names;
};

static int load_one_rule(void *vctx, const char *path, struct tw_error *err)
{
	struct rule_dir_ctx *c = vctx;

	return rule_load_file(c->set, path, c->names, err);
}

int rule_load_dir(struct tw_rule_set *set, const char *dir,
		  const struct tw_catalog_names *names, struct tw_error *err)
{
	struct rule_dir_ctx c = { set, names };

	return dirlist_yaml_each(dir, load_one_rule, &c, err);
}

static int cmp_rule(const void *a, const void *b)
{
	return strcmp((*(struct tw_rule *const *)a)->id, (*(struct tw_rule *const *)b)->id);
}

void rule_set_sort(struct tw_rule_set *set)
{
	if (set->n)
		qsort(set->v, set->n, sizeof(*set->v), cmp_rule);
}

struct tw_rule *rule_find(const struct tw_rule_set *set, const char *id)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->v[i]->id, id) == 0)
			return set->v[i];
	return NULL;
}

bool rule_applies_to(const struct tw_rule *r, const char *profile)
{
	if (r->nprofiles == 0)
		return true;
	for (size_t i = 0; i < r->nprofiles; i++)
		if (strcmp(r->profiles[i], profile) == 0 || strcmp(r->profiles[i], "all") == 0)
			return true;
	return false;
}

void rule_set_free(struct tw_rule_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		rule_free(set->v[i]);
	free(set->v);
	memset(set, 0, sizeof(*set));
}
