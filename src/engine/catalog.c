/* SPDX-License-Identifier: MIT */
/* catalog.c: names and functions of the rule language, bound to the facts
 * (see catalog.h). Each name has an id, a type and a help line; values are
 * read from the fact table when a rule is evaluated, unknown when the fact
 * is. */
#include "engine/catalog.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "engine/profile.h"
#include "sysctld/sysctld.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum name_id {
	N_KERNEL, N_SOURCE, N_NETNS, N_PROFILE, N_IN_CONTAINER,
	N_PORTS_LOW, N_PORTS_HIGH, N_PORTS_AVAILABLE, N_PORTS_RESERVED, N_PORTS_UNPRIV,
	N_LISTEN_PORTS, N_LISTEN_IN_RANGE,
	N_TW_TOTAL, N_TW_CLIENT, N_TW_SERVER, N_TW_TUPLES, N_TW_TUPLES_CLIENT,
	N_TW_TUPLES_SERVER, N_TW_LOOPBACK, N_TW_IPV6, N_TW_WITH_INODE,
	N_TC_COUNT, N_TC_UTIL, N_TC_RATE_CAP, N_TC_LOCAL, N_TC_REMOTE, N_TC_PORT, N_TC_LOOPBACK,
	N_TS_COUNT, N_TS_UTIL, N_TS_LOCAL, N_TS_REMOTE, N_TS_PORT, N_TS_PEERS,
	N_TL_COUNT, N_TL_PORTS, N_TL_DESTS, N_TL_ADDRESS,
	N_SOCK_TW, N_SOCK_INUSE, N_SOCK_ORPHAN,
	N_RATE_ACTIVE, N_RATE_PASSIVE, N_RATE_TW, N_INTERVAL,
	N_CT_COUNT, N_CT_MAX, N_CT_TW, N_CT_TIMEOUT,
	N_COST_VERDICT, N_COST_SUMMARY,
	N_PEER_PORTS,
	N_COUNT_FIXED,
	N_THRESHOLD_BASE = 10000,
};

struct name_def {
	const char *name;
	enum tw_type type;
	const char *help;
};

