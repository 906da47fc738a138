/* SPDX-License-Identifier: MIT */
/* render.h: every output format of twadvise, from one struct tw_report.
 *
 * Only this module formats output. Each renderer appends its whole
 * document to a caller-owned strbuf (main() writes it out in one go, so a
 * failure never leaves half a document) and never prints, exits or reads
 * anything but the report and the facts it points to. Output depends only
 * on the report: the same report gives the same bytes (no clocks, no
 * environment; colour only when the caller asks for it). */
#ifndef TW_RENDER_RENDER_H
#define TW_RENDER_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/report.h"
#include "util/strbuf.h"

/* The sysctl.d fragment (--format sysctl, --output): a comment header
 * (profile, kernel, source), then for each non-acknowledged finding with
 * changes, "# ID: TITLE" and its "key = value" lines. Each key appears
 * once (the first finding naming it wins); tcp_tw_recycle is never
 * written with a value other than 0. The engine stores the result in
 * r->fragment; other renderers print r->fragment and fall back to this
 * function only when it is NULL. */
void render_fragment(const struct tw_report *r, struct strbuf *out);

/* --format k8s: the change plan as a pod's securityContext.sysctls
 * (YAML): the kubelet's safe sysctls as entries, the unsafe ones and the
 * node-level ones as comments saying what they need (k8s.c). */
void render_k8s(const struct tw_report *r, struct strbuf *out);

/* --format json: one compact document (the contract's shape, see
 * twadvise.schema.json) followed by "\n", so several reports appended in
 * turn form JSON Lines. */
void render_json(const struct tw_report *r, struct strbuf *out);

/* --format text: the report for a person. 'color' adds ANSI colours and
 * UTF-8 bar glyphs; without it the output is plain (ASCII bars, no escape
 * sequences) apart from the "→" between current and recommended values. */
/* --format text with every option: 'width' is the column prose wraps at
 * (< 40: the default, 78); 'quiet' keeps only the findings that are not
 * acknowledged and at or above 'fail_on'. */
struct tw_text_opts {
	bool color;
	size_t width;
	bool quiet;
	enum tw_severity fail_on;
};
void render_text_opts(const struct tw_report *r, const struct tw_text_opts *o, struct strbuf *out);
void render_text(const struct tw_report *r, bool color, struct strbuf *out);

/* --format prometheus: node_exporter textfile collector format, metrics
 * named twadvise_*, no timestamps. Metrics whose value is unknown are
 * left out rather than reported as 0. */
void render_prometheus(const struct tw_report *r, struct strbuf *out);
/* A Prometheus label value escaped (without its quotes), for the formats
 * that write their own labels (render_prometheus_namespaces). */
void prometheus_label_escape(struct strbuf *out, const char *v);

/* --format nagios: a status line with perfdata, then one line per
 * finding, and the plugin exit code: 2 when a counted critical finding
 * exists, 1 for any other counted finding (nagios_finding_counts), else 0;
 * explicit -w/-c also compare the busiest tuple's utilization (percent).
 * 3, UNKNOWN, is for errors: see render_nagios_unknown(). */
struct tw_nagios_opts {
	enum tw_severity fail_on;
	double warn_pct, crit_pct;    /* utilization levels in percent; NaN: none */
	bool explicit_thresholds;     /* -w/-c given: they judge the state too */
};
int render_nagios(const struct tw_report *r, const struct tw_nagios_opts *no, struct strbuf *out);
/* Whether a finding raises the Nagios state: not acknowledged, at or
 * above 'fail_on', and a warning, a critical, or an info finding that
 * recommends a change or an action. */
bool nagios_finding_counts(const struct tw_finding *f, enum tw_severity fail_on);
/* "TWADVISE UNKNOWN - MESSAGE" for errors before a report exists; returns 3. */
int render_nagios_unknown(const char *message, struct strbuf *out);

/* The summary table of several --snapshot runs (text format): one row per
 * host, named by names[i] (the snapshot folder; NULL prints "-"). A host
 * whose reports[i] is NULL and errors[i] set gets an ERROR row. */
void render_fleet_table(const struct tw_report *const *reports, const char *const *names,
			const char *const *errors, size_t n, bool color, struct strbuf *out);
/* A host of a fleet run that could not be analysed: its section of the
 * text output, its JSON line ({"twadvise": 1, "snapshot": ..., "error":
 * ...}), or a comment line for the sysctl and prometheus formats. */
void render_fleet_error_text(const char *name, const char *msg, bool first,
			     struct strbuf *out);
void render_fleet_error_json(const char *name, const char *msg, struct strbuf *out);
void render_fleet_error_comment(const char *name, const char *msg, struct strbuf *out);

/* --all-namespaces: one namespace of the host, as the operator knows it. */
struct tw_render_netns {
	const char *name;           /* "host", the /run/netns name, the owner, "pid N (comm)" */
	uint64_t inode, dev;        /* nsfs identity */
	bool host;                  /* pid 1's: the host's own */
	const char *run_name;       /* name under /run/netns, or NULL */
	long pid;                   /* a process in it (its lowest pid), 0 when none */
	const char *comm;           /* that process's command, or NULL */
	const char *owner_kind;     /* "host", "named", "unit", "container", "pod", "process" */
	const char *owner_runtime;  /* "docker", "containerd", "podman", "kubernetes", or NULL */
	const char *owner_id;       /* unit name, container id or pod uid, or NULL */
	const char *owner_name;     /* the container's or pod's name, or NULL */
};
struct tw_namespace_report {
	const struct tw_report *report;   /* NULL when it could not be analysed */
	const char *error;                /* then why */
	struct tw_render_netns ns;
};
/* The host's namespace comes first (v[0], with a report). JSON: the
 * host's document (the contract's shape) plus "namespaces": one report
 * per namespace, host first, each with "netns" as an object (name,
 * inode, owner...) instead of a string. Text: a summary table, then the
 * report of each namespace with something to say (a finding at or above
 * the fail-on level, or a verdict other than harmless). Prometheus: every
 * per-report series with a "netns" label. */
void render_json_namespaces(const struct tw_namespace_report *v, size_t n, struct strbuf *out);
void render_text_namespaces(const struct tw_namespace_report *v, size_t n,
			    const struct tw_text_opts *o, struct strbuf *out);
void render_prometheus_namespaces(const struct tw_namespace_report *v, size_t n,
				  struct strbuf *out);

#endif
