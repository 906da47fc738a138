/* SPDX-License-Identifier: MIT */
/* catalog.c: names and functions of the rule language, bound to the facts
 * (see catalog.h).
 *
 * Each name is one row of a table {name, type, help, getter, argument}:
 * the type checker, --list-facts, twadvise-rules(5) and evaluation all read
 * the same row, so a name cannot be documented with one type and computed
 * with another. A getter reads the fact table and says "unknown" when the
 * fact is (never 0). */
#include "engine/catalog.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "engine/profile.h"
#include "sysctld/sysctld.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/macros.h"
#include "util/sysctl_text.h"

struct name_def;
typedef void (*name_getter)(const struct tw_catalog_env *c, const struct name_def *d,
			    struct tw_value *v);

struct name_def {
	const char *name;
	enum tw_type type;
	const char *help;
	name_getter get;
	int arg;              /* getter-specific: a field id or a struct offset */
	const char *key;      /* getter-specific: a sysctl key or counter name */
};

/* ---- value setters ---- */

static void set_num(struct tw_value *v, bool known, double x)
{
	v->type = TW_T_NUM;
	v->known = known;
	v->num = known ? x : 0;
}

static void set_str(struct tw_value *v, bool known, const char *s)
{
	v->type = TW_T_STR;
	v->known = known && s;
	v->str = v->known ? tw_xstrdup(s) : NULL;
}

static void set_bool(struct tw_value *v, bool known, bool b)
{
	v->type = TW_T_BOOL;
	v->known = known;
	v->b = known && b;
}

static void set_addr(struct tw_value *v, const struct tw_addr *a)
{
	char buf[TW_ADDR_STRLEN];

	if (!a) {
		set_str(v, false, NULL);
		return;
	}
	tw_addr_format(a, buf);
	set_str(v, true, buf);
}

/* ---- derived facts shared by getters and functions ---- */

static bool sysctl_num(const struct tw_facts *f, const char *key, double *ret)
{
	int64_t v;

	if (sysctls_get_i64(&f->sysctls, key, INT64_MIN, INT64_MAX, &v) < 0)
		return false;
	*ret = (double)v;
	return true;
}

static uint64_t unprivileged_start(const struct tw_facts *f)
{
	double v;

	return sysctl_num(f, "net.ipv4.ip_unprivileged_port_start", &v) && v >= 0 ? (uint64_t)v : 1024;
}

/* Listening ports in [lo, hi] that are not already reserved. */
static void listeners_unreserved(const struct tw_facts *f, uint64_t lo, uint64_t hi,
				 struct tw_port_set *ret)
{
	struct tw_port_set reserved;
	const char *rv = sysctls_get(&f->sysctls, "net.ipv4.ip_local_reserved_ports");

	port_set_clear(ret);
	if (!rv || port_set_parse(rv, &reserved) < 0)
		port_set_clear(&reserved);
	for (uint64_t p = lo; p <= hi && p <= 65535; p++)
		if (port_set_has(&f->listening, (uint16_t)p) && !port_set_has(&reserved, (uint16_t)p))
			port_set_add(ret, (uint16_t)p);
}

/* ---- getters ---- */

static void g_kernel(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	(void)d;
	v->type = TW_T_VERSION;
	v->known = c->facts->kernel.known;
	v->ver = c->facts->kernel;
}

static void g_source(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	(void)d;
	set_str(v, true, c->facts->source == TW_SOURCE_LIVE ? "live" : "snapshot");
}

static void g_netns(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	(void)d;
	set_str(v, true, c->facts->netns ? c->facts->netns : "");
}

static void g_profile(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	(void)d;
	set_str(v, c->profile_name != NULL, c->profile_name);
}

static void g_in_container(const struct tw_catalog_env *c, const struct name_def *d,
			   struct tw_value *v)
{
	(void)d;
	set_bool(v, c->facts->in_container.known, c->facts->in_container.v != 0);
}

enum port_field { PF_LOW, PF_HIGH, PF_AVAILABLE, PF_RESERVED, PF_UNPRIV, PF_REUSE_DELAY };

static void g_ports(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	const struct tw_facts *f = c->facts;
	uint16_t lo = 0, hi = 0;
	bool range = facts_port_range(f, &lo, &hi);

	switch ((enum port_field)d->arg) {
	case PF_LOW:
		set_num(v, range, lo);
		break;
	case PF_HIGH:
		set_num(v, range, hi);
		break;
	case PF_AVAILABLE:
		set_num(v, range, (double)facts_ports_available(f));
		break;
	case PF_RESERVED:
		set_num(v, range, range ? (double)((uint64_t)hi - lo + 1 - facts_ports_available(f)) : 0);
		break;
	case PF_UNPRIV:
		set_num(v, true, (double)unprivileged_start(f));
		break;
	case PF_REUSE_DELAY:
		set_num(v, true, facts_reuse_delay_s(f));
		break;
	}
}

static void g_listen_ports(const struct tw_catalog_env *c, const struct name_def *d,
			   struct tw_value *v)
{
	(void)d;
	set_num(v, c->facts->tw.known, (double)port_set_count(&c->facts->listening));
}

static void g_listen_in_range(const struct tw_catalog_env *c, const struct name_def *d,
			      struct tw_value *v)
{
	uint16_t lo, hi;
	bool range = facts_port_range(c->facts, &lo, &hi);
	struct tw_port_set s;

	(void)d;
	if (!range) {
		set_num(v, false, 0);
		return;
	}
	listeners_unreserved(c->facts, lo, hi, &s);
	set_num(v, c->facts->tw.known, (double)port_set_count(&s));
}

/* A uint64_t member of struct tw_tw_stats, at offset d->arg. */
static void g_tw_u64(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	const struct tw_tw_stats *tw = &c->facts->tw;
	uint64_t x;

	memcpy(&x, (const char *)tw + d->arg, sizeof(x));
	set_num(v, tw->known, (double)x);
}

static void g_tw_tuples(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	const struct tw_tw_stats *tw = &c->facts->tw;

	(void)d;
	set_num(v, tw->known, (double)(tw->tuples_client + tw->tuples_server));
}

/* tw_sock_TCP + tw_sock_TCPv6 active objects: every namespace's
 * TIME_WAIT sockets (slabinfo is host-wide), an upper bound (SLUB counts
 * the free objects of per-CPU slabs as active). */
static void g_tw_slab_objects(const struct tw_catalog_env *c, const struct name_def *d,
			      struct tw_value *v)
{
	const struct tw_memory *m = &c->facts->memory;
	bool known = m->slabinfo_known && (m->tw_sock_tcp.known || m->tw_sock_tcpv6.known);

	(void)d;
	set_num(v, known, (double)((m->tw_sock_tcp.known ? m->tw_sock_tcp.active_objs : 0) +
				   (m->tw_sock_tcpv6.known ? m->tw_sock_tcpv6.active_objs : 0)));
}

static void g_netns_enter(const struct tw_catalog_env *c, const struct name_def *d,
			  struct tw_value *v)
{
	(void)d;
	set_str(v, true, c->facts->netns_enter ? c->facts->netns_enter : "");
}

