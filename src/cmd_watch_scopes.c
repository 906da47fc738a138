/* SPDX-License-Identifier: MIT */
/* cmd_watch_scopes.c: the scopes --watch collects (see cmd_watch_scopes.h).
 *
 * With --all-namespaces each refresh lists the namespaces again
 * (collect/netns_list.c: a descriptor held open on each while it is
 * read), enters each in turn with setns(2), analyses it as
 * --all-namespaces does (one socket dump and its /proc files; rules and
 * profiles were loaded once), and comes back to twadvise's own before
 * the next: nothing opened in one namespace is used in another. */
#include "cmd_watch_scopes.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collect/netns_list.h"
#include "engine/profile.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

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

static void sample_free(struct watch_sample *s)
{
	if (!s)
		return;
	report_free(&s->report);
	facts_free(&s->facts);
	free(s);
}

static struct watch_scope *scope_new(void)
{
	struct watch_scope *sc = tw_xcalloc(1, sizeof(*sc));

	sc->frame = &sc->frames[0];
	sc->prev = &sc->frames[1];
	return sc;
}

static void scope_free(struct watch_scope *sc)
{
	if (!sc)
		return;
	sample_free(sc->cur);
	free(sc->name);
	free(sc);
}

/* Takes the new sample: the frame is built against the previous one,
 * which is freed only now. */
static void scope_take(struct watch_scope *sc, const struct tw_engine *e, struct watch_sample *next)
{
	struct watch_frame *tmp = sc->prev;

	sc->prev = sc->frame;
	sc->frame = tmp;
	watch_frame_build(sc->frame, &next->report, sc->refreshes ? sc->prev : NULL,
			  peer_ports(e, &next->report), mono_now(), time(NULL));
	for (size_t i = 0; sc->name && i < sc->frame->nrows; i++)
		snprintf(sc->frame->rows[i].netns, sizeof(sc->frame->rows[i].netns), "%s", sc->name);
	sample_free(sc->cur);
	sc->cur = next;
	sc->refreshes++;
}

int watch_scopes_init(struct watch_scopes *s, bool all)
{
	memset(s, 0, sizeof(*s));
	s->all = all;
	s->self_fd = -1;
	if (!all) {
		s->v = tw_xcalloc(1, sizeof(*s->v));
		s->v[s->n++] = scope_new();
		return 0;
	}
	s->self_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (s->self_fd < 0)
		s->self_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (s->self_fd < 0) {
		cli_error("/proc/self/ns/net: %s", strerror(errno));
		return -1;
	}
	return 0;
}

struct watch_scope *watch_scopes_find(const struct watch_scopes *s, uint64_t dev, uint64_t ino)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] && s->v[i]->dev == dev && s->v[i]->ino == ino)
			return s->v[i];
	return NULL;
}

/* Enters one namespace, analyses it, comes back. -1 with 'err' when it
 * could not be read; -2 when twadvise could not come back (fatal). */
static int analyse_one(const struct watch_scopes *s, const struct tw_netns_entry *ne,
		       const struct tw_options *o, const struct tw_engine *e,
		       const struct tw_ack_list *acks, struct watch_sample *next,
		       struct tw_error *err)
{
	struct tw_error back = { "" };
	int r = netns_enter_fd(ne->fd, ne->name, err);

	if (r == 0)
		r = cli_analyse_entered_err(o, e, acks, ne->host ? NULL : ne->name, NULL,
					    ne->host ? TW_DEFAULT_FRAGMENT : NULL, &next->facts,
					    &next->report, err);
	if (netns_enter_fd(s->self_fd, "of twadvise itself", &back) < 0) {
		if (r == 0) {
			report_free(&next->report);
			facts_free(&next->facts);
		}
		*err = back;
		return -2;
	}
	return r < 0 ? -1 : 0;
}

