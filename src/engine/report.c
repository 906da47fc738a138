/* SPDX-License-Identifier: MIT */
/* report.c: the life cycle of struct tw_report (see report.h):
 * report_free() releases every string the report owns. */
#include "engine/report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void change_free(struct tw_change *c)
{
	free(c->sysctl);
	free(c->current);
	free(c->recommended);
	free(c->persisted.value);
	free(c->persisted.file);
	free_strv(c->persisted.shadowed, c->persisted.nshadowed);
	free(c->overridden_by);
	free_strv(c->requires, c->nrequires);
	free(c->requires_why);
}

void plan_free(struct tw_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].sysctl);
		free(p->v[i].value);
		free(p->v[i].current);
		free(p->v[i].finding_id);
		free(p->v[i].reason);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

const struct tw_plan_item *plan_find(const struct tw_plan *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].sysctl, key) == 0)
			return &p->v[i];
	return NULL;
}

bool plan_counts(const struct tw_plan *p, enum tw_severity fail_on)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].severity >= fail_on)
			return true;
	return false;
}

static void finding_free(struct tw_finding *f)
{
	free(f->id);
	free(f->title);
	free(f->evidence);
	free(f->rationale);
	free(f->risk);
	for (size_t i = 0; i < f->nchanges; i++)
		change_free(&f->changes[i]);
	free(f->changes);
	free_strv(f->actions, f->nactions);
	free_strv(f->references, f->nreferences);
	free(f->ack_reason);
	free_strv(f->withheld, f->nwithheld);
}

/* Frees what the report owns (not the facts, not 'r' itself, which is
 * usually on the caller's stack) and leaves 'r' zeroed, so a second call
 * is harmless. Accepts NULL. */
void report_free(struct tw_report *r)
{
	if (!r)
		return;
	free(r->profile);
	free(r->profile_reason);
	for (size_t i = 0; i < r->nfindings; i++)
		finding_free(&r->findings[i]);
	free(r->findings);
	plan_free(&r->plan);
	free(r->fragment);
	free(r->fragment_path);
	free_strv(r->notes, r->nnotes);
	memset(r, 0, sizeof(*r));
}

void report_note(struct tw_report *r, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vappendf(&sb, fmt, ap);
	va_end(ap);
	r->notes = tw_xrealloc(r->notes, (r->nnotes + 1) * sizeof(char *));
	r->notes[r->nnotes++] = sb_steal(&sb);
}
