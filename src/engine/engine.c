/* SPDX-License-Identifier: MIT */
/* engine.c: evaluation of rules and profiles into a report (see engine.h).
 *
 * Every applicable rule whose condition is true gives a finding with the
 * changes it proposes; the change plan (plan.c) then decides, in one
 * place, which are written: precedence, the invariants, interactions.
 * The verdict comes from the open findings and the cost items together. */
#include "engine/engine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cost/cost.h"
#include "engine/allowlist.h"
#include "engine/plan.h"
#include "sysctld/sysctld.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define DEFAULT_PEER_PORTS TW_DEFAULT_PORT_COUNT

/* ---------- loading ---------- */

static char *join(const char *a, const char *b)
{
	struct strbuf sb = STRBUF_INIT;

	sb_appendf(&sb, "%s/%s", a, b);
	return sb_steal(&sb);
}

int engine_load(struct tw_engine *e, const struct tw_engine_opts *o, struct tw_error *err)
{
	char *dir;
	int r;

	memset(e, 0, sizeof(*e));
	/* The keys C code reads; rule and profile expressions add theirs as
	 * they are compiled. Every key a rule changes or a profile pins is on
	 * the allow-list (checked when loaded), so the allow-list covers
	 * those and the plan's. */
	catalog_sysctl_keys(&e->sysctl_keys);
	for (size_t i = 0; i < allowlist_count(); i++)
		sysctl_keys_add(&e->sysctl_keys, allowlist_at(i)->key);
	e->profiles.sysctl_keys = &e->sysctl_keys;
	e->names.sysctl_keys = &e->sysctl_keys;
	dir = join(o->data_dir, "profiles");
	r = profile_load_dir(&e->profiles, dir, err);
	free(dir);
	if (r == 0 && o->site_dir) {
		dir = join(o->site_dir, "profiles.d");
		r = profile_load_dir(&e->profiles, dir, err);
		free(dir);
	}
	if (r == 0 && o->profile_file) {
		struct tw_profile *p = NULL;

		r = profile_load_file(&e->profiles, o->profile_file, &p, err);
		if (r == 0)
			e->file_profile = p->name;
	}
	if (r == 0)
		r = profiles_resolve(&e->profiles, err);
	if (r < 0)
		return r;
	e->names.thresholds = (const char *const *)e->profiles.threshold_names;
	e->names.nthresholds = e->profiles.nthreshold_names;

	dir = join(o->data_dir, "rules");
	r = rule_load_dir(&e->rules, dir, &e->names, err);
	free(dir);
	if (r == 0 && o->site_dir) {
		dir = join(o->site_dir, "rules.d");
		r = rule_load_dir(&e->rules, dir, &e->names, err);
		free(dir);
	}
	if (r < 0)
		return r;
	rule_set_sort(&e->rules);
	return 0;
}

void engine_free(struct tw_engine *e)
{
	rule_set_free(&e->rules);
	profile_set_free(&e->profiles);
	sysctl_keys_free(&e->sysctl_keys);
}

/* ---------- evaluation helpers ---------- */

static uint64_t peer_ports_of(const struct tw_profile *p)
{
	double d;

	if (p && profile_threshold(p, "peer_ports", &d) == 0 && d >= 1 && d <= 65535)
		return (uint64_t)d;
	return DEFAULT_PEER_PORTS;
}

static uint64_t snat_ports_of(const struct tw_profile *p, const struct tw_facts *f)
{
	double d = 0;

	if (!p || profile_threshold(p, "snat_ports", &d) < 0 || d < 1 || d > 65535)
		d = 0;
	return facts_snat_ports(f, (uint64_t)d);
}

static double ct_tw_timeout_of(const struct tw_facts *f)
{
	int64_t v;

	if (sysctls_get_i64(&f->sysctls, "net.netfilter.nf_conntrack_tcp_timeout_time_wait", 1,
			    INT64_MAX, &v) == 0)
		return (double)v;
	return 120;
}

