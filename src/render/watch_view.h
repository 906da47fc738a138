/* SPDX-License-Identifier: MIT */
/* watch_view.h: the full-screen --watch view on a terminal (ncurses).
 *
 * The only file that talks to ncurses: it draws a frame and reads keys;
 * what to collect and when is cmd_watch.c's. */
#ifndef TW_RENDER_WATCH_VIEW_H
#define TW_RENDER_WATCH_VIEW_H

#include <stdbool.h>

#include "engine/report.h"
#include "render/watch_model.h"
#include "util/error.h"

struct watch_view;

/* What the header says besides the frame. */
struct watch_view_state {
	double interval_s;
	const char *scope;        /* "host", "netns NAME", "all namespaces" */
	enum watch_sort sort;
	bool show_findings;
	unsigned long refreshes;
	/* --all-namespaces: a NETNS column, the verdict over all of them,
	 * the namespace 'n' focused (NULL: all). */
	bool all_namespaces;
	const struct watch_summary *summary;
	const char *focus;
	const char *status;       /* a warning for the status line, or NULL */
};

/* A report whose findings 'f' shows, and its namespace (NULL: the one
 * scope of a single-scope watch). */
struct watch_view_scope {
	const char *name;
	const struct tw_report *rep;
};

enum {
	WATCH_KEY_NONE = -1,      /* the timeout passed (or a signal came) */
	WATCH_KEY_RESIZE = -2,    /* the terminal changed size: draw again */
};

/* Takes over the terminal (stdin/stdout), or NULL with the reason in
 * 'err' when it cannot (ncursesw cannot be loaded, no terminfo entry for
 * TERM). Caller closes it with watch_view_close(). */
struct watch_view *watch_view_open(struct tw_error *err);
/* Draws one refresh: 'fr' the table and counters, 'scopes' the reports
 * (the verdict of a single scope, and the findings). */
void watch_view_draw(struct watch_view *v, const struct watch_frame *fr,
		     const struct watch_view_scope *scopes, size_t nscopes,
		     const struct watch_view_state *st);
/* Waits up to 'timeout_ms' for a key: the key (a character), or one of
 * WATCH_KEY_*. */
int watch_view_key(struct watch_view *v, int timeout_ms);
/* Whether 'q' was typed (read without waiting); any other key is left
 * to watch_view_key. */
bool watch_view_quit_typed(struct watch_view *v);
/* Gives the terminal back as it was. NULL is fine. */
void watch_view_close(struct watch_view *v);

#endif
