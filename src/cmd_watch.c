/* SPDX-License-Identifier: MIT */
/* cmd_watch.c: --watch [SECONDS], a live view that refreshes in place
 * (twadvise(8), WATCH). Rules, profiles and acknowledgements are loaded
 * once and --netns is entered once; each refresh is then one collection
 * (one socket dump and the /proc files) and one engine run, like a
 * normal analysis. On a terminal the view is full-screen (watch_view.c);
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
#include "engine/profile.h"
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

/* The budget of a server-side row: the profile's peer_ports, as the
 * engine reads it (engine.c), else Linux's default range. */
static uint64_t peer_ports(const struct tw_engine *e, const struct tw_report *rep)
{
	const struct tw_profile *p = rep->profile ? profile_find(&e->profiles, rep->profile) : NULL;
	double d;

	if (p && profile_threshold(p, "peer_ports", &d) == 0 && d >= 1 && d <= 65535)
		return (uint64_t)d;
	return TW_DEFAULT_PORT_COUNT;
}

/* One refresh's analysis (the report points at its facts: it lives on
 * the heap and never moves). */
struct sample {
	struct tw_facts facts;
	struct tw_report report;
};

static void sample_free(struct sample *s)
{
	if (!s)
		return;
	report_free(&s->report);
	facts_free(&s->facts);
	free(s);
}

struct watch {
	const struct tw_options *o;       /* netns_entered set: a copy */
	struct tw_engine e;
	struct tw_ack_list acks;
	struct sample *cur;               /* the last refresh's */
	struct watch_frame frames[2];     /* this refresh and the one before */
	struct watch_frame *frame, *prev;
	struct watch_view *view;          /* NULL off a terminal */
	struct watch_view_state st;
	char scope[300];
};

/* Collects and analyses once; the previous sample is freed only after
 * the new one exists, and the new frame is built against the old one. */
static int refresh(struct watch *w)
{
	struct sample *next = tw_xcalloc(1, sizeof(*next));
	struct tw_error err = { "" };
	const char *frag = TW_DEFAULT_FRAGMENT;
	struct watch_frame *tmp;

	if (cli_analyse_source_err(w->o, &w->e, &w->acks, NULL, frag, &next->facts, &next->report,
				   &err) < 0) {
		free(next);   /* nothing left in it on failure */
		watch_view_close(w->view);
		w->view = NULL;
		cli_error("%s", err.msg);
		return -1;
	}
	tmp = w->prev;
	w->prev = w->frame;
	w->frame = tmp;
	watch_frame_build(w->frame, &next->report, w->st.refreshes ? w->prev : NULL,
			  peer_ports(&w->e, &next->report), mono_now(), time(NULL));
	watch_frame_sort(w->frame, w->st.sort);
	sample_free(w->cur);
	w->cur = next;
	w->st.refreshes++;
	return 0;
}

static void show(struct watch *w)
{
	if (w->view) {
		watch_view_draw(w->view, w->frame, &w->cur->report, &w->st);
	} else {
		struct strbuf line = STRBUF_INIT;

		watch_format_line(w->frame, &line);
		fputs(sb_str(&line), stdout);
		fflush(stdout);
		sb_free(&line);
	}
}

/* Until 'deadline' (monotonic): keys on a terminal, a sleep elsewhere.
 * 1 when the user or a signal asks to stop. */
static int wait_until(struct watch *w, double deadline)
{
	for (;;) {
		double left = deadline - mono_now();

		if (stop_requested)
			return 1;
		if (left <= 0)
			return 0;
		if (w->view) {
			int k = watch_view_key(w->view, (int)(left * 1000) + 1);

			if (k == 'q' || k == 'Q')
				return 1;
			if (k == 's' || k == 'S') {
				w->st.sort = (w->st.sort + 1) % WATCH_SORT_COUNT;
				watch_frame_sort(w->frame, w->st.sort);
			} else if (k == 'f' || k == 'F') {
				w->st.show_findings = !w->st.show_findings;
			}
			if (k != WATCH_KEY_NONE)
				watch_view_draw(w->view, w->frame, &w->cur->report, &w->st);
		} else {
			struct timespec ts = { (time_t)left, (long)((left - (double)(time_t)left) * 1e9) };

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
	w->frame = &w->frames[0];
	w->prev = &w->frames[1];
	w->st = (struct watch_view_state){ .interval_s = o->watch_s, .scope = w->scope,
					   .sort = WATCH_SORT_HELD };
	if (o->netns)
		snprintf(w->scope, sizeof(w->scope), "netns %s", o->netns);
	else
		snprintf(w->scope, sizeof(w->scope), "host");
	catch_stop_signals();
	if (cli_load_engine(o, &w->e) < 0)
		goto out_free;
	if (cli_load_acks(o, &w->acks) < 0 || cli_enter_netns(o) < 0)
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
		show(w);
		if (o->iterations && w->st.refreshes >= o->iterations)
			break;
		if (wait_until(w, start + o->watch_s))
			break;
	}
	rc = 0;
out:
	watch_view_close(w->view);
	sample_free(w->cur);
	acks_free(&w->acks);
	engine_free(&w->e);
	free(w);
	return rc;
out_free:
	free(w);
	return rc;
}
