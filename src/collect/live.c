/* SPDX-License-Identifier: MIT */
/* live.c: collect_live(), the fact table of the running kernel (see live.h).
 *
 * The files come from the table of sources (sources.c) under the root
 * folder; the socket walk is this file's. With --netns, the command layer
 * has entered the namespace before this runs (netlink sockets and
 * /proc/sys lookups follow the namespace current at open time, see
 * netns.c). The kernel sends the listeners of a dump before its other
 * sockets, so the aggregator can tell each socket's side as it goes,
 * without storing sockets. Optional sources that cannot be read
 * stay unknown, with a note saying why. */
#include "collect/live.h"
#include "collect/owners.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "collect/parsers.h"
#include "collect/procsys.h"
#include "collect/sockdiag_pair.h"
#include "collect/sources.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#define PROC_LINE_MAX 4096
#define INTERVAL_MAX_S 3600.0

/* ---- /proc/net/tcp fallback ------------------------------------------ */

/* Streams one /proc/net/tcp{,6} file line by line (it can be tens of
 * megabytes: never read whole). -ENOENT when absent (IPv6 disabled). */
static int proc_tcp_walk(const char *path, int family, uint32_t states, sockdiag_cb cb,
			 void *data, struct tw_error *err)
{
	char *buf = tw_xmalloc(65536 + 1);
	size_t have = 0;
	unsigned lineno = 0;
	int fd, r = 0;
	bool eof = false;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		free(buf);
		return tw_error_set(err, r, "%s: %s", path, strerror(-r));
	}
	while (!eof || have > 0) {
		char *nl;

		if (!eof) {
			ssize_t n = read(fd, buf + have, 65536 - have);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				r = tw_error_set(err, -errno, "%s: %s", path, strerror(errno));
				break;
			}
			if (n == 0)
				eof = true;
			have += (size_t)n;
		}
		char *p = buf;
		while ((nl = memchr(p, '\n', have - (size_t)(p - buf))) != NULL ||
		       (eof && p < buf + have)) {
			size_t len = nl ? (size_t)(nl - p) : have - (size_t)(p - buf);
			struct tw_sock s;

			lineno++;
			r = parse_proc_net_tcp_line(p, len, family, path, lineno, &s, err);
			if (r < 0)
				goto out;
			if (r == 1 && s.state < 32 && (states & (1u << s.state))) {
				r = cb(&s, data);
				if (r < 0)
					goto out;
			}
			r = 0;
			p += len + (nl ? 1 : 0);
		}
		have -= (size_t)(p - buf);
		memmove(buf, p, have);
		if (!eof && have >= PROC_LINE_MAX) {
			r = tw_error_set(err, -EINVAL, "%s:%u: line too long", path, lineno + 1);
			break;
		}
		if (eof)
			break;
	}
out:
	close(fd);
	free(buf);
	return r;
}

/* ---- socket walk ------------------------------------------------------ */

/* One dump of both families (a receiver thread and a parser when there
 * are two CPUs); on a kernel that refuses it, one dump per family, both
 * at once on two sockets when there are two CPUs (sockdiag_pair.h). */
static int walk_netlink(uint32_t states, sockdiag_cb cb, void (*reset)(void *),
			void *data, struct live_walk_result *ret, struct tw_error *err)
{
	struct sockdiag sd, sd2;
	bool threads, two;
	enum sockdiag_walk mode = sockdiag_walk_mode(&threads);
	int r;

	r = sockdiag_open(&sd, 0, err);
	if (r < 0)
		return r;
	two = threads && sockdiag_open(&sd2, 0, err) == 0;
	for (int attempt = 1;; attempt++) {
		if (attempt > 1 && reset)
			reset(data);
		if (mode == SOCKDIAG_WALK_SINGLE) {
			r = sockdiag_dump_single(&sd, two ? &sd2 : NULL, states, cb, data, err);
			if (r < 0 && r != -ENOMEM) {
				/* Not this kernel's: per family from now on. */
				mode = SOCKDIAG_WALK_PER_FAMILY;
				if (reset)
					reset(data);
				r = sockdiag_dump_pair(&sd, two ? &sd2 : NULL, states, cb, data, err);
			}
		} else {
			r = sockdiag_dump_pair(&sd, two ? &sd2 : NULL, states, cb, data, err);
		}
		if (r < 0)
			goto out;
		if (r != SOCKDIAG_INTR)
			break;
		if (attempt == LIVE_DUMP_ATTEMPTS) {
			ret->interrupted = true;
			break;
		}
	}
	r = 0;
out:
	if (two)
		sockdiag_close(&sd2);
	sockdiag_close(&sd);
	return r;
}