static void g_all_namespaces(const struct tw_catalog_env *c, const struct name_def *d,
			     struct tw_value *v)
{
	(void)d;
	set_bool(v, true, c->facts->all_namespaces);
}

static void g_tw_with_inode(const struct tw_catalog_env *c, const struct name_def *d,
			    struct tw_value *v)
{
	const struct tw_tw_stats *tw = &c->facts->tw;

	(void)d;
	set_num(v, tw->known && tw->inode_known, (double)tw->with_inode);
}

static void g_tw_ages_known(const struct tw_catalog_env *c, const struct name_def *d,
			    struct tw_value *v)
{
	(void)d;
	set_bool(v, c->facts->tw.known, c->facts->tw.ages_known);
}

enum tuple_field {
	TF_COUNT, TF_HELD, TF_LIVE, TF_UTIL, TF_PRESSURE, TF_RATE, TF_RATE_MINUTE, TF_RATE_CAP,
	TF_REUSE, TF_LOCAL, TF_REMOTE, TF_PORT, TF_LOOPBACK,
};

/* A field of the busiest tuple 't' (NULL: there is none). Counts of a
 * missing tuple are a known 0 ("none"); its addresses are unknown. */
static void tuple_field(const struct tw_catalog_env *c, const struct tw_tuple *t,
			enum tuple_field field, struct tw_value *v)
{
	const struct tw_facts *f = c->facts;
	bool known = f->tw.known;
	double x = 0;
	bool b = false;

	switch (field) {
	case TF_COUNT:
		set_num(v, known, t ? (double)t->count : 0);
		break;
	case TF_HELD:
		set_num(v, known, t ? (double)t->held : 0);
		break;
	case TF_LIVE:
		set_num(v, known, t ? (double)(t->held - t->count) : 0);
		break;
	case TF_UTIL:
		if (t)
			known = known && facts_tuple_utilization(f, t, c->peer_ports, &x);
		set_num(v, known, x);
		break;
	case TF_PRESSURE:
		if (t)
			known = known && facts_tuple_pressure(f, t, &x);
		set_num(v, known, x);
		break;
	case TF_RATE:
		if (t)
			known = facts_tuple_rate(f, t, &x);
		else
			known = known && f->tw.ages_known;
		set_num(v, known, x);
		break;
	case TF_RATE_MINUTE:
		set_num(v, known, t ? (double)t->count / TW_TIMEWAIT_S : 0);
		break;
	case TF_RATE_CAP: {
		uint64_t ports = t ? facts_tuple_ports(f, t, c->peer_ports) : facts_ports_available(f);

		set_num(v, ports > 0, (double)ports / TW_TIMEWAIT_S);
		break;
	}
	case TF_REUSE:
		known = t && facts_tuple_reuse(f, t, &b);
		set_bool(v, known, b);
		break;
	case TF_LOCAL:
		set_addr(v, t ? &t->local : NULL);
		break;
	case TF_REMOTE:
		set_addr(v, t ? &t->remote : NULL);
		break;
	case TF_PORT:
		set_num(v, t != NULL, t ? t->port : 0);
		break;
	case TF_LOOPBACK:
		set_bool(v, t != NULL, t && tw_addr_is_loopback(&t->remote));
		break;
	}
}

static void g_top_client(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	const struct tw_tw_stats *tw = &c->facts->tw;

	tuple_field(c, tw->known && tw->ntop_client ? &tw->top_client[0] : NULL, (enum tuple_field)d->arg, v);
}

static void g_top_server(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	const struct tw_tw_stats *tw = &c->facts->tw;

	tuple_field(c, tw->known && tw->ntop_server ? &tw->top_server[0] : NULL, (enum tuple_field)d->arg, v);
}

/* Who holds the live connections toward the busiest client destination
 * (collect/owners.c): "api.service (pid 1234)", or "python3 (pid 1234)"
 * when its cgroup names no service (always, from a snapshot's ss -p
 * column). Unknown when not looked up (a snapshot without that column,
 * no live connections) or when no process was found. */
enum owner_field { OF_NAME, OF_SOCKETS, OF_SHARE };

static void g_top_owner(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	const struct tw_facts *f = c->facts;
	const struct tw_tuple_owners *o = f->tw.known && f->tw.ntop_client ? &f->owners[0] : NULL;
	const struct tw_owner *w = o && o->known && o->n ? &o->v[0] : NULL;
	char buf[sizeof(w->service) + sizeof(w->comm) + 32];

	switch ((enum owner_field)d->arg) {
	case OF_NAME:
		if (w)
			snprintf(buf, sizeof(buf), "%s (pid %d)", w->service[0] ? w->service : w->comm,
				 w->pid);
		set_str(v, w != NULL, w ? buf : NULL);
		break;
	case OF_SOCKETS:
		set_num(v, w != NULL, w ? (double)w->sockets : 0);
		break;
	case OF_SHARE:
		set_num(v, w && o->live > 0, w && o->live ? (double)w->sockets / (double)o->live : 0);
		break;
	}
}

/* --trace (src/trace/): unknown without it. */
enum trace_field {
	TR_KNOWN, TR_SECONDS, TR_CONNECTS, TR_RATE, TR_EADDRNOTAVAIL,
	TR_TOP_REMOTE, TR_TOP_PORT, TR_TOP_CONNECTS, TR_TOP_RATE, TR_TOP_PROCESS,
	TR_TOP_PROCESS_CONNECTS, TR_FAIL_PROCESS, TR_FAIL_COUNT,
};

static void name_pid(char *buf, size_t size, const char *service, const char *comm, int pid)
{
	snprintf(buf, size, "%s (pid %d)", service[0] ? service : comm[0] ? comm : "?", pid);
}

static void g_trace(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	const struct tw_trace *t = &c->facts->trace;
	const struct tw_trace_dest *top = t->known && t->ndest ? &t->dest[0] : NULL;
	const struct tw_trace_proc *fp = t->known && t->nproc ? &t->proc[0] : NULL;
	double secs = t->seconds > 0 ? t->seconds : 1;
	char buf[sizeof(top->service) + sizeof(top->comm) + 32];

	switch ((enum trace_field)d->arg) {
	case TR_KNOWN:
		set_bool(v, true, t->known);
		break;
	case TR_SECONDS:
		set_num(v, t->known, t->seconds);
		break;
	case TR_CONNECTS:
		set_num(v, t->known, (double)t->connects);
		break;
	case TR_RATE:
		set_num(v, t->known, (double)t->connects / secs);
		break;
	case TR_EADDRNOTAVAIL:
		set_num(v, t->known, (double)t->eaddrnotavail);
		break;
	case TR_TOP_REMOTE:
		if (top)
			tw_addr_format(&top->remote, buf);
		set_str(v, top != NULL, top ? buf : NULL);
		break;
	case TR_TOP_PORT:
		set_num(v, top != NULL, top ? top->port : 0);
		break;
	case TR_TOP_CONNECTS:
		set_num(v, top != NULL, top ? (double)top->connects : 0);
		break;
	case TR_TOP_RATE:
		set_num(v, top != NULL, top ? (double)top->connects / secs : 0);
		break;
	case TR_TOP_PROCESS:
		if (top)
			name_pid(buf, sizeof(buf), top->service, top->comm, top->pid);
		set_str(v, top != NULL, top ? buf : NULL);
		break;
	case TR_TOP_PROCESS_CONNECTS:
		set_num(v, top != NULL, top ? (double)top->pid_connects : 0);
		break;
	case TR_FAIL_PROCESS:
		if (fp)
			name_pid(buf, sizeof(buf), fp->service, fp->comm, fp->pid);
		set_str(v, fp != NULL, fp ? buf : NULL);
		break;
	case TR_FAIL_COUNT:
		set_num(v, fp != NULL, fp ? (double)fp->eaddrnotavail : 0);
		break;
	}
}

