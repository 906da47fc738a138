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
#include "facts/facts.h"

enum tw_severity {
	TW_SEV_INFO = 0,
	TW_SEV_WARNING = 1,
	TW_SEV_CRITICAL = 2,
};

const char *severity_name(enum tw_severity s);           /* "info", "warning", "critical" */
int severity_parse(const char *s, enum tw_severity *ret); /* 0 or -EINVAL */

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
};

/* One row of the TIME_WAIT top table (contract: time_wait.top). */
struct tw_top_row {
	struct tw_tuple tuple;
	double utilization;  /* count / ports available to that tuple */
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
	struct tw_cost cost;
	bool cost_known;
	char *fragment;                 /* the sysctl.d fragment, exactly as --format sysctl prints it */
	char *fragment_path;            /* where it would be written (for --diff / override warnings) */
	/* Lines about how the advice was reached (notes from collectors and
	 * from the engine, e.g. "tcp_tw_reuse_delay is absent on 6.1: not offered"). */
	char **notes;
	size_t nnotes;
};

void report_free(struct tw_report *r);

#endif