static const struct name_def names[N_COUNT_FIXED] = {
	[N_KERNEL] = { "kernel", TW_T_VERSION, "kernel release (compare with 4.2, \"4.18.0\")" },
	[N_SOURCE] = { "source", TW_T_STR, "\"live\" or \"snapshot\"" },
	[N_NETNS] = { "netns", TW_T_STR, "--netns name, \"\" when none" },
	[N_PROFILE] = { "profile", TW_T_STR, "name of the profile in use" },
	[N_IN_CONTAINER] = { "in_container", TW_T_BOOL, "a container or non-initial network namespace" },
	[N_PORTS_LOW] = { "ports.low", TW_T_NUM, "ip_local_port_range low bound" },
	[N_PORTS_HIGH] = { "ports.high", TW_T_NUM, "ip_local_port_range high bound" },
	[N_PORTS_AVAILABLE] = { "ports.available", TW_T_NUM, "ports per client tuple: range minus reserved ports in it" },
	[N_PORTS_RESERVED] = { "ports.reserved", TW_T_NUM, "reserved ports inside the range" },
	[N_PORTS_UNPRIV] = { "ports.unprivileged_start", TW_T_NUM, "ip_unprivileged_port_start (1024 when absent)" },
	[N_LISTEN_PORTS] = { "listeners.ports", TW_T_NUM, "distinct listening TCP ports" },
	[N_LISTEN_IN_RANGE] = { "listeners.in_range", TW_T_NUM, "listening ports inside the current range, not reserved" },
	[N_TW_TOTAL] = { "tw.total", TW_T_NUM, "TIME_WAIT sockets" },
	[N_TW_CLIENT] = { "tw.client", TW_T_NUM, "client-side TIME_WAIT sockets" },
	[N_TW_SERVER] = { "tw.server", TW_T_NUM, "server-side TIME_WAIT sockets" },
	[N_TW_TUPLES] = { "tw.tuples", TW_T_NUM, "distinct tuple keys" },
	[N_TW_TUPLES_CLIENT] = { "tw.tuples_client", TW_T_NUM, "distinct client destinations" },
	[N_TW_TUPLES_SERVER] = { "tw.tuples_server", TW_T_NUM, "distinct server-side keys" },
	[N_TW_LOOPBACK] = { "tw.loopback", TW_T_NUM, "TIME_WAIT sockets toward loopback" },
	[N_TW_IPV6] = { "tw.ipv6", TW_T_NUM, "IPv6 TIME_WAIT sockets" },
	[N_TW_WITH_INODE] = { "tw.with_inode", TW_T_NUM, "TIME_WAIT sockets holding an inode (unknown from ss output)" },
	[N_TC_COUNT] = { "tw.top_client.count", TW_T_NUM, "busiest client destination: sockets" },
	[N_TC_UTIL] = { "tw.top_client.utilization", TW_T_NUM, "busiest client destination: count / ports.available" },
	[N_TC_RATE_CAP] = { "tw.top_client.rate_capacity", TW_T_NUM, "new connections/s it can sustain without reuse (ports / 60 s)" },
	[N_TC_LOCAL] = { "tw.top_client.local", TW_T_STR, "its local address" },
	[N_TC_REMOTE] = { "tw.top_client.remote", TW_T_STR, "its remote address" },
	[N_TC_PORT] = { "tw.top_client.port", TW_T_NUM, "its remote port" },
	[N_TC_LOOPBACK] = { "tw.top_client.loopback", TW_T_BOOL, "its remote address is loopback" },
	[N_TS_COUNT] = { "tw.top_server.count", TW_T_NUM, "busiest server-side key: sockets" },
	[N_TS_UTIL] = { "tw.top_server.utilization", TW_T_NUM, "count / the peer's ports (threshold peer_ports)" },
	[N_TS_LOCAL] = { "tw.top_server.local", TW_T_STR, "its local address" },
	[N_TS_REMOTE] = { "tw.top_server.remote", TW_T_STR, "the peer (e.g. the load balancer)" },
	[N_TS_PORT] = { "tw.top_server.port", TW_T_NUM, "its local (listening) port" },
	[N_TS_PEERS] = { "tw.top_server.peers", TW_T_NUM, "distinct peers among server-side sockets" },
	[N_TL_COUNT] = { "tw.top_local.count", TW_T_NUM, "busiest source address: client TIME_WAIT sockets" },
	[N_TL_PORTS] = { "tw.top_local.distinct_ports", TW_T_NUM, "distinct local ports among them" },
	[N_TL_DESTS] = { "tw.top_local.destinations", TW_T_NUM, "distinct destinations among them" },
	[N_TL_ADDRESS] = { "tw.top_local.address", TW_T_STR, "that source address" },
	[N_SOCK_TW] = { "sockstat.tw", TW_T_NUM, "/proc/net/sockstat tw" },
	[N_SOCK_INUSE] = { "sockstat.inuse", TW_T_NUM, "/proc/net/sockstat inuse" },
	[N_SOCK_ORPHAN] = { "sockstat.orphan", TW_T_NUM, "/proc/net/sockstat orphan" },
	[N_RATE_ACTIVE] = { "rate.active_opens", TW_T_NUM, "connect()s per second (with --interval)" },
	[N_RATE_PASSIVE] = { "rate.passive_opens", TW_T_NUM, "accepted connections per second (with --interval)" },
	[N_RATE_TW] = { "rate.tw", TW_T_NUM, "sockets entering TIME_WAIT per second (with --interval)" },
	[N_INTERVAL] = { "interval", TW_T_NUM, "--interval seconds (unknown without)" },
	[N_CT_COUNT] = { "conntrack.count", TW_T_NUM, "net.netfilter.nf_conntrack_count" },
	[N_CT_MAX] = { "conntrack.max", TW_T_NUM, "net.netfilter.nf_conntrack_max" },
	[N_CT_TW] = { "conntrack.time_wait", TW_T_NUM, "conntrack entries in TCP TIME_WAIT" },
	[N_CT_TIMEOUT] = { "conntrack.timeout_time_wait", TW_T_NUM, "nf_conntrack_tcp_timeout_time_wait (s)" },
	[N_COST_VERDICT] = { "cost.verdict", TW_T_STR, "\"harmless\", \"watch\" or \"act\"" },
	[N_COST_SUMMARY] = { "cost.summary", TW_T_STR, "the cost verdict in one sentence" },
	[N_PEER_PORTS] = { "peer_ports", TW_T_NUM, "ports of the peer's range assumed for server-side utilization" },
};