static void g_server_peers(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	(void)d;
	set_num(v, c->facts->tw.known, (double)c->facts->tw.server_remote_addrs);
}

enum local_field { LF_COUNT, LF_PORTS, LF_DESTS, LF_ADDRESS };

static void g_top_local(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	const struct tw_tw_stats *tw = &c->facts->tw;
	const struct tw_local_usage *l = tw->known && tw->ntop_local ? &tw->top_local[0] : NULL;

	switch ((enum local_field)d->arg) {
	case LF_COUNT:
		set_num(v, tw->known, l ? (double)l->count : 0);
		break;
	case LF_PORTS:
		set_num(v, l != NULL, l ? (double)l->distinct_ports : 0);
		break;
	case LF_DESTS:
		set_num(v, l != NULL, l ? (double)l->destinations : 0);
		break;
	case LF_ADDRESS:
		set_addr(v, l ? &l->local : NULL);
		break;
	}
}

/* A struct tw_opt member of struct tw_counters, at offset d->arg. */
static void g_counter_opt(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	struct tw_opt o;

	memcpy(&o, (const char *)&c->facts->counters + d->arg, sizeof(o));
	set_num(v, o.known, (double)o.v);
}

/* A rate (double member of struct tw_counters at d->arg), known with --interval. */
static void g_rate(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	double x;

	memcpy(&x, (const char *)&c->facts->counters + d->arg, sizeof(x));
	set_num(v, c->facts->counters.rates_known, x);
}

static void g_sysctl(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	double x = 0;
	bool ok = sysctl_num(c->facts, d->key, &x);

	set_num(v, ok, x);
}

static void g_ct_time_wait(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	(void)d;
	set_num(v, c->facts->conntrack.table_known, (double)c->facts->conntrack.tcp_time_wait);
}

/* ---- NAT gateway: SNAT port use per (public address, destination, port) ---- */

enum nat_field {
	NF_MASQ, NF_MASQ_TW, NF_KEYS, NF_HELD, NF_TW, NF_PORTS, NF_UTIL, NF_RATE, NF_RATE_CAP,
	NF_PUBLIC, NF_REMOTE, NF_PORT, NF_INSERT_FAILED, NF_DROP, NF_TIMEOUT,
	NF_RULES, NF_RULE_PORTS, NF_RANDOM_FULLY,
};

/* The SNAT ports per key: the narrowest range of the ruleset's masquerade
 * and snat statements when it was read (facts_snat_ports()), else the
 * profile's snat_ports, else the kernel's default for a masquerade rule
 * without a port range. */
static uint64_t snat_ports(const struct tw_catalog_env *c)
{
	double d = 0;

	if (!c->profile || profile_threshold(c->profile, "snat_ports", &d) < 0 || d < 1 ||
	    d > 65535)
		d = 0;
	return facts_snat_ports(c->facts, (uint64_t)d);
}

/* nf_conntrack_tcp_timeout_time_wait, 120 s (the default) when unknown. */
static double ct_tw_timeout(const struct tw_facts *f)
{
	double x;

	return sysctl_num(f, "net.netfilter.nf_conntrack_tcp_timeout_time_wait", &x) && x > 0 ? x : 120;
}

static void g_nat(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	const struct tw_facts *f = c->facts;
	const struct tw_nat_stats *n = &f->conntrack.nat;
	bool known = f->conntrack.table_known && n->known;
	const struct tw_nat_key *k = known && n->ntop > 0 ? &n->top[0] : NULL;

	switch ((enum nat_field)d->arg) {
	case NF_MASQ:
		set_num(v, known, (double)n->masqueraded);
		break;
	case NF_MASQ_TW:
		set_num(v, known, (double)n->masqueraded_time_wait);
		break;
	case NF_KEYS:
		set_num(v, known, (double)n->keys);
		break;
	case NF_HELD:
		set_num(v, k != NULL, k ? (double)k->count : 0);
		break;
	case NF_TW:
		set_num(v, k != NULL, k ? (double)k->time_wait : 0);
		break;
	case NF_PORTS:
		set_num(v, true, (double)snat_ports(c));
		break;
	case NF_UTIL:
		set_num(v, k != NULL, k ? (double)k->count / (double)snat_ports(c) : 0);
		break;
	case NF_RATE:
		set_num(v, k != NULL, k ? (double)k->time_wait / ct_tw_timeout(f) : 0);
		break;
	case NF_RATE_CAP:
		set_num(v, true, (double)snat_ports(c) / ct_tw_timeout(f));
		break;
	case NF_RULES:
		set_num(v, f->nft.known, (double)f->nft.rules);
		break;
	case NF_RULE_PORTS:
		set_num(v, f->nft.known && f->nft.rules, (double)f->nft.ports);
		break;
	case NF_RANDOM_FULLY:
		set_bool(v, f->nft.known && f->nft.rules, f->nft.random_fully == f->nft.rules);
		break;
	case NF_PUBLIC:
		set_addr(v, k ? &k->public_addr : NULL);
		break;
	case NF_REMOTE:
		set_addr(v, k ? &k->dst : NULL);
		break;
	case NF_PORT:
		set_num(v, k != NULL, k ? (double)k->dport : 0);
		break;
	case NF_INSERT_FAILED:
		set_num(v, f->ct_stats.known, (double)f->ct_stats.insert_failed);
		break;
	case NF_DROP:
		set_num(v, f->ct_stats.known, (double)f->ct_stats.drop);
		break;
	case NF_TIMEOUT:
		set_num(v, true, ct_tw_timeout(f));
		break;
	}
}

static void g_cost(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	const char *s = NULL;

	if (c->cost)
		s = d->arg == 0 ? cost_level_name(c->cost->verdict) : c->cost->summary;
	set_str(v, s != NULL, s);
}

static void g_peer_ports(const struct tw_catalog_env *c, const struct name_def *d, struct tw_value *v)
{
	(void)d;
	set_num(v, true, (double)c->peer_ports);
}

#define TW_OFF(m) ((int)offsetof(struct tw_tw_stats, m))
#define CT_OFF(m) ((int)offsetof(struct tw_counters, m))

