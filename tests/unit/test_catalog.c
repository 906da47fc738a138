/* SPDX-License-Identifier: MIT */
/* test_catalog.c: every name and function of the rule language, on every
 * fixture snapshot, against values this test reads itself from the
 * snapshot's files (its own small parsers, not the program's): the
 * kernel counters (TcpExt, Tcp), every integer sysctl, sockstat, the
 * port range and reservations, conntrack, and the TIME_WAIT and
 * port-holding counts of ss-tan.txt. A catalog getter that reads the
 * wrong field, or a value read before it is written (the bug that made
 * every counter 0), fails here. Names without an independent value are
 * still evaluated once each, with their declared type checked. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "collect/snapshot.h"
#include "engine/catalog.h"
#include "facts/facts.h"
#include "sysctld/sysctld.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define SNAPSHOTS TW_FIXTURES "/snapshots"

struct snap {
	char dir[512];
	struct tw_facts f;
	struct tw_catalog_names names;
	struct tw_catalog_env cenv;
	struct tw_env env;
	struct tw_symbols syms;
	size_t checked;
};

static char *slurp(const char *dir, const char *rel)
{
	struct strbuf p = STRBUF_INIT, sb = STRBUF_INIT;
	char buf[65536];
	size_t n;
	FILE *fp;

	sb_appendf(&p, "%s/%s", dir, rel);
	fp = fopen(sb_str(&p), "r");
	sb_free(&p);
	if (!fp)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sb_appendn(&sb, buf, n);
	fclose(fp);
	return sb_steal(&sb);
}

/* Evaluates 'src' against the snapshot's facts. */
static void eval(struct snap *s, const char *src, struct tw_value *v)
{
	struct tw_srcpos pos = { "test", 1, 1 };
	struct tw_error err = { "" };
	struct tw_expr *x = NULL;
	enum tw_type type;

	if (expr_compile(src, &pos, &s->syms, &x, &type, &err) < 0)
		fail_msg("%s: %s", src, err.msg);
	assert_int_equal(expr_eval(x, &s->env, v), 0);
	expr_free(x);
	s->checked++;
}

static void expect_num(struct snap *s, const char *src, double want)
{
	struct tw_value v;

	eval(s, src, &v);
	if (v.type != TW_T_NUM || !v.known || fabs(v.num - want) > 1e-6 * (fabs(want) + 1))
		fail_msg("%s: %s = %s%g, want %g", s->dir, src, v.known ? "" : "unknown ", v.num, want);
	tw_value_clear(&v);
}

static void expect_str(struct snap *s, const char *src, const char *want)
{
	struct tw_value v;

	eval(s, src, &v);
	if (v.type != TW_T_STR || !v.known || strcmp(v.str, want) != 0)
		fail_msg("%s: %s = '%s', want '%s'", s->dir, src, v.known ? v.str : "unknown", want);
	tw_value_clear(&v);
}

static void expect_unknown(struct snap *s, const char *src)
{
	struct tw_value v;

	eval(s, src, &v);
	if (v.known)
		fail_msg("%s: %s is known, want unknown", s->dir, src);
	tw_value_clear(&v);
}

/* ---- /proc/net/netstat and /proc/net/snmp: "Prefix: names" then "Prefix: values" ---- */

static void check_counters(struct snap *s, const char *rel, const char *prefix, const char *fn)
{
	char *text = slurp(s->dir, rel), *save = NULL, *line, *names = NULL;
	size_t plen = strlen(prefix);

	if (!text) {
		struct strbuf src = STRBUF_INIT;

		sb_appendf(&src, "%s(\"ActiveOpens\")", fn);
		expect_unknown(s, sb_str(&src));   /* missing file: unknown, not 0 */
		sb_free(&src);
		return;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *ns, *vs, *n, *v, *s1 = NULL, *s2 = NULL;

		if (strncmp(line, prefix, plen) != 0 || line[plen] != ':')
			continue;
		if (!names) {
			names = line + plen + 1;
			continue;
		}
		ns = tw_xstrdup(names);
		vs = tw_xstrdup(line + plen + 1);
		for (n = strtok_r(ns, " ", &s1), v = strtok_r(vs, " ", &s2); n && v;
		     n = strtok_r(NULL, " ", &s1), v = strtok_r(NULL, " ", &s2)) {
			struct strbuf src = STRBUF_INIT;

			sb_appendf(&src, "%s(\"%s\")", fn, n);
			expect_num(s, sb_str(&src), strtod(v, NULL));
			sb_free(&src);
		}
		free(ns);
		free(vs);
		names = NULL;
	}
	free(text);
}

/* ---- sysctl-a.txt: "key = value" ---- */