enum func_id {
	F_HAS, F_SYSCTL, F_SYSCTL_STR, F_TCPEXT, F_SNMP_TCP, F_PERSISTED, F_PERSISTED_WHERE,
	F_LISTENERS_IN, F_RESERVE_LISTENERS, F_COUNT,
};

struct func_def {
	const char *name;
	size_t nargs;
	enum tw_type args[2];
	enum tw_type ret;
	const char *signature, *help;
};

static const struct func_def funcs[F_COUNT] = {
	[F_HAS] = { "has", 1, { TW_T_STR }, TW_T_BOOL, "has(key) -> bool", "the sysctl exists on the analysed kernel" },
	[F_SYSCTL] = { "sysctl", 1, { TW_T_STR }, TW_T_NUM, "sysctl(key) -> num", "integer value of a sysctl (unknown when absent or not a single integer)" },
	[F_SYSCTL_STR] = { "sysctl_str", 1, { TW_T_STR }, TW_T_STR, "sysctl_str(key) -> str", "text value of a sysctl" },
	[F_TCPEXT] = { "tcpext", 1, { TW_T_STR }, TW_T_NUM, "tcpext(name) -> num", "/proc/net/netstat TcpExt counter" },
	[F_SNMP_TCP] = { "snmp_tcp", 1, { TW_T_STR }, TW_T_NUM, "snmp_tcp(name) -> num", "/proc/net/snmp Tcp counter" },
	[F_PERSISTED] = { "persisted", 1, { TW_T_STR }, TW_T_STR, "persisted(key) -> str", "value sysctl.d sets at boot (unknown when no file does)" },
	[F_PERSISTED_WHERE] = { "persisted_where", 1, { TW_T_STR }, TW_T_STR, "persisted_where(key) -> str", "FILE:LINE of the sysctl.d assignment that wins at boot (unknown when none)" },
	[F_LISTENERS_IN] = { "listeners_in", 2, { TW_T_NUM, TW_T_NUM }, TW_T_NUM, "listeners_in(low, high) -> num", "listening ports in [low, high] not already reserved" },
	[F_RESERVE_LISTENERS] = { "reserve_listeners", 2, { TW_T_NUM, TW_T_NUM }, TW_T_STR, "reserve_listeners(low, high) -> str", "ip_local_reserved_ports value: current reserved ports plus listening ports in [low, high]" },
};

/* ---- compile time ---- */