static const struct name_def names[] = {
	{ "kernel", TW_T_VERSION, "kernel release (compare with 4.2, \"4.18.0\")", g_kernel, 0, NULL },
	{ "source", TW_T_STR, "\"live\" or \"snapshot\"", g_source, 0, NULL },
	{ "netns", TW_T_STR, "--netns name, \"\" when none", g_netns, 0, NULL },
	{ "profile", TW_T_STR, "name of the profile in use", g_profile, 0, NULL },
	{ "netns_enter", TW_T_STR, "--all-namespaces: command prefix that runs a command in this namespace (\"ip netns exec NAME\", \"nsenter -t PID -n\"), \"\" otherwise", g_netns_enter, 0, NULL },
	{ "all_namespaces", TW_T_BOOL, "this report is part of an --all-namespaces run", g_all_namespaces, 0, NULL },
	{ "in_container", TW_T_BOOL, "a container or non-initial network namespace", g_in_container, 0, NULL },
	{ "ports.low", TW_T_NUM, "ip_local_port_range low bound", g_ports, PF_LOW, NULL },
	{ "ports.high", TW_T_NUM, "ip_local_port_range high bound", g_ports, PF_HIGH, NULL },
	{ "ports.available", TW_T_NUM, "ports per client tuple: range minus reserved ports in it", g_ports, PF_AVAILABLE, NULL },
	{ "ports.reserved", TW_T_NUM, "reserved ports inside the range", g_ports, PF_RESERVED, NULL },
	{ "ports.unprivileged_start", TW_T_NUM, "ip_unprivileged_port_start (1024 when absent)", g_ports, PF_UNPRIV, NULL },
	{ "ports.reuse_delay_s", TW_T_NUM, "seconds before tcp_tw_reuse may take a TIME_WAIT port (tcp_tw_reuse_delay, 1 when absent)", g_ports, PF_REUSE_DELAY, NULL },
	{ "listeners.ports", TW_T_NUM, "distinct listening TCP ports", g_listen_ports, 0, NULL },
	{ "listeners.in_range", TW_T_NUM, "listening ports inside the current range, not reserved", g_listen_in_range, 0, NULL },
	{ "tw.total", TW_T_NUM, "TIME_WAIT sockets", g_tw_u64, TW_OFF(total), NULL },
	{ "tw.client", TW_T_NUM, "client-side TIME_WAIT sockets", g_tw_u64, TW_OFF(client), NULL },
	{ "tw.server", TW_T_NUM, "server-side TIME_WAIT sockets", g_tw_u64, TW_OFF(server), NULL },
	{ "tw.held_client", TW_T_NUM, "client-side sockets in any state that holds a local port (TIME_WAIT included)", g_tw_u64, TW_OFF(held_client), NULL },
	{ "tw.tuples", TW_T_NUM, "distinct tuple keys", g_tw_tuples, 0, NULL },
	{ "tw.tuples_client", TW_T_NUM, "distinct client destinations", g_tw_u64, TW_OFF(tuples_client), NULL },
	{ "tw.tuples_server", TW_T_NUM, "distinct server-side keys", g_tw_u64, TW_OFF(tuples_server), NULL },
	{ "tw.loopback", TW_T_NUM, "TIME_WAIT sockets toward loopback", g_tw_u64, TW_OFF(loopback), NULL },
	{ "tw.ipv6", TW_T_NUM, "IPv6 TIME_WAIT sockets", g_tw_u64, TW_OFF(ipv6), NULL },
	{ "tw.with_inode", TW_T_NUM, "TIME_WAIT sockets holding an inode (unknown from ss output)", g_tw_with_inode, 0, NULL },
	{ "tw.slab_objects", TW_T_NUM, "host-wide tw_sock_TCP and tw_sock_TCPv6 active slab objects: the TIME_WAIT sockets of every namespace (an upper bound; root: /sys/kernel/slab or /proc/slabinfo)", g_tw_slab_objects, 0, NULL },
	{ "tw.ages_known", TW_T_BOOL, "every TIME_WAIT socket came with its remaining time (netlink, /proc/net/tcp, ss -tano)", g_tw_ages_known, 0, NULL },
	{ "tw.top_client.count", TW_T_NUM, "busiest client destination: TIME_WAIT sockets", g_top_client, TF_COUNT, NULL },
	{ "tw.top_client.held", TW_T_NUM, "busiest client destination: sockets in any state that hold a local port", g_top_client, TF_HELD, NULL },
	{ "tw.top_client.live", TW_T_NUM, "busiest client destination: held sockets not in TIME_WAIT (ESTABLISHED, SYN-SENT, ...)", g_top_client, TF_LIVE, NULL },
	{ "tw.top_client.utilization", TW_T_NUM, "busiest client destination: held / ports.available", g_top_client, TF_UTIL, NULL },
	{ "tw.top_client.pressure", TW_T_NUM, "share of its ports connect() cannot use: utilization without reuse; with reuse (held - count + rate x reuse delay) / ports; unknown with reuse and no rate", g_top_client, TF_PRESSURE, NULL },
	{ "tw.top_client.rate", TW_T_NUM, "new connections/s toward it closed by this host, from the TIME_WAIT ages of the last 10 s (a lower bound while reuse takes ports over)", g_top_client, TF_RATE, NULL },
	{ "tw.top_client.rate_minute", TW_T_NUM, "its TIME_WAIT count / 60 s: the average rate over the last minute", g_top_client, TF_RATE_MINUTE, NULL },
	{ "tw.top_client.rate_capacity", TW_T_NUM, "new connections/s it can sustain without reuse (ports / 60 s)", g_top_client, TF_RATE_CAP, NULL },
	{ "tw.top_client.reuse", TW_T_BOOL, "connect() reuses its TIME_WAIT ports (tcp_tw_reuse 1, or 2 toward loopback, and timestamps on)", g_top_client, TF_REUSE, NULL },
	{ "tw.top_client.local", TW_T_STR, "its local address", g_top_client, TF_LOCAL, NULL },
	{ "tw.top_client.remote", TW_T_STR, "its remote address", g_top_client, TF_REMOTE, NULL },
	{ "tw.top_client.port", TW_T_NUM, "its remote port", g_top_client, TF_PORT, NULL },
	{ "tw.top_client.loopback", TW_T_BOOL, "its remote address is loopback", g_top_client, TF_LOOPBACK, NULL },
	{ "tw.top_client.owner", TW_T_STR, "the process holding most of its live connections, by service (systemd unit, container, pod) or command, with its pid: the likely source of the churn (live, root; a snapshot: by command, from ss -p's users column)", g_top_owner, OF_NAME, NULL },
	{ "tw.top_client.owner_sockets", TW_T_NUM, "live connections toward it held by that process", g_top_owner, OF_SOCKETS, NULL },
	{ "tw.top_client.owner_share", TW_T_NUM, "that process's share of the live connections toward it (0..1)", g_top_owner, OF_SHARE, NULL },
	{ "tw.top_server.count", TW_T_NUM, "busiest server-side key: TIME_WAIT sockets", g_top_server, TF_COUNT, NULL },
	{ "tw.top_server.held", TW_T_NUM, "busiest server-side key: sockets in any state", g_top_server, TF_HELD, NULL },
	{ "tw.top_server.utilization", TW_T_NUM, "held / the peer's ports (threshold peer_ports)", g_top_server, TF_UTIL, NULL },
	{ "tw.top_server.local", TW_T_STR, "its local address", g_top_server, TF_LOCAL, NULL },
	{ "tw.top_server.remote", TW_T_STR, "the peer (e.g. the load balancer)", g_top_server, TF_REMOTE, NULL },
	{ "tw.top_server.port", TW_T_NUM, "its local (listening) port", g_top_server, TF_PORT, NULL },
	{ "tw.top_server.peers", TW_T_NUM, "distinct peers among server-side sockets", g_server_peers, 0, NULL },
	{ "tw.top_local.count", TW_T_NUM, "busiest source address: client TIME_WAIT sockets", g_top_local, LF_COUNT, NULL },
	{ "tw.top_local.distinct_ports", TW_T_NUM, "distinct local ports among them", g_top_local, LF_PORTS, NULL },
	{ "tw.top_local.destinations", TW_T_NUM, "distinct destinations among them", g_top_local, LF_DESTS, NULL },
	{ "tw.top_local.address", TW_T_STR, "that source address", g_top_local, LF_ADDRESS, NULL },
	{ "sockstat.tw", TW_T_NUM, "/proc/net/sockstat tw", g_counter_opt, CT_OFF(tcp_tw), NULL },
	{ "sockstat.inuse", TW_T_NUM, "/proc/net/sockstat inuse", g_counter_opt, CT_OFF(tcp_inuse), NULL },
	{ "sockstat.orphan", TW_T_NUM, "/proc/net/sockstat orphan", g_counter_opt, CT_OFF(tcp_orphan), NULL },
	{ "rate.active_opens", TW_T_NUM, "connect()s per second (with --interval)", g_rate, CT_OFF(active_opens_per_s), NULL },
	{ "rate.passive_opens", TW_T_NUM, "accepted connections per second (with --interval)", g_rate, CT_OFF(passive_opens_per_s), NULL },
	{ "rate.tw", TW_T_NUM, "sockets entering TIME_WAIT per second (with --interval)", g_rate, CT_OFF(tw_per_s), NULL },
	{ "rate.tw_recycled", TW_T_NUM, "TIME_WAIT ports taken over by tcp_tw_reuse per second (TcpExt TWRecycled, with --interval)", g_rate, CT_OFF(tw_recycled_per_s), NULL },
	{ "rate.tw_overflow", TW_T_NUM, "sockets closed without TIME_WAIT at the tcp_max_tw_buckets ceiling per second (TcpExt TCPTimeWaitOverflow, with --interval)", g_rate, CT_OFF(tw_overflow_per_s), NULL },
	{ "interval", TW_T_NUM, "--interval seconds (unknown without)", g_rate, CT_OFF(interval_s), NULL },
	{ "trace.known", TW_T_BOOL, "connect() was traced (--trace, live, root, built with eBPF)", g_trace, TR_KNOWN, NULL },
	{ "trace.seconds", TW_T_NUM, "how long --trace counted (s)", g_trace, TR_SECONDS, NULL },
	{ "trace.connects", TW_T_NUM, "connect() attempts traced in this namespace (failed ones too)", g_trace, TR_CONNECTS, NULL },
	{ "trace.connect_rate", TW_T_NUM, "connect() attempts per second, traced", g_trace, TR_RATE, NULL },
	{ "trace.eaddrnotavail", TW_T_NUM, "connect() calls that failed with EADDRNOTAVAIL (no local port left), traced", g_trace, TR_EADDRNOTAVAIL, NULL },
	{ "trace.top.remote", TW_T_STR, "the destination with most traced connect() attempts: its address", g_trace, TR_TOP_REMOTE, NULL },
	{ "trace.top.port", TW_T_NUM, "its port", g_trace, TR_TOP_PORT, NULL },
	{ "trace.top.connects", TW_T_NUM, "connect() attempts toward it", g_trace, TR_TOP_CONNECTS, NULL },
	{ "trace.top.connect_rate", TW_T_NUM, "connect() attempts per second toward it", g_trace, TR_TOP_RATE, NULL },
	{ "trace.top.process", TW_T_STR, "the process making most of them, by service (unit, container, pod) or command, with its pid", g_trace, TR_TOP_PROCESS, NULL },
	{ "trace.top.process_connects", TW_T_NUM, "that process's attempts toward it", g_trace, TR_TOP_PROCESS_CONNECTS, NULL },
	{ "trace.eaddrnotavail_process", TW_T_STR, "the process with most EADDRNOTAVAIL failures, named as trace.top.process (unknown when none failed)", g_trace, TR_FAIL_PROCESS, NULL },
	{ "trace.eaddrnotavail_process_count", TW_T_NUM, "its EADDRNOTAVAIL failures", g_trace, TR_FAIL_COUNT, NULL },
	{ "conntrack.count", TW_T_NUM, "net.netfilter.nf_conntrack_count", g_sysctl, 0, "net.netfilter.nf_conntrack_count" },
	{ "conntrack.max", TW_T_NUM, "net.netfilter.nf_conntrack_max", g_sysctl, 0, "net.netfilter.nf_conntrack_max" },
	{ "conntrack.time_wait", TW_T_NUM, "conntrack entries in TCP TIME_WAIT", g_ct_time_wait, 0, NULL },
	{ "conntrack.timeout_time_wait", TW_T_NUM, "nf_conntrack_tcp_timeout_time_wait (s)", g_sysctl, 0, "net.netfilter.nf_conntrack_tcp_timeout_time_wait" },
	{ "net.ip_forward", TW_T_NUM, "net.ipv4.ip_forward (1: this host routes, e.g. a NAT gateway)", g_sysctl, 0, "net.ipv4.ip_forward" },
	{ "nat.masqueraded", TW_T_NUM, "source-NATed TCP conntrack entries (reply destination differs from the original source); unknown without the table", g_nat, NF_MASQ, NULL },
	{ "nat.time_wait", TW_T_NUM, "of them in conntrack TIME_WAIT", g_nat, NF_MASQ_TW, NULL },
	{ "nat.keys", TW_T_NUM, "distinct (public address, destination, port) keys among them", g_nat, NF_KEYS, NULL },
	{ "nat.top.held", TW_T_NUM, "busiest SNAT key: entries holding one of its ports (any TCP state)", g_nat, NF_HELD, NULL },
	{ "nat.top.time_wait", TW_T_NUM, "busiest SNAT key: of them in conntrack TIME_WAIT", g_nat, NF_TW, NULL },
	{ "nat.top.ports", TW_T_NUM, "SNAT ports per key: nat.snat_port_range when the ruleset was read, else threshold snat_ports, else 64512 (1024-65535, masquerade without a range)", g_nat, NF_PORTS, NULL },
	{ "nat.snat_rules", TW_T_NUM, "masquerade and snat statements in the nftables ruleset (live with libnftables and root, or nft-ruleset.json); unknown when it was not read", g_nat, NF_RULES, NULL },
	{ "nat.snat_port_range", TW_T_NUM, "ports of the narrowest masquerade or snat port range (\"to :1024-2047\": 1024; 64512 without a range); unknown without such a statement", g_nat, NF_RULE_PORTS, NULL },
	{ "nat.random_fully", TW_T_BOOL, "every masquerade and snat statement has the fully-random flag (--random-fully); unknown without such a statement", g_nat, NF_RANDOM_FULLY, NULL },
	{ "nat.top.utilization", TW_T_NUM, "busiest SNAT key: held / nat.top.ports", g_nat, NF_UTIL, NULL },
	{ "nat.top.rate", TW_T_NUM, "busiest SNAT key: its TIME_WAIT entries / nat.timeout_time_wait, the average rate of closed connections (per s)", g_nat, NF_RATE, NULL },
	{ "nat.top.rate_capacity", TW_T_NUM, "new connections/s one key sustains: nat.top.ports / nat.timeout_time_wait", g_nat, NF_RATE_CAP, NULL },
	{ "nat.top.public", TW_T_STR, "busiest SNAT key: the translated (public) source address", g_nat, NF_PUBLIC, NULL },
	{ "nat.top.remote", TW_T_STR, "busiest SNAT key: the destination address", g_nat, NF_REMOTE, NULL },
	{ "nat.top.port", TW_T_NUM, "busiest SNAT key: the destination port", g_nat, NF_PORT, NULL },
	{ "nat.timeout_time_wait", TW_T_NUM, "nf_conntrack_tcp_timeout_time_wait, 120 (the default) when unknown", g_nat, NF_TIMEOUT, NULL },
	{ "nat.insert_failed", TW_T_NUM, "conntrack insert_failed, summed over CPUs (conntrack -S): entries not inserted, e.g. no unique SNAT tuple", g_nat, NF_INSERT_FAILED, NULL },
	{ "nat.drop", TW_T_NUM, "conntrack drop, summed over CPUs (conntrack -S): packets dropped for a failed insertion", g_nat, NF_DROP, NULL },
	{ "cost.verdict", TW_T_STR, "\"harmless\", \"watch\" or \"act\" (the cost items alone)", g_cost, 0, NULL },
	{ "cost.summary", TW_T_STR, "the cost verdict in one sentence", g_cost, 1, NULL },
	{ "peer_ports", TW_T_NUM, "ports of the peer's range assumed for server-side utilization", g_peer_ports, 0, NULL },
};

