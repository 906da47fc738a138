/* SPDX-License-Identifier: MIT */
/* catalog.h: the names and functions a rule may use, and their values.
 *
 * This is the typed face of the fact table for the expression language:
 * every name has a fixed type, checked when a rule file is loaded, and a
 * value read from the facts when the rule is evaluated. twadvise-rules(5)
 * lists them; `twadvise --list-facts` prints them with their types. */
#ifndef TW_ENGINE_CATALOG_H
#define TW_ENGINE_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "cost/cost.h"
#include "expr/expr.h"
#include "facts/facts.h"

struct tw_profile;

/* Compile-time context: the threshold names some loaded profile defines,
 * and where the sysctl keys compiled expressions read are gathered (may
 * be NULL): the literal key of has(), sysctl() and sysctl_str(), or
 * 'all' for a key computed at run time. */
struct tw_catalog_names {
	const char *const *thresholds;
	size_t nthresholds;
	struct tw_sysctl_keys *sysctl_keys;
};

/* Evaluation context. */
struct tw_catalog_env {
	const struct tw_facts *facts;
	const struct tw_profile *profile;  /* thresholds; may be NULL */
	const char *profile_name;
	const struct tw_cost *cost;        /* may be NULL: unknown */
	uint64_t peer_ports;               /* ports of the peer's range (server-side utilization) */
	const struct tw_catalog_names *names; /* the list rules were compiled with */
};

/* Fills 'syms' for expr_compile; 'names' must outlive it. */
void catalog_symbols(const struct tw_catalog_names *names, struct tw_symbols *syms);
/* Fills 'env' for expr_eval; 'ctx' must outlive it. */
void catalog_env(const struct tw_catalog_env *ctx, struct tw_env *env);

/* Adds the sysctl keys that the names' getters read, whatever the rules
 * (those of facts.c and cost.c included). */
void catalog_sysctl_keys(struct tw_sysctl_keys *s);

/* Iteration over the fixed names, for documentation and --list-facts:
 * returns the i-th name and its type, or NULL past the end. */
const char *catalog_name_at(size_t i, enum tw_type *ret_type, const char **ret_help);
const char *catalog_func_at(size_t i, const char **ret_signature, const char **ret_help);

#endif
