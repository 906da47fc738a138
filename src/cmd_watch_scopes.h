/* SPDX-License-Identifier: MIT */
/* cmd_watch_scopes.h: what --watch collects at each refresh (twadvise(8),
 * WATCH): one scope (this host, or --netns entered once), or with
 * --all-namespaces every network namespace, found again at each refresh
 * since they come and go. Each namespace keeps its own history (the
 * previous frame, for trends and rates) under its nsfs identity
 * (st_dev, st_ino): one that is gone is dropped, a new one starts fresh.
 * The screen and the log lines are cmd_watch.c's. */
#ifndef TW_CMD_WATCH_SCOPES_H
#define TW_CMD_WATCH_SCOPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmd.h"
#include "render/watch_model.h"

/* One refresh's analysis (the report points at its facts: it lives on
 * the heap and never moves). */
struct watch_sample {
	struct tw_facts facts;
	struct tw_report report;
};

struct watch_scope {
	uint64_t dev, ino;             /* the namespace's identity (all) */
	bool host;                     /* pid 1's namespace (all) */
	char *name;                    /* its name (all); NULL for the single scope */
	struct watch_sample *cur;      /* the last refresh's */
	struct watch_frame frames[2];  /* this refresh and the one before */
	struct watch_frame *frame, *prev;
	unsigned long refreshes;
};

struct watch_scopes {
	bool all;                      /* --all-namespaces */
	struct watch_scope **v;        /* all: in netns_list_find's order, host first */
	size_t n;
	int self_fd;                   /* all: twadvise's own namespace, to come back to */
	size_t failed;                 /* all: found this refresh but not read */
	char *failed_msg;              /* "NAME: error" of the first of those */
};

/* -1 with the error printed when twadvise's own namespace cannot be
 * opened (all). */
int watch_scopes_init(struct watch_scopes *s, bool all);
/* Collects and analyses every scope once. A namespace that cannot be
 * read (it went away meanwhile) is counted in 'failed' and dropped;
 * -1 (error printed) when the single scope or the host's namespace
 * fails, which ends the watch. 'stop' (may be NULL) is asked before
 * each namespace: when true (q or a signal) the refresh ends early, the
 * namespaces not read yet dropped (the caller is about to stop). */
int watch_scopes_refresh(struct watch_scopes *s, const struct tw_options *o,
			 const struct tw_engine *e, const struct tw_ack_list *acks,
			 bool (*stop)(void *arg), void *arg);
/* The table to show: the rows of every scope (or of 'focus' only),
 * sorted by 'by', the first WATCH_ROWS_MAX kept; TIME_WAIT summed; the
 * counters and verdict those of 'focus', else of the host's scope. */
void watch_scopes_merge(const struct watch_scopes *s, const struct watch_scope *focus,
			enum watch_sort by, struct watch_frame *out);
/* The verdict over all scopes (all). */
void watch_scopes_summary(const struct watch_scopes *s, struct watch_summary *out);
/* The scope of that identity, or NULL. */
struct watch_scope *watch_scopes_find(const struct watch_scopes *s, uint64_t dev, uint64_t ino);
void watch_scopes_free(struct watch_scopes *s);

#endif