#define N_FIXED ((int)ARRAY_SIZE(names))
#define N_THRESHOLD_BASE 10000

/* ---- functions ---- */

struct func_def;
typedef void (*func_impl)(const struct tw_catalog_env *c, const struct tw_value *args,
			  struct tw_value *v);

struct func_def {
	const char *name;
	size_t nargs;
	enum tw_type args[2];
	enum tw_type ret;
	bool key_arg;         /* the first argument is a sysctl key, checked when literal */
	const char *signature, *help;
	func_impl fn;
};

static void f_has(const struct tw_catalog_env *c, const struct tw_value *a, struct tw_value *v)
{
	set_bool(v, c->facts->sysctls.known, sysctls_has(&c->facts->sysctls, a[0].str));
}

static void f_sysctl(const struct tw_catalog_env *c, const struct tw_value *a, struct tw_value *v)
{
	double x = 0;
	bool ok = sysctl_num(c->facts, a[0].str, &x);

	set_num(v, ok, x);
}

static void f_sysctl_str(const struct tw_catalog_env *c, const struct tw_value *a, struct tw_value *v)
{
	const char *s = sysctls_get(&c->facts->sysctls, a[0].str);

	set_str(v, s != NULL, s);
}

static void counter(const struct tw_counter_list *l, const char *name, struct tw_value *v)
{
	int64_t x = 0;
	bool ok = l->known && counter_list_get(l, name, &x) == 0;

	set_num(v, ok, (double)x);
}

