/* SPDX-License-Identifier: MIT */
/* engine.c: evaluation of rules and profiles into a report (see engine.h).
 *
 * How rules combine: every applicable rule whose condition is true gives a
 * finding; when several findings recommend the same sysctl, the value of a
 * profile's pinned setting wins, then that of the most severe finding
 * (ties: the rule id that sorts first). The contract's invariants are
 * enforced here, after the rules, whatever the data says. */
#include "engine/engine.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cost/cost.h"
#include "render/render.h"
#include "sysctld/sysctld.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define DEFAULT_PEER_PORTS 28232   /* 32768..60999, Linux's default since 4.2 */

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
}

/* ---------- evaluation helpers ---------- */

static uint64_t peer_ports_of(const struct tw_profile *p)
{
	double d;

	if (p && profile_threshold(p, "peer_ports", &d) == 0 && d >= 1 && d <= 65535)
		return (uint64_t)d;
	return DEFAULT_PEER_PORTS;
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

struct builder {
	const struct tw_engine *e;
	const struct tw_profile *profile;
	const struct tw_facts *f;
	struct tw_report *rep;
	struct tw_env env;
};

static void note(struct tw_report *rep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct tw_report *rep, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vappendf(&sb, fmt, ap);
	va_end(ap);
	rep->notes = tw_xrealloc(rep->notes, (rep->nnotes + 1) * sizeof(char *));
	rep->notes[rep->nnotes++] = sb_steal(&sb);
}

static struct tw_finding *add_finding(struct tw_report *rep)
{
	struct tw_finding *fi;

	rep->findings = tw_xrealloc(rep->findings, (rep->nfindings + 1) * sizeof(*rep->findings));
	fi = &rep->findings[rep->nfindings++];
	memset(fi, 0, sizeof(*fi));
	return fi;
}

static void add_change(struct tw_finding *fi, const struct tw_facts *f, const char *key,
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
}

/* Whether 'key' may go into a fragment for this kernel (invariant 2), and
 * whether the value is acceptable (invariant 1). Adds a note when not. */
static bool change_allowed(struct builder *b, const char *origin, const char *key, const char *value)
{
	if (!sysctls_has(&b->f->sysctls, key)) {
		note(b->rep, "%s: %s does not exist on kernel %s; not offered", origin, key,
		     b->f->kernel.known ? b->f->kernel.release : "(unknown)");
		return false;
	}
	if (strcmp(key, "net.ipv4.tcp_tw_recycle") == 0 && strcmp(value, "0") != 0) {
		note(b->rep, "%s: refused to recommend net.ipv4.tcp_tw_recycle = %s (only 0 is ever recommended)",
		     origin, value);
		return false;
	}
	return true;
}

static bool key_claimed(const struct tw_report *rep, const char *key, const char **ret_by)
{
	for (size_t i = 0; i < rep->nfindings; i++)
		for (size_t c = 0; c < rep->findings[i].nchanges; c++)
			if (strcmp(rep->findings[i].changes[c].sysctl, key) == 0) {
				*ret_by = rep->findings[i].id;
				return true;
			}
	return false;
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

static void apply_profile_settings(struct builder *b)
{
	const struct tw_profile *p = b->profile;

	for (size_t i = 0; i < p->nsettings; i++) {
		const struct tw_setting *s = &p->settings[i];
		const char *cur = sysctls_get(&b->f->sysctls, s->key);
		struct tw_finding *fi;
		struct strbuf sb = STRBUF_INIT;
		char origin[256];

		snprintf(origin, sizeof(origin), "profile %s", p->name);
		if (!change_allowed(b, origin, s->key, s->value) || value_is_current(b->f, s->key, s->value))
			continue;
		fi = add_finding(b->rep);
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

static int cmp_rule_priority(const void *a, const void *b)
{
	const struct tw_rule *x = *(const struct tw_rule *const *)a;
	const struct tw_rule *y = *(const struct tw_rule *const *)b;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int run_rule(struct builder *b, const struct tw_rule *r)
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
	fi->title = render_tpl(r->title_t, &b->env, NULL);
	fi->evidence = render_tpl(r->evidence, &b->env, NULL);
	fi->rationale = render_tpl(r->rationale, &b->env, NULL);
	fi->risk = r->risk ? render_tpl(r->risk, &b->env, NULL) : tw_xstrdup("");
	fi->actions = tw_xcalloc(r->nactions ? r->nactions : 1, sizeof(char *));
	for (size_t i = 0; i < r->nactions; i++)
		fi->actions[fi->nactions++] = render_tpl(r->actions[i], &b->env, NULL);
	fi->references = tw_xcalloc(r->nreferences ? r->nreferences : 1, sizeof(char *));
	for (size_t i = 0; i < r->nreferences; i++)
		fi->references[fi->nreferences++] = tw_xstrdup(r->references[i]);

	for (size_t i = 0; i < r->nchanges; i++) {
		const struct tw_rule_change *ch = &r->changes[i];
		bool known;
		char *value = render_tpl(ch->value, &b->env, &known);
		const char *by;
		char origin[300];

		snprintf(origin, sizeof(origin), "rule %s", r->id);
		if (!known)
			note(b->rep, "%s: the value for %s depends on facts that are unknown here; not offered",
			     origin, ch->sysctl);
		else if (!change_allowed(b, origin, ch->sysctl, value))
			;
		else if (value_is_current(b->f, ch->sysctl, value))
			;
		else if (key_claimed(b->rep, ch->sysctl, &by))
			note(b->rep, "%s: %s is already set by %s, which takes precedence", origin,
			     ch->sysctl, by);
		else
			add_change(fi = &b->rep->findings[b->rep->nfindings - 1], b->f, ch->sysctl, value);
		free(value);
	}
	return 0;
}

/* ---------- invariants ---------- */

static struct tw_change *find_change(struct tw_report *rep, const char *key, struct tw_finding **ret_fi)
{
	for (size_t i = 0; i < rep->nfindings; i++)
		for (size_t c = 0; c < rep->findings[i].nchanges; c++)
			if (strcmp(rep->findings[i].changes[c].sysctl, key) == 0) {
				if (ret_fi)
					*ret_fi = &rep->findings[i];
				return &rep->findings[i].changes[c];
			}
	return NULL;
}

static int parse_range(const char *v, unsigned *lo, unsigned *hi)
{
	char extra;

	if (sscanf(v, "%u %u %c", lo, hi, &extra) != 2 || *lo > *hi || *hi > 65535)
		return -EINVAL;
	return 0;
}

/* Invariant 3: a recommended ip_local_port_range never leaves a listening
 * port inside the ephemeral range unless it is also reserved. */
static void enforce_reserved_listeners(struct builder *b)
{
	struct tw_finding *range_fi = NULL, *res_fi = NULL;
	struct tw_change *range = find_change(b->rep, "net.ipv4.ip_local_port_range", &range_fi);
	struct tw_change *res;
	struct tw_port_set want, have;
	struct strbuf sb = STRBUF_INIT;
	const char *base;
	unsigned lo, hi;
	size_t missing = 0;

	if (!range)
		return;
	if (parse_range(range->recommended, &lo, &hi) < 0) {
		note(b->rep, "invariant: recommended ip_local_port_range '%s' is malformed; dropped",
		     range->recommended);
		free(range->recommended);
		range->recommended = tw_xstrdup(range->current ? range->current : "");
		return;
	}
	res = find_change(b->rep, "net.ipv4.ip_local_reserved_ports", &res_fi);
	base = res ? res->recommended : sysctls_get(&b->f->sysctls, "net.ipv4.ip_local_reserved_ports");
	if (!base || port_set_parse(base, &have) < 0)
		port_set_clear(&have);
	want = have;
	for (unsigned p = lo; p <= hi; p++) {
		if (port_set_has(&b->f->listening, (uint16_t)p) && !port_set_has(&have, (uint16_t)p)) {
			port_set_add(&want, (uint16_t)p);
			missing++;
		}
	}
	if (missing == 0)
		return;
	port_set_format(&want, &sb);
	if (!sysctls_has(&b->f->sysctls, "net.ipv4.ip_local_reserved_ports")) {
		note(b->rep, "invariant: %zu listening port(s) fall inside the recommended range but this "
		     "kernel has no ip_local_reserved_ports; range change withdrawn", missing);
		/* Withdraw the range change: drop it from its finding. */
		for (size_t c = 0; c < range_fi->nchanges; c++) {
			if (&range_fi->changes[c] == range) {
				free(range->sysctl);
				free(range->current);
				free(range->recommended);
				memmove(&range_fi->changes[c], &range_fi->changes[c + 1],
					(range_fi->nchanges - c - 1) * sizeof(*range));
				range_fi->nchanges--;
				break;
			}
		}
		sb_free(&sb);
		return;
	}
	if (res) {
		free(res->recommended);
		res->recommended = sb_steal(&sb);
		if (res_fi != range_fi) {
			/* Say why the value grew, where a person reads it. */
			sb_appendf(&sb, "%s The value also reserves %zu listening port(s) inside the "
				   "range %u-%u that %s recommends.", res_fi->evidence, missing, lo, hi,
				   range_fi->id);
			free(res_fi->evidence);
			res_fi->evidence = sb_steal(&sb);
		}
	} else {
		add_change(range_fi, b->f, "net.ipv4.ip_local_reserved_ports", sb_str(&sb));
		sb_free(&sb);
	}
	note(b->rep, "%zu listening port(s) inside the recommended range %u-%u added to "
	     "ip_local_reserved_ports", missing, lo, hi);
}

/* ---------- report assembly ---------- */

static void fill_persisted(struct builder *b, const char *fragment_path)
{
	const struct tw_sysctld *c = b->f->persisted;

	if (!c)
		return;
	for (size_t i = 0; i < b->rep->nfindings; i++) {
		struct tw_finding *fi = &b->rep->findings[i];

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

	for (size_t i = 0; i < f->tw.ntop_client; i++)
		rows[n++] = (struct tw_top_row){ f->tw.top_client[i],
			catalog_tuple_utilization(f, &f->tw.top_client[i], peer_ports) };
	for (size_t i = 0; i < f->tw.ntop_server; i++)
		rows[n++] = (struct tw_top_row){ f->tw.top_server[i],
			catalog_tuple_utilization(f, &f->tw.top_server[i], peer_ports) };
	qsort(rows, n, sizeof(rows[0]), cmp_top);
	for (size_t i = 0; i < n && rep->ntop < sizeof(rep->top) / sizeof(rep->top[0]); i++)
		rep->top[rep->ntop++] = rows[i];
}

bool finding_counts(const struct tw_finding *fi, enum tw_severity fail_on)
{
	return !fi->acknowledged && fi->severity >= fail_on && fi->nchanges > 0;
}

int engine_run(const struct tw_engine *e, const struct tw_profile *p, const char *reason,
	       const struct tw_facts *f, const struct tw_run_opts *o, struct tw_report *rep,
	       struct tw_error *err)
{
	struct tw_catalog_env cenv = {
		.facts = f, .profile = p, .profile_name = p->name,
		.peer_ports = peer_ports_of(p), .names = &e->names,
	};
	struct builder b = { .e = e, .profile = p, .f = f, .rep = rep };
	struct tw_cost_params cp;
	const struct tw_rule **order;
	size_t n = 0;
	struct strbuf sb = STRBUF_INIT;
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
		note(rep, "%s", f->notes[i]);

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
	if (r < 0)
		return r;

	enforce_reserved_listeners(&b);
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
	if (rep->nfindings)
		qsort(rep->findings, rep->nfindings, sizeof(*rep->findings), cmp_finding);
	for (size_t i = 0; i < rep->nfindings; i++)
		rep->count[rep->findings[i].severity]++;
	fill_persisted(&b, o->fragment_path);
	fill_top(rep, f, cenv.peer_ports);

	render_fragment(rep, &sb);
	rep->fragment = sb_steal(&sb);
	return 0;
}