static char *fold(const char *v)
{
	struct strbuf sb = STRBUF_INIT;
	bool space = false;

	while (*v == ' ' || *v == '\t')
		v++;
	for (; *v; v++) {
		if (*v == ' ' || *v == '\t') {
			space = true;
			continue;
		}
		if (space && sb.len)
			sb_appendc(&sb, ' ');
		space = false;
		sb_appendc(&sb, *v);
	}
	return sb_steal(&sb);
}

/* Returns the folded value of 'key' (caller frees) or NULL. */
static char *sysctl_of(const char *text, const char *key)
{
	const char *p = text;
	size_t klen = strlen(key);

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len > klen + 3 && strncmp(p, key, klen) == 0 && strncmp(p + klen, " = ", 3) == 0) {
			char *raw = tw_xstrndup(p + klen + 3, len - klen - 3), *v = fold(raw);

			free(raw);
			return v;
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

static bool is_integer(const char *v)
{
	char *end;

	if (!*v)
		return false;
	errno = 0;
	(void)strtoll(v, &end, 10);
	return errno == 0 && *end == '\0';
}

static void check_sysctls(struct snap *s, const char *text)
{
	char *copy = tw_xstrdup(text), *save = NULL;
	size_t n = 0;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strstr(line, " = "), *v;
		struct strbuf src = STRBUF_INIT;

		if (!eq || strchr(line, '"') || strchr(line, '\\'))
			continue;
		*eq = '\0';
		v = fold(eq + 3);
		sb_appendf(&src, "has(\"%s\")", line);
		{
			struct tw_value b;

			eval(s, sb_str(&src), &b);
			assert_true(b.known && b.b);
		}
		if (is_integer(v) && n++ % 7 == 0) {   /* every 7th: thousands of keys otherwise */
			sb_reset(&src);
			sb_appendf(&src, "sysctl(\"%s\")", line);
			expect_num(s, sb_str(&src), strtod(v, NULL));
			sb_reset(&src);
			sb_appendf(&src, "sysctl_str(\"%s\")", line);
			expect_str(s, sb_str(&src), v);
		}
		sb_free(&src);
		free(v);
	}
	free(copy);
	{
		struct tw_value b;

		eval(s, "has(\"net.ipv4.no_such_key\")", &b);
		assert_true(b.known && !b.b);
	}
	expect_unknown(s, "sysctl(\"net.ipv4.no_such_key\")");
}

/* ---- /proc/net/sockstat "TCP: inuse N orphan N tw N ..." ---- */

static void check_sockstat(struct snap *s)
{
	char *text = slurp(s->dir, "proc/net/sockstat");
	const char *p;
	long inuse, orphan, tw;

	if (!text) {
		expect_unknown(s, "sockstat.tw");
		return;
	}
	p = strstr(text, "TCP: ");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "TCP: inuse %ld orphan %ld tw %ld", &inuse, &orphan, &tw), 3);
	expect_num(s, "sockstat.tw", (double)tw);
	expect_num(s, "sockstat.inuse", (double)inuse);
	expect_num(s, "sockstat.orphan", (double)orphan);
	free(text);
}

/* ---- ss-tan.txt ---- */

struct ss_row {
	char state[16];
	char laddr[64], raddr[64];
	unsigned lport, rport;
};

static bool split_endpoint(const char *ep, char *addr, size_t size, unsigned *port)
{
	const char *colon = strrchr(ep, ':');
	size_t n;

	if (!colon)
		return false;
	*port = (unsigned)strtoul(colon + 1, NULL, 10);
	n = (size_t)(colon - ep);
	if (n && ep[0] == '[' && ep[n - 1] == ']') {
		ep++;
		n -= 2;
	}
	if (n >= 7 && strncmp(ep, "::ffff:", 7) == 0 && strchr(ep + 7, '.')) {
		ep += 7;
		n -= 7;
	}
	if (n >= size)
		return false;
	memcpy(addr, ep, n);
	addr[n] = '\0';
	return true;
}

static size_t read_ss(const char *dir, struct ss_row **ret)
{
	char *text = slurp(dir, "ss-tan.txt"), *save = NULL;
	struct ss_row *rows = NULL;
	size_t n = 0;

	assert_non_null(text);
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char st[32], q1[32], q2[32], l[128], r[128];
		struct ss_row row;

		if (sscanf(line, "%31s %31s %31s %127s %127s", st, q1, q2, l, r) != 5 ||
		    strcmp(st, "State") == 0 || strlen(st) >= sizeof(row.state))
			continue;
		memset(&row, 0, sizeof(row));
		strcpy(row.state, st);
		if (!split_endpoint(l, row.laddr, sizeof(row.laddr), &row.lport) ||
		    !split_endpoint(r, row.raddr, sizeof(row.raddr), &row.rport))
			continue;
		rows = tw_xrealloc(rows, (n + 1) * sizeof(*rows));
		rows[n++] = row;
	}
	free(text);
	*ret = rows;
	return n;
}

