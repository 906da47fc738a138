/* SPDX-License-Identifier: MIT */
/* plan.c: the change plan, decided in one place (see plan.h). */
#include "engine/plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/allowlist.h"
#include "facts/port_set.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define KEY_RANGE "net.ipv4.ip_local_port_range"
#define KEY_RESERVED "net.ipv4.ip_local_reserved_ports"
#define VALUE_MAX 4096

/* Where a plan item came from: finding index and change index (NO_CHANGE:
 * added by the plan itself). */
#define NO_CHANGE ((size_t)-1)
struct origin {
	size_t finding, change;
};

struct plan_builder {
	struct tw_report *rep;
	const struct tw_facts *f;
	struct origin *from;     /* parallel to rep->plan.v */
};

/* ---------- values ---------- */

static bool one_printable_line(const char *v)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)v; *p; p++, n++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f || *p >= 0x80)
			return false;
	return n <= VALUE_MAX;
}

static bool parse_u64_field(const char **p, unsigned long long *ret)
{
	char *end;

	while (**p == ' ' || **p == '\t')
		(*p)++;
	if (**p < '0' || **p > '9')
		return false;
	errno = 0;
	*ret = strtoull(*p, &end, 10);
	if (errno)
		return false;
	*p = end;
	return true;
}

static int parse_range(const char *v, unsigned *lo, unsigned *hi)
{
	unsigned long long a, b;
	const char *p = v;

	if (!parse_u64_field(&p, &a) || !parse_u64_field(&p, &b))
		return -EINVAL;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p || a < 1 || a > b || b > 65535)
		return -EINVAL;
	*lo = (unsigned)a;
	*hi = (unsigned)b;
	return 0;
}

bool plan_value_valid(const char *key, const char *value)
{
	const char *p = value;
	unsigned long long n;
	unsigned lo, hi;

	if (!key || !value || !one_printable_line(value))
		return false;
	if (strcmp(key, KEY_RANGE) == 0)
		return parse_range(value, &lo, &hi) == 0;
	if (strcmp(key, KEY_RESERVED) == 0) {
		struct tw_port_set s;

		return port_set_parse(value, &s) == 0;
	}
	if (*p == '-')
		p++;
	if (!parse_u64_field(&p, &n))
		return false;
	while (*p == ' ')
		p++;
	return *p == '\0';
}

/* Whether 'value' equals what the kernel has, compared field by field as
 * sysctl prints it (tabs and runs of spaces fold). */
static bool same_value(const char *a, const char *b)
{
	while (*a == ' ' || *a == '\t')
		a++;
	while (*b == ' ' || *b == '\t')
		b++;
	while (*a && *b) {
		bool sa = *a == ' ' || *a == '\t', sb = *b == ' ' || *b == '\t';

		if (sa && sb) {
			while (*a == ' ' || *a == '\t')
				a++;
			while (*b == ' ' || *b == '\t')
				b++;
			continue;
		}
		if (*a != *b)
			return false;
		a++;
		b++;
	}
	while (*a == ' ' || *a == '\t')
		a++;
	while (*b == ' ' || *b == '\t')
		b++;
	return *a == *b;
}

/* ---------- items ---------- */

static void item_add(struct plan_builder *b, size_t fi, size_t ci)
{
	struct tw_plan *p = &b->rep->plan;
	const struct tw_finding *f = &b->rep->findings[fi];
	const struct tw_change *c = &f->changes[ci];
	struct tw_plan_item *it;

	p->v = tw_xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
	b->from = tw_xrealloc(b->from, (p->n + 1) * sizeof(*b->from));
	it = &p->v[p->n];
	b->from[p->n] = (struct origin){ fi, ci };
	p->n++;
	memset(it, 0, sizeof(*it));
	it->sysctl = tw_xstrdup(c->sysctl);
	it->value = tw_xstrdup(c->recommended);
	it->current = c->current ? tw_xstrdup(c->current) : NULL;
	it->finding_id = tw_xstrdup(f->id);
	it->severity = f->severity;
	it->reason = tw_xstrdup(f->title ? f->title : f->id);
}

static void item_remove(struct plan_builder *b, size_t i)
{
	struct tw_plan *p = &b->rep->plan;

	free(p->v[i].sysctl);
	free(p->v[i].value);
	free(p->v[i].current);
	free(p->v[i].finding_id);
	free(p->v[i].reason);
	memmove(&p->v[i], &p->v[i + 1], (p->n - i - 1) * sizeof(*p->v));
	memmove(&b->from[i], &b->from[i + 1], (p->n - i - 1) * sizeof(*b->from));
	p->n--;
}

static struct tw_plan_item *item_find(struct plan_builder *b, const char *key, size_t *ret_i)
{
	for (size_t i = 0; i < b->rep->plan.n; i++)
		if (strcmp(b->rep->plan.v[i].sysctl, key) == 0) {
			if (ret_i)
				*ret_i = i;
			return &b->rep->plan.v[i];
		}
	return NULL;
}

/* ---------- 1 and 2: precedence and validity ---------- */

