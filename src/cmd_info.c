/* SPDX-License-Identifier: MIT */
/* cmd_info.c: the verbs that describe the advice itself: --list-profiles,
 * --list-rules, --list-facts and --explain RULE_ID. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util/strbuf.h"

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

int cmd_list_profiles(const struct tw_options *o)
{
	struct strbuf sb = STRBUF_INIT;
	struct tw_engine e;
	int rc;

	if (cli_load_engine(o, &e) < 0)
		return 1;
	for (size_t i = 0; i < e.profiles.n; i++) {
		const struct tw_profile *p = e.profiles.v[i];

		sb_appendf(&sb, "%s%s%s%s\n", p->name, p->inherits ? " (inherits " : "",
			   p->inherits ? p->inherits : "", p->inherits ? ")" : "");
		if (p->description)
			wrap(&sb, p->description, "    ");
		sb_appendf(&sb, "    file: %s\n", p->file);
	}
	rc = cli_write_stdout(sb_str(&sb), sb.len) < 0 ? 1 : 0;
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
	for (size_t i = 0; i < e.rules.n; i++) {
		const struct tw_rule *r = e.rules.v[i];

		sb_appendf(&sb, "%-36s %-8s %s\n", r->id, severity_name(r->severity), r->title);
	}
	rc = cli_write_stdout(sb_str(&sb), sb.len) < 0 ? 1 : 0;
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
	rc = cli_write_stdout(sb_str(&sb), sb.len) < 0 ? 1 : 0;
	sb_free(&sb);
	return rc;
}

int cmd_explain(const struct tw_options *o)
{
	struct strbuf sb = STRBUF_INIT;
	const struct tw_rule *r;
	struct tw_engine e;
	int rc;

	if (cli_load_engine(o, &e) < 0)
		return 1;
	r = rule_find(&e.rules, o->explain_id);
	if (!r) {
		cli_error("no rule with id '%s' (see --list-rules)", o->explain_id);
		engine_free(&e);
		return 1;
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
	rc = cli_write_stdout(sb_str(&sb), sb.len) < 0 ? 1 : 0;
	sb_free(&sb);
	engine_free(&e);
	return rc;
}
