/* SPDX-License-Identifier: MIT */
/* cmd_info.c: the verbs that describe the advice itself: --list-profiles,
 * --list-rules, --list-facts and --explain RULE_ID. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "render/json_writer.h"
#include "suggest.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Appends 'text' wrapped at 76 columns, each line indented by 'indent'. */
static void wrap(struct strbuf *sb, const char *text, const char *indent)
{
	size_t col = 0, ilen = strlen(indent);
	const char *p = text;

	sb_append(sb, indent);
	col = ilen;
	while (*p) {
		size_t w = strcspn(p, " \n");

		if (col > ilen && col + 1 + w > 76) {
			sb_appendc(sb, '\n');
			sb_append(sb, indent);
			col = ilen;
		} else if (col > ilen) {
			sb_appendc(sb, ' ');
			col++;
		}
		sb_appendn(sb, p, w);
		col += w;
		p += w;
		while (*p == ' ' || *p == '\n')
			p++;
	}
	sb_appendc(sb, '\n');
}

static void strv_json(struct json_writer *w, char *const *v, size_t n)
{
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		jw_string(w, v[i]);
	jw_array_end(w);
}

/* One rule as JSON: its summary, and with 'full' what --explain shows. */
static void rule_json_eval(struct json_writer *w, const struct tw_rule *r, bool full,
			   const struct explain_eval *ev);

static void rule_json(struct json_writer *w, const struct tw_rule *r, bool full)
{
	rule_json_eval(w, r, full, NULL);
}

static void rule_json_eval(struct json_writer *w, const struct tw_rule *r, bool full,
			   const struct explain_eval *ev)
{
	jw_object_begin(w);
	jw_key(w, "id");
	jw_string(w, r->id);
	jw_key(w, "severity");
	jw_string(w, severity_name(r->severity));
	jw_key(w, "title");
	jw_string(w, r->title);
	jw_key(w, "file");
	jw_string(w, r->file);
	jw_key(w, "profiles");
	strv_json(w, r->profiles, r->nprofiles);
	if (full) {
		jw_key(w, "when");
		jw_string(w, r->when_src);
		if (r->critical_when_src) {
			jw_key(w, "critical_when");
			jw_string(w, r->critical_when_src);
		}
		jw_key(w, "formula");
		jw_string(w, r->formula);
		jw_key(w, "changes");
		jw_array_begin(w);
		for (size_t i = 0; i < r->nchanges; i++) {
			jw_object_begin(w);
			jw_key(w, "sysctl");
			jw_string(w, r->changes[i].sysctl);
			jw_key(w, "value");
			jw_string(w, r->changes[i].value_src);
			jw_object_end(w);
		}
		jw_array_end(w);
		jw_key(w, "evidence");
		jw_string(w, r->evidence_src);
		jw_key(w, "rationale");
		jw_string(w, r->rationale_src);
		jw_key(w, "risk");
		jw_string(w, r->risk_src);
		jw_key(w, "actions");
		strv_json(w, r->action_srcs, r->nactions);
	}
	jw_key(w, "references");
	strv_json(w, r->references, r->nreferences);
	if (ev) {
		jw_key(w, "evaluation");
		explain_eval_json(ev, w);
	}
	jw_object_end(w);
}

static void explain_json(const struct tw_rule *r, const struct explain_eval *ev,
			 struct strbuf *sb)
{
	struct json_writer w;

	jw_init(&w, sb);
	rule_json_eval(&w, r, true, ev);
	sb_appendc(sb, '\n');
}

