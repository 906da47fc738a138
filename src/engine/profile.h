/* SPDX-License-Identifier: MIT */
/* profile.h: workload profiles (profiles/NAME.yaml, twadvise-profiles(5)).
 *
 * A profile names a workload, sets the thresholds rules read, disables
 * rules, pins settings (each with its reason) and may inherit another
 * profile, whose keys apply unless overridden. `auto:` holds the condition
 * under which `--profile auto` picks it, with a priority and a reason
 * template. */
#ifndef TW_ENGINE_PROFILE_H
#define TW_ENGINE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "expr/expr.h"
#include "util/error.h"

struct tw_sysctl_keys;

struct tw_catalog_names;

struct tw_threshold {
	char *name;
	double value;
};

struct tw_setting {
	char *key;
	char *value;
	char *why;
	int line;
};

struct tw_profile {
	char *name;
	char *description;
	char *inherits;           /* NULL for none */
	char *file;
	/* Own keys, then (after profiles_resolve) the inherited ones too. */
	struct tw_threshold *thresholds;
	size_t nthresholds;
	char **disable;
	size_t ndisable;
	struct tw_setting *settings;
	size_t nsettings;
	/* auto: selection */
	bool has_auto;
	int auto_priority;        /* higher is tried first */
	char *auto_when_src, *auto_why_src;
	int auto_when_line, auto_when_col, auto_why_line, auto_why_col;
	struct tw_expr *auto_when;
	struct tw_template *auto_why;
	bool resolved;
};

struct tw_profile_set {
	struct tw_profile **v;
	size_t n, cap;
	/* All threshold names any profile defines (for type checking rules). */
	char **threshold_names;
	size_t nthreshold_names;
	/* Where profiles_resolve() adds the sysctl keys auto.when reads (not
	 * owned; may be NULL). */
	struct tw_sysctl_keys *sysctl_keys;
};

/* Loads one profile file and adds it to 'set'; a profile of the same name
 * already in the set is replaced (site profiles override shipped ones).
 * Errors are "FILE:LINE:COL: message". *ret_loaded (optional) is the
 * profile as stored in the set. */
int profile_load_file(struct tw_profile_set *set, const char *path, struct tw_profile **ret_loaded,
		      struct tw_error *err);
/* As profile_load_file(), for --validate: every independent error of
 * the file, as "FILE:LINE:COL: message" lines in *ret_msgs (caller frees
 * with str_list_free, also when empty). 0 or the first error's code. */
int profile_validate_file(struct tw_profile_set *set, const char *path, char ***ret_msgs,
			  size_t *ret_n);
/* Loads every *.yaml in 'dir' (sorted); a missing folder is fine. */
int profile_load_dir(struct tw_profile_set *set, const char *dir, struct tw_error *err);
/* Applies inheritance (cycles and unknown parents are errors), collects
 * threshold names, then compiles the auto: expressions. */
int profiles_resolve(struct tw_profile_set *set, struct tw_error *err);
struct tw_profile *profile_find(const struct tw_profile_set *set, const char *name);
/* 0 and *ret when the profile (after inheritance) defines 'name'. */
int profile_threshold(const struct tw_profile *p, const char *name, double *ret);
bool profile_disables(const struct tw_profile *p, const char *rule_id);
void profile_set_free(struct tw_profile_set *set);

#endif