int live_walk_sockets(uint32_t states, bool force_proc, sockdiag_cb cb,
		      void (*reset)(void *data), void *data,
		      struct live_walk_result *ret, struct tw_error *err)
{
	int r;

	memset(ret, 0, sizeof(*ret));
	if (force_proc) {
		snprintf(ret->why, sizeof(ret->why), "fallback forced");
	} else {
		struct tw_error nlerr;

		r = walk_netlink(states, cb, reset, data, ret, &nlerr);
		if (r >= 0)
			return 0;
		/* Only a callback's own failure is final; netlink trouble
		 * (no sock_diag, no tcp_diag, seccomp...) falls back. */
		if (r == -ENOMEM)
			return tw_error_set(err, r, "%s", nlerr.msg);
		snprintf(ret->why, sizeof(ret->why), "%s", nlerr.msg);
		if (reset)
			reset(data);
	}
	ret->used_proc = true;
	r = proc_tcp_walk("/proc/net/tcp", AF_INET, states, cb, data, err);
	if (r < 0)
		return r;
	r = proc_tcp_walk("/proc/net/tcp6", AF_INET6, states, cb, data, err);
	if (r == -ENOENT)
		r = 0;   /* IPv6 disabled */
	return r;
}

/* ---- sockets into the fact table --------------------------------------- */

/* One dump of TW_COLLECT_STATES for both families (or one per family,
 * see walk_netlink()): the kernel sends a dump's listeners before its
 * other sockets, so a socket's side is usually decided with its listener
 * known. A listener that shows up after a socket using its port as local
 * port (per family: an IPv6-only listener after IPv4 sockets) makes the
 * pass stale: it is made again with the complete listener set.
 * Measured (README, bench/): one dump of all the states costs the same as
 * a LISTEN dump followed by the other states. */
struct sock_ctx {
	struct tw_facts *f;
	struct tw_aggregator *agg;
	uint16_t lo, hi;
	bool stale;            /* a listener came after a socket on its port */
	bool keep_listening;   /* reset for a stale pass: the set is complete */
};

static int on_sock(const struct tw_sock *s, void *data)
{
	struct sock_ctx *c = data;

	if (s->state != TW_TCP_LISTEN) {
		aggregator_add(c->agg, s);
		return 0;
	}
	c->f->listeners++;
	if (!port_set_has(&c->f->listening, s->lport)) {
		port_set_add(&c->f->listening, s->lport);
		if (aggregator_lport_seen(c->agg, s->lport))
			c->stale = true;
	}
	return 0;
}

static void sock_reset(void *data)
{
	struct sock_ctx *c = data;
	struct tw_tw_stats discard;

	aggregator_finish(c->agg, &discard);
	if (!c->keep_listening)
		port_set_clear(&c->f->listening);
	c->f->listeners = 0;
	c->stale = false;
	c->agg = aggregator_new(&c->f->listening, c->lo, c->hi);
}

/* sockstat counts this namespace's hashed TCP sockets (listeners and
 * connections, IPv4 and IPv6) and its TIME_WAIT sockets: all zero, a
 * dump would list nothing, yet the kernel would walk the host-wide
 * established hash for it (every namespace's sockets). */
static bool no_tcp_socket(const struct tw_counters *c)
{
	return c->tcp_inuse.known && c->tcp_inuse.v == 0 && c->tcp_tw.known &&
	       c->tcp_tw.v == 0 && c->tcp6_inuse.known && c->tcp6_inuse.v == 0;
}

static int collect_sockets(const struct tw_live_opts *o, struct tw_facts *f,
			   struct tw_error *err)
{
	struct sock_ctx c = { .f = f };
	struct live_walk_result res;
	char note[256];
	bool interrupted = false, force_proc = o->force_proc_fallback;
	int r;

