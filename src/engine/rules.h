/* SPDX-License-Identifier: MIT */
/* rules.h: rules as data (rules/ID.yaml, one rule per file; twadvise-rules(5)).
 *
 * A rule has a stable id, a severity, the profiles it applies to, a
 * condition, the sysctl changes it recommends (values are templates, so a
 * value may be computed), actions outside sysctls, and the texts a person
 * reads: evidence (what was measured), rationale, risk, references.
 * Everything is compiled and type-checked when the file is loaded. */
#ifndef TW_ENGINE_RULES_H
#define TW_ENGINE_RULES_H

#include <stddef.h>

#include "engine/catalog.h"
#include "engine/report.h"
#include "expr/expr.h"
#include "util/error.h"

struct tw_rule_change {
	char *sysctl;
	char *value_src;
	struct tw_template *value;
	int line;
	/* Optional `when:` of this change alone (NULL: whenever the rule fires). */
	struct tw_expr *when;
	/* Optional `requires:`: keep this change only when the plan also
	 * changes one of 'requires' (any_of), unless 'unless' holds. */
	char **requires;
	size_t nrequires;
	struct tw_expr *unless;     /* may be NULL */
	struct tw_template *requires_why;
};

struct tw_rule {
	char *id;
	char *title;
	enum tw_severity severity;
	char *file;
	char **profiles;          /* empty: every profile */
	size_t nprofiles;
	char *when_src;
	struct tw_expr *when;
	/* Optional: when it also holds, the finding is critical whatever
	 * 'severity' says (one rule, escalated, rather than two). */
	char *critical_when_src;
	struct tw_expr *critical_when;
	struct tw_rule_change *changes;
	size_t nchanges;
	char **action_srcs;
	struct tw_template **actions;
	size_t nactions;
	char *evidence_src, *rationale_src, *risk_src, *formula;
	struct tw_template *title_t, *evidence, *rationale, *risk;
	char **references;
	size_t nreferences;
};

struct tw_rule_set {
	struct tw_rule **v;       /* in id order once loaded */
	size_t n, cap;
};

/* Loads one rule file; a rule with the same id already in the set is
 * replaced (site rules override shipped ones). */
int rule_load_file(struct tw_rule_set *set, const char *path,
		   const struct tw_catalog_names *names, struct tw_error *err);
/* As rule_load_file(), for --validate: every independent error of the
 * file (each field, each change, each action), as "FILE:LINE:COL:
 * message" lines in *ret_msgs (caller frees with str_list_free, also
 * when empty). Returns 0 or the first error's code. */
int rule_validate_file(struct tw_rule_set *set, const char *path,
		       const struct tw_catalog_names *names, char ***ret_msgs, size_t *ret_n);
int rule_load_dir(struct tw_rule_set *set, const char *dir,
		  const struct tw_catalog_names *names, struct tw_error *err);
void rule_set_sort(struct tw_rule_set *set);
struct tw_rule *rule_find(const struct tw_rule_set *set, const char *id);
bool rule_applies_to(const struct tw_rule *r, const char *profile);
void rule_set_free(struct tw_rule_set *set);

#endif