static void f_tcpext(const struct tw_catalog_env *c, const struct tw_value *a, struct tw_value *v)
{
	counter(&c->facts->counters.tcpext, a[0].str, v);
}

static void f_snmp_tcp(const struct tw_catalog_env *c, const struct tw_value *a, struct tw_value *v)
{
	counter(&c->facts->counters.tcp, a[0].str, v);
}

/* The cost items, by their JSON name: so a rule can explain what the
 * cost model decided instead of deciding it a second time. */
enum { CF_LEVEL, CF_VALUE, CF_LIMIT, CF_SHARE };

static void cost_field(const struct tw_catalog_env *c, const char *name, int field,
		       struct tw_value *v)
{
	const struct tw_cost_item *it = c->cost ? cost_find(c->cost, name) : NULL;

	if (field == CF_LEVEL) {
		set_str(v, it != NULL, it ? cost_level_name(it->level) : NULL);
		return;
	}
	if (field == CF_VALUE)
		set_num(v, it != NULL, it ? it->value : 0);
	else if (field == CF_LIMIT)
		set_num(v, it && it->limit_known, it ? it->limit : 0);
	else
		set_num(v, it && it->share_known, it ? it->share : 0);
}

static void f_cost_level(const struct tw_catalog_env *c, const struct tw_value *a, struct tw_value *v)
{
	cost_field(c, a[0].str, CF_LEVEL, v);
}

static void f_cost_value(const struct tw_catalog_env *c, const struct tw_value *a, struct tw_value *v)
{
	cost_field(c, a[0].str, CF_VALUE, v);
}

static void f_cost_limit(const struct tw_catalog_env *c, const struct tw_value *a, struct tw_value *v)
{
	cost_field(c, a[0].str, CF_LIMIT, v);
}

static void f_cost_share(const struct tw_catalog_env *c, const struct tw_value *a, struct tw_value *v)
{
	cost_field(c, a[0].str, CF_SHARE, v);
}

static const struct tw_sysctld_assign *persisted_of(const struct tw_catalog_env *c, const char *key)
{
	return c->facts->persisted ? sysctld_lookup(c->facts->persisted, key, NULL, NULL) : NULL;
}

static void f_persisted(const struct tw_catalog_env *c, const struct tw_value *a, struct tw_value *v)
{
	const struct tw_sysctld_assign *p = persisted_of(c, a[0].str);

	set_str(v, p != NULL, p ? p->value : NULL);
}

static void f_persisted_num(const struct tw_catalog_env *c, const struct tw_value *a,
			    struct tw_value *v)
{
	const struct tw_sysctld_assign *p = persisted_of(c, a[0].str);
	struct tw_sysctls one = { 0 };
	int64_t x = 0;
	bool ok;

	/* The same integer reading as sysctl(): one folded integer field. */
	if (p)
		sysctls_put(&one, "k", p->value);
	ok = p && sysctls_get_i64(&one, "k", INT64_MIN, INT64_MAX, &x) == 0;
	set_num(v, ok, (double)x);
	sysctls_free(&one);
}

