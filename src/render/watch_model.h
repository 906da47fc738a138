/* SPDX-License-Identifier: MIT */
/* watch_model.h: what one refresh of --watch shows, computed from a
 * report and the refresh before it (twadvise(8), WATCH).
 *
 * A frame holds no heap memory: fixed arrays only, so that a watch that
 * runs for days keeps the same footprint. The renderers (watch_view.c on
 * a terminal, watch_line.c for logs) only read frames. */
#ifndef TW_RENDER_WATCH_MODEL_H
#define TW_RENDER_WATCH_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "engine/report.h"
#include "facts/tuples.h"
#include "util/strbuf.h"

enum watch_sort {
	WATCH_SORT_HELD,        /* ports held, descending (the default) */
	WATCH_SORT_RATE,        /* new connections per second */
	WATCH_SORT_TIME_WAIT,   /* TIME_WAIT sockets */
	WATCH_SORT_COUNT,
};

enum watch_trend {
	WATCH_TREND_UNKNOWN,    /* the first refresh, or a new row */
	WATCH_TREND_UP,
	WATCH_TREND_STEADY,
	WATCH_TREND_DOWN,
};

/* The longest namespace name a row keeps (longer ones are cut). */
#define WATCH_NETNS_MAX 64

/* One destination (a tuple of the facts' top tables). */
struct watch_row {
	struct tw_tuple tuple;  /* key, held, count (TIME_WAIT), ages */
	char netns[WATCH_NETNS_MAX]; /* its namespace (--all-namespaces), else "" */
	uint64_t ports;         /* ports available to it; 0 when unknown */
	bool rate_known;
	double rate;            /* new connections/s, from the TIME_WAIT ages */
	enum watch_trend trend; /* held against the previous refresh */
	bool growth_known;
	double growth;          /* net change of held per second */
	bool eta_known;         /* growing with a known port budget */
	double eta_s;           /* seconds until held reaches ports */
};

/* A per-second rate of a kernel counter between two refreshes. */
struct watch_counter {
	bool known;             /* the counter was read this time */
	int64_t value;          /* its absolute value */
	bool rate_known;        /* read both times */
	double per_s;
};

#define WATCH_ROWS_MAX (2 * TW_TOP_MAX)

struct watch_frame {
	time_t wall;            /* when it was collected (for the log line) */
	double mono_s;          /* CLOCK_MONOTONIC seconds */
	enum tw_cost_level verdict;
	struct watch_row rows[WATCH_ROWS_MAX];
	size_t nrows;
	bool tw_known;
	uint64_t tw_total;      /* TIME_WAIT sockets in the scope */
	struct watch_counter active_opens, tw_recycled, tw_overflow;
	bool conntrack_known, conntrack_max_known;
	int64_t conntrack_count, conntrack_max;
};

/* Fills 'fr' from the report (and its facts) at monotonic time 'mono_s';
 * 'prev' (NULL on the first refresh) gives the trends, growth and the
 * counter rates. 'peer_ports' is the budget of a server-side row (the
 * profile's peer_ports). Rows are sorted by WATCH_SORT_HELD. */
void watch_frame_build(struct watch_frame *fr, const struct tw_report *rep,
		       const struct watch_frame *prev, uint64_t peer_ports, double mono_s,
		       time_t wall);
/* Sorts the rows: the key descending, then held, TIME_WAIT, side, key. */
void watch_frame_sort(struct watch_frame *fr, enum watch_sort by);
/* The order of watch_frame_sort: < 0 when 'a' comes first (ties end on
 * the namespace name, so that a merged table is stable). */
int watch_row_cmp(const struct watch_row *a, const struct watch_row *b, enum watch_sort by);
/* Adds a row to a frame kept sorted by 'by', keeping the first
 * WATCH_ROWS_MAX: how --all-namespaces merges the namespaces' rows. */
void watch_frame_add_row(struct watch_frame *fr, const struct watch_row *r, enum watch_sort by);
/* "held", "rate", "TIME_WAIT". */
const char *watch_sort_name(enum watch_sort by);

/* Glyphs: UTF-8 arrows and a dash, or ASCII when the terminal's
 * character set is not UTF-8. */
struct watch_glyphs {
	const char *up, *steady, *down, *unknown, *none;
};
extern const struct watch_glyphs watch_glyphs_utf8, watch_glyphs_ascii;
const char *watch_trend_glyph(const struct watch_glyphs *g, enum watch_trend t);
/* A duration for the exhaustion column: "42s", "17m", "3.5h", "12d";
 * the 'none' glyph when unknown or not growing, "now" when exhausted. */
void watch_format_eta(const struct watch_row *r, const struct watch_glyphs *g, struct strbuf *out);
/* Who connects to what: "10.0.0.1 -> 10.0.0.2:5432" for a client row
 * (this host to the peer), "10.0.0.2 -> 10.0.0.1:80" for a server row
 * (the peer to this host); 'arrow' goes between ("->" or " -> "). */
void watch_format_dest(const struct tw_tuple *t, const char *arrow, struct strbuf *out);
/* The verdict in one line: "act: 1 critical, 2 warning findings; SUMMARY". */
void watch_format_verdict(const struct tw_report *rep, struct strbuf *out);

/* The off-terminal line of one refresh (for logs), newline included:
 * timestamp, verdict, the busiest row (by held), its held/ports, rate,
 * and the counters. */
void watch_format_line(const struct watch_frame *fr, struct strbuf *out);

/* --watch --all-namespaces: one refresh over every namespace. */
struct watch_summary {
	time_t wall;
	size_t namespaces;          /* analysed this refresh */
	size_t failed;              /* found but not analysed (gone meanwhile) */
	size_t by_level[3];         /* namespaces per verdict (enum tw_cost_level) */
	enum tw_cost_level verdict; /* the worst */
	const char *worst_name;     /* the first namespace with that verdict */
	const char *worst_summary;  /* its cost summary, or NULL */
	size_t critical, warning, info; /* open findings, all namespaces */
	bool tw_known;              /* at least one namespace's total known */
	uint64_t tw_total;          /* TIME_WAIT sockets, all namespaces */
	double refresh_s;           /* what the refresh took */
	double interval_s;          /* what it may take */
};

/* "Verdict: act (worst of 4 namespaces: 1 act, 0 watch, 3 harmless).
 * 1 critical, 2 warning, 0 info findings. NAME: SUMMARY" */
void watch_format_verdict_all(const struct watch_summary *s, struct strbuf *out);
/* A value as one word of a log line: as is when it only has letters,
 * digits and ._-:/@+, else in double quotes with " and \ escaped. */
void watch_format_word(const char *s, struct strbuf *out);
/* The off-terminal lines of --all-namespaces, newline included. First
 * the refresh: "TIME namespaces=N failed=K verdict=V time_wait_total=T
 * refresh_ms=M behind=0|1"; then one per namespace with a destination or
 * a finding: "TIME netns=NAME" then the fields of watch_format_line and
 * "findings=ID,ID" (open ones; "-" when none). */
void watch_format_summary_line(const struct watch_summary *s, struct strbuf *out);
void watch_format_ns_line(const char *netns, const struct watch_frame *fr,
			  const struct tw_report *rep, struct strbuf *out);

#endif
