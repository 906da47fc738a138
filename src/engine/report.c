/* SPDX-License-Identifier: MIT */
/* report.c: severity names and the life cycle of struct tw_report.
 *
 * The engine fills a report, the renderers read it; this file holds the
 * small pieces both sides need: the severity enum as the contract spells
 * it ("info", "warning", "critical"), its parser for --fail-on, and
 * report_free(), which releases every string the report owns. */
#include "engine/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *severity_name(enum tw_severity s)
{
	switch (s) {
	case TW_SEV_INFO:
		return "info";
	case TW_SEV_WARNING:
		return "warning";
	case TW_SEV_CRITICAL:
		return "critical";
	}
	return "info";
}

int severity_parse(const char *s, enum tw_severity *ret)
{
	static const enum tw_severity all[] = { TW_SEV_INFO, TW_SEV_WARNING, TW_SEV_CRITICAL };

	if (!s || !ret)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (strcmp(s, severity_name(all[i])) == 0) {
			*ret = all[i];
			return 0;
		}
	}
	return -EINVAL;
}

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
	free(r->fragment);
	free(r->fragment_path);
	free_strv(r->notes, r->nnotes);
	memset(r, 0, sizeof(*r));
}
