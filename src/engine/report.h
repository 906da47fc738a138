/* SPDX-License-Identifier: MIT */
/* report.h: what one analysis produced, ready for the renderers.
 *
 * The engine fills a struct tw_report from the facts, the profile and the
 * rules; renderers (src/render/) only read it. All strings are owned by
 * the report and freed by report_free(). */
#ifndef TW_ENGINE_REPORT_H
#define TW_ENGINE_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "cost/cost.h"
#include "engine/severity.h"
#include "facts/facts.h"


/* Where the next boot takes a key's value from (sysctl.d), when known. */
struct tw_persisted {
	bool known;          /* a file sets the key */
	char *value;
	char *file;          /* path on the analysed host */
	unsigned line;
	/* Assignments the winner overrides (file:line = value), oldest first. */
	char **shadowed;
	size_t nshadowed;
};

struct tw_change {
	char *sysctl;        /* dotted key */
	char *current;       /* value read, or NULL when unknown */
	char *recommended;
	struct tw_persisted persisted;
	/* A later sysctl.d file that would override a fragment written at
	 * the output path ("/etc/sysctl.d/99-x.conf:3"), or NULL. */
	char *overridden_by;
	/* The rule's `requires:`: this change is kept only when the plan also
	 * changes one of these keys (empty: no condition), and why. */
	char **requires;
	size_t nrequires;
	char *requires_why;
};

struct tw_finding {
	char *id;
	enum tw_severity severity;
	char *title;
	char *evidence;
	char *rationale;
	char *risk;
	struct tw_change *changes;
	size_t nchanges;
	char **actions;
	size_t nactions;
	char **references;
	size_t nreferences;
	/* --ignore or an acknowledgement file: reported, never counted by --check. */
	bool acknowledged;
	char *ack_reason;    /* may be NULL */
	bool pinned;         /* a profile's pinned setting: first in precedence */
	/* Changes this finding proposed that the plan withheld, each as
	 * "KEY = VALUE withheld: WHY" (interactions, invariant 3). */
	char **withheld;
	size_t nwithheld;
};

/* One line of the change plan: what the fragment writes, --apply sets and
 * --check, Nagios and Prometheus count. */
struct tw_plan_item {
	char *sysctl;        /* dotted key, on the allow-list, present on the kernel */
	char *value;         /* one line, validated for the key */
	char *current;       /* value read, or NULL when unknown */
	char *finding_id;    /* the finding that owns it */
	enum tw_severity severity; /* that finding's */
	char *reason;        /* one line: why (the finding's title, or the interaction) */
};

/* The one validated, ordered list of changes of an analysis (engine/plan.c
 * builds it; nothing else decides what is written). Order: profile pins,
 * then findings by severity (most severe first) and id, each key once. */
struct tw_plan {
	struct tw_plan_item *v;
	size_t n;
};

void plan_free(struct tw_plan *p);
const struct tw_plan_item *plan_find(const struct tw_plan *p, const char *key);
/* Whether an item of a finding at or above 'fail_on' is in the plan. */
bool plan_counts(const struct tw_plan *p, enum tw_severity fail_on);

/* One row of the TIME_WAIT top table (contract: time_wait.top). */
struct tw_top_row {
	struct tw_tuple tuple;
	bool utilization_known; /* the ports of that tuple are known */
	double utilization;  /* held / ports available to that tuple (may exceed 1) */
};

struct tw_report {
	const struct tw_facts *facts;   /* not owned */
	char *profile;                  /* name of the profile used */
	char *profile_reason;           /* why (auto), or NULL */
	struct tw_finding *findings;    /* sorted: severity desc, then id */
	size_t nfindings;
	size_t count[3];                /* by severity, acknowledged included */
	struct tw_top_row top[10];
	size_t ntop;
	uint64_t ports_available;
	uint16_t port_low, port_high;
	/* SNAT ports per NAT key (profile threshold snat_ports, else the
	 * kernel's 64512) and the conntrack TIME_WAIT timeout (s) used. */
	uint64_t snat_ports;
	double ct_tw_timeout_s;
	struct tw_cost cost;
	bool cost_known;
	/* The one verdict: from the open findings and the cost items
	 * together (engine.c, report_verdict); text, JSON, Prometheus and
	 * Nagios all print this one. */
	enum tw_cost_level verdict;
	struct tw_plan plan;
	char *fragment;                 /* the plan as a sysctl.d fragment, exactly as --format sysctl prints it */
	char *fragment_path;            /* where it would be written (for --diff / override warnings) */
	/* Lines about how the advice was reached (notes from collectors and
	 * from the engine, e.g. "tcp_tw_reuse_delay is absent on 6.1: not offered"). */
	char **notes;
	size_t nnotes;
};

void report_free(struct tw_report *r);
/* Appends a note (formatted, owned by the report). */
void report_note(struct tw_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
