/* SPDX-License-Identifier: MIT */
/* live.c: collect_live(), the fact table of the running kernel (see live.h).
 *
 * Order matters: the namespace is entered before anything is opened
 * (netlink sockets and /proc/sys lookups follow the namespace current at
 * open time, see netns.c); listening sockets are read before TIME_WAIT
 * sockets so that the aggregator can tell each TIME_WAIT socket's side as
 * it goes, without storing sockets. Optional sources that cannot be read
 * stay unknown, with a note saying why. */
#include "collect/live.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "collect/netns.h"
#include "collect/parsers.h"
#include "collect/procsys.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#define SMALL_FILE_MAX (4u * 1024u * 1024u)
#define CONNTRACK_MAX (128u * 1024u * 1024u)
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

static int walk_netlink(uint32_t states, sockdiag_cb cb, void (*reset)(void *),
			void *data, struct live_walk_result *ret, struct tw_error *err)
{
	static const int families[2] = { AF_INET, AF_INET6 };
	struct sockdiag sd;
	int r;

	r = sockdiag_open(&sd, 0, err);
	if (r < 0)
		return r;
	for (int attempt = 1;; attempt++) {
		bool intr = false;

		if (attempt > 1 && reset)
			reset(data);
		for (int i = 0; i < 2; i++) {
			r = sockdiag_dump(&sd, families[i], states, cb, data, NULL, NULL, err);
			if (r < 0)
				goto out;
			if (r == SOCKDIAG_INTR)
				intr = true;
		}
		if (!intr)
			break;
		if (attempt == LIVE_DUMP_ATTEMPTS) {
			ret->interrupted = true;
			break;
		}
	}
	r = 0;
out:
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

struct listen_ctx {
	struct tw_facts *f;
};

static int on_listen(const struct tw_sock *s, void *data)
{
	struct listen_ctx *c = data;

	if (s->state != TW_TCP_LISTEN)
		return 0;
	port_set_add(&c->f->listening, s->lport);
	c->f->listeners++;
	return 0;
}

static void listen_reset(void *data)
{
	struct listen_ctx *c = data;

	port_set_clear(&c->f->listening);
	c->f->listeners = 0;
}

struct tw_ctx {
	struct tw_aggregator *agg;
	struct tw_facts *f;
	uint16_t lo, hi;
};

static int on_tw(const struct tw_sock *s, void *data)
{
	struct tw_ctx *c = data;

	aggregator_add(c->agg, s);
	return 0;
}

static void tw_reset(void *data)
{
	struct tw_ctx *c = data;
	struct tw_tw_stats discard;

	aggregator_finish(c->agg, &discard);
	c->agg = aggregator_new(&c->f->listening, c->lo, c->hi);
}

static int collect_sockets(const struct tw_live_opts *o, struct tw_facts *f,
			   struct tw_error *err)
{
	struct listen_ctx lc = { f };
	struct tw_ctx tc = { .f = f };
	struct live_walk_result res;
	bool interrupted;
	int r;

	port_set_clear(&f->listening);
	f->listeners = 0;
	r = live_walk_sockets(SOCKDIAG_STATE(TW_TCP_LISTEN), o->force_proc_fallback, on_listen,
			      listen_reset, &lc, &res, err);
	if (r < 0)
		return r;
	interrupted = res.interrupted;
	if (!facts_port_range(f, &tc.lo, &tc.hi)) {
		tc.lo = 32768;
		tc.hi = 60999;
	}
	tc.agg = aggregator_new(&f->listening, tc.lo, tc.hi);
	/* The same source as for listeners: no fallback half way. */
	r = live_walk_sockets(SOCKDIAG_STATE(TW_TCP_TIME_WAIT),
			      o->force_proc_fallback || res.used_proc, on_tw, tw_reset, &tc,
			      &res, err);
	if (r < 0) {
		struct tw_tw_stats discard;

		aggregator_finish(tc.agg, &discard);
		return r;
	}
	aggregator_finish(tc.agg, &f->tw);
	f->tw.known = true;
	f->tw.inode_known = true;
	interrupted |= res.interrupted;
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
	return 0;
}

/* ---- counters, memory, conntrack --------------------------------------- */

typedef int (*text_parser)(const char *buf, size_t len, const char *name, void *out,
			   struct tw_error *err);

/* Reads an optional file: 1 when read into *ret_buf, 0 when absent or
 * unreadable (a note is added unless it is simply absent). */
static int read_optional(struct tw_facts *f, const char *path, size_t max, char **ret_buf,
			 size_t *ret_len)
{
	struct tw_error e;
	int r = tw_read_file(path, max, ret_buf, ret_len, &e);

	if (r == 0)
		return 1;
	if (r != -ENOENT)
		facts_note(f, "%s", e.msg);
	return 0;
}

static void read_pairs(struct tw_facts *f, const char *path, const char *prefix,
		       struct tw_counter_list *out)
{
	char *buf;
	size_t len;
	struct tw_error e;

	if (!read_optional(f, path, SMALL_FILE_MAX, &buf, &len))
		return;
	if (parse_proc_net_pairs(buf, len, path, prefix, out, &e) < 0) {
		counter_list_free(out);
		facts_note(f, "%s", e.msg);
	}
	free(buf);
}

static void read_counters(struct tw_facts *f)
{
	char *buf;
	size_t len;
	struct tw_error e;

	if (read_optional(f, "/proc/net/sockstat", SMALL_FILE_MAX, &buf, &len)) {
		if (parse_sockstat(buf, len, "/proc/net/sockstat", &f->counters, &e) < 0)
			facts_note(f, "%s", e.msg);
		free(buf);
	}
	if (read_optional(f, "/proc/net/sockstat6", SMALL_FILE_MAX, &buf, &len)) {
		if (parse_sockstat6(buf, len, "/proc/net/sockstat6", &f->counters, &e) < 0)
			facts_note(f, "%s", e.msg);
		free(buf);
	}
	read_pairs(f, "/proc/net/netstat", "TcpExt", &f->counters.tcpext);
	read_pairs(f, "/proc/net/snmp", "Tcp", &f->counters.tcp);
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

static void read_memory(struct tw_facts *f)
{
	char *buf;
	size_t len;
	struct tw_error e;
	long ps = sysconf(_SC_PAGESIZE);
	int r;

	if (ps > 0) {
		f->memory.page_size.known = true;
		f->memory.page_size.v = (uint64_t)ps;
	}
	r = tw_read_file("/proc/slabinfo", SMALL_FILE_MAX, &buf, &len, &e);
	if (r == 0) {
		if (parse_slabinfo(buf, len, "/proc/slabinfo", &f->memory, &e) < 0)
			facts_note(f, "%s", e.msg);
		free(buf);
	} else if (r == -EACCES || r == -EPERM) {
		facts_note(f, "slabinfo needs root; memory estimated");
	} else if (r != -ENOENT) {
		facts_note(f, "%s", e.msg);
	}
	if (read_optional(f, "/proc/meminfo", SMALL_FILE_MAX, &buf, &len)) {
		if (parse_meminfo(buf, len, "/proc/meminfo", &f->memory, &e) < 0)
			facts_note(f, "%s", e.msg);
		free(buf);
	}
	/* Boot-time hash sizes: only in the kernel log, often restricted. */
	if (live_read_kmsg(&buf, &len, &e) == 0) {
		if (parse_dmesg(buf, len, "kernel log", &f->memory, &e) < 0)
			facts_note(f, "%s", e.msg);
		free(buf);
	}
}

static void read_conntrack(struct tw_facts *f)
{
	char *buf;
	size_t len;
	struct tw_error e;
	int r = tw_read_file("/proc/net/nf_conntrack", CONNTRACK_MAX, &buf, &len, &e);

	if (r == -ENOENT)
		return;   /* no conntrack in this namespace */
	if (r < 0) {
		facts_note(f, "conntrack table unknown: %s", e.msg);
		return;
	}
	if (parse_nf_conntrack(buf, len, "/proc/net/nf_conntrack", &f->conntrack, &e) < 0)
		facts_note(f, "%s", e.msg);
	free(buf);
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

/* ---- rates over --interval --------------------------------------------- */

struct rate_sample {
	bool ok;
	int64_t active, passive, tw;
	struct timespec at;
};

static void take_sample(struct rate_sample *s)
{
	struct tw_counter_list tcp = { 0 }, ext = { 0 };
	struct tw_facts scratch;
	int ok = 0;

	facts_init(&scratch);
	read_pairs(&scratch, "/proc/net/snmp", "Tcp", &tcp);
	read_pairs(&scratch, "/proc/net/netstat", "TcpExt", &ext);
	clock_gettime(CLOCK_MONOTONIC, &s->at);
	ok += counter_list_get(&tcp, "ActiveOpens", &s->active) == 0;
	ok += counter_list_get(&tcp, "PassiveOpens", &s->passive) == 0;
	ok += counter_list_get(&ext, "TW", &s->tw) == 0;
	s->ok = ok == 3;
	counter_list_free(&tcp);
	counter_list_free(&ext);
	facts_free(&scratch);
}

static void sleep_interval(double secs)
{
	struct timespec ts;

	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int measure_rates(const struct tw_live_opts *o, struct tw_facts *f,
			 struct tw_error *err)
{
	struct rate_sample a, b;
	double dt;

	if (!(o->interval_s > 0 && o->interval_s <= INTERVAL_MAX_S))
		return tw_error_set(err, -EINVAL, "interval must be > 0 and at most %.0f seconds",
				    INTERVAL_MAX_S);
	take_sample(&a);
	sleep_interval(o->interval_s);
	take_sample(&b);
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
	return 0;
}

/* ---- the collector ------------------------------------------------------ */

int collect_live(const struct tw_live_opts *o, struct tw_facts *f, struct tw_error *err)
{
	struct utsname u;
	int r;

	f->source = TW_SOURCE_LIVE;
	if (o->netns) {
		r = netns_enter(o->netns, err);
		if (r < 0)
			return r;
		free(f->netns);
		f->netns = tw_xstrdup(o->netns);
	}
	if (access("/proc/self/net", R_OK) < 0)
		return tw_error_set(err, -errno, "/proc is not readable (%s): is it mounted?",
				    strerror(errno));
	if (uname(&u) < 0)
		return tw_error_set(err, -errno, "uname: %s", strerror(errno));
	r = kernel_version_parse(u.release, &f->kernel);
	if (r < 0)
		return tw_error_set(err, r, "uname: cannot parse kernel release '%s'", u.release);
	if (o->interval_s != 0) {
		r = measure_rates(o, f, err);
		if (r < 0)
			return r;
	}
	r = procsys_read("/proc/sys", NULL, &f->sysctls, err);
	if (r < 0)
		return r;
	sysctls_seal(&f->sysctls);
	r = collect_sockets(o, f, err);
	if (r < 0)
		return r;
	read_counters(f);
	read_memory(f);
	read_conntrack(f);
	detect_container(o, f);
	return 0;
}