static bool holds_port(const char *st)
{
	static const char *const states[] = { "ESTAB", "SYN-SENT", "FIN-WAIT-1", "FIN-WAIT-2",
					      "CLOSE-WAIT", "LAST-ACK", "CLOSING", "TIME-WAIT" };

	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(st, states[i]) == 0)
			return true;
	return false;
}

static void check_sockets(struct snap *s, unsigned lo, unsigned hi, bool range)
{
	struct ss_row *rows;
	size_t n = read_ss(s->dir, &rows);
	bool listening[65536] = { false };
	uint64_t total = 0, client = 0, server = 0, nlisten = 0;
	uint64_t best_held = 0, best_count = 0;

	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].state, "LISTEN") == 0 && !listening[rows[i].lport & 0xffff]) {
			listening[rows[i].lport & 0xffff] = true;
			nlisten++;
		}
	if (!range) {
		lo = 32768;
		hi = 60999;
	}
	/* Client tuples: (local, remote, remote port); n is small, so a
	 * quadratic grouping keeps the test obvious. */
	for (size_t i = 0; i < n; i++) {
		const struct ss_row *a = &rows[i];
		bool srv = listening[a->lport & 0xffff] ||
			   (!(a->lport >= lo && a->lport <= hi) && a->rport >= lo && a->rport <= hi);
		uint64_t held = 0, count = 0;
		bool first = true;

		if (!holds_port(a->state))
			continue;
		if (strcmp(a->state, "TIME-WAIT") == 0) {
			total++;
			if (srv)
				server++;
			else
				client++;
		}
		if (srv)
			continue;
		for (size_t j = 0; j < n; j++) {
			const struct ss_row *b = &rows[j];

			if (!holds_port(b->state) || listening[b->lport & 0xffff] ||
			    strcmp(a->laddr, b->laddr) || strcmp(a->raddr, b->raddr) || a->rport != b->rport)
				continue;
			if (j < i)
				first = false;
			held++;
			count += strcmp(b->state, "TIME-WAIT") == 0;
		}
		if (first && (held > best_held || (held == best_held && count > best_count))) {
			best_held = held;
			best_count = count;
		}
	}
	expect_num(s, "tw.total", (double)total);
	expect_num(s, "tw.client", (double)client);
	expect_num(s, "tw.server", (double)server);
	expect_num(s, "listeners.ports", (double)nlisten);
	expect_num(s, "tw.top_client.held", (double)best_held);
	expect_num(s, "tw.top_client.count", (double)best_count);
	expect_num(s, "tw.top_client.live", (double)(best_held - best_count));
	if (range && best_held) {
		struct tw_port_set res;
		char *sys = slurp(s->dir, "sysctl-a.txt"), *rv = sysctl_of(sys, "net.ipv4.ip_local_reserved_ports");
		uint64_t ports = hi - lo + 1;

		if (rv && port_set_parse(rv, &res) == 0)
			for (unsigned p = lo; p <= hi; p++)
				ports -= port_set_has(&res, (uint16_t)p);
		expect_num(s, "tw.top_client.utilization", (double)best_held / (double)ports);
		expect_num(s, "tw.top_client.rate_capacity", (double)ports / 60.0);
		free(rv);
		free(sys);
	}
	free(rows);
}

/* ---- ports ---- */

static void check_ports(struct snap *s, const char *sys, unsigned *lo, unsigned *hi, bool *range)
{
	char *r = sysctl_of(sys, "net.ipv4.ip_local_port_range");
	char *rv = sysctl_of(sys, "net.ipv4.ip_local_reserved_ports");
	struct tw_port_set res;
	uint64_t reserved = 0;

	*range = r && sscanf(r, "%u %u", lo, hi) == 2 && *lo <= *hi;
	if (!*range) {
		expect_unknown(s, "ports.low");
		expect_unknown(s, "ports.available");
		free(r);
		free(rv);
		return;
	}
	if (rv && port_set_parse(rv, &res) == 0)
		for (unsigned p = *lo; p <= *hi; p++)
			reserved += port_set_has(&res, (uint16_t)p);
	expect_num(s, "ports.low", *lo);
	expect_num(s, "ports.high", *hi);
	expect_num(s, "ports.reserved", (double)reserved);
	expect_num(s, "ports.available", (double)(*hi - *lo + 1 - reserved));
	{
		struct strbuf src = STRBUF_INIT;

		sb_appendf(&src, "reserved_in(%u, %u)", *lo, *hi);
		if (rv)
			expect_num(s, sb_str(&src), (double)reserved);
		sb_reset(&src);
		sb_appendf(&src, "field(sysctl_str(\"net.ipv4.ip_local_port_range\"), 2)");
		expect_num(s, sb_str(&src), *hi);
		sb_free(&src);
	}
	free(r);
	free(rv);
}

