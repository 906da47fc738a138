/* SPDX-License-Identifier: MIT */
/* cost.c: the TIME_WAIT cost model (see cost.h).
 *
 * Each add_*() function below computes one item from the fact table: the
 * value, its limit, the share in use, whether the value was measured or
 * estimated, a level and a one-line verdict, plus a "headline" (kept
 * here, not in the item) that becomes the summary when that item is the
 * worst. Inputs that are unknown are never read as zero: the item is then
 * estimated and says so, or left out. Numbers shown to people carry
 * thousands separators and percentages. */
#include "cost/cost.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "util/strbuf.h"

#define TCP_TIMEWAIT_S 60           /* TCP_TIMEWAIT_LEN, include/net/tcp.h */
#define DEFAULT_PORTS TW_DEFAULT_PORT_COUNT
#define NEVER 2.0                   /* a share threshold no item reaches */
#define CONNTRACK_ACT_SHARE 0.95    /* a nearly full conntrack table drops packets soon */
#define DEFAULT_CT_TIME_WAIT_S 120  /* nf_conntrack_tcp_timeout_time_wait */
#define TW_SUSTAINED_S 30           /* "act" on a connect rate needs it held this long */
#define DEFAULT_PAGE_SIZE 4096

struct cost_ctx {
	const struct tw_facts *f;
	const struct tw_cost_params *p;
	struct tw_cost *c;
	struct tw_cost out;
	char head[TW_COST_MAX_ITEMS][256];  /* summary sentence per item */
	/* TIME_WAIT sockets of this namespace: sockstat tw, else the dump. */
	bool tw_known;
	uint64_t tw;
	/* Established-hash size, when known. */
	bool ehash_known, ehash_shared;
	uint64_t ehash;
	const char *ehash_source;
};

void cost_params_default(struct tw_cost_params *p)
{
	p->watch_share = 0.5;
	p->act_share = 0.8;
	p->peer_ports = DEFAULT_PORTS;
	p->tw_buckets_share = 0.8;
	p->conntrack_share = 0.8;
}

const char *cost_level_name(enum tw_cost_level l)
{
	switch (l) {
	case TW_COST_HARMLESS:
		return "harmless";
	case TW_COST_WATCH:
		return "watch";
	case TW_COST_ACT:
		return "act";
	}
	return "harmless";
}

const struct tw_cost_item *cost_find(const struct tw_cost *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->items[i].name, name) == 0)
			return &c->items[i];
	return NULL;
}

/* ---- formatting helpers (each writes into a caller's buffer) ---- */

/* An integer with thousands separators: 27000 -> "27,000". */
static const char *thou(char buf[32], double v)
{
	struct strbuf sb = STRBUF_INIT;

	sb_append_thousands(&sb, (long long)llround(v));
	snprintf(buf, 32, "%s", sb_str(&sb));
	sb_free(&sb);
	return buf;
}

/* A share as a percentage: 0.956 -> "96%", 0.003 -> "0.3%", tiny -> "<0.1%". */
static const char *pct(char buf[16], double share)
{
	double v = share * 100.0;

	if (v <= 0.0)
		snprintf(buf, 16, "0%%");
	else if (v < 0.1)
		snprintf(buf, 16, "<0.1%%");
	else if (v < 0.95)
		snprintf(buf, 16, "%.1f%%", v);
	else
		snprintf(buf, 16, "%.0f%%", v);
	return buf;
}

/* Bytes for people: "512 bytes", "24.0 KB", "0.3 MB", "2.0 GB" (1024-based). */
static const char *human_bytes(char buf[32], double b)
{
	if (b < 1024.0)
		snprintf(buf, 32, "%.0f bytes", b);
	else if (b < 100.0 * 1024.0)
		snprintf(buf, 32, "%.1f KB", b / 1024.0);
	else if (b < 1024.0 * 1024.0 * 1024.0)
		snprintf(buf, 32, "%.1f MB", b / (1024.0 * 1024.0));
	else
		snprintf(buf, 32, "%.1f GB", b / (1024.0 * 1024.0 * 1024.0));
	return buf;
}

/* "10.0.1.20:5432" or "[::1]:5432". */
static const char *endpoint(char buf[TW_ADDR_STRLEN + 8], const struct tw_addr *a, uint16_t port)
{
	char s[TW_ADDR_STRLEN];

	tw_addr_format(a, s);
	if (a->family == AF_INET6)
		snprintf(buf, TW_ADDR_STRLEN + 8, "[%s]:%u", s, (unsigned)port);
	else
		snprintf(buf, TW_ADDR_STRLEN + 8, "%s:%u", s, (unsigned)port);
	return buf;
}