static void f_persisted_where(const struct tw_catalog_env *c, const struct tw_value *a,
			      struct tw_value *v)
{
	const struct tw_sysctld_assign *p = persisted_of(c, a[0].str);
	struct strbuf sb = STRBUF_INIT;

	if (p)
		sb_appendf(&sb, "%s:%u", p->file, p->line);
	set_str(v, p != NULL, sb_str(&sb));
	sb_free(&sb);
}

static bool port_bounds(const struct tw_value *a, uint64_t *lo, uint64_t *hi)
{
	if (!(a[0].num >= 0 && a[1].num <= 65535 && a[0].num <= a[1].num))
		return false;
	*lo = (uint64_t)a[0].num;
	*hi = (uint64_t)a[1].num;
	return true;
}

static void f_listeners_in(const struct tw_catalog_env *c, const struct tw_value *a, struct tw_value *v)
{
	struct tw_port_set s;
	uint64_t lo, hi;

	if (!port_bounds(a, &lo, &hi)) {
		set_num(v, false, 0);
		return;
	}
	listeners_unreserved(c->facts, lo, hi, &s);
	set_num(v, c->facts->tw.known, (double)port_set_count(&s));
}

static void f_reserved_in(const struct tw_catalog_env *c, const struct tw_value *a, struct tw_value *v)
{
	const char *rv = sysctls_get(&c->facts->sysctls, "net.ipv4.ip_local_reserved_ports");
	struct tw_port_set reserved;
	uint64_t lo, hi;

	if (!port_bounds(a, &lo, &hi) || !rv || port_set_parse(rv, &reserved) < 0) {
		set_num(v, false, 0);
		return;
	}
	set_num(v, true, (double)port_set_count_in(&reserved, (uint16_t)lo, (uint16_t)hi));
}

static void f_reserve_listeners(const struct tw_catalog_env *c, const struct tw_value *a,
				struct tw_value *v)
{
	struct tw_port_set s, reserved;
	struct strbuf sb = STRBUF_INIT;
	const char *rv;
	uint64_t lo, hi;

	if (!port_bounds(a, &lo, &hi)) {
		set_str(v, false, NULL);
		return;
	}
	listeners_unreserved(c->facts, lo, hi, &s);
	rv = sysctls_get(&c->facts->sysctls, "net.ipv4.ip_local_reserved_ports");
	if (rv && port_set_parse(rv, &reserved) == 0)
		port_set_union(&s, &reserved);
	port_set_format(&s, &sb);
	set_str(v, true, sb_str(&sb));
	sb_free(&sb);
}

static void f_listening(const struct tw_catalog_env *c, const struct tw_value *a, struct tw_value *v)
{
	bool ok = a[0].num >= 0 && a[0].num <= 65535 && a[0].num == floor(a[0].num);

	set_bool(v, ok && c->facts->tw.known, ok && port_set_has(&c->facts->listening, (uint16_t)a[0].num));
}

/* The n-th (from 1) whitespace-separated field of 's' as an integer:
 * field("32768 60999", 2) is 60999; unknown when there is no such field
 * or it is not an integer. */
static void f_field(const struct tw_catalog_env *c, const struct tw_value *a, struct tw_value *v)
{
	const char *p = a[0].str;
	double want = a[1].num;
	bool ok = false;
	double x = 0;

	(void)c;
	for (double i = 1; *p && want >= 1 && i <= want; i++) {
		const char *start;
		char *end;
		long long n;

		while (*p == ' ' || *p == '\t')
			p++;
		start = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (i < want || p == start)
			continue;
		errno = 0;
		n = strtoll(start, &end, 10);
		ok = errno == 0 && end == p;
		x = (double)n;
	}
	set_num(v, ok, x);
}

static const struct func_def funcs[] = {
	{ "has", 1, { TW_T_STR }, TW_T_BOOL, true, "has(key) -> bool", "the sysctl exists on the analysed kernel", f_has },
	{ "sysctl", 1, { TW_T_STR }, TW_T_NUM, true, "sysctl(key) -> num", "integer value of a sysctl (unknown when absent or not a single integer)", f_sysctl },
	{ "sysctl_str", 1, { TW_T_STR }, TW_T_STR, true, "sysctl_str(key) -> str", "text value of a sysctl", f_sysctl_str },
	{ "tcpext", 1, { TW_T_STR }, TW_T_NUM, false, "tcpext(name) -> num", "/proc/net/netstat TcpExt counter", f_tcpext },
	{ "snmp_tcp", 1, { TW_T_STR }, TW_T_NUM, false, "snmp_tcp(name) -> num", "/proc/net/snmp Tcp counter", f_snmp_tcp },
	{ "cost_level", 1, { TW_T_STR }, TW_T_STR, false, "cost_level(item) -> str", "level of a cost item (\"harmless\", \"watch\", \"act\"), e.g. cost_level(\"connect_rate\"); unknown when the item is absent", f_cost_level },
	{ "cost_value", 1, { TW_T_STR }, TW_T_NUM, false, "cost_value(item) -> num", "value of a cost item, in its unit (JSON cost.items[].value)", f_cost_value },
	{ "cost_limit", 1, { TW_T_STR }, TW_T_NUM, false, "cost_limit(item) -> num", "limit a cost item is judged against (unknown when not known)", f_cost_limit },
	{ "cost_share", 1, { TW_T_STR }, TW_T_NUM, false, "cost_share(item) -> num", "value / limit of a cost item (unknown when the limit is)", f_cost_share },
	{ "persisted", 1, { TW_T_STR }, TW_T_STR, true, "persisted(key) -> str", "value sysctl.d sets at boot (unknown when no file does)", f_persisted },
	{ "persisted_num", 1, { TW_T_STR }, TW_T_NUM, true, "persisted_num(key) -> num", "the boot value as an integer (unknown when no file sets it or it is not one integer)", f_persisted_num },
	{ "persisted_where", 1, { TW_T_STR }, TW_T_STR, true, "persisted_where(key) -> str", "FILE:LINE of the sysctl.d assignment that wins at boot (unknown when none)", f_persisted_where },
	{ "listeners_in", 2, { TW_T_NUM, TW_T_NUM }, TW_T_NUM, false, "listeners_in(low, high) -> num", "listening ports in [low, high] not already reserved", f_listeners_in },
	{ "reserved_in", 2, { TW_T_NUM, TW_T_NUM }, TW_T_NUM, false, "reserved_in(low, high) -> num", "ports of the current ip_local_reserved_ports in [low, high]", f_reserved_in },
	{ "listening", 1, { TW_T_NUM }, TW_T_BOOL, false, "listening(port) -> bool", "a TCP socket of this host listens on the port", f_listening },
	{ "field", 2, { TW_T_STR, TW_T_NUM }, TW_T_NUM, false, "field(text, n) -> num", "the n-th (from 1) whitespace-separated field of text as an integer, e.g. field(persisted(\"net.ipv4.ip_local_port_range\"), 1); unknown when missing or not an integer", f_field },
	{ "reserve_listeners", 2, { TW_T_NUM, TW_T_NUM }, TW_T_STR, false, "reserve_listeners(low, high) -> str", "ip_local_reserved_ports value: current reserved ports plus listening ports in [low, high]", f_reserve_listeners },
};