static int cmp_precedence(const void *a, const void *b, void *ctx)
{
	const struct tw_finding *v = ctx;
	const struct tw_finding *x = &v[*(const size_t *)a], *y = &v[*(const size_t *)b];

	if (x->pinned != y->pinned)
		return x->pinned ? -1 : 1;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Insertion sort: a handful of findings, and qsort_r is not C11. */
static void sort_precedence(size_t *order, size_t n, const struct tw_finding *v)
{
	for (size_t i = 1; i < n; i++) {
		size_t x = order[i], j = i;

		while (j > 0 && cmp_precedence(&x, &order[j - 1], (void *)v) < 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = x;
	}
}

/* Whether change 'c' of finding 'fi' may be written at all; a note says
 * why not. */
static bool change_valid(struct plan_builder *b, const struct tw_finding *fi, const struct tw_change *c)
{
	const struct tw_facts *f = b->f;
	const char *why;

	/* Invariant 5: the allow-list; in a namespace, per-namespace keys only. */
	if (!allowlist_permits(c->sysctl, f->netns != NULL, &why)) {
		report_note(b->rep, "%s: %s not offered: %s", fi->id, c->sysctl, why);
		return false;
	}
	if (!sysctls_has(&f->sysctls, c->sysctl)) {
		report_note(b->rep, "%s: %s does not exist on kernel %s; not offered", fi->id, c->sysctl,
			    f->kernel.known ? f->kernel.release : "(unknown)");
		return false;
	}
	if (!allowlist_value_permitted(c->sysctl, c->recommended, &why)) {
		report_note(b->rep, "%s: refused to recommend %s = %s (only 0 is ever recommended)",
			    fi->id, c->sysctl, c->recommended);
		return false;
	}
	if (!plan_value_valid(c->sysctl, c->recommended)) {
		report_note(b->rep, "%s: the computed value for %s is malformed; not offered", fi->id,
			    c->sysctl);
		return false;
	}
	return true;
}

static void take_changes(struct plan_builder *b, const size_t *order, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const struct tw_finding *fi = &b->rep->findings[order[k]];

		for (size_t c = 0; c < fi->nchanges; c++) {
			const struct tw_change *ch = &fi->changes[c];
			const struct tw_plan_item *owner;

			if (!change_valid(b, fi, ch) || fi->acknowledged)
				continue;
			if ((owner = item_find(b, ch->sysctl, NULL))) {
				if (!same_value(owner->value, ch->recommended))
					report_note(b->rep, "%s: %s is already set by %s, which takes precedence",
						    fi->id, ch->sysctl, owner->finding_id);
				continue;
			}
			item_add(b, order[k], c);
		}
	}
}

/* ---------- 3: interactions ---------- */

/* Says in the finding itself, where a person reads it, why a change it
 * proposed is not in the plan; and in the notes. */
static void withhold(struct plan_builder *b, size_t finding, const char *key, const char *value,
		     const char *why)
{
	struct tw_finding *fi = &b->rep->findings[finding];
	struct strbuf sb = STRBUF_INIT;

	sb_appendf(&sb, "%s = %s withheld: %s", key, value, why);
	report_note(b->rep, "%s: %s", fi->id, sb_str(&sb));
	fi->withheld = tw_xrealloc(fi->withheld, (fi->nwithheld + 1) * sizeof(char *));
	fi->withheld[fi->nwithheld++] = sb_steal(&sb);
}

static bool requirement_met(struct plan_builder *b, const struct tw_change *c)
{
	if (c->nrequires == 0)
		return true;
	for (size_t r = 0; r < c->nrequires; r++)
		if (item_find(b, c->requires[r], NULL))
			return true;
	return false;
}

static void enforce_requirements(struct plan_builder *b)
{
	bool changed = true;

	while (changed) {
		changed = false;
		for (size_t i = 0; i < b->rep->plan.n; i++) {
			const struct origin o = b->from[i];
			const struct tw_finding *fi = &b->rep->findings[o.finding];
			const struct tw_change *c;

			if (o.change == NO_CHANGE)
				continue;  /* added by the plan itself (reserved listeners) */
			c = &fi->changes[o.change];
			if (requirement_met(b, c))
				continue;
			withhold(b, o.finding, c->sysctl, c->recommended,
				 c->requires_why ? c->requires_why : "a change it needs is not proposed");
			item_remove(b, i);
			changed = true;
			break;
		}
	}
}

/* ---------- 4: invariant 3 ---------- */

static void reserve_listeners(struct plan_builder *b)
{
	struct tw_plan_item *range, *res;
	size_t range_i, res_i;
	struct tw_port_set want, have;
	struct strbuf sb = STRBUF_INIT;
	const char *base;
	unsigned lo, hi;
	size_t missing = 0;

	if (!(range = item_find(b, KEY_RANGE, &range_i)) || parse_range(range->value, &lo, &hi) < 0)
		return;
	res = item_find(b, KEY_RESERVED, &res_i);
	base = res ? res->value : sysctls_get(&b->f->sysctls, KEY_RESERVED);
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
	if (!sysctls_has(&b->f->sysctls, KEY_RESERVED)) {
		sb_appendf(&sb, "%zu listening port(s) fall inside it and this kernel has no "
			   "ip_local_reserved_ports to keep them from outgoing connections", missing);
		withhold(b, b->from[range_i].finding, range->sysctl, range->value, sb_str(&sb));
		sb_free(&sb);
		item_remove(b, range_i);
		return;
	}
	port_set_format(&want, &sb);
	if (res) {
		struct tw_finding *owner = &b->rep->findings[b->from[res_i].finding];

		free(res->value);
		res->value = sb_steal(&sb);
		if (strcmp(owner->id, range->finding_id) != 0) {
			/* Say why the value grew, where a person reads it. */
			sb_appendf(&sb, "%s The value also reserves %zu listening port(s) inside the "
				   "range %u-%u that %s recommends.", owner->evidence ? owner->evidence : "",
				   missing, lo, hi, range->finding_id);
			free(owner->evidence);
			owner->evidence = sb_steal(&sb);
		}
	} else {
		struct tw_plan *p = &b->rep->plan;
		const char *cur = sysctls_get(&b->f->sysctls, KEY_RESERVED);
		struct tw_plan_item *it;
		struct origin o = b->from[range_i];

		p->v = tw_xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
		b->from = tw_xrealloc(b->from, (p->n + 1) * sizeof(*b->from));
		/* Right after the range, owned by the same finding. */
		memmove(&p->v[range_i + 2], &p->v[range_i + 1], (p->n - range_i - 1) * sizeof(*p->v));
		memmove(&b->from[range_i + 2], &b->from[range_i + 1], (p->n - range_i - 1) * sizeof(*b->from));
		p->n++;
		range = &p->v[range_i];
		it = &p->v[range_i + 1];
		b->from[range_i + 1] = (struct origin){ o.finding, NO_CHANGE };
		memset(it, 0, sizeof(*it));
		it->sysctl = tw_xstrdup(KEY_RESERVED);
		it->value = sb_steal(&sb);
		it->current = cur ? tw_xstrdup(cur) : NULL;
		it->finding_id = tw_xstrdup(range->finding_id);
		it->severity = range->severity;
		sb_appendf(&sb, "reserves the listening ports inside the new range %u-%u", lo, hi);
		it->reason = sb_steal(&sb);
	}
	report_note(b->rep, "%zu listening port(s) inside the recommended range %u-%u added to "
		    "ip_local_reserved_ports", missing, lo, hi);
}

/* ---------- the findings show the plan ---------- */

static void change_clear(struct tw_change *c)
{
	free(c->sysctl);
	free(c->current);
	free(c->recommended);
	free(c->persisted.value);
	free(c->persisted.file);
	for (size_t i = 0; i < c->persisted.nshadowed; i++)
		free(c->persisted.shadowed[i]);
	free(c->persisted.shadowed);
	free(c->overridden_by);
	for (size_t i = 0; i < c->nrequires; i++)
		free(c->requires[i]);
	free(c->requires);
	free(c->requires_why);
	memset(c, 0, sizeof(*c));
}

/* Open findings list exactly their plan items; acknowledged ones keep
 * their valid proposals, which a person may still want to read. */
static void findings_from_plan(struct plan_builder *b)
{
	struct tw_report *rep = b->rep;

	for (size_t i = 0; i < rep->nfindings; i++) {
		struct tw_finding *fi = &rep->findings[i];
		size_t n = 0;

		if (fi->acknowledged)
			continue;
		for (size_t c = 0; c < fi->nchanges; c++)
			change_clear(&fi->changes[c]);
		for (size_t k = 0; k < rep->plan.n; k++)
			n += strcmp(rep->plan.v[k].finding_id, fi->id) == 0;
		fi->changes = tw_xrealloc(fi->changes, (n ? n : 1) * sizeof(*fi->changes));
		fi->nchanges = 0;
		for (size_t k = 0; k < rep->plan.n; k++) {
			const struct tw_plan_item *it = &rep->plan.v[k];
			struct tw_change *c;

			if (strcmp(it->finding_id, fi->id) != 0)
				continue;
			c = &fi->changes[fi->nchanges++];
			memset(c, 0, sizeof(*c));
			c->sysctl = tw_xstrdup(it->sysctl);
			c->current = it->current ? tw_xstrdup(it->current) : NULL;
			c->recommended = tw_xstrdup(it->value);
		}
	}
}

void plan_build(struct tw_report *rep, const struct tw_facts *f)
{
	struct plan_builder b = { .rep = rep, .f = f };
	size_t *order = tw_xcalloc(rep->nfindings ? rep->nfindings : 1, sizeof(*order));

	plan_free(&rep->plan);
	for (size_t i = 0; i < rep->nfindings; i++)
		order[i] = i;
	sort_precedence(order, rep->nfindings, rep->findings);
	take_changes(&b, order, rep->nfindings);
	enforce_requirements(&b);
	reserve_listeners(&b);
	/* A withdrawn range may leave a change that needed it alone. */
	enforce_requirements(&b);
	findings_from_plan(&b);
	free(order);
	free(b.from);
}
