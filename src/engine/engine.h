/* SPDX-License-Identifier: MIT */
/* engine.h: from facts, a profile and rules to a report.
 *
 * engine_load() reads profiles then rules (shipped data dir, then site
 * folders, whose entries override shipped ones of the same name or id) and
 * compiles them. engine_select_profile() resolves --profile, including
 * `auto`. engine_run() evaluates every applicable rule against the facts
 * and builds the report: findings, the merged changes, the contract's
 * invariants enforced whatever the data says, and the sysctl.d fragment. */
#ifndef TW_ENGINE_ENGINE_H
#define TW_ENGINE_ENGINE_H

#include <stddef.h>

#include "engine/catalog.h"
#include "engine/profile.h"
#include "engine/report.h"
#include "engine/rules.h"
#include "facts/facts.h"
#include "util/error.h"

struct tw_engine {
	struct tw_profile_set profiles;
	struct tw_rule_set rules;
	struct tw_catalog_names names;
	const char *file_profile;  /* name of the --profile FILE profile, or NULL */
	/* Every sysctl key the rules, profiles and the report may read: a
	 * live run reads only these (collect_live). */
	struct tw_sysctl_keys sysctl_keys;
};

struct tw_engine_opts {
	const char *data_dir;      /* holds rules/ and profiles/ */
	const char *site_dir;      /* holds rules.d/ and profiles.d/ (e.g. /etc/twadvise); may be NULL */
	const char *profile_file;  /* --profile FILE, loaded last; may be NULL */
};

int engine_load(struct tw_engine *e, const struct tw_engine_opts *o, struct tw_error *err);
void engine_free(struct tw_engine *e);

/* 'spec' is a profile name, a file already loaded by engine_load (give its
 * profile's name), or "auto". On success *ret is the profile and
 * *ret_reason (caller frees; NULL unless chosen by auto) says why. */
int engine_select_profile(const struct tw_engine *e, const char *spec, const struct tw_facts *f,
			  const struct tw_profile **ret, char **ret_reason, struct tw_error *err);

/* An acknowledged finding: reported, never counted by --check. */
struct tw_ack {
	const char *id;
	const char *reason;        /* may be NULL */
};

struct tw_run_opts {
	const struct tw_ack *acks;
	size_t nacks;
	const char *fragment_path; /* where the fragment would be written */
};

/* Fills *ret (caller frees with report_free). 'f' must outlive the report. */
/* Whether engine_run() runs rule 'r' under profile 'p' (not disabled,
 * meant for 'p' or a profile it inherits). */
bool engine_rule_runs(const struct tw_engine *e, const struct tw_rule *r,
		      const struct tw_profile *p);
/* How rule 'r''s condition evaluates on 'f' under profile 'p', part by
 * part (expr_trace), in the environment engine_run() gives it. */
int engine_trace_rule(const struct tw_engine *e, const struct tw_profile *p,
		      const struct tw_facts *f, const struct tw_rule *r, tw_trace_fn fn, void *ctx);
/* The same for the rule's critical_when (0 and nothing traced without one). */
int engine_trace_rule_critical(const struct tw_engine *e, const struct tw_profile *p,
			       const struct tw_facts *f, const struct tw_rule *r, tw_trace_fn fn,
			       void *ctx);

int engine_run(const struct tw_engine *e, const struct tw_profile *p, const char *reason,
	       const struct tw_facts *f, const struct tw_run_opts *o, struct tw_report *ret,
	       struct tw_error *err);

#endif