	port_set_clear(&f->listening);
	f->listeners = 0;
	if (!facts_port_range(f, &c.lo, &c.hi)) {
		c.lo = TW_DEFAULT_PORT_LOW;
		c.hi = TW_DEFAULT_PORT_HIGH;
	}
	c.agg = aggregator_new(&f->listening, c.lo, c.hi);
	if (!force_proc && no_tcp_socket(&f->counters)) {
		aggregator_finish(c.agg, &f->tw);
		f->tw.known = true;
		f->tw.inode_known = true;
		f->socket_source = "/proc/net/sockstat (no TCP socket)";
		return 0;
	}
	/* At most two more passes: listeners that keep appearing late
	 * (a service restarting during the dump) cannot loop us. */
	for (int pass = 0; pass < 3; pass++) {
		if (pass > 0) {
			c.keep_listening = true;
			sock_reset(&c);
			c.keep_listening = false;
		}
		r = live_walk_sockets(TW_COLLECT_STATES, force_proc, on_sock, sock_reset, &c, &res,
				      err);
		if (r < 0) {
			struct tw_tw_stats discard;

			aggregator_finish(c.agg, &discard);
			return r;
		}
		interrupted |= res.interrupted;
		/* The same source for a second pass: no fallback half way. */
		force_proc |= res.used_proc;
		if (!c.stale)
			break;
	}
	aggregator_finish(c.agg, &f->tw);
	f->tw.known = true;
	f->tw.inode_known = true;
	if (res.used_proc) {
		f->socket_source = "/proc/net/tcp";
		if (!o->force_proc_fallback)
			facts_note(f, "netlink unavailable (%s): read /proc/net/tcp instead", res.why);
		else
			facts_note(f, "sockets read from /proc/net/tcp (fallback forced)");
	} else {
		f->socket_source = "netlink sock_diag";
	}
	if (interrupted)
		facts_note(f, "the socket table changed during %d dump attempts: counts are approximate",
			   LIVE_DUMP_ATTEMPTS);
	if (c.stale)
		facts_note(f, "listening sockets kept appearing during the dump: "
			      "some sockets' sides may be wrong");
	if (tw_stats_capped_note(&f->tw, note, sizeof(note)))
		facts_note(f, "%s", note);
	return 0;
}

int live_collect_sockets(const struct tw_live_opts *o, struct tw_facts *f, struct tw_error *err)
{
	return collect_sockets(o, f, err);
}

int live_read_kmsg(char **ret, size_t *ret_len, struct tw_error *err)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *raw, *out;
	size_t o = 0;
	int n;

	if (size < 0)
		return tw_error_set(err, -errno, "kernel log: %s", strerror(errno));
	if (size == 0)
		size = 1 << 20;
	raw = tw_xmalloc((size_t)size + 1);
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, raw, size);
	if (n < 0) {
		int r = -errno;

		free(raw);
		return tw_error_set(err, r, "kernel log: %s", strerror(-r));
	}
	/* Drop the "<6>" priority prefixes: the result reads like dmesg. */
	out = tw_xmalloc((size_t)n + 1);
	for (int i = 0; i < n;) {
		int j = i;

		if (raw[j] == '<') {
			int k = j + 1;

			while (k < n && raw[k] >= '0' && raw[k] <= '9')
				k++;
			if (k < n && k > j + 1 && raw[k] == '>')
				j = k + 1;
		}
		while (j < n && raw[j] != '\n')
			out[o++] = raw[j++];
		if (j < n)
			out[o++] = raw[j++];
		i = j;
	}
	out[o] = '\0';
	free(raw);
	*ret = out;
	*ret_len = o;
	return 0;
}

/* ---- environment ------------------------------------------------------- */

static void detect_container(const struct tw_live_opts *o, struct tw_facts *f)
{
	struct stat a, b;
	const char *env = getenv("container");

	if (o->netns || access("/.dockerenv", F_OK) == 0 ||
	    access("/run/.containerenv", F_OK) == 0 || (env && *env)) {
		f->in_container.known = true;
		f->in_container.v = 1;
		return;
	}
	/* PID 1's namespace is the initial one unless we are in a container;
	 * reading its link needs the right to ptrace it (root). */
	if (stat("/proc/1/ns/net", &a) == 0 && stat("/proc/self/ns/net", &b) == 0) {
		f->in_container.known = true;
		f->in_container.v = (a.st_ino != b.st_ino || a.st_dev != b.st_dev);
	}
}

void live_detect_container(const struct tw_live_opts *o, struct tw_opt *ret)
{
	struct tw_facts f = { 0 };

	detect_container(o, &f);
	*ret = f.in_container;
}

/* ---- rates over --interval --------------------------------------------- */

struct rate_sample {
	bool ok;
	int64_t active, passive, tw, recycled, overflow;
	struct timespec at;
};

/* Reads one counter file of the table into 'out' (unknown when unreadable). */
static void sample_pairs(const struct source_ctx *ctx, const char *rel,
			 struct tw_counter_list *out)
{
	const struct source_row *src = source_find(rel);
	struct tw_facts scratch;
	struct tw_error e;
	char *buf;
	size_t len;

	facts_init(&scratch);
	if (src && source_live_bytes(ctx, src, &buf, &len, &e) == 1) {
		if (src->parse(buf, len, rel, out, &scratch, &e) < 0)
			counter_list_free(out);
		free(buf);
	}
	facts_free(&scratch);
}