static int refresh_all(struct watch_scopes *s, const struct tw_options *o,
		       const struct tw_engine *e, const struct tw_ack_list *acks,
		       bool (*stop)(void *arg), void *arg)
{
	struct tw_netns_list l = { 0 };
	struct tw_error err = { "" };
	struct watch_scope **v;
	size_t n = 0;
	int rc = -1;

	s->failed = 0;
	free(s->failed_msg);
	s->failed_msg = NULL;
	if (netns_list_find("/proc", "/run/netns", &l, NULL, &err) < 0) {
		cli_error("%s", err.msg);
		return -1;
	}
	v = tw_xcalloc(l.n ? l.n : 1, sizeof(*v));
	for (size_t i = 0; i < l.n; i++) {
		const struct tw_netns_entry *ne = &l.v[i];
		struct watch_sample *next;
		struct watch_scope *sc;
		int r;

		if (stop && stop(arg)) {
			rc = 0;   /* the caller stops: what is read is enough */
			goto out;
		}
		next = tw_xcalloc(1, sizeof(*next));
		err.msg[0] = '\0';
		r = analyse_one(s, ne, o, e, acks, next, &err);
		if (r == -2 || (r < 0 && ne->host)) {
			free(next);
			cli_error("network namespace %s: %s", ne->name, err.msg);
			goto out;
		}
		if (r < 0) {
			/* Gone between the listing and the dump: not shown. */
			free(next);
			if (!s->failed++) {
				struct strbuf m = STRBUF_INIT;

				sb_appendf(&m, "%s: %s", ne->name, err.msg);
				s->failed_msg = sb_steal(&m);
			}
			continue;
		}
		/* Its history, taken out of the old list (keyed by identity). */
		sc = NULL;
		for (size_t j = 0; j < s->n && !sc; j++) {
			if (s->v[j] && s->v[j]->dev == ne->dev && s->v[j]->ino == ne->ino) {
				sc = s->v[j];
				s->v[j] = NULL;
			}
		}
		if (!sc) {
			sc = scope_new();
			sc->dev = ne->dev;
			sc->ino = ne->ino;
		}
		sc->host = ne->host;
		if (!sc->name || strcmp(sc->name, ne->name) != 0) {
			free(sc->name);   /* (a name may change: now under /run/netns) */
			sc->name = tw_xstrdup(ne->name);
		}
		scope_take(sc, e, next);
		v[n++] = sc;
	}
	rc = 0;
out:
	/* What is left of the old list is gone (or failed): dropped. */
	for (size_t j = 0; j < s->n; j++)
		scope_free(s->v[j]);
	free(s->v);
	s->v = v;
	s->n = n;
	netns_list_free(&l);
	return rc;
}

int watch_scopes_refresh(struct watch_scopes *s, const struct tw_options *o,
			 const struct tw_engine *e, const struct tw_ack_list *acks,
			 bool (*stop)(void *arg), void *arg)
{
	struct watch_sample *next;
	struct tw_error err = { "" };

	if (s->all)
		return refresh_all(s, o, e, acks, stop, arg);
	next = tw_xcalloc(1, sizeof(*next));
	if (cli_analyse_source_err(o, e, acks, NULL, TW_DEFAULT_FRAGMENT, &next->facts,
				   &next->report, &err) < 0) {
		free(next);   /* nothing left in it on failure */
		cli_error("%s", err.msg);
		return -1;
	}
	scope_take(s->v[0], e, next);
	return 0;
}

static const struct watch_scope *host_scope(const struct watch_scopes *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i]->host)
			return s->v[i];
	return s->n ? s->v[0] : NULL;
}

void watch_scopes_merge(const struct watch_scopes *s, const struct watch_scope *focus,
			enum watch_sort by, struct watch_frame *out)
{
	const struct watch_scope *base = focus ? focus : host_scope(s);

	memset(out, 0, sizeof(*out));
	if (!base)
		return;
	/* The counters, verdict and time of one scope; the rows and the
	 * TIME_WAIT total of all those shown. */
	*out = *base->frame;
	out->nrows = 0;
	out->tw_known = false;
	out->tw_total = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct watch_frame *f = s->v[i]->frame;

		if (focus && s->v[i] != focus)
			continue;
		if (f->tw_known) {
			out->tw_known = true;
			out->tw_total += f->tw_total;
		}
		for (size_t j = 0; j < f->nrows; j++)
			watch_frame_add_row(out, &f->rows[j], by);
	}
}

void watch_scopes_summary(const struct watch_scopes *s, struct watch_summary *out)
{
	memset(out, 0, sizeof(*out));
	out->namespaces = s->n;
	out->failed = s->failed;
	out->wall = time(NULL);
	for (size_t i = 0; i < s->n; i++) {
		const struct watch_scope *sc = s->v[i];
		const struct tw_report *rep = &sc->cur->report;

		if (rep->verdict <= TW_COST_ACT)
			out->by_level[rep->verdict]++;
		if (!out->worst_name || rep->verdict > out->verdict) {
			out->verdict = rep->verdict;
			out->worst_name = sc->name;
			out->worst_summary = rep->cost_known ? rep->cost.summary : NULL;
		}
		for (size_t j = 0; j < rep->nfindings; j++) {
			const struct tw_finding *fi = &rep->findings[j];

			if (fi->acknowledged)
				continue;
			out->critical += fi->severity == TW_SEV_CRITICAL;
			out->warning += fi->severity == TW_SEV_WARNING;
			out->info += fi->severity == TW_SEV_INFO;
		}
		if (sc->frame->tw_known) {
			out->tw_known = true;
			out->tw_total += sc->frame->tw_total;
		}
	}
}

void watch_scopes_free(struct watch_scopes *s)
{
	for (size_t i = 0; i < s->n; i++)
		scope_free(s->v[i]);
	free(s->v);
	free(s->failed_msg);
	if (s->self_fd >= 0)
		close(s->self_fd);
	memset(s, 0, sizeof(*s));
	s->self_fd = -1;
}