int cmd_list_profiles(const struct tw_options *o)
{
	struct strbuf sb = STRBUF_INIT;
	struct tw_engine e;
	int rc;

	if (cli_load_engine(o, &e) < 0)
		return 1;
	if (o->format == FORMAT_JSON) {
		struct json_writer w;

		jw_init(&w, &sb);
		jw_array_begin(&w);
		for (size_t i = 0; i < e.profiles.n; i++) {
			const struct tw_profile *p = e.profiles.v[i];

			jw_object_begin(&w);
			jw_key(&w, "name");
			jw_string(&w, p->name);
			jw_key(&w, "inherits");
			jw_string(&w, p->inherits);
			jw_key(&w, "description");
			jw_string(&w, p->description);
			jw_key(&w, "file");
			jw_string(&w, p->file);
			jw_key(&w, "thresholds");
			jw_object_begin(&w);
			for (size_t t = 0; t < p->nthresholds; t++) {
				jw_key(&w, p->thresholds[t].name);
				jw_double(&w, p->thresholds[t].value, 15);
			}
			jw_object_end(&w);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		sb_appendc(&sb, '\n');
		goto write;
	}
	for (size_t i = 0; i < e.profiles.n; i++) {
		const struct tw_profile *p = e.profiles.v[i];

		sb_appendf(&sb, "%s%s%s%s\n", p->name, p->inherits ? " (inherits " : "",
			   p->inherits ? p->inherits : "", p->inherits ? ")" : "");
		if (p->description)
			wrap(&sb, p->description, "    ");
		sb_appendf(&sb, "    file: %s\n", p->file);
	}
write:
	rc = cli_write_sb(&sb) < 0 ? 1 : 0;
	sb_free(&sb);
	engine_free(&e);
	return rc;
}

int cmd_list_rules(const struct tw_options *o)
{
	struct strbuf sb = STRBUF_INIT;
	struct tw_engine e;
	int rc;

	if (cli_load_engine(o, &e) < 0)
		return 1;
	if (o->format == FORMAT_JSON) {
		struct json_writer w;

		jw_init(&w, &sb);
		jw_array_begin(&w);
		for (size_t i = 0; i < e.rules.n; i++)
			rule_json(&w, e.rules.v[i], false);
		jw_array_end(&w);
		sb_appendc(&sb, '\n');
	} else {
		for (size_t i = 0; i < e.rules.n; i++) {
			const struct tw_rule *r = e.rules.v[i];

			sb_appendf(&sb, "%-36s %-8s %s\n", r->id, severity_name(r->severity), r->title);
		}
	}
	rc = cli_write_sb(&sb) < 0 ? 1 : 0;
	sb_free(&sb);
	engine_free(&e);
	return rc;
}

int cmd_list_facts(const struct tw_options *o)
{
	struct strbuf sb = STRBUF_INIT;
	const char *name, *sig, *help;
	enum tw_type type;
	int rc;

	(void)o;
	sb_append(&sb, "Names:\n");
	for (size_t i = 0; (name = catalog_name_at(i, &type, &help)); i++)
		sb_appendf(&sb, "  %-30s %-8s %s\n", name, tw_type_name(type), help);
	sb_append(&sb, "  threshold.NAME                 num      a threshold of the profile in use\n");
	sb_append(&sb, "Functions:\n");
	for (size_t i = 0; (name = catalog_func_at(i, &sig, &help)); i++)
		sb_appendf(&sb, "  %-36s %s\n", sig, help);
	rc = cli_write_sb(&sb) < 0 ? 1 : 0;
	sb_free(&sb);
	return rc;
}

int cmd_explain(const struct tw_options *o)
{
	struct strbuf sb = STRBUF_INIT;
	struct explain_eval ev = { 0 };
	const struct tw_rule *r;
	struct tw_engine e;
	int rc;

	if (cli_load_engine(o, &e) < 0)
		return 1;
	r = rule_find(&e.rules, o->explain_id);
	if (!r) {
		const char *hint = cli_suggest_rule(&e, o->explain_id);

		if (hint)
			cli_error("no rule with id '%s' (did you mean '%s'?)", o->explain_id, hint);
		else
			cli_error("no rule with id '%s' (see --list-rules)", o->explain_id);
		engine_free(&e);
		return 1;
	}
	if (o->nsnapshots > 1) {
		cli_error("--explain evaluates the rule on one --snapshot");
		engine_free(&e);
		return 1;
	}
	if (o->nsnapshots == 1 && explain_evaluate(o, &e, r, o->snapshots[0], &ev) < 0) {
		engine_free(&e);
		return 1;
	}
	if (o->format == FORMAT_JSON) {
		explain_json(r, o->nsnapshots ? &ev : NULL, &sb);
		goto write;
	}
	sb_appendf(&sb, "%s (%s)\n", r->id, severity_name(r->severity));
	wrap(&sb, r->title, "  ");
	sb_appendf(&sb, "\nDefined in: %s\n", r->file);
	sb_append(&sb, "Applies to: ");
	if (r->nprofiles == 0)
		sb_append(&sb, "every profile");
	for (size_t i = 0; i < r->nprofiles; i++)
		sb_appendf(&sb, "%s%s", i ? ", " : "", r->profiles[i]);
	sb_append(&sb, "\n\nFires when:\n");
	wrap(&sb, r->when_src, "  ");
	if (r->critical_when_src) {
		sb_append(&sb, "\nCritical when also:\n");
		wrap(&sb, r->critical_when_src, "  ");
	}
	if (r->formula) {
		sb_append(&sb, "\nFormula:\n");
		wrap(&sb, r->formula, "  ");
	}
	if (r->nchanges) {
		sb_append(&sb, "\nRecommends:\n");
		for (size_t i = 0; i < r->nchanges; i++)
			sb_appendf(&sb, "  %s = %s\n", r->changes[i].sysctl, r->changes[i].value_src);
	}
	sb_append(&sb, "\nEvidence (template):\n");
	wrap(&sb, r->evidence_src, "  ");
	sb_append(&sb, "\nRationale:\n");
	wrap(&sb, r->rationale_src, "  ");
	if (r->risk_src) {
		sb_append(&sb, "\nRisk:\n");
		wrap(&sb, r->risk_src, "  ");
	}
	for (size_t i = 0; i < r->nactions; i++) {
		if (i == 0)
			sb_append(&sb, "\nActions:\n");
		wrap(&sb, r->action_srcs[i], "  - ");
	}
	if (r->nreferences) {
		sb_append(&sb, "\nReferences:\n");
		for (size_t i = 0; i < r->nreferences; i++)
			sb_appendf(&sb, "  - %s\n", r->references[i]);
	}
	if (o->nsnapshots)
		explain_eval_text(&ev, &sb);
write:
	explain_eval_free(&ev);
	rc = cli_write_sb(&sb) < 0 ? 1 : 0;
	sb_free(&sb);
	engine_free(&e);
	return rc;
}

const char *cli_suggest_rule(const struct tw_engine *e, const char *word)
{
	const char **ids = tw_xcalloc(e->rules.n + 1, sizeof(*ids));
	const char *best;

	for (size_t i = 0; i < e->rules.n; i++)
		ids[i] = e->rules.v[i]->id;
	best = suggest_closest(word, ids, e->rules.n);
	free(ids);
	return best;
}

const char *cli_suggest_profile(const struct tw_engine *e, const char *word)
{
	const char **names = tw_xcalloc(e->profiles.n + 1, sizeof(*names));
	const char *best;

	for (size_t i = 0; i < e->profiles.n; i++)
		names[i] = e->profiles.v[i]->name;
	best = suggest_closest(word, names, e->profiles.n);
	free(names);
	return best;
}