#define N_FUNCS ((int)ARRAY_SIZE(funcs))

/* ---- compile time ---- */

/* The names' indices in name order, for bsearch: every identifier of
 * every rule and template is looked up as the rules compile (about 430
 * lookups, 19,500 strcmp() calls when the table was scanned in order). */
static int by_name[N_FIXED];
static bool by_name_ready;

static int cmp_index(const void *a, const void *b)
{
	return strcmp(names[*(const int *)a].name, names[*(const int *)b].name);
}

static int cmp_key_index(const void *key, const void *elt)
{
	return strcmp(key, names[*(const int *)elt].name);
}

static int find_fixed(const char *name)
{
	const int *hit;

	if (!by_name_ready) {
		for (int i = 0; i < N_FIXED; i++)
			by_name[i] = i;
		qsort(by_name, N_FIXED, sizeof(by_name[0]), cmp_index);
		by_name_ready = true;
	}
	hit = bsearch(name, by_name, N_FIXED, sizeof(by_name[0]), cmp_key_index);
	return hit ? *hit : -1;
}

static int lookup_name(void *ctx, const char *name, int *ret_id, enum tw_type *ret_type)
{
	const struct tw_catalog_names *tn = ctx;
	int fixed = find_fixed(name);

	if (fixed >= 0) {
		*ret_id = fixed;
		*ret_type = names[fixed].type;
		return 0;
	}
	if (strncmp(name, "threshold.", 10) == 0 && tn) {
		for (size_t i = 0; i < tn->nthresholds; i++) {
			if (strcmp(tn->thresholds[i], name + 10) == 0) {
				*ret_id = N_THRESHOLD_BASE + (int)i;
				*ret_type = TW_T_NUM;
				return 0;
			}
		}
	}
	return -ENOENT;
}

static bool key_well_formed(const char *k)
{
	return sysctl_text_key_valid_str(k);
}

/* Whether a function reads the sysctl table (the persisted* ones read
 * sysctl.d, not /proc/sys). */
static bool reads_sysctls(const struct func_def *f)
{
	return f->fn == f_has || f->fn == f_sysctl || f->fn == f_sysctl_str;
}

void catalog_sysctl_keys(struct tw_sysctl_keys *s)
{
	static const char *const keys[] = {
		"net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_local_reserved_ports", NULL,
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].get == g_sysctl)
			sysctl_keys_add(s, names[i].key);
	sysctl_keys_add_list(s, keys);
	cost_sysctl_keys(s);
}

static int lookup_func(void *ctx, const char *name, size_t nargs, const enum tw_type *arg_types,
		       const char *const *literal_args, int *ret_id, enum tw_type *ret_type,
		       const char **ret_why)
{
	const struct tw_catalog_names *tn = ctx;

	for (int i = 0; i < N_FUNCS; i++) {
		const struct func_def *f = &funcs[i];

		if (strcmp(f->name, name) != 0)
			continue;
		if (nargs != f->nargs) {
			*ret_why = f->signature;
			return -EINVAL;
		}
		for (size_t a = 0; a < nargs; a++) {
			if (arg_types[a] != f->args[a]) {
				*ret_why = f->signature;
				return -EINVAL;
			}
		}
		if (f->key_arg && literal_args[0] && !key_well_formed(literal_args[0])) {
			*ret_why = "the sysctl key is malformed (expected e.g. \"net.ipv4.tcp_tw_reuse\")";
			return -EINVAL;
		}
		if (tn && tn->sysctl_keys && reads_sysctls(f)) {
			if (literal_args[0])
				sysctl_keys_add(tn->sysctl_keys, literal_args[0]);
			else
				tn->sysctl_keys->all = true;
		}
		*ret_id = i;
		*ret_type = f->ret;
		return 0;
	}
	return -ENOENT;
}

/* Lists every name (or function) so that a misspelling gets a suggestion. */
static void each_name(void *ctx, bool want_funcs, void (*fn)(void *fn_ctx, const char *name),
		      void *fn_ctx)
{
	const struct tw_catalog_names *tn = ctx;

	if (want_funcs) {
		for (int i = 0; i < N_FUNCS; i++)
			fn(fn_ctx, funcs[i].name);
		return;
	}
	for (int i = 0; i < N_FIXED; i++)
		fn(fn_ctx, names[i].name);
	for (size_t i = 0; tn && i < tn->nthresholds; i++) {
		struct strbuf sb = STRBUF_INIT;

		sb_appendf(&sb, "threshold.%s", tn->thresholds[i]);
		fn(fn_ctx, sb_str(&sb));
		sb_free(&sb);
	}
}

void catalog_symbols(const struct tw_catalog_names *n, struct tw_symbols *syms)
{
	memset(syms, 0, sizeof(*syms));
	syms->lookup_name = lookup_name;
	syms->lookup_func = lookup_func;
	syms->each_name = each_name;
	syms->ctx = (void *)n;
}

/* ---- evaluation ---- */

static int get_name(void *vctx, int id, struct tw_value *v)
{
	const struct tw_catalog_env *c = vctx;

	memset(v, 0, sizeof(*v));
	if (id >= N_THRESHOLD_BASE) {
		const struct tw_catalog_names *tn = c->names;
		size_t i = (size_t)(id - N_THRESHOLD_BASE);
		double d = 0;
		bool ok = tn && i < tn->nthresholds && c->profile &&
			  profile_threshold(c->profile, tn->thresholds[i], &d) == 0;

		set_num(v, ok, d);
		return 0;
	}
	if (id < 0 || id >= N_FIXED)
		return -EINVAL;
	names[id].get(c, &names[id], v);
	return 0;
}

static int call_func(void *vctx, int id, const struct tw_value *args, size_t nargs,
		     struct tw_value *v)
{
	memset(v, 0, sizeof(*v));
	if (id < 0 || id >= N_FUNCS)
		return -EINVAL;
	v->type = funcs[id].ret;
	for (size_t i = 0; i < nargs; i++)
		if (!args[i].known)
			return 0;
	funcs[id].fn(vctx, args, v);
	return 0;
}

void catalog_env(const struct tw_catalog_env *ctx, struct tw_env *env)
{
	env->get_name = get_name;
	env->call_func = call_func;
	env->ctx = (void *)ctx;
}

const char *catalog_name_at(size_t i, enum tw_type *ret_type, const char **ret_help)
{
	if (i >= ARRAY_SIZE(names))
		return NULL;
	*ret_type = names[i].type;
	*ret_help = names[i].help;
	return names[i].name;
}

const char *catalog_func_at(size_t i, const char **ret_signature, const char **ret_help)
{
	if (i >= ARRAY_SIZE(funcs))
		return NULL;
	*ret_signature = funcs[i].signature;
	*ret_help = funcs[i].help;
	return funcs[i].name;
}