static void cost_params_of(const struct tw_profile *p, struct tw_cost_params *cp)
{
	double d;

	/* The cost model judges shares with the profile's own utilization
	 * thresholds, so its verdict agrees with the findings. */
	cost_params_default(cp);
	if (p && profile_threshold(p, "utilization_warning", &d) == 0 && d > 0)
		cp->watch_share = d;
	if (p && profile_threshold(p, "utilization_critical", &d) == 0 && d >= cp->watch_share)
		cp->act_share = d;
	cp->peer_ports = peer_ports_of(p);
	if (p && profile_threshold(p, "max_tw_buckets_share", &d) == 0 && d > 0)
		cp->tw_buckets_share = d;
	if (p && profile_threshold(p, "conntrack_share", &d) == 0 && d > 0)
		cp->conntrack_share = d;
}

static int eval_bool(const struct tw_expr *x, const struct tw_env *env, bool *ret)
{
	struct tw_value v;
	int r = expr_eval(x, env, &v);

	if (r < 0)
		return r;
	*ret = v.type == TW_T_BOOL && v.known && v.b;
	tw_value_clear(&v);
	return 0;
}

static char *render_tpl(const struct tw_template *t, const struct tw_env *env, bool *ret_known)
{
	struct strbuf sb = STRBUF_INIT;
	bool known = true;

	if (t && template_render_known(t, env, &sb, &known) < 0)
		known = false;
	if (ret_known)
		*ret_known = known;
	return sb_steal(&sb);
}

static int cmp_profile_auto(const void *a, const void *b)
{
	const struct tw_profile *x = *(const struct tw_profile *const *)a;
	const struct tw_profile *y = *(const struct tw_profile *const *)b;

	if (x->auto_priority != y->auto_priority)
		return x->auto_priority > y->auto_priority ? -1 : 1;
	return strcmp(x->name, y->name);
}

int engine_select_profile(const struct tw_engine *e, const char *spec, const struct tw_facts *f,
			  const struct tw_profile **ret, char **ret_reason, struct tw_error *err)
{
	const struct tw_profile **order;
	const struct tw_profile *generic;
	size_t n = 0;

	*ret_reason = NULL;
	if (strcmp(spec, "auto") != 0) {
		const struct tw_profile *p = profile_find(&e->profiles, spec);

		if (!p) {
			struct strbuf sb = STRBUF_INIT;

			for (size_t i = 0; i < e->profiles.n; i++)
				sb_appendf(&sb, "%s%s", i ? ", " : "", e->profiles.v[i]->name);
			tw_error_set(err, -ENOENT, "unknown profile '%s' (known: %s)", spec, sb_str(&sb));
			sb_free(&sb);
			return -ENOENT;
		}
		*ret = p;
		return 0;
	}

	order = tw_xcalloc(e->profiles.n ? e->profiles.n : 1, sizeof(*order));
	for (size_t i = 0; i < e->profiles.n; i++)
		if (e->profiles.v[i]->has_auto)
			order[n++] = e->profiles.v[i];
	qsort(order, n, sizeof(*order), cmp_profile_auto);
	for (size_t i = 0; i < n; i++) {
		const struct tw_profile *p = order[i];
		struct tw_catalog_env cenv = {
			.facts = f, .profile = p, .profile_name = p->name,
			.peer_ports = peer_ports_of(p), .names = &e->names,
		};
		struct tw_cost cost;
		struct tw_cost_params cp;
		struct tw_env env;
		bool match;
		int r;

		cost_params_of(p, &cp);
		if (cost_compute(f, &cp, &cost) == 0)
			cenv.cost = &cost;
		catalog_env(&cenv, &env);
		r = eval_bool(p->auto_when, &env, &match);
		if (r < 0) {
			free(order);
			return tw_error_set(err, r, "%s: evaluating auto.when failed", p->file);
		}
		if (match) {
			*ret = p;
			*ret_reason = render_tpl(p->auto_why, &env, NULL);
			free(order);
			return 0;
		}
	}
	free(order);
	generic = profile_find(&e->profiles, "generic");
	if (!generic)
		return tw_error_set(err, -ENOENT, "--profile auto: no profile matched and there is no 'generic' profile");
	*ret = generic;
	*ret_reason = tw_xstrdup("no workload-specific profile matched the observed sockets; generic advice applies");
	return 0;
}

