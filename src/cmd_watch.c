/* SPDX-License-Identifier: MIT */
/* cmd_watch.c: --watch [SECONDS], a live view that refreshes in place
 * (twadvise(8), WATCH). Rules, profiles and acknowledgements are loaded
 * once and --netns is entered once; each refresh is then one collection
 * (one socket dump and the /proc files) and one engine run, like a
 * normal analysis; with --all-namespaces, one per namespace found at
 * that refresh (cmd_watch_scopes.c), and the screen merges their rows. On a terminal the view is full-screen (watch_view.c);
 * elsewhere one line per refresh goes to stdout, flushed, for logs.
 * SIGINT and SIGTERM end it cleanly (exit 0), the terminal restored. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd_watch_scopes.h"
#include "render/watch_model.h"
#include "render/watch_view.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Set by SIGINT/SIGTERM; a handler may only set a flag. */
static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* No SA_RESTART: a sleep or a key wait ends early when a signal comes. */
static void catch_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct watch {
	const struct tw_options *o;       /* netns_entered set: a copy */
	struct tw_engine e;
	struct tw_ack_list acks;
	struct watch_scopes scopes;
	struct watch_frame shown;         /* the table on screen (merged) */
	struct watch_summary summary;     /* --all-namespaces */
	bool focused;                     /* 'n': one namespace, by identity */
	uint64_t focus_dev, focus_ino;
	double took_s;                    /* the last refresh's duration */
	bool quit;                        /* 'q' typed during a refresh */
	char status[200];
	struct watch_view *view;          /* NULL off a terminal */
	struct watch_view_state st;
	char scope[300];
};

/* The focused scope, or NULL (all, or it went away). */
static const struct watch_scope *focus(const struct watch *w)
{
	return w->focused ? watch_scopes_find(&w->scopes, w->focus_dev, w->focus_ino) : NULL;
}

/* What the screen shows, from the scopes (after a refresh, a sort or a
 * change of focus). */
static void compose(struct watch *w)
{
	const struct watch_scope *f = focus(w);

	if (w->focused && !f)
		w->focused = false;   /* gone: back to all */
	watch_scopes_merge(&w->scopes, f, w->st.sort, &w->shown);
	w->st.focus = f ? f->name : NULL;
	w->st.status = NULL;
	w->status[0] = '\0';
	if (w->took_s > w->st.interval_s)
		snprintf(w->status, sizeof(w->status), "behind: the last refresh took %.2fs, more than "
			 "the %gs period", w->took_s, w->st.interval_s);
	if (w->scopes.failed)
		snprintf(w->status + strlen(w->status), sizeof(w->status) - strlen(w->status),
			 "%snot read: %zu namespace%s (%s)", w->status[0] ? "; " : "", w->scopes.failed,
			 w->scopes.failed == 1 ? "" : "s", w->scopes.failed_msg);
	if (w->status[0])
		w->st.status = w->status;
}

/* 'n': the next namespace, after the last one all again. */
static void next_focus(struct watch *w)
{
	const struct watch_scope *f = focus(w);
	size_t i = 0;

	if (f)
		while (i < w->scopes.n && w->scopes.v[i] != f)
			i++;
	i = f ? i + 1 : 0;
	if (i >= w->scopes.n) {
		w->focused = false;
	} else {
		w->focused = true;
		w->focus_dev = w->scopes.v[i]->dev;
		w->focus_ino = w->scopes.v[i]->ino;
	}
	compose(w);
}

static void draw(struct watch *w)
{
	struct watch_view_scope one[1], *vs = one;
	const struct watch_scope *f = focus(w);
	size_t n = 0;

	if (w->scopes.all && !f)
		vs = tw_xcalloc(w->scopes.n ? w->scopes.n : 1, sizeof(*vs));
	for (size_t i = 0; i < w->scopes.n; i++)
		if (!f || w->scopes.v[i] == f)
			vs[n++] = (struct watch_view_scope){ w->scopes.v[i]->name,
							     &w->scopes.v[i]->cur->report };
	watch_view_draw(w->view, &w->shown, vs, n, &w->st);
	if (vs != one)
		free(vs);
}

/* Asked between two namespaces of a refresh: a signal, or 'q' typed
 * meanwhile (other keys wait for the end of the refresh). */
static bool should_stop(void *arg)
{
	struct watch *w = arg;

	if (!stop_requested && w->view && watch_view_quit_typed(w->view))
		w->quit = true;
	return stop_requested || w->quit;
}

