/* SPDX-License-Identifier: MIT */
/* facts.c: life cycle of the fact table and small derived facts (see facts.h). */
#include "facts/facts.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/parse_num.h"
#include "util/xalloc.h"

void facts_init(struct tw_facts *f)
{
	memset(f, 0, sizeof(*f));
}

void counter_list_free(struct tw_counter_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void snapshot_meta_free(struct tw_snapshot_meta *m)
{
	if (!m)
		return;
	free(m->hostname);
	free(m->captured_at);
	free(m->netns);
	free(m->kernel);
	free(m->version);
	memset(m, 0, sizeof(*m));
}

void facts_free(struct tw_facts *f)
{
	if (!f)
		return;
	free(f->snapshot_dir);
	free(f->netns);
	free(f->netns_enter);
	free(f->hostname);
	snapshot_meta_free(&f->meta);
	sysctls_free(&f->sysctls);
	counter_list_free(&f->counters.tcpext);
	counter_list_free(&f->counters.tcp);
	if (f->persisted && f->persisted_free)
		f->persisted_free(f->persisted);
	for (size_t i = 0; i < f->nnotes; i++)
		free(f->notes[i]);
	memset(f, 0, sizeof(*f));
}

void facts_note(struct tw_facts *f, const char *fmt, ...)
{
	char raw[512], buf[512];
	va_list ap;

	if (f->nnotes >= TW_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	tw_escape_text(raw, buf, sizeof(buf));   /* notes quote input too */
	f->notes[f->nnotes++] = tw_xstrdup(buf);
}

int counter_list_get(const struct tw_counter_list *l, const char *name, int64_t *ret)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].name, name) == 0) {
			*ret = l->v[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

void counter_list_set(struct tw_counter_list *l, const char *name, int64_t value)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].name, name) == 0) {
			l->v[i].value = value;
			return;
		}
	}
	l->v = tw_xgrow(l->v, &l->cap, l->n + 1, sizeof(l->v[0]));
	l->v[l->n].name = tw_xstrdup(name);
	l->v[l->n].value = value;
	l->n++;
}

void facts_sysctl_keys(struct tw_sysctl_keys *s)
{
	static const char *const keys[] = {
		"net.ipv4.ip_local_port_range", "net.ipv4.ip_local_reserved_ports",
		"net.ipv4.tcp_tw_reuse", "net.ipv4.tcp_timestamps", "net.ipv4.tcp_tw_reuse_delay",
		NULL,
	};

	sysctl_keys_add_list(s, keys);
}

bool facts_port_range(const struct tw_facts *f, uint16_t *ret_low, uint16_t *ret_high)
{
	const char *v = sysctls_get(&f->sysctls, "net.ipv4.ip_local_port_range");
	uint64_t lo, hi;
	const char *sp;

	if (!v)
		return false;
	sp = strchr(v, ' ');
	if (!sp || tw_parse_u64n(v, (size_t)(sp - v), 1, 65535, &lo) < 0 ||
	    tw_parse_u64(sp + 1, 1, 65535, &hi) < 0 || lo > hi)
		return false;
	*ret_low = (uint16_t)lo;
	*ret_high = (uint16_t)hi;
	return true;
}

uint64_t facts_ports_available(const struct tw_facts *f)
{
	struct tw_port_set reserved;
	const char *rv;
	uint16_t lo, hi;
	uint64_t n;

	if (!facts_port_range(f, &lo, &hi))
		return 0;
	n = (uint64_t)hi - lo + 1;
	rv = sysctls_get(&f->sysctls, "net.ipv4.ip_local_reserved_ports");
	if (rv && port_set_parse(rv, &reserved) == 0)
		n -= port_set_count_in(&reserved, lo, hi);
	return n;
}

/* ---- derived facts about one tuple (rules and the cost model share them) ---- */

static bool fact_sysctl_num(const struct tw_facts *f, const char *key, double *ret)
{
	int64_t v;

	if (sysctls_get_i64(&f->sysctls, key, INT64_MIN, INT64_MAX, &v) < 0)
		return false;
	*ret = (double)v;
	return true;
}