/* ---------- findings ---------- */

struct finding_builder {
	const struct tw_engine *e;
	const struct tw_profile *profile;
	const struct tw_facts *f;
	struct tw_report *rep;
	struct tw_env env;
};

static struct tw_finding *add_finding(struct tw_report *rep)
{
	struct tw_finding *fi;

	rep->findings = tw_xrealloc(rep->findings, (rep->nfindings + 1) * sizeof(*rep->findings));
	fi = &rep->findings[rep->nfindings++];
	memset(fi, 0, sizeof(*fi));
	return fi;
}

static struct tw_change *add_change(struct tw_finding *fi, const struct tw_facts *f, const char *key,
				    const char *value)
{
	const char *cur = sysctls_get(&f->sysctls, key);
	struct tw_change *c;

	fi->changes = tw_xrealloc(fi->changes, (fi->nchanges + 1) * sizeof(*fi->changes));
	c = &fi->changes[fi->nchanges++];
	memset(c, 0, sizeof(*c));
	c->sysctl = tw_xstrdup(key);
	c->current = cur ? tw_xstrdup(cur) : NULL;
	c->recommended = tw_xstrdup(value);
	return c;
}

static bool value_is_current(const struct tw_facts *f, const char *key, const char *value)
{
	const char *cur = sysctls_get(&f->sysctls, key);
	struct tw_sysctls tmp = { 0 };
	bool same;

	if (!cur)
		return false;
	/* Compare with the same whitespace folding the table applies. */
	sysctls_put(&tmp, "k", value);
	same = strcmp(sysctls_get(&tmp, "k"), cur) == 0;
	sysctls_free(&tmp);
	return same;
}

/* A profile's pinned settings are findings of their own, first in the
 * plan's precedence. Whether a key may be written is the plan's to say. */
static void apply_profile_settings(struct finding_builder *b)
{
	const struct tw_profile *p = b->profile;

	for (size_t i = 0; i < p->nsettings; i++) {
		const struct tw_setting *s = &p->settings[i];
		const char *cur = sysctls_get(&b->f->sysctls, s->key);
		struct tw_finding *fi;
		struct strbuf sb = STRBUF_INIT;

		if (value_is_current(b->f, s->key, s->value))
			continue;
		fi = add_finding(b->rep);
		fi->pinned = true;
		sb_appendf(&sb, "profile.%s.%s", p->name, s->key);
		fi->id = sb_steal(&sb);
		fi->severity = TW_SEV_WARNING;
		sb_appendf(&sb, "Profile %s pins %s = %s", p->name, s->key, s->value);
		fi->title = sb_steal(&sb);
		sb_appendf(&sb, "%s is %s here; the profile pins %s.", s->key, cur ? cur : "unknown", s->value);
		fi->evidence = sb_steal(&sb);
		fi->rationale = tw_xstrdup(s->why);
		fi->risk = tw_xstrdup("Chosen by whoever wrote the profile; review the reason above.");
		add_change(fi, b->f, s->key, s->value);
		fi->references = tw_xmalloc(sizeof(char *));
		fi->references[0] = tw_xstrdup(p->file);
		fi->nreferences = 1;
	}
}

static bool profile_chain_applies(const struct tw_engine *e, const struct tw_rule *r,
				  const struct tw_profile *p)
{
	for (size_t depth = 0; p && depth <= e->profiles.n; depth++) {
		if (rule_applies_to(r, p->name))
			return true;
		p = p->inherits ? profile_find(&e->profiles, p->inherits) : NULL;
	}
	return false;
}

bool engine_rule_runs(const struct tw_engine *e, const struct tw_rule *r,
		      const struct tw_profile *p)
{
	return p && !profile_disables(p, r->id) && profile_chain_applies(e, r, p);
}