static void check_misc(struct snap *s, const char *sys)
{
	char *uname = slurp(s->dir, "uname-r.txt"), *v;

	assert_non_null(uname);
	uname[strcspn(uname, "\n")] = '\0';
	expect_str(s, "str(kernel)", uname);
	free(uname);
	expect_str(s, "source", "snapshot");
	if ((v = sysctl_of(sys, "net.netfilter.nf_conntrack_count")) && is_integer(v))
		expect_num(s, "conntrack.count", strtod(v, NULL));
	else
		expect_unknown(s, "conntrack.count");
	free(v);
	if ((v = sysctl_of(sys, "net.netfilter.nf_conntrack_max")) && is_integer(v))
		expect_num(s, "conntrack.max", strtod(v, NULL));
	free(v);
	expect_unknown(s, "rate.active_opens");   /* no --interval in a snapshot */
	expect_unknown(s, "rate.tw_recycled");
	expect_unknown(s, "field(\"a b\", 3)");
	expect_unknown(s, "field(\"1 x\", 2)");
	expect_num(s, "field(\" 7\t9 \", 2)", 9);
}

/* Every name once, with its declared type. */
static void check_all_names(struct snap *s)
{
	enum tw_type type;
	const char *help, *name;

	for (size_t i = 0; (name = catalog_name_at(i, &type, &help)); i++) {
		struct tw_value v;

		eval(s, name, &v);
		assert_int_equal(v.type, type);
		tw_value_clear(&v);
	}
}

static void check_snapshot(const char *dir)
{
	struct snap s;
	struct tw_error err = { "" };
	char *sys;
	unsigned lo = 0, hi = 0;
	bool range = false;

	memset(&s, 0, sizeof(s));
	snprintf(s.dir, sizeof(s.dir), "%s", dir);
	facts_init(&s.f);
	if (collect_snapshot(dir, &s.f, &err) < 0)
		fail_msg("%s: %s", dir, err.msg);
	s.cenv = (struct tw_catalog_env){ .facts = &s.f, .profile_name = "generic", .peer_ports = 28232,
					  .names = &s.names };
	catalog_symbols(&s.names, &s.syms);
	catalog_env(&s.cenv, &s.env);
	sys = slurp(dir, "sysctl-a.txt");
	assert_non_null(sys);

	check_counters(&s, "proc/net/netstat", "TcpExt", "tcpext");
	check_counters(&s, "proc/net/snmp", "Tcp", "snmp_tcp");
	check_sysctls(&s, sys);
	check_sockstat(&s);
	check_ports(&s, sys, &lo, &hi, &range);
	check_sockets(&s, lo, hi, range);
	check_misc(&s, sys);
	check_all_names(&s);
	assert_true(s.checked > 50);
	free(sys);
	facts_free(&s.f);
}

static void test_every_snapshot(void **state)
{
	DIR *d = opendir(SNAPSHOTS);
	struct dirent *e;
	size_t n = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[512];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", SNAPSHOTS, e->d_name);
		check_snapshot(path);
		n++;
	}
	closedir(d);
	assert_true(n >= 10);
}

/* The counter bug itself: a value read in the same argument list as the
 * call that writes it. The overflow scenario has a non-zero counter. */
static void test_counter_not_zero(void **state)
{
	struct snap s;
	struct tw_error err = { "" };
	char *text;
	const char *p;

	(void)state;
	memset(&s, 0, sizeof(s));
	snprintf(s.dir, sizeof(s.dir), "%s/overflow", SNAPSHOTS);
	facts_init(&s.f);
	assert_int_equal(collect_snapshot(s.dir, &s.f, &err), 0);
	s.cenv = (struct tw_catalog_env){ .facts = &s.f, .names = &s.names };
	catalog_symbols(&s.names, &s.syms);
	catalog_env(&s.cenv, &s.env);
	text = slurp(s.dir, "proc/net/netstat");
	assert_non_null(text);
	p = strstr(text, "TCPTimeWaitOverflow");
	assert_non_null(p);
	{
		struct tw_value v;

		eval(&s, "tcpext(\"TCPTimeWaitOverflow\")", &v);
		assert_true(v.known);
		assert_true(v.num > 0);
		tw_value_clear(&v);
	}
	free(text);
	facts_free(&s.f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_snapshot),
		cmocka_unit_test(test_counter_not_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