/* Collects and analyses once, and times it. */
static int refresh(struct watch *w)
{
	double start = mono_now();
	time_t wall = time(NULL);

	if (watch_scopes_refresh(&w->scopes, w->o, &w->e, &w->acks, should_stop, w) < 0) {
		watch_view_close(w->view);
		w->view = NULL;
		return -1;
	}
	w->took_s = mono_now() - start;
	w->st.refreshes++;
	if (w->scopes.all) {
		watch_scopes_summary(&w->scopes, &w->summary);
		w->summary.wall = wall;   /* when the refresh began */
		w->summary.refresh_s = w->took_s;
		w->summary.interval_s = w->st.interval_s;
		w->st.summary = &w->summary;
	}
	compose(w);
	return 0;
}

/* Off a terminal: one line; with --all-namespaces the refresh's line
 * then one per namespace with a destination or a finding. */
static void print_lines(struct watch *w)
{
	struct strbuf line = STRBUF_INIT;

	if (!w->scopes.all) {
		watch_format_line(w->scopes.v[0]->frame, &line);
	} else {
		watch_format_summary_line(&w->summary, &line);
		for (size_t i = 0; i < w->scopes.n; i++) {
			const struct watch_scope *sc = w->scopes.v[i];

			if (sc->frame->nrows || sc->cur->report.nfindings)
				watch_format_ns_line(sc->name, sc->frame, &sc->cur->report, &line);
		}
	}
	fputs(sb_str(&line), stdout);
	fflush(stdout);
	sb_free(&line);
}

static void show(struct watch *w)
{
	if (w->view)
		draw(w);
	else
		print_lines(w);
}

/* Until 'deadline' (monotonic): keys on a terminal, a sleep elsewhere.
 * 1 when the user or a signal asks to stop. Keys typed during a refresh
 * are read even when the deadline has passed already (a refresh longer
 * than the period). */
static int wait_until(struct watch *w, double deadline)
{
	for (;;) {
		double left = deadline - mono_now();

		if (stop_requested)
			return 1;
		if (w->view) {
			int k = watch_view_key(w->view, left > 0 ? (int)(left * 1000) + 1 : 0);

			if (k == 'q' || k == 'Q')
				return 1;
			if (k == 's' || k == 'S') {
				w->st.sort = (w->st.sort + 1) % WATCH_SORT_COUNT;
				compose(w);
			} else if (k == 'f' || k == 'F') {
				w->st.show_findings = !w->st.show_findings;
			} else if ((k == 'n' || k == 'N') && w->scopes.all) {
				next_focus(w);
			}
			if (k != WATCH_KEY_NONE)
				draw(w);
			else if (left <= 0)
				return 0;
		} else {
			struct timespec ts = { (time_t)left, (long)((left - (double)(time_t)left) * 1e9) };

			if (left <= 0)
				return 0;
			if (nanosleep(&ts, NULL) < 0 && errno != EINTR)
				return 0;
		}
	}
}

int cmd_watch(const struct tw_options *o)
{
	struct tw_options wo = *o;
	struct watch *w = tw_xcalloc(1, sizeof(*w));
	int rc = 1;

	w->o = &wo;
	w->scopes.self_fd = -1;   /* (freed on every path) */
	w->st = (struct watch_view_state){ .interval_s = o->watch_s, .scope = w->scope,
					   .sort = WATCH_SORT_HELD, .all_namespaces = o->all_namespaces };
	if (o->all_namespaces)
		snprintf(w->scope, sizeof(w->scope), "all namespaces");
	else if (o->netns)
		snprintf(w->scope, sizeof(w->scope), "netns %s", o->netns);
	else
		snprintf(w->scope, sizeof(w->scope), "host");
	catch_stop_signals();
	if (cli_load_engine(o, &w->e) < 0)
		goto out_free;
	if (cli_load_acks(o, &w->acks) < 0 || cli_enter_netns(o) < 0 ||
	    watch_scopes_init(&w->scopes, o->all_namespaces) < 0)
		goto out;
	wo.netns_entered = true;
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		struct tw_error e = { "" };

		w->view = watch_view_open(&e);
		if (!w->view)
			fprintf(stderr, "twadvise: warning: %s: one line per refresh instead\n",
				e.msg);
	}
	for (;;) {
		double start = mono_now();

		if (refresh(w) < 0)
			goto out;
		if (stop_requested || w->quit)
			break;   /* (a refresh cut short: nothing to show) */
		show(w);
		if (o->iterations && w->st.refreshes >= o->iterations)
			break;
		/* A refresh longer than the period: the next starts at once
		 * (never two at a time), and the status line says so. */
		if (wait_until(w, start + o->watch_s))
			break;
	}
	rc = 0;
out:
	watch_view_close(w->view);
	watch_scopes_free(&w->scopes);
	acks_free(&w->acks);
	engine_free(&w->e);
	free(w);
	return rc;
out_free:
	free(w);
	return rc;
}
