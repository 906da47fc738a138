/* SPDX-License-Identifier: MIT */
/* watch_model.c: one --watch refresh as rows and rates (see
 * watch_model.h). Growth is the change of 'held' between two refreshes;
 * on the first one it is estimated from the TIME_WAIT ages alone (what
 * entered in the last 10 s less what leaves in the next 10 s). */
#include "render/watch_model.h"

#include <string.h>

#include "facts/facts.h"

static bool same_key(const struct tw_tuple *a, const struct tw_tuple *b)
{
	return a->side == b->side && a->port == b->port && tw_addr_equal(&a->local, &b->local) &&
	       tw_addr_equal(&a->remote, &b->remote);
}

static const struct watch_row *find_prev(const struct watch_frame *prev, const struct tw_tuple *t)
{
	for (size_t i = 0; prev && i < prev->nrows; i++)
		if (same_key(&prev->rows[i].tuple, t))
			return &prev->rows[i];
	return NULL;
}

static void fill_row(struct watch_row *r, const struct tw_facts *f, const struct tw_tuple *t,
		     const struct watch_frame *prev, uint64_t peer_ports, double mono_s)
{
	const struct watch_row *p = find_prev(prev, t);
	double dt = prev ? mono_s - prev->mono_s : 0;

	memset(r, 0, sizeof(*r));
	r->tuple = *t;
	r->ports = facts_tuple_ports(f, t, peer_ports);
	r->rate_known = facts_tuple_rate(f, t, &r->rate);
	if (p) {
		r->trend = t->held > p->tuple.held ? WATCH_TREND_UP
			 : t->held < p->tuple.held ? WATCH_TREND_DOWN : WATCH_TREND_STEADY;
		if (dt > 0) {
			r->growth_known = true;
			r->growth = ((double)t->held - (double)p->tuple.held) / dt;
		}
	} else if (f->tw.ages_known) {
		/* age[0]: entered in the last bucket; the oldest bucket leaves
		 * in the next one. Other states are assumed steady. */
		r->growth_known = true;
		r->growth = ((double)t->age[0] - (double)t->age[TW_AGE_BUCKETS - 1]) / TW_AGE_BUCKET_S;
	}
	if (r->ports && r->growth_known && r->growth > 0) {
		double free_ports = r->ports > t->held ? (double)(r->ports - t->held) : 0;

		r->eta_known = true;
		r->eta_s = free_ports / r->growth;
	} else if (r->ports && t->held >= r->ports) {
		r->eta_known = true;   /* already exhausted */
		r->eta_s = 0;
	}
}

static void counter(struct watch_counter *c, const struct tw_counter_list *l, const char *name,
		    const struct watch_counter *prev, double dt)
{
	memset(c, 0, sizeof(*c));
	c->known = l->known && counter_list_get(l, name, &c->value) == 0;
	if (c->known && prev && prev->known && dt > 0 && c->value >= prev->value) {
		c->rate_known = true;
		c->per_s = (double)(c->value - prev->value) / dt;
	}
}

void watch_frame_build(struct watch_frame *fr, const struct tw_report *rep,
		       const struct watch_frame *prev, uint64_t peer_ports, double mono_s,
		       time_t wall)
{
	const struct tw_facts *f = rep->facts;
	double dt = prev ? mono_s - prev->mono_s : 0;

	memset(fr, 0, sizeof(*fr));
	fr->wall = wall;
	fr->mono_s = mono_s;
	fr->verdict = rep->verdict;
	fr->tw_known = f->tw.known;
	fr->tw_total = f->tw.total;
	for (size_t i = 0; i < f->tw.ntop_client && fr->nrows < WATCH_ROWS_MAX; i++)
		fill_row(&fr->rows[fr->nrows++], f, &f->tw.top_client[i], prev, peer_ports, mono_s);
	for (size_t i = 0; i < f->tw.ntop_server && fr->nrows < WATCH_ROWS_MAX; i++)
		fill_row(&fr->rows[fr->nrows++], f, &f->tw.top_server[i], prev, peer_ports, mono_s);
	counter(&fr->active_opens, &f->counters.tcp, "ActiveOpens", prev ? &prev->active_opens : NULL, dt);
	counter(&fr->tw_recycled, &f->counters.tcpext, "TWRecycled", prev ? &prev->tw_recycled : NULL, dt);
	counter(&fr->tw_overflow, &f->counters.tcpext, "TCPTimeWaitOverflow",
		prev ? &prev->tw_overflow : NULL, dt);
	fr->conntrack_known = sysctls_get_i64(&f->sysctls, "net.netfilter.nf_conntrack_count", 0,
					      INT64_MAX, &fr->conntrack_count) == 0;
	fr->conntrack_max_known = sysctls_get_i64(&f->sysctls, "net.netfilter.nf_conntrack_max", 0,
						  INT64_MAX, &fr->conntrack_max) == 0;
	watch_frame_sort(fr, WATCH_SORT_HELD);
}

static int cmp3(uint64_t a, uint64_t b)
{
	return a > b ? -1 : a < b ? 1 : 0;
}

int watch_row_cmp(const struct watch_row *a, const struct watch_row *b, enum watch_sort by)
{
	int c = 0;

	if (by == WATCH_SORT_RATE) {
		double x = a->rate_known ? a->rate : -1, y = b->rate_known ? b->rate : -1;

		c = x > y ? -1 : x < y ? 1 : 0;
	} else if (by == WATCH_SORT_TIME_WAIT) {
		c = cmp3(a->tuple.count, b->tuple.count);
	}
	if (!c)
		c = cmp3(a->tuple.held, b->tuple.held);
	if (!c)
		c = cmp3(a->tuple.count, b->tuple.count);
	if (!c && a->tuple.side != b->tuple.side)
		c = a->tuple.side < b->tuple.side ? -1 : 1;
	if (!c)
		c = memcmp(&a->tuple.remote, &b->tuple.remote, sizeof(a->tuple.remote));
	if (!c)
		c = a->tuple.port < b->tuple.port ? -1 : a->tuple.port > b->tuple.port;
	if (!c)
		c = strcmp(a->netns, b->netns);
	return c;
}

/* Insertion sort: at most WATCH_ROWS_MAX rows, and the key needs no
 * global (qsort has no context argument). */
void watch_frame_sort(struct watch_frame *fr, enum watch_sort by)
{
	for (size_t i = 1; i < fr->nrows; i++) {
		struct watch_row r = fr->rows[i];
		size_t j = i;

		for (; j > 0 && watch_row_cmp(&r, &fr->rows[j - 1], by) < 0; j--)
			fr->rows[j] = fr->rows[j - 1];
		fr->rows[j] = r;
	}
}

void watch_frame_add_row(struct watch_frame *fr, const struct watch_row *r, enum watch_sort by)
{
	size_t j = fr->nrows;

	if (j == WATCH_ROWS_MAX) {
		if (watch_row_cmp(r, &fr->rows[j - 1], by) >= 0)
			return;   /* after the last one kept */
		j--;          /* the last one drops out */
	} else {
		fr->nrows++;
	}
	for (; j > 0 && watch_row_cmp(r, &fr->rows[j - 1], by) < 0; j--)
		fr->rows[j] = fr->rows[j - 1];
	fr->rows[j] = *r;
}

const char *watch_sort_name(enum watch_sort by)
{
	switch (by) {
	case WATCH_SORT_RATE:
		return "rate";
	case WATCH_SORT_TIME_WAIT:
		return "TIME_WAIT";
	default:
		return "held";
	}
}