static void set_text(char *dst, size_t n, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static void set_text(char *dst, size_t n, const char *fmt, va_list ap)
{
	vsnprintf(dst, n, fmt, ap);
}

static void verdict(struct tw_cost_item *it, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void verdict(struct tw_cost_item *it, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_text(it->verdict, sizeof(it->verdict), fmt, ap);
	va_end(ap);
}

static void headline(struct cost_ctx *x, const struct tw_cost_item *it, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void headline(struct cost_ctx *x, const struct tw_cost_item *it, const char *fmt, ...)
{
	size_t i = (size_t)(it - x->c->items);
	va_list ap;

	va_start(ap, fmt);
	set_text(x->head[i], sizeof(x->head[i]), fmt, ap);
	va_end(ap);
}

/* ---- item helpers ---- */

static struct tw_cost_item *item_add(struct cost_ctx *x, const char *name, const char *unit)
{
	struct tw_cost_item *it;

	if (x->c->n >= TW_COST_MAX_ITEMS)
		return NULL;
	it = &x->c->items[x->c->n++];
	memset(it, 0, sizeof(*it));
	it->name = name;
	snprintf(it->unit, sizeof(it->unit), "%s", unit);
	it->measured = true;
	it->level = TW_COST_HARMLESS;
	return it;
}

static void item_limit(struct tw_cost_item *it, double limit)
{
	it->limit_known = true;
	it->limit = limit;
	if (limit > 0) {
		it->share_known = true;
		it->share = it->value / limit;
	}
}

static void item_extra(struct tw_cost_item *it, const char *name, double v)
{
	it->extra_known = true;
	it->extra_name = name;
	it->extra = v;
}

static enum tw_cost_level level_for(const struct cost_ctx *x, double share)
{
	if (share >= x->p->act_share)
		return TW_COST_ACT;
	if (share >= x->p->watch_share)
		return TW_COST_WATCH;
	return TW_COST_HARMLESS;
}

static void item_level(struct cost_ctx *x, struct tw_cost_item *it, enum tw_cost_level cap)
{
	if (!it->share_known)
		return;
	it->level = level_for(x, it->share);
	if (it->level > cap)
		it->level = cap;
}

/* An item with thresholds of its own (not the utilization ones): "watch"
 * from 'watch', "act" from 'act' (act > 1: never). */
static void item_level_own(struct tw_cost_item *it, double watch, double act)
{
	if (!it->share_known)
		return;
	it->level = it->share >= act ? TW_COST_ACT : it->share >= watch ? TW_COST_WATCH : TW_COST_HARMLESS;
}

/* Every key cost_compute() reads, those of facts.c included. */
void cost_sysctl_keys(struct tw_sysctl_keys *s)
{
	static const char *const keys[] = {
		"net.ipv4.tcp_max_tw_buckets", "net.netfilter.nf_conntrack_count",
		"net.netfilter.nf_conntrack_max", "net.netfilter.nf_conntrack_tcp_timeout_time_wait",
		"fs.file-max", "net.ipv4.tcp_ehash_entries", NULL,
	};

	facts_sysctl_keys(s);
	sysctl_keys_add_list(s, keys);
}

static bool sysctl_i64(const struct tw_facts *f, const char *key, int64_t min, int64_t max,
		       int64_t *ret)
{
	return sysctls_get_i64(&f->sysctls, key, min, max, ret) == 0;
}

/* Whether tcp_tw_reuse lets connect() take this tuple's TIME_WAIT ports,
 * and after how many seconds. Unknown sysctls mean "no reuse assumed". */
static bool reuse_applies(const struct tw_facts *f, const struct tw_tuple *t, double *ret_delay_s)
{
	bool reuse;

	if (!facts_tuple_reuse(f, t, &reuse) || !reuse)
		return false;
	*ret_delay_s = facts_reuse_delay_s(f);
	return true;
}

/* Ports one client tuple can use; *ret_known false when the default was assumed. */
static uint64_t client_ports(const struct tw_facts *f, bool *ret_known)
{
	uint64_t n = facts_ports_available(f);

	*ret_known = n > 0;
	return n > 0 ? n : DEFAULT_PORTS;
}

/* ---- the items ---- */

static void add_tuples(struct cost_ctx *x)
{
	const struct tw_facts *f = x->f;
	char a[32], b[32], c[32], d[32], s[16], ep[TW_ADDR_STRLEN + 8], held[64];
	const struct tw_tuple *t;
	struct tw_cost_item *it;
	bool ports_known, reuse;
	double delay_s = TCP_TIMEWAIT_S, capacity;
	uint64_t ports = client_ports(f, &ports_known);
	const char *assumed = ports_known ? "" : " (default range assumed)";

	if (!f->tw.known) {
		/* Only a host-wide count: an upper bound for any destination. */
		double upper;

		if (!x->tw_known)
			return;
		upper = (double)x->tw / (double)ports;
		if (upper >= x->p->watch_share)
			return;  /* cannot judge without per-destination counts */
		if (!(it = item_add(x, TW_COST_TUPLES, "sockets")))
			return;
		it->value = (double)x->tw;
		item_limit(it, (double)ports);
		it->measured = false;
		verdict(it, "per-destination counts unknown; even if all %s TIME_WAIT sockets "
			"went to one destination they would hold %s of its %s ports%s",
			thou(a, (double)x->tw), pct(s, it->share), thou(b, (double)ports), assumed);
		return;
	}
	if (!(it = item_add(x, TW_COST_TUPLES, "sockets")))
		return;
	if (f->tw.ntop_client == 0) {
		it->value = 0;
		item_limit(it, (double)ports);
		it->measured = ports_known;
		verdict(it, "no client-side TIME_WAIT: outgoing connections hold no ports");
		return;
	}
	t = &f->tw.top_client[0];
	endpoint(ep, &t->remote, t->port);
	reuse = reuse_applies(f, t, &delay_s);
	capacity = (double)ports / delay_s;
	/* Every socket holding a port counts, not only TIME_WAIT:
	 * __inet_hash_connect() refuses a 4-tuple held in any state. */
	it->value = (double)t->held;
	item_limit(it, (double)ports);
	it->measured = ports_known;
	item_extra(it, "capacity_per_s", capacity);
	held[0] = '\0';
	if (t->held > t->count)
		snprintf(held, sizeof(held), " (%s of them in TIME_WAIT)", thou(c, (double)t->count));
	if (reuse) {
		double pressure;

		/* With reuse the TIME_WAIT ports come back after the delay:
		 * judge by what connect() cannot take. */
		if (ports_known && facts_tuple_pressure(f, t, &pressure)) {
			/* The value is then the ports out of reach, not the count. */
			it->value = pressure * (double)ports;
			item_limit(it, (double)ports);
			item_level(x, it, TW_COST_ACT);
			verdict(it, "%s sockets to %s%s; tcp_tw_reuse frees TIME_WAIT ports after "
				"%g s, so about %s of its %s ports (%s) are out of reach now%s",
				thou(a, (double)t->held), ep, held, delay_s, thou(b, it->value),
				thou(d, (double)ports), pct(s, pressure), assumed);
		} else {
			item_level(x, it, TW_COST_WATCH);
			verdict(it, "%s sockets to %s%s hold %s of its %s ports%s; tcp_tw_reuse "
				"frees TIME_WAIT ports after %g s, so this count overstates the "
				"pressure (measure the rate with --interval)",
				thou(a, it->value), ep, held, pct(s, it->share), thou(b, (double)ports),
				assumed, delay_s);
		}
		headline(x, it, "connections to %s keep %s of the ephemeral ports; tcp_tw_reuse "
			 "recycles the TIME_WAIT ones, up to %s new connections/s",
			 ep, pct(s, (double)t->held / (double)ports), thou(c, capacity));
		return;
	}
	item_level(x, it, TW_COST_ACT);
	verdict(it, "%s sockets to %s%s hold %s of its %s ports%s: at most %s new "
		"connections/s (ports / 60 s)",
		thou(a, it->value), ep, held, pct(s, it->share), thou(b, (double)ports), assumed,
		thou(d, capacity));
	if (it->level == TW_COST_ACT)
		headline(x, it, "connections to %s use %s of the ephemeral ports; new connections "
			 "will fail with EADDRNOTAVAIL", ep, pct(s, it->share));
	else
		headline(x, it, "connections to %s use %s of the ephemeral ports; when they run "
			 "out, new connections fail with EADDRNOTAVAIL", ep, pct(s, it->share));
}

static void add_tuples_server(struct cost_ctx *x)
{
	const struct tw_facts *f = x->f;
	char a[32], b[32], s[16], peer[TW_ADDR_STRLEN];
	const struct tw_tuple *t;
	struct tw_cost_item *it;

	if (!f->tw.known || f->tw.ntop_server == 0)
		return;
	if (!(it = item_add(x, TW_COST_TUPLES_SERVER, "sockets")))
		return;
	t = &f->tw.top_server[0];
	tw_addr_format(&t->remote, peer);
	it->value = (double)t->count;
	item_limit(it, (double)x->p->peer_ports);
	item_extra(it, "peer_ports", (double)x->p->peer_ports);
	item_level(x, it, TW_COST_WATCH);
	verdict(it, "%s TIME_WAIT sockets from %s to port %u: %s of the peer's %s ports; a new "
		"SYN reusing one is accepted when newer (RFC 6191)",
		thou(a, it->value), peer, (unsigned)t->port, pct(s, it->share),
		thou(b, (double)x->p->peer_ports));
	headline(x, it, "connections from %s to port %u keep %s of that peer's ports in "
		 "TIME_WAIT here; newer SYNs are accepted anyway (RFC 6191)",
		 peer, (unsigned)t->port, pct(s, it->share));
}

/* New connections/s toward 't' over the last TW_SUSTAINED_S seconds,
 * from its TIME_WAIT ages (the caller checked that they are known). */
static double sustained_rate(const struct tw_tuple *t)
{
	uint64_t n = 0;

	for (int i = 0; i < TW_SUSTAINED_S / TW_AGE_BUCKET_S; i++)
		n += t->age[i];
	return (double)n / TW_SUSTAINED_S;
}

static void add_connect_rate(struct cost_ctx *x)
{
	const struct tw_facts *f = x->f;
	char a[32], b[32], c[32], s[16], ep[TW_ADDR_STRLEN + 8], how[64], burst[96];
	const struct tw_tuple *t;
	struct tw_cost_item *it;
	double delay_s = TCP_TIMEWAIT_S, frac, capacity;
	bool ports_known, reuse;
	uint64_t ports = client_ports(f, &ports_known);

	double age_rate = 0;
	bool ages;

	if (!f->tw.known || f->tw.ntop_client == 0 || f->tw.client == 0)
		return;
	ages = facts_tuple_rate(f, &f->tw.top_client[0], &age_rate);
	if (!f->counters.rates_known && !ages)
		return;
	if (!(it = item_add(x, TW_COST_CONNECT_RATE, "conn/s")))
		return;
	t = &f->tw.top_client[0];
	endpoint(ep, &t->remote, t->port);
	reuse = reuse_applies(f, t, &delay_s);
	capacity = (double)ports / delay_s;
	if (ages && !reuse) {
		/* Per destination, from the TIME_WAIT sockets of the last 10 s
		 * (reuse would take some over: then --interval is better). */
		frac = 1.0;
		it->value = age_rate;
		item_limit(it, capacity);
		it->measured = ports_known;
		if (f->counters.rates_known)
			item_extra(it, "active_opens_per_s", f->counters.active_opens_per_s);
	} else if (f->counters.rates_known) {
		frac = (double)t->count / (double)f->tw.client;
		if (frac > 1.0)
			frac = 1.0;
		it->value = f->counters.active_opens_per_s * frac;
		item_limit(it, capacity);
		/* Exact only when every client TIME_WAIT socket goes there. */
		it->measured = frac >= 1.0 && ports_known;
		item_extra(it, "active_opens_per_s", f->counters.active_opens_per_s);
	} else {
		/* Reuse on and no --interval: the ages understate the rate. */
		frac = 1.0;
		it->value = age_rate;
		item_limit(it, capacity);
		it->measured = false;
	}
	item_level(x, it, TW_COST_ACT);
	/* Ten seconds of TIME_WAIT ages can be one burst: "act" needs the
	 * rate to have held for TW_SUSTAINED_S too, or it is "watch". */
	burst[0] = '\0';
	if (ages && !reuse && it->level == TW_COST_ACT && capacity > 0) {
		double held_rate = sustained_rate(t);

		if (held_rate / capacity < x->p->act_share) {
			it->level = TW_COST_WATCH;
			snprintf(burst, sizeof(burst), "; %s/s over the last %d s: a burst so far",
				 thou(c, held_rate), TW_SUSTAINED_S);
		}
	}
	if (reuse)
		snprintf(how, sizeof(how), "with tcp_tw_reuse after %g s", delay_s);
	else
		snprintf(how, sizeof(how), "without tcp_tw_reuse");
	if (f->counters.rates_known)
		verdict(it, "about %s new connections/s to %s (%s/s host-wide%s); it sustains %s/s %s",
			thou(a, it->value), ep, thou(b, f->counters.active_opens_per_s),
			frac >= 1.0 ? "" : ", apportioned by TIME_WAIT counts", thou(c, capacity), how);
	else
		verdict(it, "about %s new connections/s to %s (from the TIME_WAIT ages of the last "
			"%d s%s%s); it sustains %s/s %s", thou(a, it->value), ep, TW_AGE_BUCKET_S,
			it->measured ? "" : ", a lower bound while reuse takes ports over",
			burst, thou(c, capacity), how);
	if (it->level == TW_COST_ACT && it->share >= 1.0)
		headline(x, it, "about %s new connections/s go to %s, %s of the %s/s its ports "
			 "sustain %s; new connections will fail with EADDRNOTAVAIL",
			 thou(a, it->value), ep, pct(s, it->share), thou(c, capacity), how);
	else if (it->level == TW_COST_ACT)
		headline(x, it, "about %s new connections/s go to %s, %s of the %s/s its ports "
			 "sustain %s; at this rate %s of its ports stay held, little room for a peak",
			 thou(a, it->value), ep, pct(s, it->share), thou(c, capacity), how,
			 pct(b, it->share));
	else
		headline(x, it, "about %s new connections/s go to %s, %s of the %s/s its ports "
			 "sustain %s%s", thou(a, it->value), ep, pct(s, it->share),
			 thou(c, capacity), how, burst);
}

static void add_max_tw_buckets(struct cost_ctx *x)
{
	const struct tw_facts *f = x->f;
	char a[32], b[32], c[32], s[16], dflt[128] = "";
	struct tw_cost_item *it;
	int64_t max = 0, ovf = 0;
	bool max_known = sysctl_i64(f, "net.ipv4.tcp_max_tw_buckets", 0, INT64_MAX, &max);
	bool ovf_known = f->counters.tcpext.known &&
			 counter_list_get(&f->counters.tcpext, "TCPTimeWaitOverflow", &ovf) == 0;

	if (!x->tw_known && !(ovf_known && ovf > 0))
		return;
	if (!(it = item_add(x, TW_COST_MAX_TW_BUCKETS, "sockets")))
		return;
	it->value = x->tw_known ? (double)x->tw : 0;
	it->measured = x->tw_known;
	if (max_known) {
		item_limit(it, (double)max);
		if (x->ehash_known && (uint64_t)max == x->ehash / 2)
			snprintf(dflt, sizeof(dflt), " (the default: half the %s-bucket established hash)",
				 thou(a, (double)x->ehash));
		else if (x->ehash_known)
			snprintf(dflt, sizeof(dflt), " (set; the default here is %s)",
				 thou(a, (double)(x->ehash / 2)));
	} else if (x->ehash_known) {
		item_limit(it, (double)(x->ehash / 2));
		snprintf(dflt, sizeof(dflt), " (unreadable; its default, half the established hash)");
	}
	if (ovf_known)
		item_extra(it, "overflows", (double)ovf);
	/* Its own threshold: past the ceiling sockets lose TIME_WAIT's
	 * protection, nothing fails, so it is never more than "watch". */
	item_level_own(it, x->p->tw_buckets_share, NEVER);

	if (ovf_known && ovf > 0) {
		it->level = TW_COST_WATCH;
		verdict(it, "the ceiling was hit: %s sockets closed without TIME_WAIT "
			"(TCPTimeWaitOverflow); tcp_max_tw_buckets = %s%s",
			thou(a, (double)ovf), it->limit_known ? thou(b, it->limit) : "unknown", dflt);
		headline(x, it, "tcp_max_tw_buckets (%s) was hit: %s connections closed without "
			 "TIME_WAIT (TCPTimeWaitOverflow)",
			 it->limit_known ? thou(b, it->limit) : "unknown", thou(a, (double)ovf));
		return;
	}
	if (it->limit_known && it->limit == 0) {
		it->level = TW_COST_WATCH;
		verdict(it, "tcp_max_tw_buckets is 0: every closing socket skips TIME_WAIT");
		headline(x, it, "tcp_max_tw_buckets is 0, so closing sockets skip TIME_WAIT and "
			 "its protection");
		return;
	}
	if (!it->limit_known) {
		verdict(it, "%s TIME_WAIT sockets; tcp_max_tw_buckets unknown", thou(a, it->value));
		return;
	}
	verdict(it, "%s TIME_WAIT sockets, %s of tcp_max_tw_buckets = %s%s; %s",
		thou(a, it->value), pct(s, it->share), thou(b, it->limit), dflt,
		!ovf_known ? "TCPTimeWaitOverflow unknown" : "never overflowed");
	headline(x, it, "%s TIME_WAIT sockets fill %s of tcp_max_tw_buckets (%s); past it, "
		 "closing sockets skip TIME_WAIT", thou(a, it->value), pct(s, it->share),
		 thou(c, it->limit));
}

static void add_conntrack(struct cost_ctx *x)
{
	const struct tw_facts *f = x->f;
	char a[32], b[32], c[32], s[16], tw[160] = "";
	struct tw_cost_item *it;
	int64_t count = 0, max = 0, timeout = DEFAULT_CT_TIME_WAIT_S;
	bool count_known = sysctl_i64(f, "net.netfilter.nf_conntrack_count", 0, INT64_MAX, &count);
	bool max_known = sysctl_i64(f, "net.netfilter.nf_conntrack_max", 0, INT64_MAX, &max);
	bool present = sysctls_has(&f->sysctls, "net.netfilter.nf_conntrack_count") ||
		       sysctls_has(&f->sysctls, "net.netfilter.nf_conntrack_max");

	if (!present && !f->conntrack.table_known) {
		if (!f->sysctls.known)
			return;
		if (!(it = item_add(x, TW_COST_CONNTRACK, "entries")))
			return;
		it->value = 0;
		verdict(it, "connection tracking is not loaded: no conntrack table to fill");
		return;
	}
	if (!count_known && !f->conntrack.table_known)
		return;
	if (!(it = item_add(x, TW_COST_CONNTRACK, "entries")))
		return;
	it->value = count_known ? (double)count : (double)f->conntrack.entries;
	if (max_known)
		item_limit(it, (double)max);
	if (!sysctl_i64(f, "net.netfilter.nf_conntrack_tcp_timeout_time_wait", 0, INT64_MAX,
			&timeout))
		timeout = DEFAULT_CT_TIME_WAIT_S;
	if (f->conntrack.table_known) {
		item_extra(it, "time_wait_entries", (double)f->conntrack.tcp_time_wait);
		snprintf(tw, sizeof(tw), "; %s are TCP TIME_WAIT, kept %s s "
			 "(nf_conntrack_tcp_timeout_time_wait) apart from TCP's own 60 s",
			 thou(c, (double)f->conntrack.tcp_time_wait), thou(b, (double)timeout));
	}
	/* The profile's conntrack_share is when to watch (the rule
	 * conntrack-near-full warns there); a table this full drops soon. */
	item_level_own(it, x->p->conntrack_share,
		       x->p->conntrack_share > CONNTRACK_ACT_SHARE ? x->p->conntrack_share
								   : CONNTRACK_ACT_SHARE);
	if (it->share_known)
		verdict(it, "%s of %s conntrack entries in use (%s)%s", thou(a, it->value),
			thou(b, it->limit), pct(s, it->share), tw);
	else
		verdict(it, "%s conntrack entries in use, nf_conntrack_max unknown%s",
			thou(a, it->value), tw);
	headline(x, it, "the conntrack table is %s full (%s of %s entries); when full, packets "
		 "of new connections are dropped: raise nf_conntrack_max, TCP sysctls don't help",
		 pct(s, it->share), thou(a, it->value), thou(b, it->limit));
}

static void add_memory(struct cost_ctx *x)
{
	const struct tw_facts *f = x->f;
	const struct tw_memory *m = &f->memory;
	const struct tw_slab *rows[3] = { &m->tw_sock_tcp, &m->tw_sock_tcpv6, &m->tcp_bind_bucket };
	char a[32], b[32], c[32], s[16], ram[64] = "";
	struct tw_cost_item *it;

	if (!(it = item_add(x, TW_COST_MEMORY, "bytes")))
		return;
	if (m->slabinfo_known && (m->tw_sock_tcp.known || m->tw_sock_tcpv6.known)) {
		double bytes = 0, slab = 0, objs = 0;
		double page = m->page_size.known && m->page_size.v ? (double)m->page_size.v
								 : DEFAULT_PAGE_SIZE;

		for (size_t i = 0; i < 3; i++) {
			if (!rows[i]->known)
				continue;
			bytes += (double)rows[i]->active_objs * (double)rows[i]->objsize;
			slab += (double)rows[i]->num_slabs * (double)rows[i]->pagesperslab * page;
			if (i < 2)
				objs += (double)rows[i]->active_objs;
		}
		it->value = bytes;
		item_extra(it, "slab_bytes", slab);
		if (m->mem_total_kb.known)
			item_limit(it, (double)m->mem_total_kb.v * 1024.0);
		if (it->share_known)
			snprintf(ram, sizeof(ram), ", %s of RAM", pct(s, it->share));
		verdict(it, "%s in %s tw_sock objects%s (%s of slab pages)%s; host-wide, "
			"from %s", human_bytes(a, bytes), thou(b, objs),
			m->tcp_bind_bucket.known ? " and bind buckets" : "",
			human_bytes(c, slab), ram, m->slab_source ? m->slab_source : "/proc/slabinfo");
	} else if (x->tw_known) {
		it->value = (double)x->tw * TW_COST_TW_SOCK_BYTES;
		it->measured = false;
		if (m->mem_total_kb.known)
			item_limit(it, (double)m->mem_total_kb.v * 1024.0);
		if (it->share_known)
			snprintf(ram, sizeof(ram), ", %s of RAM", pct(s, it->share));
		verdict(it, "about %s (estimated: %s sockets x ~%d B; /proc/slabinfo %s)%s",
			human_bytes(a, it->value), thou(b, (double)x->tw), TW_COST_TW_SOCK_BYTES,
			m->slabinfo_known ? "has no tw_sock rows" : "was not readable", ram);
	} else {
		x->c->n--;  /* nothing to measure or estimate from */
		return;
	}
	item_level(x, it, TW_COST_ACT);
	headline(x, it, "TIME_WAIT sockets use %s of kernel memory, %s of RAM",
		 human_bytes(a, it->value), pct(s, it->share));
}

static void add_ehash(struct cost_ctx *x)
{
	const struct tw_counters *k = &x->f->counters;
	char a[32], b[32], c[32], s[16], shared[96] = "";
	struct tw_cost_item *it;
	double v = 0;

	if (!x->ehash_known || (!x->tw_known && !k->tcp_inuse.known))
		return;
	if (!(it = item_add(x, TW_COST_EHASH, "sockets")))
		return;
	if (x->tw_known)
		v += (double)x->tw;
	if (k->tcp_inuse.known)
		v += (double)k->tcp_inuse.v;
	if (k->tcp6_inuse.known)
		v += (double)k->tcp6_inuse.v;
	it->value = v;
	it->measured = x->tw_known && k->tcp_inuse.known && k->tcp6_inuse.known;
	item_limit(it, (double)x->ehash);
	item_extra(it, "default_max_tw_buckets", (double)(x->ehash / 2));
	item_level(x, it, TW_COST_WATCH);
	if (x->ehash_shared)
		snprintf(shared, sizeof(shared), " shared with the initial namespace (this "
			 "namespace's sockets only)");
	verdict(it, "%s%s sockets (%s TIME_WAIT) in the %s-bucket established hash%s%s: "
		"%s load; lookups stay hashed",
		it->measured ? "" : "at least ", thou(a, v),
		x->tw_known ? thou(b, (double)x->tw) : "unknown", thou(c, (double)x->ehash),
		shared, x->ehash_source, pct(s, it->share));
	headline(x, it, "%s sockets load the %s-bucket established hash to %s; lookups walk "
		 "longer chains but nothing fails", thou(a, v), thou(c, (double)x->ehash),
		 pct(s, it->share));
}

/* The bind hash: one bucket per local port in use (listeners and every
 * socket's port, TIME_WAIT included), sized at boot like the established
 * hash. Like it, a fuller table means longer chains, never a failure. */
static void add_bhash(struct cost_ctx *x)
{
	const struct tw_facts *f = x->f;
	const struct tw_memory *m = &f->memory;
	char a[32], c[32], s[16];
	struct tw_cost_item *it;
	double v;

	if (!m->bhash_entries.known || m->bhash_entries.v == 0)
		return;
	if (m->tcp_bind_bucket.known) {
		v = (double)m->tcp_bind_bucket.active_objs;
	} else {
		if (!f->tw.known)
			return;
		/* Listening ports plus the client ports seen in TIME_WAIT: a lower bound. */
		v = (double)port_set_count(&f->listening);
		for (size_t i = 0; i < f->tw.ntop_local; i++)
			v += (double)f->tw.top_local[i].distinct_ports;
	}
	if (!(it = item_add(x, TW_COST_BHASH, "buckets")))
		return;
	it->value = v;
	it->measured = m->tcp_bind_bucket.known;
	item_limit(it, (double)m->bhash_entries.v);
	item_level(x, it, TW_COST_WATCH);
	verdict(it, "%s%s bound ports in the %s-bucket bind hash (%s%s%s, %s): %s load; "
		"lookups stay hashed",
		it->measured ? "" : "at least ", thou(a, v), thou(c, (double)m->bhash_entries.v),
		it->measured ? "tcp_bind_bucket objects from " : "estimated from listening and TIME_WAIT ports",
		it->measured ? (m->slab_source ? m->slab_source : "/proc/slabinfo") : "",
		it->measured ? ", host-wide" : "",
		"size from the boot log", pct(s, it->share));
	headline(x, it, "%s bound ports load the %s-bucket bind hash to %s; port lookups walk "
		 "longer chains but nothing fails", thou(a, v), thou(c, (double)m->bhash_entries.v),
		 pct(s, it->share));
}

static void add_file_descriptors(struct cost_ctx *x)
{
	const struct tw_facts *f = x->f;
	char a[32], b[32];
	struct tw_cost_item *it;
	int64_t file_max;
	bool count_known = f->tw.known || x->tw_known;
	double count = f->tw.known ? (double)f->tw.total : (double)x->tw;

	if (!(it = item_add(x, TW_COST_FILE_DESCRIPTORS, "fds")))
		return;
	if (count_known)
		item_extra(it, "time_wait_sockets", count);
	if (f->tw.known && f->tw.inode_known) {
		it->value = (double)f->tw.with_inode;
		if (f->tw.with_inode == 0)
			verdict(it, "%s TIME_WAIT sockets hold 0 file descriptors: an fd shortage "
				"lies elsewhere", thou(a, count));
		else
			verdict(it, "%s of %s TIME_WAIT sockets report an inode (unexpected: "
				"TIME_WAIT sockets have no owner); an fd shortage lies elsewhere",
				thou(b, it->value), thou(a, count));
	} else {
		it->value = 0;
		it->measured = false;
		verdict(it, "%s%sTIME_WAIT sockets hold no file descriptor (no inode, no owning "
			"process; %s does not show inodes): an fd shortage lies elsewhere",
			count_known ? thou(a, count) : "", count_known ? " " : "",
			f->socket_source ? f->socket_source : "the socket source");
	}
	if (sysctl_i64(f, "fs.file-max", 1, INT64_MAX, &file_max))
		item_limit(it, (double)file_max);
	/* Never worse than harmless: no descriptor is held. */
}

/* ---- the whole ---- */

static void derive(struct cost_ctx *x)
{
	const struct tw_facts *f = x->f;
	int64_t e;

	if (f->counters.tcp_tw.known) {
		x->tw_known = true;
		x->tw = f->counters.tcp_tw.v;
	} else if (f->tw.known) {
		x->tw_known = true;
		x->tw = f->tw.total;
	}
	if (sysctl_i64(f, "net.ipv4.tcp_ehash_entries", -INT64_MAX, INT64_MAX, &e) && e != 0) {
		x->ehash_known = true;
		x->ehash_shared = e < 0;
		x->ehash = (uint64_t)(e < 0 ? -e : e);
		x->ehash_source = "";
	} else if (f->memory.ehash_entries.known && f->memory.ehash_entries.v > 0) {
		x->ehash_known = true;
		x->ehash = f->memory.ehash_entries.v;
		x->ehash_source = " (size from the boot log)";
	}
}

static size_t worst_item(const struct tw_cost *c)
{
	size_t w = 0;

	for (size_t i = 1; i < c->n; i++) {
		const struct tw_cost_item *a = &c->items[i], *b = &c->items[w];
		double sa = a->share_known ? a->share : 0, sb = b->share_known ? b->share : 0;

		if (a->level > b->level || (a->level == b->level && sa > sb))
			w = i;
	}
	return w;
}

static void summarize(struct cost_ctx *x)
{
	struct tw_cost *c = x->c;
	const struct tw_cost_item *mem = cost_find(c, TW_COST_MEMORY);
	const struct tw_cost_item *tup = cost_find(c, TW_COST_TUPLES);
	char a[32], b[32], s[16], clause_mem[96] = "", clause_ports[96] = "";

	if (c->verdict != TW_COST_HARMLESS) {
		size_t w = worst_item(c);
		const char *text = x->head[w][0] ? x->head[w] : c->items[w].verdict;

		snprintf(c->summary, sizeof(c->summary), "%s: %s.",
			 c->verdict == TW_COST_ACT ? "Act" : "Watch", text);
		return;
	}
	if (!x->tw_known) {
		snprintf(c->summary, sizeof(c->summary), "TIME_WAIT looks harmless here: the "
			 "TIME_WAIT count is unknown, and nothing measured is near a limit.");
		return;
	}
	if (x->tw == 0 && (!x->f->tw.known || x->f->tw.total == 0)) {
		snprintf(c->summary, sizeof(c->summary),
			 "TIME_WAIT is harmless here: there are no TIME_WAIT sockets.");
		return;
	}
	if (mem)
		snprintf(clause_mem, sizeof(clause_mem), " use %s%s", human_bytes(a, mem->value),
			 mem->measured ? "" : " (estimated)");
	if (tup && tup->share_known && tup->value > 0)
		snprintf(clause_ports, sizeof(clause_ports), "%s at most %s of any destination's "
			 "ports", mem ? " and" : " use", pct(s, tup->share));
	else if (tup && x->f->tw.known && x->f->tw.ntop_client == 0)
		snprintf(clause_ports, sizeof(clause_ports), "%s no outgoing ports",
			 mem ? " and hold" : " hold");
	if (!clause_mem[0] && !clause_ports[0])
		snprintf(clause_mem, sizeof(clause_mem), ", none near a limit");
	snprintf(c->summary, sizeof(c->summary), "TIME_WAIT is harmless here: %s socket%s%s%s.",
		 thou(b, (double)x->tw), x->tw == 1 ? "" : "s", clause_mem, clause_ports);
}

static bool params_ok(const struct tw_cost_params *p)
{
	return isfinite(p->watch_share) && isfinite(p->act_share) && p->watch_share > 0 &&
	       p->act_share >= p->watch_share && p->peer_ports > 0 && p->tw_buckets_share > 0 &&
	       p->conntrack_share > 0;
}

int cost_compute(const struct tw_facts *f, const struct tw_cost_params *p,
		 struct tw_cost *ret)
{
	struct tw_cost_params defaults;
	struct cost_ctx ctx, *x = &ctx;

	if (!f || !ret)
		return -EINVAL;
	if (!p) {
		cost_params_default(&defaults);
		p = &defaults;
	}
	if (!params_ok(p))
		return -EINVAL;
	memset(x, 0, sizeof(*x));
	x->f = f;
	x->p = p;
	x->c = &x->out;
	derive(x);

	add_tuples(x);
	add_tuples_server(x);
	add_connect_rate(x);
	add_max_tw_buckets(x);
	add_conntrack(x);
	add_memory(x);
	add_ehash(x);
	add_bhash(x);
	add_file_descriptors(x);

	x->c->verdict = TW_COST_HARMLESS;
	for (size_t i = 0; i < x->c->n; i++)
		if (x->c->items[i].level > x->c->verdict)
			x->c->verdict = x->c->items[i].level;
	summarize(x);
	memcpy(ret, x->c, sizeof(*ret));
	return 0;
}
