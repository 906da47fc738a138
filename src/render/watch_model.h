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

/* One destination (a tuple of the facts' top tables). */
struct watch_row {
	struct tw_tuple tuple;  /* key, held, count (TIME_WAIT), ages */
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

#endif
