/* SPDX-License-Identifier: MIT */
/* cmd_explain_eval.c: --explain RULE_ID --snapshot S: how the rule's
 * condition evaluated on that snapshot, part by part (expr_trace), with
 * whether the rule fired in the full analysis of it. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "render/json_writer.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* The text with runs of white space (a folded block) as one space. */
static char *squeeze(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	bool space = false;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
			space = sb.len > 0;
			continue;
		}
		if (space)
			sb_appendc(&sb, ' ');
		space = false;
		sb_appendc(&sb, s[i]);
	}
	return sb.buf ? sb_steal(&sb) : tw_xstrdup("");
}

static void on_step(void *ctx, int depth, const char *kind, const char *text, size_t len,
		    const struct tw_value *v)
{
	struct explain_eval *ev = ctx;
	struct explain_step *st;
	struct strbuf sb = STRBUF_INIT;

	if (ev->tracing_critical) {
		ev->csteps = tw_xgrow(ev->csteps, &ev->ccap, ev->cn + 1, sizeof(*ev->csteps));
		st = &ev->csteps[ev->cn++];
	} else {
		ev->steps = tw_xgrow(ev->steps, &ev->cap, ev->n + 1, sizeof(*ev->steps));
		st = &ev->steps[ev->n++];
	}
	memset(st, 0, sizeof(*st));
	st->depth = depth;
	st->kind = kind;
	st->text = squeeze(text, len);
	st->type = v->type;
	st->known = v->known;
	st->b = v->b;
	st->num = v->num;
	tw_value_format(v, &sb);
	st->shown = sb.buf ? sb_steal(&sb) : tw_xstrdup("");
}

int explain_evaluate(const struct tw_options *o, const struct tw_engine *e,
		     const struct tw_rule *r, const char *snapshot, struct explain_eval *ev)
{
	struct tw_ack_list acks = { 0 };
	struct tw_report rep;
	struct tw_facts f;
	const struct tw_profile *p;
	int rc;

	memset(ev, 0, sizeof(*ev));
	if (cli_analyse_source(o, e, &acks, snapshot, NULL, &f, &rep) < 0)
		return -1;
	ev->snapshot = tw_xstrdup(snapshot);
	ev->profile = tw_xstrdup(rep.profile);
	p = profile_find(&e->profiles, rep.profile);
	ev->applies = engine_rule_runs(e, r, p);
	for (size_t i = 0; i < rep.nfindings; i++) {
		if (strcmp(rep.findings[i].id, r->id) == 0) {
			ev->fired = true;
			ev->severity = rep.findings[i].severity;
		}
	}
	rc = p ? engine_trace_rule(e, p, &f, r, on_step, ev) : -1;
	if (rc == 0) {
		ev->tracing_critical = true;
		rc = engine_trace_rule_critical(e, p, &f, r, on_step, ev);
		ev->tracing_critical = false;
	}
	report_free(&rep);
	facts_free(&f);
	if (rc < 0) {
		cli_error("%s: evaluating rule '%s' failed", snapshot, r->id);
		explain_eval_free(ev);
		return -1;
	}
	return 0;
}

static void steps_free(struct explain_step *steps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(steps[i].text);
		free(steps[i].shown);
	}
	free(steps);
}

void explain_eval_free(struct explain_eval *ev)
{
	if (!ev)
		return;
	steps_free(ev->steps, ev->n);
	steps_free(ev->csteps, ev->cn);
	free(ev->snapshot);
	free(ev->profile);
	memset(ev, 0, sizeof(*ev));
}

/* Each step as "TEXT  =>  VALUE", indented by its depth. */
static void steps_text(struct strbuf *sb, const struct explain_step *steps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_appendf(sb, "%*s%s  =>  %s\n", 2 + 2 * steps[i].depth, "", steps[i].text,
			   steps[i].shown);
}

void explain_eval_text(const struct explain_eval *ev, struct strbuf *sb)
{
	sb_appendf(sb, "\nEvaluated on %s (profile %s): %s%s\n", ev->snapshot, ev->profile,
		   !ev->applies ? "not run (the profile disables it or it is for other profiles)"
		   : ev->fired ? "fires, as " : "does not fire",
		   ev->applies && ev->fired ? severity_name(ev->severity) : "");
	steps_text(sb, ev->steps, ev->n);
	if (ev->cn)
		sb_append(sb, "Critical when also:\n");
	steps_text(sb, ev->csteps, ev->cn);
}

static void value_json(struct json_writer *w, const struct explain_step *st)
{
	if (!st->known)
		jw_null(w);
	else if (st->type == TW_T_BOOL)
		jw_bool(w, st->b);
	else if (st->type == TW_T_NUM)
		jw_double(w, st->num, 15);
	else
		jw_string(w, st->shown);
}

/* Steps [*i, n) of depth 'depth' and their children, as nested objects. */
static void steps_json(struct json_writer *w, const struct explain_step *steps, size_t n,
		       size_t *i, int depth)
{
	const struct explain_step *st = &steps[*i];

	jw_object_begin(w);
	jw_key(w, "expr");
	jw_string(w, st->text);
	jw_key(w, "kind");
	jw_string(w, st->kind);
	jw_key(w, "value");
	value_json(w, st);
	(*i)++;
	if (*i < n && steps[*i].depth > depth) {
		jw_key(w, "operands");
		jw_array_begin(w);
		while (*i < n && steps[*i].depth > depth)
			steps_json(w, steps, n, i, depth + 1);
		jw_array_end(w);
	}
	jw_object_end(w);
}

void explain_eval_json(const struct explain_eval *ev, struct json_writer *w)
{
	size_t i = 0;

	jw_object_begin(w);
	jw_key(w, "snapshot");
	jw_string(w, ev->snapshot);
	jw_key(w, "profile");
	jw_string(w, ev->profile);
	jw_key(w, "applies");
	jw_bool(w, ev->applies);
	jw_key(w, "fired");
	jw_bool(w, ev->fired);
	jw_key(w, "severity");
	if (ev->fired)
		jw_string(w, severity_name(ev->severity));
	else
		jw_null(w);
	jw_key(w, "when");
	if (ev->n)
		steps_json(w, ev->steps, ev->n, &i, 0);
	else
		jw_null(w);
	if (ev->cn) {
		i = 0;
		jw_key(w, "critical_when");
		steps_json(w, ev->csteps, ev->cn, &i, 0);
	}
	jw_object_end(w);
}