static int cmp_rule_priority(const void *a, const void *b)
{
	const struct tw_rule *x = *(const struct tw_rule *const *)a;
	const struct tw_rule *y = *(const struct tw_rule *const *)b;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* One rule change proposed by a finding: its value, its own condition
 * and what it requires. The plan decides whether it is written. */
static int propose_change(struct finding_builder *b, const struct tw_rule *r,
			  const struct tw_rule_change *ch, struct tw_finding *fi)
{
	struct tw_change *c;
	bool known, on = true, waived = false;
	char *value;
	int rc;

	if (ch->when && (rc = eval_bool(ch->when, &b->env, &on)) < 0)
		return rc;
	if (!on)
		return 0;
	value = render_tpl(ch->value, &b->env, &known);
	if (!known) {
		report_note(b->rep, "%s: the value for %s depends on facts that are unknown here; not offered",
			    r->id, ch->sysctl);
	} else if (!value_is_current(b->f, ch->sysctl, value)) {
		c = add_change(fi, b->f, ch->sysctl, value);
		if (ch->unless && (rc = eval_bool(ch->unless, &b->env, &waived)) < 0) {
			free(value);
			return rc;
		}
		if (ch->nrequires && !waived) {
			c->requires = tw_xcalloc(ch->nrequires, sizeof(char *));
			for (size_t k = 0; k < ch->nrequires; k++)
				c->requires[c->nrequires++] = tw_xstrdup(ch->requires[k]);
			c->requires_why = render_tpl(ch->requires_why, &b->env, NULL);
		}
	}
	free(value);
	return 0;
}

static int run_rule(struct finding_builder *b, const struct tw_rule *r)
{
	struct tw_finding *fi;
	bool fire;
	int rc;

	rc = eval_bool(r->when, &b->env, &fire);
	if (rc < 0)
		return rc;
	if (!fire)
		return 0;
	fi = add_finding(b->rep);
	fi->id = tw_xstrdup(r->id);
	fi->severity = r->severity;
	if (r->critical_when && r->severity != TW_SEV_CRITICAL) {
		bool escalate = false;

		if ((rc = eval_bool(r->critical_when, &b->env, &escalate)) < 0)
			return rc;
		if (escalate)
			fi->severity = TW_SEV_CRITICAL;
	}
	fi->title = render_tpl(r->title_t, &b->env, NULL);
	fi->evidence = render_tpl(r->evidence, &b->env, NULL);
	fi->rationale = render_tpl(r->rationale, &b->env, NULL);
	fi->risk = r->risk ? render_tpl(r->risk, &b->env, NULL) : tw_xstrdup("");
	fi->actions = tw_xcalloc(r->nactions ? r->nactions : 1, sizeof(char *));
	for (size_t i = 0; i < r->nactions; i++) {
		/* An action whose template renders to nothing does not apply
		 * here (e.g. advice for a flag that is already set). */
		char *a = render_tpl(r->actions[i], &b->env, NULL);

		if (a[strspn(a, " \t\n")] == '\0')
			free(a);
		else
			fi->actions[fi->nactions++] = a;
	}
	fi->references = tw_xcalloc(r->nreferences ? r->nreferences : 1, sizeof(char *));
	for (size_t i = 0; i < r->nreferences; i++)
		fi->references[fi->nreferences++] = tw_xstrdup(r->references[i]);
	for (size_t i = 0; i < r->nchanges; i++)
		if ((rc = propose_change(b, r, &r->changes[i], fi)) < 0)
			return rc;
	return 0;
}

/* ---------- report assembly ---------- */

static void fill_persisted(struct tw_report *rep, const struct tw_facts *f, const char *fragment_path)
{
	const struct tw_sysctld *c = f->persisted;

	if (!c)
		return;
	for (size_t i = 0; i < rep->nfindings; i++) {
		struct tw_finding *fi = &rep->findings[i];

		for (size_t k = 0; k < fi->nchanges; k++) {
			struct tw_change *ch = &fi->changes[k];
			const struct tw_sysctld_assign *const *sh = NULL;
			const struct tw_sysctld_assign *a, *over;
			size_t nsh = 0;

			a = sysctld_lookup(c, ch->sysctl, &sh, &nsh);
			if (a) {
				ch->persisted.known = true;
				ch->persisted.value = tw_xstrdup(a->value);
				ch->persisted.file = tw_xstrdup(a->file);
				ch->persisted.line = a->line;
				ch->persisted.shadowed = tw_xcalloc(nsh ? nsh : 1, sizeof(char *));
				for (size_t s = 0; s < nsh; s++) {
					struct strbuf sb = STRBUF_INIT;

					sb_appendf(&sb, "%s:%u = %s", sh[s]->file, sh[s]->line, sh[s]->value);
					ch->persisted.shadowed[ch->persisted.nshadowed++] = sb_steal(&sb);
				}
			}
			over = fragment_path ? sysctld_overrider(c, ch->sysctl, fragment_path) : NULL;
			if (over) {
				struct strbuf sb = STRBUF_INIT;

				sb_appendf(&sb, "%s:%u", over->file, over->line);
				ch->overridden_by = sb_steal(&sb);
			}
		}
	}
}

static int cmp_finding(const void *a, const void *b)
{
	const struct tw_finding *x = a, *y = b;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int cmp_top(const void *a, const void *b)
{
	const struct tw_top_row *x = a, *y = b;

	if (x->utilization != y->utilization)
		return x->utilization > y->utilization ? -1 : 1;
	if (x->tuple.held != y->tuple.held)
		return x->tuple.held > y->tuple.held ? -1 : 1;
	if (x->tuple.count != y->tuple.count)
		return x->tuple.count > y->tuple.count ? -1 : 1;
	if (x->tuple.side != y->tuple.side)
		return x->tuple.side < y->tuple.side ? -1 : 1;
	return memcmp(&x->tuple.remote, &y->tuple.remote, sizeof(x->tuple.remote));
}

static void fill_top(struct tw_report *rep, const struct tw_facts *f, uint64_t peer_ports)
{
	struct tw_top_row rows[2 * TW_TOP_MAX];
	size_t n = 0;

	for (size_t i = 0; i < f->tw.ntop_client + f->tw.ntop_server; i++) {
		const struct tw_tuple *t = i < f->tw.ntop_client ? &f->tw.top_client[i]
								  : &f->tw.top_server[i - f->tw.ntop_client];
		struct tw_top_row *row = &rows[n++];

		row->tuple = *t;
		row->utilization = 0;
		row->utilization_known = facts_tuple_utilization(f, t, peer_ports, &row->utilization);
	}
	qsort(rows, n, sizeof(rows[0]), cmp_top);
	for (size_t i = 0; i < n && rep->ntop < sizeof(rep->top) / sizeof(rep->top[0]); i++)
		rep->top[rep->ntop++] = rows[i];
}

/* The one verdict: the cost items' worst level, raised to "act" by an
 * open critical finding and to at least "watch" by an open warning. So it
 * is never "harmless" beside a warning and always "act" beside a
 * critical; acknowledged findings do not count. */
static enum tw_cost_level report_verdict(const struct tw_report *rep)
{
	enum tw_cost_level v = rep->cost_known ? rep->cost.verdict : TW_COST_HARMLESS;

	for (size_t i = 0; i < rep->nfindings; i++) {
		const struct tw_finding *fi = &rep->findings[i];

		if (fi->acknowledged)
			continue;
		if (fi->severity == TW_SEV_CRITICAL)
			v = TW_COST_ACT;
		else if (fi->severity == TW_SEV_WARNING && v < TW_COST_WATCH)
			v = TW_COST_WATCH;
	}
	return v;
}

static void apply_acks(struct tw_report *rep, const struct tw_run_opts *o)
{
	for (size_t i = 0; i < rep->nfindings; i++) {
		struct tw_finding *fi = &rep->findings[i];

		for (size_t a = 0; a < o->nacks; a++) {
			if (strcmp(o->acks[a].id, fi->id) == 0) {
				fi->acknowledged = true;
				free(fi->ack_reason);
				fi->ack_reason = o->acks[a].reason ? tw_xstrdup(o->acks[a].reason) : NULL;
			}
		}
	}
}

static int trace_expr(const struct tw_engine *e, const struct tw_profile *p,
		      const struct tw_facts *f, const struct tw_expr *x, tw_trace_fn fn, void *ctx)
{
	/* The environment engine_run() gives the rules, built the same way. */
	struct tw_catalog_env cenv = {
		.facts = f, .profile = p, .profile_name = p->name,
		.peer_ports = peer_ports_of(p), .names = &e->names,
	};
	struct tw_cost_params cp;
	struct tw_cost cost;
	struct tw_env env;

	cost_params_of(p, &cp);
	if (cost_compute(f, &cp, &cost) == 0)
		cenv.cost = &cost;
	catalog_env(&cenv, &env);
	return expr_trace(x, &env, fn, ctx);
}

int engine_trace_rule(const struct tw_engine *e, const struct tw_profile *p,
		      const struct tw_facts *f, const struct tw_rule *r, tw_trace_fn fn, void *ctx)
{
	return trace_expr(e, p, f, r->when, fn, ctx);
}

int engine_trace_rule_critical(const struct tw_engine *e, const struct tw_profile *p,
			       const struct tw_facts *f, const struct tw_rule *r, tw_trace_fn fn,
			       void *ctx)
{
	return r->critical_when ? trace_expr(e, p, f, r->critical_when, fn, ctx) : 0;
}

int engine_run(const struct tw_engine *e, const struct tw_profile *p, const char *reason,
	       const struct tw_facts *f, const struct tw_run_opts *o, struct tw_report *rep,
	       struct tw_error *err)
{
	struct tw_catalog_env cenv = {
		.facts = f, .profile = p, .profile_name = p->name,
		.peer_ports = peer_ports_of(p), .names = &e->names,
	};
	struct finding_builder b = { .e = e, .profile = p, .f = f, .rep = rep };
	struct tw_cost_params cp;
	const struct tw_rule **order;
	size_t n = 0;
	int r = 0;

	memset(rep, 0, sizeof(*rep));
	rep->facts = f;
	rep->profile = tw_xstrdup(p->name);
	rep->profile_reason = reason ? tw_xstrdup(reason) : NULL;
	rep->fragment_path = o->fragment_path ? tw_xstrdup(o->fragment_path) : NULL;
	rep->ports_available = facts_ports_available(f);
	if (!facts_port_range(f, &rep->port_low, &rep->port_high))
		rep->port_low = rep->port_high = 0;
	for (size_t i = 0; i < f->nnotes; i++)
		report_note(rep, "%s", f->notes[i]);

	cost_params_of(p, &cp);
	if (cost_compute(f, &cp, &rep->cost) == 0) {
		rep->cost_known = true;
		cenv.cost = &rep->cost;
	}
	catalog_env(&cenv, &b.env);

	apply_profile_settings(&b);
	order = tw_xcalloc(e->rules.n ? e->rules.n : 1, sizeof(*order));
	for (size_t i = 0; i < e->rules.n; i++) {
		const struct tw_rule *rule = e->rules.v[i];

		if (profile_disables(p, rule->id) || !profile_chain_applies(e, rule, p))
			continue;
		order[n++] = rule;
	}
	qsort(order, n, sizeof(*order), cmp_rule_priority);
	for (size_t i = 0; i < n && r == 0; i++) {
		r = run_rule(&b, order[i]);
		if (r < 0)
			tw_error_set(err, r, "%s: evaluating rule '%s' failed", order[i]->file, order[i]->id);
	}
	free(order);
	if (r < 0) {
		report_free(rep);
		return r;
	}

	apply_acks(rep, o);
	if (rep->nfindings)
		qsort(rep->findings, rep->nfindings, sizeof(*rep->findings), cmp_finding);
	plan_build(rep, f);
	for (size_t i = 0; i < rep->nfindings; i++)
		rep->count[rep->findings[i].severity]++;
	fill_persisted(rep, f, o->fragment_path);
	fill_top(rep, f, cenv.peer_ports);
	rep->snat_ports = snat_ports_of(p, f);
	rep->ct_tw_timeout_s = ct_tw_timeout_of(f);
	rep->verdict = report_verdict(rep);
	return 0;
}