/* The ports a tuple can use: the local range for a client tuple, the
 * peer's range for a server-side one. 0 when unknown. */
uint64_t facts_tuple_ports(const struct tw_facts *f, const struct tw_tuple *t, uint64_t peer_ports)
{
	return t->side == TW_SIDE_CLIENT ? facts_ports_available(f) : peer_ports;
}

bool facts_tuple_utilization(const struct tw_facts *f, const struct tw_tuple *t,
			       uint64_t peer_ports, double *ret)
{
	uint64_t ports = facts_tuple_ports(f, t, peer_ports);

	if (ports == 0)
		return false;
	*ret = (double)t->held / (double)ports;
	return true;
}

/* Whether connect() can reuse this client tuple's TIME_WAIT ports:
 * tcp_tw_reuse 1 (or 2 toward loopback) and timestamps on. */
bool facts_tuple_reuse(const struct tw_facts *f, const struct tw_tuple *t, bool *ret)
{
	double reuse, ts;

	if (!fact_sysctl_num(f, "net.ipv4.tcp_tw_reuse", &reuse) || !fact_sysctl_num(f, "net.ipv4.tcp_timestamps", &ts))
		return false;
	*ret = ts != 0 && (reuse == 1 || (reuse == 2 && tw_addr_is_loopback(&t->remote)));
	return true;
}

double facts_reuse_delay_s(const struct tw_facts *f)
{
	double ms;

	if (!fact_sysctl_num(f, "net.ipv4.tcp_tw_reuse_delay", &ms) || ms <= 0)
		ms = TW_REUSE_DELAY_DEFAULT_MS;
	return ms / 1000.0;
}

/* New connections/s toward a tuple closed by this side: the TIME_WAIT
 * sockets that entered in the last bucket, per second. With reuse at work
 * some of them are already taken over, so it is a lower bound then. */
bool facts_tuple_rate(const struct tw_facts *f, const struct tw_tuple *t, double *ret)
{
	if (!f->tw.known || !f->tw.ages_known)
		return false;
	*ret = (double)t->age[0] / TW_AGE_BUCKET_S;
	return true;
}

/* Share of a client tuple's ports that connect() cannot use. Without
 * reuse every held socket blocks its port for TIME_WAIT's 60 s: held /
 * ports. With reuse a TIME_WAIT port is free again after the reuse delay,
 * so only the live sockets and the TIME_WAIT sockets younger than the
 * delay block: (held - count + rate * delay) / ports, the rate measured
 * over --interval (host-wide, an upper bound) or else from the TIME_WAIT
 * ages. Unknown with reuse and no rate. */
bool facts_tuple_pressure(const struct tw_facts *f, const struct tw_tuple *t, double *ret)
{
	uint64_t ports = facts_ports_available(f);
	bool reuse;
	double rate;

	if (ports == 0 || t->side != TW_SIDE_CLIENT || !facts_tuple_reuse(f, t, &reuse))
		return false;
	if (!reuse) {
		*ret = (double)t->held / (double)ports;
		return true;
	}
	if (f->counters.rates_known)
		rate = f->counters.active_opens_per_s;
	else if (!facts_tuple_rate(f, t, &rate))
		return false;
	*ret = ((double)(t->held - t->count) + rate * facts_reuse_delay_s(f)) / (double)ports;
	return true;
}


const struct tw_tuple_owners *facts_tuple_owners(const struct tw_facts *f,
						 const struct tw_tuple *t)
{
	if (!f || t->side != TW_SIDE_CLIENT)
		return NULL;
	for (size_t i = 0; i < f->tw.ntop_client && i < TW_OWNERS_TUPLES; i++) {
		const struct tw_tuple *c = &f->tw.top_client[i];

		if (c->port == t->port && tw_addr_equal(&c->remote, &t->remote) &&
		    tw_addr_equal(&c->local, &t->local))
			return f->owners[i].known ? &f->owners[i] : NULL;
	}
	return NULL;
}

uint64_t facts_snat_ports(const struct tw_facts *f, uint64_t threshold)
{
	if (f && f->nft.known && f->nft.rules > 0)
		return f->nft.ports;
	return threshold ? threshold : TW_NAT_DEFAULT_PORTS;
}