static void take_sample(const struct source_ctx *ctx, struct rate_sample *s)
{
	struct tw_counter_list tcp = { 0 }, ext = { 0 };
	int ok = 0;

	sample_pairs(ctx, "proc/net/snmp", &tcp);
	sample_pairs(ctx, "proc/net/netstat", &ext);
	clock_gettime(CLOCK_MONOTONIC, &s->at);
	ok += counter_list_get(&tcp, "ActiveOpens", &s->active) == 0;
	ok += counter_list_get(&tcp, "PassiveOpens", &s->passive) == 0;
	ok += counter_list_get(&ext, "TW", &s->tw) == 0;
	s->ok = ok == 3;
	/* Older kernels lack these two: a missing one reads as 0 both times. */
	s->recycled = s->overflow = 0;
	(void)counter_list_get(&ext, "TWRecycled", &s->recycled);
	(void)counter_list_get(&ext, "TCPTimeWaitOverflow", &s->overflow);
	counter_list_free(&tcp);
	counter_list_free(&ext);
}

static void sleep_interval(double secs)
{
	struct timespec ts;

	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int measure_rates(const struct tw_live_opts *o, const struct source_ctx *ctx,
			 struct tw_facts *f, struct tw_error *err)
{
	struct rate_sample a, b;
	double dt;

	if (!(o->interval_s > 0 && o->interval_s <= INTERVAL_MAX_S))
		return tw_error_set(err, -EINVAL, "interval must be > 0 and at most %.0f seconds",
				    INTERVAL_MAX_S);
	take_sample(ctx, &a);
	sleep_interval(o->interval_s);
	take_sample(ctx, &b);
	if (!a.ok || !b.ok) {
		facts_note(f, "connection rates unknown: /proc/net/snmp or /proc/net/netstat unreadable");
		return 0;
	}
	dt = (double)(b.at.tv_sec - a.at.tv_sec) + (double)(b.at.tv_nsec - a.at.tv_nsec) / 1e9;
	if (dt <= 0)
		return 0;
	f->counters.interval_s = dt;
	f->counters.rates_known = true;
	f->counters.active_opens_per_s = (double)(b.active - a.active) / dt;
	f->counters.passive_opens_per_s = (double)(b.passive - a.passive) / dt;
	f->counters.tw_per_s = (double)(b.tw - a.tw) / dt;
	f->counters.tw_recycled_per_s = (double)(b.recycled - a.recycled) / dt;
	f->counters.tw_overflow_per_s = (double)(b.overflow - a.overflow) / dt;
	return 0;
}

/* ---- the collector ------------------------------------------------------ */

static int sockets_row(const struct source_ctx *ctx, struct tw_facts *f, void *data,
		       struct tw_error *err)
{
	const struct tw_live_opts *o = data;
	char proc[4096];
	int r = collect_sockets(o, f, err);

	if (r < 0)
		return r;
	snprintf(proc, sizeof(proc), "%s/proc", strcmp(ctx->root, "/") ? ctx->root : "");
	owners_collect(f, proc, o->force_proc_fallback);
	return 0;
}

int collect_live(const struct tw_live_opts *o, struct tw_facts *f, struct tw_error *err)
{
	struct source_ctx ctx = {
		.mode = SOURCE_MODE_LIVE,
		.root = o->root && *o->root ? o->root : "/",
		.sockets = o->skip_sockets ? NULL : sockets_row,
		.sockets_data = (void *)o,
		.sysctl_keys = o->sysctl_keys,
	};
	long ps = sysconf(_SC_PAGESIZE);
	int r;

	f->source = TW_SOURCE_LIVE;
	if (o->netns && !f->netns)
		f->netns = tw_xstrdup(o->netns);
	ctx.rootfd = open(ctx.root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (ctx.rootfd < 0)
		return tw_error_set(err, -errno, "%s: %s", ctx.root, strerror(errno));
	if (faccessat(ctx.rootfd, "proc/net", R_OK, 0) < 0) {
		r = tw_error_set(err, -errno, "%s/proc is not readable (%s): is it mounted?",
				 strcmp(ctx.root, "/") ? ctx.root : "", strerror(errno));
		goto out;
	}
	if (o->interval_s != 0) {
		r = measure_rates(o, &ctx, f, err);
		if (r < 0)
			goto out;
	}
	if (ps > 0) {
		f->memory.page_size.known = true;
		f->memory.page_size.v = (uint64_t)ps;
	}
	r = sources_collect(&ctx, f, err);
	if (r == 0)
		detect_container(o, f);
out:
	close(ctx.rootfd);
	return r;
}