static int lookup_name(void *ctx, const char *name, int *ret_id, enum tw_type *ret_type)
{
	const struct tw_catalog_names *tn = ctx;

	for (int i = 0; i < N_COUNT_FIXED; i++) {
		if (strcmp(names[i].name, name) == 0) {
			*ret_id = i;
			*ret_type = names[i].type;
			return 0;
		}
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
	size_t dots = 0;

	if (!k || !*k || *k == '.')
		return false;
	for (const char *p = k; *p; p++) {
		if (*p == '.') {
			if (p[1] == '.' || p[1] == '\0')
				return false;
			dots++;
		} else if (!(*p == '_' || *p == '-' || *p == '/' || (*p >= 'a' && *p <= 'z') ||
			     (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))) {
			return false;
		}
	}
	return dots > 0;
}

static int lookup_func(void *ctx, const char *name, size_t nargs, const enum tw_type *arg_types,
		       const char *const *literal_args, int *ret_id, enum tw_type *ret_type,
		       const char **ret_why)
{
	for (int i = 0; i < F_COUNT; i++) {
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
		if ((i == F_HAS || i == F_SYSCTL || i == F_SYSCTL_STR || i == F_PERSISTED || i == F_PERSISTED_WHERE) &&
		    literal_args[0] && !key_well_formed(literal_args[0])) {
			*ret_why = "the sysctl key is malformed (expected e.g. \"net.ipv4.tcp_tw_reuse\")";
			return -EINVAL;
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
		for (int i = 0; i < F_COUNT; i++)
			fn(fn_ctx, funcs[i].name);
		return;
	}
	for (int i = 0; i < N_COUNT_FIXED; i++)
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

static void set_num(struct tw_value *v, bool known, double x)
{
	v->type = TW_T_NUM;
	v->known = known;
	v->num = known ? x : 0;
}

static void set_opt(struct tw_value *v, const struct tw_opt *o)
{
	set_num(v, o->known, (double)o->v);
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

static void set_addr(struct tw_value *v, bool known, const struct tw_addr *a)
{
	char buf[TW_ADDR_STRLEN];

	if (!known) {
		set_str(v, false, NULL);
		return;
	}
	tw_addr_format(a, buf);
	set_str(v, true, buf);
}

double catalog_tuple_utilization(const struct tw_facts *f, const struct tw_tuple *t,
				 uint64_t peer_ports)
{
	uint64_t ports = t->side == TW_SIDE_CLIENT ? facts_ports_available(f) : peer_ports;

	if (ports == 0)
		ports = 28232;  /* Linux default range, when the range is unknown */
	return (double)t->count / (double)ports;
}

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

static int get_name(void *vctx, int id, struct tw_value *v)
{
	const struct tw_catalog_env *c = vctx;
	const struct tw_facts *f = c->facts;
	const struct tw_tw_stats *tw = &f->tw;
	bool tc = tw->known && tw->ntop_client > 0, ts = tw->known && tw->ntop_server > 0;
	bool tl = tw->known && tw->ntop_local > 0;
	uint16_t lo = 0, hi = 0;
	bool range = facts_port_range(f, &lo, &hi);
	double d;

	memset(v, 0, sizeof(*v));
	switch ((enum name_id)id) {
	case N_KERNEL:
		v->type = TW_T_VERSION;
		v->known = f->kernel.known;
		v->ver = f->kernel;
		break;
	case N_SOURCE:
		set_str(v, true, f->source == TW_SOURCE_LIVE ? "live" : "snapshot");
		break;
	case N_NETNS:
		set_str(v, true, f->netns ? f->netns : "");
		break;
	case N_PROFILE:
		set_str(v, c->profile_name != NULL, c->profile_name);
		break;
	case N_IN_CONTAINER:
		set_bool(v, f->in_container.known, f->in_container.v != 0);
		break;
	case N_PORTS_LOW:
		set_num(v, range, lo);
		break;
	case N_PORTS_HIGH:
		set_num(v, range, hi);
		break;
	case N_PORTS_AVAILABLE:
		set_num(v, range, (double)facts_ports_available(f));
		break;
	case N_PORTS_RESERVED:
		set_num(v, range, range ? (double)((uint64_t)hi - lo + 1 - facts_ports_available(f)) : 0);
		break;
	case N_PORTS_UNPRIV:
		set_num(v, true, (double)unprivileged_start(f));
		break;
	case N_LISTEN_PORTS:
		set_num(v, tw->known, (double)port_set_count(&f->listening));
		break;
	case N_LISTEN_IN_RANGE: {
		struct tw_port_set s;

		if (range)
			listeners_unreserved(f, lo, hi, &s);
		set_num(v, range && tw->known, range ? (double)port_set_count(&s) : 0);
		break;
	}
	case N_TW_TOTAL:
		set_num(v, tw->known, (double)tw->total);
		break;
	case N_TW_CLIENT:
		set_num(v, tw->known, (double)tw->client);
		break;
	case N_TW_SERVER:
		set_num(v, tw->known, (double)tw->server);
		break;
	case N_TW_TUPLES:
		set_num(v, tw->known, (double)(tw->tuples_client + tw->tuples_server));
		break;
	case N_TW_TUPLES_CLIENT:
		set_num(v, tw->known, (double)tw->tuples_client);
		break;
	case N_TW_TUPLES_SERVER:
		set_num(v, tw->known, (double)tw->tuples_server);
		break;
	case N_TW_LOOPBACK:
		set_num(v, tw->known, (double)tw->loopback);
		break;
	case N_TW_IPV6:
		set_num(v, tw->known, (double)tw->ipv6);
		break;
	case N_TW_WITH_INODE:
		set_num(v, tw->known && tw->inode_known, (double)tw->with_inode);
		break;
	/* A missing top tuple means "none": count 0 is known, not unknown. */
	case N_TC_COUNT:
		set_num(v, tw->known, tc ? (double)tw->top_client[0].count : 0);
		break;
	case N_TC_UTIL:
		set_num(v, tw->known, tc ? catalog_tuple_utilization(f, &tw->top_client[0], c->peer_ports) : 0);
		break;
	case N_TC_RATE_CAP:
		set_num(v, range, (double)facts_ports_available(f) / 60.0);
		break;
	case N_TC_LOCAL:
		set_addr(v, tc, tc ? &tw->top_client[0].local : NULL);
		break;
	case N_TC_REMOTE:
		set_addr(v, tc, tc ? &tw->top_client[0].remote : NULL);
		break;
	case N_TC_PORT:
		set_num(v, tc, tc ? tw->top_client[0].port : 0);
		break;
	case N_TC_LOOPBACK:
		set_bool(v, tc, tc && tw_addr_is_loopback(&tw->top_client[0].remote));
		break;
	case N_TS_COUNT:
		set_num(v, tw->known, ts ? (double)tw->top_server[0].count : 0);
		break;
	case N_TS_UTIL:
		set_num(v, tw->known, ts ? catalog_tuple_utilization(f, &tw->top_server[0], c->peer_ports) : 0);
		break;
	case N_TS_LOCAL:
		set_addr(v, ts, ts ? &tw->top_server[0].local : NULL);
		break;
	case N_TS_REMOTE:
		set_addr(v, ts, ts ? &tw->top_server[0].remote : NULL);
		break;
	case N_TS_PORT:
		set_num(v, ts, ts ? tw->top_server[0].port : 0);
		break;
	case N_TS_PEERS:
		set_num(v, tw->known, (double)tw->server_remote_addrs);
		break;
	case N_TL_COUNT:
		set_num(v, tw->known, tl ? (double)tw->top_local[0].count : 0);
		break;
	case N_TL_PORTS:
		set_num(v, tl, tl ? (double)tw->top_local[0].distinct_ports : 0);
		break;
	case N_TL_DESTS:
		set_num(v, tl, tl ? (double)tw->top_local[0].destinations : 0);
		break;
	case N_TL_ADDRESS:
		set_addr(v, tl, tl ? &tw->top_local[0].local : NULL);
		break;
	case N_SOCK_TW:
		set_opt(v, &f->counters.tcp_tw);
		break;
	case N_SOCK_INUSE:
		set_opt(v, &f->counters.tcp_inuse);
		break;
	case N_SOCK_ORPHAN:
		set_opt(v, &f->counters.tcp_orphan);
		break;
	case N_RATE_ACTIVE:
		set_num(v, f->counters.rates_known, f->counters.active_opens_per_s);
		break;
	case N_RATE_PASSIVE:
		set_num(v, f->counters.rates_known, f->counters.passive_opens_per_s);
		break;
	case N_RATE_TW:
		set_num(v, f->counters.rates_known, f->counters.tw_per_s);
		break;
	case N_INTERVAL:
		set_num(v, f->counters.rates_known, f->counters.interval_s);
		break;
	/* sysctl_num() first: the order in which function arguments are
	 * evaluated is unspecified, so set_num(v, sysctl_num(..., &d), d)
	 * could read d before it is written. */
	case N_CT_COUNT: {
		bool ok = sysctl_num(f, "net.netfilter.nf_conntrack_count", &d);

		set_num(v, ok, ok ? d : 0);
		break;
	}
	case N_CT_MAX: {
		bool ok = sysctl_num(f, "net.netfilter.nf_conntrack_max", &d);

		set_num(v, ok, ok ? d : 0);
		break;
	}
	case N_CT_TW:
		set_num(v, f->conntrack.table_known, (double)f->conntrack.tcp_time_wait);
		break;
	case N_CT_TIMEOUT: {
		bool ok = sysctl_num(f, "net.netfilter.nf_conntrack_tcp_timeout_time_wait", &d);

		set_num(v, ok, ok ? d : 0);
		break;
	}
	case N_COST_VERDICT:
		set_str(v, c->cost != NULL, c->cost ? cost_level_name(c->cost->verdict) : NULL);
		break;
	case N_COST_SUMMARY:
		set_str(v, c->cost != NULL, c->cost ? c->cost->summary : NULL);
		break;
	case N_PEER_PORTS:
		set_num(v, true, (double)c->peer_ports);
		break;
	case N_COUNT_FIXED:
	case N_THRESHOLD_BASE:
		return -EINVAL;
	}
	return 0;
}

static int call_func(void *vctx, int id, const struct tw_value *args, size_t nargs,
		     struct tw_value *v)
{
	const struct tw_catalog_env *c = vctx;
	const struct tw_facts *f = c->facts;
	int64_t i64 = 0;
	double lo, hi;

	memset(v, 0, sizeof(*v));
	for (size_t i = 0; i < nargs; i++) {
		if (!args[i].known) {
			v->type = funcs[id].ret;
			v->known = false;
			return 0;
		}
	}
	switch ((enum func_id)id) {
	case F_HAS:
		set_bool(v, f->sysctls.known, sysctls_has(&f->sysctls, args[0].str));
		break;
	case F_SYSCTL:
		if (sysctls_get_i64(&f->sysctls, args[0].str, INT64_MIN, INT64_MAX, &i64) == 0)
			set_num(v, true, (double)i64);
		else
			set_num(v, false, 0);
		break;
	case F_SYSCTL_STR: {
		const char *s = sysctls_get(&f->sysctls, args[0].str);

		set_str(v, s != NULL, s);
		break;
	}
	case F_TCPEXT:
		set_num(v, f->counters.tcpext.known &&
			       counter_list_get(&f->counters.tcpext, args[0].str, &i64) == 0, (double)i64);
		break;
	case F_SNMP_TCP:
		set_num(v, f->counters.tcp.known &&
			       counter_list_get(&f->counters.tcp, args[0].str, &i64) == 0, (double)i64);
		break;
	case F_PERSISTED: {
		const struct tw_sysctld_assign *a = f->persisted ?
			sysctld_lookup(f->persisted, args[0].str, NULL, NULL) : NULL;

		set_str(v, a != NULL, a ? a->value : NULL);
		break;
	}
	case F_PERSISTED_WHERE: {
		const struct tw_sysctld_assign *a = f->persisted ?
			sysctld_lookup(f->persisted, args[0].str, NULL, NULL) : NULL;
		struct strbuf sb = STRBUF_INIT;

		if (a)
			sb_appendf(&sb, "%s:%u", a->file, a->line);
		set_str(v, a != NULL, sb_str(&sb));
		sb_free(&sb);
		break;
	}
	case F_LISTENERS_IN:
	case F_RESERVE_LISTENERS: {
		struct tw_port_set s, reserved;
		const char *rv;

		lo = args[0].num;
		hi = args[1].num;
		if (!(lo >= 0 && hi <= 65535 && lo <= hi)) {
			v->type = funcs[id].ret;
			v->known = false;
			break;
		}
		listeners_unreserved(f, (uint64_t)lo, (uint64_t)hi, &s);
		if (id == F_LISTENERS_IN) {
			set_num(v, f->tw.known, (double)port_set_count(&s));
			break;
		}
		rv = sysctls_get(&f->sysctls, "net.ipv4.ip_local_reserved_ports");
		if (rv && port_set_parse(rv, &reserved) == 0)
			port_set_union(&s, &reserved);
		{
			struct strbuf sb = STRBUF_INIT;

			port_set_format(&s, &sb);
			set_str(v, true, sb_str(&sb));
			sb_free(&sb);
		}
		break;
	}
	case F_COUNT:
		return -EINVAL;
	}
	return 0;
}

/* Thresholds need the profile and the compile-time name list. */
static int get_name_env(void *vctx, int id, struct tw_value *v)
{
	const struct tw_catalog_env *c = vctx;

	if (id >= N_THRESHOLD_BASE) {
		const struct tw_catalog_names *tn = c->names;
		size_t i = (size_t)(id - N_THRESHOLD_BASE);
		double d;

		memset(v, 0, sizeof(*v));
		v->type = TW_T_NUM;
		if (tn && i < tn->nthresholds && c->profile &&
		    profile_threshold(c->profile, tn->thresholds[i], &d) == 0) {
			v->known = true;
			v->num = d;
		}
		return 0;
	}
	return get_name(vctx, id, v);
}

void catalog_env(const struct tw_catalog_env *ctx, struct tw_env *env)
{
	env->get_name = get_name_env;
	env->call_func = call_func;
	env->ctx = (void *)ctx;
}

const char *catalog_name_at(size_t i, enum tw_type *ret_type, const char **ret_help)
{
	if (i >= N_COUNT_FIXED)
		return NULL;
	*ret_type = names[i].type;
	*ret_help = names[i].help;
	return names[i].name;
}

const char *catalog_func_at(size_t i, const char **ret_signature, const char **ret_help)
{
	if (i >= F_COUNT)
		return NULL;
	*ret_signature = funcs[i].signature;
	*ret_help = funcs[i].help;
	return funcs[i].name;
}
