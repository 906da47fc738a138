/* SPDX-License-Identifier: MIT */
/* test_parsers.c: the pure text parsers of src/collect/parsers.h on
 * captured fixtures (tests/fixtures/captured), on inline lines of every
 * accepted shape, and on the hostile variants (tests/fixtures/hostile).
 * Expected counts are taken from the fixture files with independent,
 * simpler loops, and checked against the capture's COUNTS file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "collect/parse_text.h"
#include "collect/parsers.h"
#include "facts/facts.h"
#include "util/fileio.h"

#define CAP TW_FIXTURES "/captured/"
#define HOS TW_FIXTURES "/hostile/"

struct file {
	char *buf;
	size_t len;
};

static struct file slurp(const char *path)
{
	struct tw_error err = { "" };
	struct file f = { NULL, 0 };

	if (tw_read_file(path, 64u << 20, &f.buf, &f.len, &err) < 0)
		fail_msg("%s", err.msg);
	return f;
}

/* Independent helpers: plain C string functions, no twadvise parsing. */
static unsigned count_lines_with(const char *buf, const char *needle, int at_start)
{
	unsigned n = 0;
	const char *p = buf;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[8192];

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		if (at_start ? strncmp(line, needle, strlen(needle)) == 0 : strstr(line, needle) != NULL)
			n++;
		p = nl ? nl + 1 : NULL;
	}
	return n;
}

static unsigned long counts_value(const char *key)
{
	struct file f = slurp(CAP "COUNTS");
	char want[64];
	const char *p;
	unsigned long v;

	snprintf(want, sizeof(want), "%s=", key);
	p = strstr(f.buf, want);
	assert_non_null(p);
	v = strtoul(p + strlen(want), NULL, 10);
	free(f.buf);
	return v;
}

static void assert_err_has(const struct tw_error *err, const char *what)
{
	if (!strstr(err->msg, what))
		fail_msg("error '%s' lacks '%s'", err->msg, what);
}

/* ---- sysctl -a ---- */

static void test_sysctl_captured(void **state)
{
	struct file f = slurp(CAP "sysctl-a.txt");
	struct tw_sysctls t = { 0 };
	struct tw_error err = { "" };
	unsigned lines = count_lines_with(f.buf, " = ", 0);
	unsigned keys = 0;
	char prev[256] = "";
	const char *v;

	/* Distinct keys: multi-line values repeat the key on consecutive lines. */
	for (const char *p = f.buf; p && *p;) {
		size_t kn = strcspn(p, " =\n");
		const char *nl = strchr(p, '\n');

		if (kn < sizeof(prev) && (strlen(prev) != kn || strncmp(prev, p, kn) != 0)) {
			keys++;
			memcpy(prev, p, kn);
			prev[kn] = '\0';
		}
		p = nl ? nl + 1 : NULL;
	}

	assert_int_equal(parse_sysctl_a(f.buf, f.len, "sysctl-a.txt", &t, &err), 0);
	assert_true(t.known);
	sysctls_seal(&t);
	assert_true(lines > 500);
	assert_int_equal(t.n, keys);
	assert_true(keys < lines);
	/* three lines "kernel.core_modes = file|pipe|socket" -> one value */
	assert_string_equal(sysctls_get(&t, "kernel.core_modes"), "file pipe socket");
	assert_string_equal(sysctls_get(&t, "net.ipv4.tcp_tw_reuse"), "2");
	/* tab between the two numbers folded to one space */
	assert_string_equal(sysctls_get(&t, "net.ipv4.ip_local_port_range"), "32768 60999");
	/* present with an empty value */
	v = sysctls_get(&t, "net.ipv4.ip_local_reserved_ports");
	assert_non_null(v);
	assert_string_equal(v, "");
	assert_false(sysctls_has(&t, "net.ipv4.tcp_tw_recycle"));
	assert_string_equal(sysctls_get(&t, "net.netfilter.nf_conntrack_count"), "5");
	sysctls_free(&t);
	free(f.buf);
}

static void test_sysctl_inline(void **state)
{
	static const char text[] =
		"kernel.ostype = Linux\r\n"
		"\n"
		"net.ipv4.tcp_tw_reuse=1\n"
		"sysctl: permission denied on key 'fs.protected_fifos'\n"
		"sysctl: reading key \"net.ipv6.conf.all.stable_secret\"\n"
		"sysctl: permission denied on key 'kernel.x', ignoring\n"
		"sysctl: cannot stat /proc/sys/whatever: No such file or directory\n"
		"kernel.core_pattern = |/bin/x a=b\n"
		"net.ipv4.conf.eth0/1.forwarding = 0\n"
		"dev.cdrom.info = CD-ROM information, Id: cdrom.c 3.20 2003/12/17\n"
		"dev.cdrom.info = \n"
		"dev.cdrom.info = drive name:\n"
		"net.ipv4.tcp_rmem = 4096\t131072\t6291456"; /* no final newline */
	struct tw_sysctls t = { 0 };
	struct tw_error err = { "" };

	assert_int_equal(parse_sysctl_a(text, strlen(text), "x", &t, &err), 0);
	sysctls_seal(&t);
	assert_string_equal(sysctls_get(&t, "kernel.ostype"), "Linux");
	assert_string_equal(sysctls_get(&t, "net.ipv4.tcp_tw_reuse"), "1");
	assert_true(sysctls_has(&t, "fs.protected_fifos"));
	assert_null(sysctls_get(&t, "fs.protected_fifos"));
	assert_true(sysctls_has(&t, "net.ipv6.conf.all.stable_secret"));
	assert_null(sysctls_get(&t, "net.ipv6.conf.all.stable_secret"));
	assert_true(sysctls_has(&t, "kernel.x"));
	assert_string_equal(sysctls_get(&t, "kernel.core_pattern"), "|/bin/x a=b");
	assert_string_equal(sysctls_get(&t, "net.ipv4.conf.eth0/1.forwarding"), "0");
	assert_string_equal(sysctls_get(&t, "net.ipv4.tcp_rmem"), "4096 131072 6291456");
	assert_string_equal(sysctls_get(&t, "dev.cdrom.info"),
			    "CD-ROM information, Id: cdrom.c 3.20 2003/12/17 drive name:");
	assert_int_equal(t.n, 9);
	sysctls_free(&t);
}

static void expect_sysctl_einval(const char *file, const char *where)
{
	char path[512];
	struct file f;
	struct tw_sysctls t = { 0 };
	struct tw_error err = { "" };

	snprintf(path, sizeof(path), HOS "%s", file);
	f = slurp(path);
	assert_int_equal(parse_sysctl_a(f.buf, f.len, file, &t, &err), -EINVAL);
	assert_err_has(&err, where);
	sysctls_free(&t);
	free(f.buf);
}

static void test_sysctl_hostile(void **state)
{
	expect_sysctl_einval("sysctl-no-equals.txt", "sysctl-no-equals.txt:3:");
	expect_sysctl_einval("sysctl-bad-key.txt", "sysctl-bad-key.txt:2:");
	expect_sysctl_einval("garbage.bin", "garbage.bin:1:");
}

/* ---- ss / netstat ---- */

struct ss_case {
	const char *line;
	int ret;
	uint8_t state;
	const char *local;
	uint16_t lport;
	const char *remote;
	uint16_t rport;
};

#define SKIP(l) { l, 0, 0, NULL, 0, NULL, 0 }
#define BAD(l) { l, -EINVAL, 0, NULL, 0, NULL, 0 }

static const struct ss_case ss_cases[] = {
	SKIP("State     Recv-Q Send-Q Local Address:Port  Peer Address:Port Process"),
	SKIP("Recv-Q Send-Q Local Address:Port  Peer Address:Port Process"),
	SKIP(""),
	SKIP("   \t "),
	SKIP("Active Internet connections (servers and established)"),
	SKIP("Proto Recv-Q Send-Q Local Address           Foreign Address         State"),
	{ "TIME-WAIT 0      0          127.0.0.1:38182    127.0.0.1:8080        ", 1,
	  TW_TCP_TIME_WAIT, "127.0.0.1", 38182, "127.0.0.1", 8080 },
	{ "LISTEN    0      128        127.0.0.1:8080       0.0.0.0:*\n", 1,
	  TW_TCP_LISTEN, "127.0.0.1", 8080, "0.0.0.0", 0 },
	{ "LISTEN    0      128                *:7070             *:*", 1,
	  TW_TCP_LISTEN, "0.0.0.0", 7070, "0.0.0.0", 0 },
	{ "LISTEN    0      128            [::1]:9090          [::]:*", 1,
	  TW_TCP_LISTEN, "::1", 9090, "::", 0 },
	{ "TIME-WAIT 0 0 [::ffff:127.0.0.1]:7070  [::ffff:127.0.0.1]:49692", 1,
	  TW_TCP_TIME_WAIT, "127.0.0.1", 7070, "127.0.0.1", 49692 },
	{ "ESTAB 0 0 127.0.0.1%lo:8080 127.0.0.1:60944 users:((\"python3\",pid=7940,fd=9))", 1,
	  TW_TCP_ESTABLISHED, "127.0.0.1", 8080, "127.0.0.1", 60944 },
	{ "ESTAB 0 0 [fe80::1]%eth0:22 [fe80::2]%eth0:50000", 1,
	  TW_TCP_ESTABLISHED, "fe80::1", 22, "fe80::2", 50000 },
	{ "SYN-SENT 0 1 10.0.0.1:40000 10.0.0.2:65535", 1,
	  TW_TCP_SYN_SENT, "10.0.0.1", 40000, "10.0.0.2", 65535 },
	{ "SYN-RECV 0 0 10.0.0.1:80 10.0.0.2:1", 1, TW_TCP_SYN_RECV, "10.0.0.1", 80, "10.0.0.2", 1 },
	{ "FIN-WAIT-1 0 0 10.0.0.1:1 10.0.0.2:2", 1, TW_TCP_FIN_WAIT1, "10.0.0.1", 1, "10.0.0.2", 2 },
	{ "FIN-WAIT-2 0 0 10.0.0.1:1 10.0.0.2:2", 1, TW_TCP_FIN_WAIT2, "10.0.0.1", 1, "10.0.0.2", 2 },
	{ "CLOSE-WAIT 1 0 10.0.0.1:1 10.0.0.2:2", 1, TW_TCP_CLOSE_WAIT, "10.0.0.1", 1, "10.0.0.2", 2 },
	{ "LAST-ACK 0 1 10.0.0.1:1 10.0.0.2:2", 1, TW_TCP_LAST_ACK, "10.0.0.1", 1, "10.0.0.2", 2 },
	{ "CLOSING 0 1 10.0.0.1:1 10.0.0.2:2", 1, TW_TCP_CLOSING, "10.0.0.1", 1, "10.0.0.2", 2 },
	{ "UNCONN 0 0 10.0.0.1:1 10.0.0.2:2", 1, TW_TCP_CLOSE, "10.0.0.1", 1, "10.0.0.2", 2 },
	{ "CLOSE 0 0 10.0.0.1:1 10.0.0.2:2", 1, TW_TCP_CLOSE, "10.0.0.1", 1, "10.0.0.2", 2 },
	/* ss -tan state time-wait: no State column */
	{ "0      0          127.0.0.1:9090     127.0.0.1:35762       ", 1,
	  TW_TCP_TIME_WAIT, "127.0.0.1", 9090, "127.0.0.1", 35762 },
	{ "0 0 [::1]:44336 [::1]:8080", 1, TW_TCP_TIME_WAIT, "::1", 44336, "::1", 8080 },
	/* ss -an: Netid column */
	{ "tcp   TIME-WAIT 0 0 10.0.0.1:40000 10.0.0.2:80", 1,
	  TW_TCP_TIME_WAIT, "10.0.0.1", 40000, "10.0.0.2", 80 },
	SKIP("udp   UNCONN 0 0 0.0.0.0:68 0.0.0.0:*"),
	/* netstat -tan */
	{ "tcp        0      0 127.0.0.1:9090          127.0.0.1:35762         TIME_WAIT  ", 1,
	  TW_TCP_TIME_WAIT, "127.0.0.1", 9090, "127.0.0.1", 35762 },
	{ "tcp        0      0 127.0.0.1:8080          0.0.0.0:*               LISTEN     ", 1,
	  TW_TCP_LISTEN, "127.0.0.1", 8080, "0.0.0.0", 0 },
	{ "tcp6       0      0 :::7070                 :::*                    LISTEN     ", 1,
	  TW_TCP_LISTEN, "::", 7070, "::", 0 },
	{ "tcp6       0      0 ::1:44336               ::1:8080                TIME_WAIT  ", 1,
	  TW_TCP_TIME_WAIT, "::1", 44336, "::1", 8080 },
	{ "tcp6       0      0 ::ffff:127.0.0.1:7070   ::ffff:127.0.0.1:49692  TIME_WAIT  ", 1,
	  TW_TCP_TIME_WAIT, "127.0.0.1", 7070, "127.0.0.1", 49692 },
	{ "tcp        0      0 127.0.0.1:60944         127.0.0.1:8080          ESTABLISHED 1000 123 4/python3", 1,
	  TW_TCP_ESTABLISHED, "127.0.0.1", 60944, "127.0.0.1", 8080 },
	{ "tcp 0 0 1.2.3.4:5 6.7.8.9:10 SYN_SENT", 1, TW_TCP_SYN_SENT, "1.2.3.4", 5, "6.7.8.9", 10 },
	{ "tcp 0 0 1.2.3.4:5 6.7.8.9:10 FIN_WAIT1", 1, TW_TCP_FIN_WAIT1, "1.2.3.4", 5, "6.7.8.9", 10 },
	{ "tcp 0 0 1.2.3.4:5 6.7.8.9:10 CLOSE_WAIT", 1, TW_TCP_CLOSE_WAIT, "1.2.3.4", 5, "6.7.8.9", 10 },
	SKIP("udp        0      0 0.0.0.0:68              0.0.0.0:*"),
	/* malformed */
	BAD("TIME-WAIT 0 0 127.0.0.1:38182"),
	BAD("TIME-WAIT 0 0 127.0.0.1:99999 127.0.0.1:8080"),
	BAD("TIME-WAIT 0 0 127.0.0.1:-1 127.0.0.1:8080"),
	BAD("TIME-WAIT 0 0 127.0.0.1: 127.0.0.1:8080"),
	BAD("TIME-WAIT 0 0 127.0.0.1 127.0.0.1:8080"),
	BAD("TIME-WAIT 0 0 :80 127.0.0.1:8080"),
	BAD("TIME-WAIT 0 0 300.0.0.1:80 127.0.0.1:8080"),
	BAD("TIME-WAIT 0 0 127.0.0.1:http 127.0.0.1:8080"),
	BAD("TIME-WAIT 99999999999999999999 0 127.0.0.1:1 127.0.0.1:8080"),
	BAD("TIME-WAIT x 0 127.0.0.1:1 127.0.0.1:8080"),
	BAD("WAITING 0 0 127.0.0.1:1 127.0.0.1:8080"),
	BAD("0 0 127.0.0.1:1"),
	BAD("tcp 0 0 1.2.3.4:5 6.7.8.9:10"),
	BAD("tcp 0 0 1.2.3.4:5 6.7.8.9:10 TIME-WAIT"),
	BAD("TIME-WAIT 0 0 127.0.0.1:1\x01 127.0.0.1:8080"),
};

static void fmt_addr(const struct tw_addr *a, char buf[TW_ADDR_STRLEN])
{
	tw_addr_format(a, buf);
}

static void test_ss_lines(void **state)
{
	for (size_t i = 0; i < sizeof(ss_cases) / sizeof(ss_cases[0]); i++) {
		const struct ss_case *c = &ss_cases[i];
		struct tw_error err = { "" };
		struct tw_sock s;
		char a[TW_ADDR_STRLEN];
		int r;

		memset(&s, 0xa5, sizeof(s));
		r = parse_ss_line(c->line, strlen(c->line), "ss.txt", 7, &s, &err);
		if (r != c->ret)
			fail_msg("case %zu '%s': got %d, want %d (%s)", i, c->line, r, c->ret,
				 err.msg);
		if (r < 0) {
			assert_err_has(&err, "ss.txt:7:");
			continue;
		}
		if (r == 0)
			continue;
		assert_int_equal(s.state, c->state);
		fmt_addr(&s.local, a);
		if (strcmp(a, c->local) != 0)
			fail_msg("case %zu: local %s, want %s", i, a, c->local);
		fmt_addr(&s.remote, a);
		if (strcmp(a, c->remote) != 0)
			fail_msg("case %zu: remote %s, want %s", i, a, c->remote);
		assert_int_equal(s.lport, c->lport);
		assert_int_equal(s.rport, c->rport);
		assert_false(s.inode_known);
	}
}

/* v4-mapped peers are normalised to IPv4; [::1] stays IPv6. */
static void test_ss_families(void **state)
{
	static const char mapped[] = "TIME-WAIT 0 0 [::ffff:127.0.0.1]:7070 [::ffff:127.0.0.1]:1";
	static const char v6[] = "TIME-WAIT 0 0 [::1]:7070 [::1]:1";
	struct tw_error err = { "" };
	struct tw_sock s;

	assert_int_equal(parse_ss_line(mapped, strlen(mapped), "x", 1, &s, &err), 1);
	assert_int_equal(s.local.family, AF_INET);
	assert_int_equal(s.remote.family, AF_INET);
	assert_int_equal(parse_ss_line(v6, strlen(v6), "x", 1, &s, &err), 1);
	assert_int_equal(s.local.family, AF_INET6);
}

struct ss_tally {
	unsigned sockets, tw, listen, estab, ipv6_tw;
};

static void parse_ss_file(const char *path, struct ss_tally *t)
{
	struct file f = slurp(path);
	char *p = f.buf;
	unsigned lineno = 0;

	memset(t, 0, sizeof(*t));
	while (p < f.buf + f.len) {
		char *nl = memchr(p, '\n', (size_t)(f.buf + f.len - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(f.buf + f.len - p);
		struct tw_error err = { "" };
		struct tw_sock s;
		int r;

		lineno++;
		r = parse_ss_line(p, len, path, lineno, &s, &err);
		if (r < 0)
			fail_msg("%s", err.msg);
		if (r == 1) {
			t->sockets++;
			t->tw += s.state == TW_TCP_TIME_WAIT;
			t->listen += s.state == TW_TCP_LISTEN;
			t->estab += s.state == TW_TCP_ESTABLISHED;
			t->ipv6_tw += s.state == TW_TCP_TIME_WAIT && s.local.family == AF_INET6;
		}
		p = nl ? nl + 1 : f.buf + f.len;
	}
	free(f.buf);
}

static void test_ss_captured(void **state)
{
	unsigned long tw = counts_value("time_wait"), est = counts_value("established"),
		      lst = counts_value("listen"), v6 = counts_value("ipv6");
	static const char *const with_state[] = { CAP "ss-tan.txt", CAP "ss-tanH.txt",
						  CAP "ss-tanp.txt" };
	struct ss_tally t;
	struct file f;

	for (size_t i = 0; i < 3; i++) {
		f = slurp(with_state[i]);
		parse_ss_file(with_state[i], &t);
		assert_int_equal(t.tw, count_lines_with(f.buf, "TIME-WAIT ", 1));
		assert_int_equal(t.listen, count_lines_with(f.buf, "LISTEN ", 1));
		assert_int_equal(t.estab, count_lines_with(f.buf, "ESTAB ", 1));
		assert_int_equal(t.tw, tw);
		assert_int_equal(t.listen, lst);
		assert_int_equal(t.estab, est);
		assert_int_equal(t.sockets, tw + lst + est);
		assert_int_equal(t.ipv6_tw, v6);
		free(f.buf);
	}

	f = slurp(CAP "ss-tan-state-time-wait.txt");
	parse_ss_file(CAP "ss-tan-state-time-wait.txt", &t);
	/* every line but the header is a socket */
	assert_int_equal(t.tw, count_lines_with(f.buf, "0 ", 1));
	assert_int_equal(t.tw, tw);
	assert_int_equal(t.sockets, tw);
	assert_int_equal(t.ipv6_tw, v6);
	free(f.buf);

	f = slurp(CAP "netstat-tan.txt");
	parse_ss_file(CAP "netstat-tan.txt", &t);
	assert_int_equal(t.tw, count_lines_with(f.buf, " TIME_WAIT", 0));
	assert_int_equal(t.tw, tw);
	assert_int_equal(t.listen, lst);
	assert_int_equal(t.estab, est);
	assert_int_equal(t.ipv6_tw, v6);
	free(f.buf);
}

/* The first malformed line of a hostile ss file is reported as FILE:LINE. */
static void expect_ss_einval(const char *file, unsigned bad_line)
{
	char path[512], where[600];
	struct file f;
	char *p;
	unsigned lineno = 0;
	int r = 0;
	struct tw_error err = { "" };

	snprintf(path, sizeof(path), HOS "%s", file);
	f = slurp(path);
	p = f.buf;
	while (p < f.buf + f.len) {
		char *nl = memchr(p, '\n', (size_t)(f.buf + f.len - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(f.buf + f.len - p);
		struct tw_sock s;

		r = parse_ss_line(p, len, file, ++lineno, &s, &err);
		if (r < 0)
			break;
		p = nl ? nl + 1 : f.buf + f.len;
	}
	assert_int_equal(r, -EINVAL);
	assert_int_equal(lineno, bad_line);
	snprintf(where, sizeof(where), "%s:%u:", file, bad_line);
	assert_err_has(&err, where);
	free(f.buf);
}

static void test_ss_hostile(void **state)
{
	expect_ss_einval("ss-truncated.txt", 4);
	expect_ss_einval("ss-port-99999.txt", 3);
	expect_ss_einval("ss-absurd-queue.txt", 2);
	expect_ss_einval("ss-unknown-state.txt", 4);
	expect_ss_einval("garbage.bin", 1);
}

/* ---- ss -p's users:(...) column ---- */

struct user_seen {
	const char *line;       /* NUL-terminated copy of the line */
	unsigned n;
	int pid[16], fd[16];
	char comm[16][64];
};

static void on_user(const char *comm, size_t comm_len, int pid, int fd, void *data)
{
	struct user_seen *u = data;

	assert_true(u->n < 16 && comm_len < 64);
	memcpy(u->comm[u->n], comm, comm_len);
	u->comm[u->n][comm_len] = '\0';
	u->pid[u->n] = pid;
	u->fd[u->n] = fd;
	u->n++;
}

static void never(const char *comm, size_t comm_len, int pid, int fd, void *data)
{
	(void)comm, (void)comm_len, (void)pid, (void)fd, (void)data;
	fail_msg("a malformed column delivered an entry");
}

static unsigned count_sub(const char *s, const char *needle)
{
	unsigned n = 0;

	for (const char *p = s; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* Real `ss -tanop` (iproute2 6.1): two processes (a fork) on every
 * socket, names with a space, a comma, quotes and '(' (ss cuts a name
 * at ')'), a dup()ed descriptor. Every entry comes back with the pid
 * and fd of its text and one of the two names; every truncation of a
 * column is refused whole. */
static void test_ss_users_captured(void **state)
{
	static const char *const names[] = { "pool, (\"2\"", "we ird,\"x" };
	struct file f = slurp(CAP "ss-tanop-users.txt");
	char *p = f.buf;
	unsigned lineno = 0, entries = 0, columns = 0;

	(void)state;
	while (p < f.buf + f.len) {
		char *nl = memchr(p, '\n', (size_t)(f.buf + f.len - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(f.buf + f.len - p);
		struct tw_error err = { "" };
		struct user_seen u = { 0 };
		const char *users;
		size_t ulen, core;
		char line[1024], want[64];
		struct tw_sock s;
		int r;

		assert_true(len < sizeof(line));
		memcpy(line, p, len);
		line[len] = '\0';
		u.line = line;
		r = parse_ss_line_users(line, len, "ss.txt", ++lineno, &s, &users, &ulen, &err);
		assert_int_not_equal(r, -EINVAL);
		p = nl ? nl + 1 : f.buf + f.len;
		if (!strstr(line, " users:((")) {
			assert_null(users);
			continue;
		}
		assert_int_equal(r, 1);
		assert_non_null(users);
		assert_ptr_equal(users, strstr(line, "users:(("));
		columns++;
		assert_int_equal(parse_ss_users(users, ulen, on_user, &u),
				 (int)count_sub(line, ",pid="));
		assert_int_equal(u.n, count_sub(line, ",pid="));
		for (unsigned i = 0; i < u.n; i++) {
			snprintf(want, sizeof(want), "\",pid=%d,fd=%d)", u.pid[i], u.fd[i]);
			assert_non_null(strstr(line, want));
			assert_true(strcmp(u.comm[i], names[0]) == 0 ||
				    strcmp(u.comm[i], names[1]) == 0);
			snprintf(want, sizeof(want), "(\"%s\",pid=%d,fd=%d)", u.comm[i], u.pid[i],
				 u.fd[i]);
			assert_non_null(strstr(line, want));
		}
		entries += u.n;
		/* the column without its padding, then every shorter prefix */
		core = ulen;
		while (core > 0 && users[core - 1] == ' ')
			core--;
		assert_true(parse_ss_users(users, core, NULL, NULL) > 0);
		for (size_t k = 0; k < core; k++)
			assert_int_equal(parse_ss_users(users, k, never, NULL), -EINVAL);
	}
	assert_int_equal(columns, count_sub(f.buf, " users:(("));
	assert_int_equal(entries, count_sub(f.buf, ",pid="));
	assert_true(entries >= 20);
	free(f.buf);
}

static void test_ss_users_inline(void **state)
{
	static const struct {
		const char *col;
		int n;            /* entries, or -EINVAL */
		const char *comm0;
		int pid0, fd0;
	} cases[] = {
		{ "users:((\"nginx\",pid=12,fd=7))", 1, "nginx", 12, 7 },
		{ "users:((\"\",pid=1,fd=0))", 1, "", 1, 0 },
		{ "users:((\"a b\",pid=5,fd=6),(\"c\",pid=7,fd=8))  timer:(keepalive,1min,0)", 2,
		  "a b", 5, 6 },
		/* ss -Z adds contexts after fd */
		{ "users:((\"x\",pid=3,fd=4,proc_ctx=unconfined_u:unconfined_t:s0))", 1, "x", 3, 4 },
		/* a name holding what follows a name */
		{ "users:((\"a\",pid=9,b\",pid=2,fd=3))", 1, "a\",pid=9,b", 2, 3 },
		{ "users:((\")\",pid=2,fd=3),(\"q\",pid=4,fd=5))", 2, ")", 2, 3 },
		{ "users:((\"a\",pid=1,fd=2)x\",pid=5,fd=6))", 1, "a\",pid=1,fd=2)x", 5, 6 },
		{ "users:((", -EINVAL, NULL, 0, 0 },
		{ "users:((\"a\",pid=1,fd=", -EINVAL, NULL, 0, 0 },
		{ "users:((\"a\",pid=1,fd=2)", -EINVAL, NULL, 0, 0 },
		{ "users:((\"a\",pid=1,fd=2),)", -EINVAL, NULL, 0, 0 },
		{ "users:((\"a\",pid=0,fd=2))", -EINVAL, NULL, 0, 0 },
		{ "users:((\"a\",pid=-1,fd=2))", -EINVAL, NULL, 0, 0 },
		{ "users:((\"a\",pid=99999999999,fd=2))", -EINVAL, NULL, 0, 0 },
		{ "users:((\"a\",pid=4194305,fd=2))", -EINVAL, NULL, 0, 0 },
		{ "users:((\"a\",pid=4194304,fd=999999999))", 1, "a", 4194304, 999999999 },
		{ "users:((\"a\",pid=x,fd=2))", -EINVAL, NULL, 0, 0 },
		{ "users:((a,pid=1,fd=2))", -EINVAL, NULL, 0, 0 },
		{ "users:((\"a\",fd=2,pid=1))", -EINVAL, NULL, 0, 0 },
		{ "users:((\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		  "\",pid=1,fd=2))", -EINVAL, NULL, 0, 0 },
		{ "timer:((\"a\",pid=1,fd=2))", -EINVAL, NULL, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct user_seen u = { 0 };
		int r = parse_ss_users(cases[i].col, strlen(cases[i].col),
				       cases[i].n < 0 ? never : on_user, &u);

		if (r != cases[i].n)
			fail_msg("'%s': %d entries, want %d", cases[i].col, r, cases[i].n);
		if (r > 0) {
			assert_string_equal(u.comm[0], cases[i].comm0);
			assert_int_equal(u.pid[0], cases[i].pid0);
			assert_int_equal(u.fd[0], cases[i].fd0);
		}
	}
}

/* ---- nft -j list ruleset ---- */

/* Real `nft -j list ruleset` (nftables 1.0.6) of a namespace with five
 * source NAT statements: masquerade to :1024-2047 random,fully-random;
 * snat to 192.0.2.1:3000-3999; masquerade fully-random; masquerade;
 * masquerade to :5000. Counts come from the text (strstr). */
static void test_nft_captured(void **state)
{
	struct file f = slurp(CAP "nft-ruleset.json");
	struct tw_error err = { "" };
	struct tw_nft_nat n;

	(void)state;
	assert_int_equal(parse_nft_ruleset(f.buf, f.len, "nft-ruleset.json", &n, &err), 0);
	assert_true(n.known);
	assert_int_equal(n.rules, count_sub(f.buf, "{\"masquerade\":") + count_sub(f.buf, "{\"snat\":"));
	assert_int_equal(n.rules, 5);
	assert_int_equal(n.random_fully, count_sub(f.buf, "\"fully-random\""));
	assert_int_equal(n.ports, 1);   /* "to :5000" */
	free(f.buf);
}

static void test_nft_inline(void **state)
{
	static const struct {
		const char *json;
		int r;
		uint64_t rules, ports, random_fully;
	} cases[] = {
		{ "{\"nftables\": [{\"metainfo\": {\"json_schema_version\": 1}}]}", 0, 0, 0, 0 },
		{ "{\"nftables\": [{\"rule\": {\"expr\": [{\"masquerade\": null}]}}]}", 0, 1, 64512, 0 },
		{ "{\"nftables\": [{\"rule\": {\"expr\": [{\"masquerade\": {\"port\": {\"range\": [1024, 2047]}, "
		  "\"flags\": [\"random\", \"fully-random\"]}}]}}, {\"rule\": {\"expr\": [{\"snat\": {\"addr\": "
		  "\"192.0.2.1\", \"port\": {\"range\": [3000, 3999]}}}]}}]}", 0, 2, 1000, 1 },
		{ "{\"nftables\": [{\"rule\": {\"expr\": [{\"masquerade\": {\"flags\": \"fully-random\"}}]}}]}",
		  0, 1, 64512, 1 },
		/* an iptables-nft rule is not a masquerade statement */
		{ "{\"nftables\": [{\"rule\": {\"expr\": [{\"xt\": {\"type\": \"target\", \"name\": \"MASQUERADE\"}}]}}]}",
		  0, 0, 0, 0 },
		{ "{\"nftables\": [{\"rule\": {\"expr\": [{\"masquerade\": {\"port\": {\"range\": [2000, 1000]}}}]}}]}",
		  -EINVAL, 0, 0, 0 },
		{ "{\"nftables\": [{\"rule\": {\"expr\": [{\"snat\": {\"port\": {\"range\": [1, 70000]}}}]}}]}",
		  -EINVAL, 0, 0, 0 },
		{ "{\"nftables\": [{\"rule\": {\"expr\": [{\"masquerade\": 7}]}}]}", -EINVAL, 0, 0, 0 },
		{ "{\"nftables\": {}}", -EINVAL, 0, 0, 0 },
		{ "[]", -EINVAL, 0, 0, 0 },
		{ "{\"nftables\": [", -EINVAL, 0, 0, 0 },
		{ "table ip nat { }", -EINVAL, 0, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tw_error err = { "" };
		struct tw_nft_nat n;
		int r = parse_nft_ruleset(cases[i].json, strlen(cases[i].json), "nft.json", &n, &err);

		if (r != cases[i].r)
			fail_msg("case %zu: %d, want %d (%s)", i, r, cases[i].r, err.msg);
		if (r == 0) {
			assert_int_equal(n.rules, cases[i].rules);
			assert_int_equal(n.random_fully, cases[i].random_fully);
			if (n.rules)
				assert_int_equal(n.ports, cases[i].ports);
		} else {
			assert_non_null(strstr(err.msg, "nft.json"));
		}
	}
}

/* ---- sockstat, netstat, snmp ---- */

static void test_sockstat_captured(void **state)
{
	struct file f = slurp(CAP "sockstat"), f6 = slurp(CAP "sockstat6");
	struct tw_counters c;
	struct tw_error err = { "" };
	unsigned long inuse, orphan, tw, alloc, mem, inuse6;
	const char *p = strstr(f.buf, "TCP: ");

	assert_non_null(p);
	assert_int_equal(sscanf(p, "TCP: inuse %lu orphan %lu tw %lu alloc %lu mem %lu", &inuse,
				&orphan, &tw, &alloc, &mem), 5);
	p = strstr(f6.buf, "TCP6: ");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "TCP6: inuse %lu", &inuse6), 1);

	memset(&c, 0, sizeof(c));
	assert_int_equal(parse_sockstat(f.buf, f.len, "sockstat", &c, &err), 0);
	assert_true(c.tcp_tw.known && c.tcp_inuse.known && c.tcp_orphan.known &&
		    c.tcp_alloc.known && c.tcp_mem_pages.known);
	assert_int_equal(c.tcp_tw.v, tw);
	assert_int_equal(c.tcp_tw.v, counts_value("time_wait"));
	assert_int_equal(c.tcp_inuse.v, inuse);
	assert_int_equal(c.tcp_orphan.v, orphan);
	assert_int_equal(c.tcp_alloc.v, alloc);
	assert_int_equal(c.tcp_mem_pages.v, mem);
	assert_false(c.tcp6_inuse.known);
	assert_int_equal(parse_sockstat6(f6.buf, f6.len, "sockstat6", &c, &err), 0);
	assert_true(c.tcp6_inuse.known);
	assert_int_equal(c.tcp6_inuse.v, inuse6);
	/* sockstat6 has no TCP: line, sockstat no TCP6: line */
	assert_int_equal(parse_sockstat(f6.buf, f6.len, "sockstat6", &c, &err), -EINVAL);
	assert_err_has(&err, "sockstat6");
	assert_int_equal(parse_sockstat6(f.buf, f.len, "sockstat", &c, &err), -EINVAL);
	free(f.buf);
	free(f6.buf);
}

static void expect_sockstat_einval(const char *file, const char *where)
{
	char path[512];
	struct file f;
	struct tw_counters c;
	struct tw_error err = { "" };

	snprintf(path, sizeof(path), HOS "%s", file);
	f = slurp(path);
	memset(&c, 0, sizeof(c));
	assert_int_equal(parse_sockstat(f.buf, f.len, file, &c, &err), -EINVAL);
	assert_err_has(&err, where);
	free(f.buf);
}

static void test_sockstat_hostile(void **state)
{
	expect_sockstat_einval("sockstat-absurd.txt", "sockstat-absurd.txt:2:");
	expect_sockstat_einval("sockstat-negative.txt", "sockstat-negative.txt:2:");
	expect_sockstat_einval("garbage.bin", "garbage.bin:1:");
	expect_sockstat_einval("empty.txt", "empty.txt");
}

/* Independent lookup of one field of a header/value pair. */
static long long pair_value(const char *buf, const char *prefix, const char *field,
			    unsigned *ret_nfields)
{
	char hdr[16384], val[16384], want[64];
	const char *p;
	char *save1, *save2, *h, *v;
	size_t n;
	unsigned count = 0;
	long long out = LLONG_MIN;

	snprintf(want, sizeof(want), "%s: ", prefix);
	p = strstr(buf, want);
	assert_non_null(p);
	n = strcspn(p, "\n");
	memcpy(hdr, p, n);
	hdr[n] = '\0';
	p += n + 1;
	n = strcspn(p, "\n");
	memcpy(val, p, n);
	val[n] = '\0';
	h = strtok_r(hdr, " ", &save1);
	v = strtok_r(val, " ", &save2);
	while ((h = strtok_r(NULL, " ", &save1)) && (v = strtok_r(NULL, " ", &save2))) {
		count++;
		if (strcmp(h, field) == 0)
			out = strtoll(v, NULL, 10);
	}
	*ret_nfields = count;
	return out;
}

static void test_pairs_captured(void **state)
{
	struct file nf = slurp(CAP "netstat"), sn = slurp(CAP "snmp");
	struct tw_counter_list l;
	struct tw_error err = { "" };
	unsigned nfields;
	int64_t v;

	memset(&l, 0, sizeof(l));
	assert_int_equal(parse_proc_net_pairs(nf.buf, nf.len, "netstat", "TcpExt", &l, &err), 0);
	assert_true(l.known);
	assert_int_equal(counter_list_get(&l, "TW", &v), 0);
	assert_int_equal(v, pair_value(nf.buf, "TcpExt", "TW", &nfields));
	assert_int_equal(l.n, nfields);
	assert_int_equal(counter_list_get(&l, "TCPTimeWaitOverflow", &v), 0);
	assert_int_equal(v, pair_value(nf.buf, "TcpExt", "TCPTimeWaitOverflow", &nfields));
	/* IpExt fields stay out */
	assert_int_equal(counter_list_get(&l, "InNoRoutes", &v), -ENOENT);
	counter_list_free(&l);

	/* "Tcp" must not match "TcpExt:" */
	assert_int_equal(parse_proc_net_pairs(nf.buf, nf.len, "netstat", "Tcp", &l, &err),
			 -EINVAL);
	assert_err_has(&err, "netstat");
	counter_list_free(&l);

	assert_int_equal(parse_proc_net_pairs(sn.buf, sn.len, "snmp", "Tcp", &l, &err), 0);
	assert_int_equal(counter_list_get(&l, "MaxConn", &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(counter_list_get(&l, "ActiveOpens", &v), 0);
	assert_int_equal(v, pair_value(sn.buf, "Tcp", "ActiveOpens", &nfields));
	assert_true(v >= (int64_t)counts_value("time_wait"));
	assert_int_equal(l.n, nfields);
	assert_int_equal(counter_list_get(&l, "InDatagrams", &v), -ENOENT);
	counter_list_free(&l);
	free(nf.buf);
	free(sn.buf);
}

static void expect_pairs_einval(const char *file, const char *where)
{
	char path[512];
	struct file f;
	struct tw_counter_list l;
	struct tw_error err = { "" };

	snprintf(path, sizeof(path), HOS "%s", file);
	f = slurp(path);
	memset(&l, 0, sizeof(l));
	assert_int_equal(parse_proc_net_pairs(f.buf, f.len, file, "TcpExt", &l, &err), -EINVAL);
	assert_err_has(&err, where);
	counter_list_free(&l);
	free(f.buf);
}

static void test_pairs_hostile(void **state)
{
	static const char lonely[] = "TcpExt: A B\nIpExt: C\nIpExt: 1\n";
	struct tw_counter_list l = { 0 };
	struct tw_error err = { "" };

	expect_pairs_einval("netstat-mismatch.txt", "netstat-mismatch.txt:2:");
	expect_pairs_einval("netstat-absurd.txt", "netstat-absurd.txt:2:");
	expect_pairs_einval("garbage.bin", "garbage.bin:1:");
	expect_pairs_einval("empty.txt", "empty.txt");
	assert_int_equal(parse_proc_net_pairs(lonely, strlen(lonely), "n", "TcpExt", &l, &err),
			 -EINVAL);
	assert_err_has(&err, "n:2:");
	counter_list_free(&l);
}

/* ---- slabinfo, meminfo, dmesg ---- */

static int slab_row(const char *buf, const char *name, unsigned long v[5])
{
	char want[64];
	const char *p;

	snprintf(want, sizeof(want), "\n%s ", name);
	p = strstr(buf, want);
	if (!p)
		return 0;
	return sscanf(p + strlen(want), "%lu %lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3], &v[4]) ==
	       5;
}

static void test_slabinfo_captured(void **state)
{
	struct file f = slurp(CAP "slabinfo");
	struct tw_memory m;
	struct tw_error err = { "" };
	unsigned long v[5];

	memset(&m, 0, sizeof(m));
	assert_int_equal(parse_slabinfo(f.buf, f.len, "slabinfo", &m, &err), 0);
	assert_true(m.slabinfo_known);
	assert_true(slab_row(f.buf, "tw_sock_TCP", v));
	assert_true(m.tw_sock_tcp.known);
	assert_int_equal(m.tw_sock_tcp.active_objs, v[0]);
	assert_int_equal(m.tw_sock_tcp.num_objs, v[1]);
	assert_int_equal(m.tw_sock_tcp.objsize, v[2]);
	assert_int_equal(m.tw_sock_tcp.objperslab, v[3]);
	assert_int_equal(m.tw_sock_tcp.pagesperslab, v[4]);
	assert_int_equal(m.tw_sock_tcpv6.known, slab_row(f.buf, "tw_sock_TCPv6", v));
	/* merged into another cache on this kernel: absent, so unknown */
	assert_int_equal(m.tcp_bind_bucket.known, slab_row(f.buf, "tcp_bind_bucket", v));
	free(f.buf);
}

static void test_meminfo_captured(void **state)
{
	struct file f = slurp(CAP "meminfo");
	struct tw_memory m;
	struct tw_error err = { "" };
	unsigned long total;

	assert_int_equal(sscanf(f.buf, "MemTotal: %lu kB", &total), 1);
	memset(&m, 0, sizeof(m));
	assert_int_equal(parse_meminfo(f.buf, f.len, "meminfo", &m, &err), 0);
	assert_true(m.mem_total_kb.known);
	assert_int_equal(m.mem_total_kb.v, total);
	free(f.buf);
}

static void test_dmesg(void **state)
{
	struct file f = slurp(CAP "dmesg.txt");
	struct tw_memory m;
	struct tw_error err = { "" };
	unsigned long eh, bh;
	const char *p;
	static const char journal[] =
		"Nov 20 10:00:00 host kernel: TCP established hash table entries: 1024 (order: 1)\n"
		"Nov 20 10:00:00 host kernel: TCP bind hash table entries: 512 (order: 1)\n"
		"-- Boot 0123 --\n"
		"Nov 21 10:00:00 host kernel: MPTCP token hash table entries: 32768 (order: 8)\n"
		"Nov 21 10:00:00 host kernel: TCP established hash table entries: 4096 (order: 2)\n"
		"Nov 21 10:00:00 host kernel: TCP bind hash table entries: 2048 (order: 2)\n";
	static const char none[] = "[    0.000000] Linux version 6.1\n";

	p = strstr(f.buf, "TCP established hash table entries: ");
	assert_non_null(p);
	eh = strtoul(p + strlen("TCP established hash table entries: "), NULL, 10);
	p = strstr(f.buf, "TCP bind hash table entries: ");
	assert_non_null(p);
	bh = strtoul(p + strlen("TCP bind hash table entries: "), NULL, 10);
	memset(&m, 0, sizeof(m));
	assert_int_equal(parse_dmesg(f.buf, f.len, "dmesg.txt", &m, &err), 0);
	assert_true(m.ehash_entries.known && m.bhash_entries.known);
	assert_int_equal(m.ehash_entries.v, eh);
	assert_int_equal(m.bhash_entries.v, bh);
	assert_int_equal(m.ehash_entries.v, 262144);
	free(f.buf);

	memset(&m, 0, sizeof(m));
	assert_int_equal(parse_dmesg(journal, strlen(journal), "j", &m, &err), 0);
	assert_int_equal(m.ehash_entries.v, 4096);
	assert_int_equal(m.bhash_entries.v, 2048);

	memset(&m, 0, sizeof(m));
	assert_int_equal(parse_dmesg(none, strlen(none), "n", &m, &err), 0);
	assert_false(m.ehash_entries.known);
	assert_false(m.bhash_entries.known);
}

static void test_meta(void **state)
{
	static const char good[] =
		"# twadvise --capture\nhostname db-3.example\ncaptured_at 2026-12-02T01:00:00Z\n"
		"kernel 6.1.0-18-amd64\ntwadvise_version 1.0\nnetns blue\nlater_key x y\n"
		"in_container yes\n";
	static const struct {
		const char *text;
		const char *where;
	} bad[] = {
		{ "hostname\n", "m:1: expected" },
		{ "hostname a\nhostname b\n", "m:2: 'hostname' given twice" },
		{ "\nnetns ../x\n", "m:2: not a namespace name" },
		{ "netns a/b\n", "m:1: not a namespace name" },
		{ "in_container maybe\n", "m:1: in_container is yes or no" },
		{ "hostname a\x01b\n", "m:1: value empty" },
	};
	struct tw_snapshot_meta m = { 0 };
	struct tw_error err;

	(void)state;
	assert_int_equal(parse_meta(good, strlen(good), "m", &m, &err), 0);
	assert_true(m.read);
	assert_string_equal(m.hostname, "db-3.example");
	assert_string_equal(m.captured_at, "2026-12-02T01:00:00Z");
	assert_string_equal(m.kernel, "6.1.0-18-amd64");
	assert_string_equal(m.version, "1.0");
	assert_string_equal(m.netns, "blue");
	assert_true(m.in_container.known && m.in_container.v == 1);
	snapshot_meta_free(&m);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&m, 0, sizeof(m));
		assert_true(parse_meta(bad[i].text, strlen(bad[i].text), "m", &m, &err) < 0);
		assert_non_null(strstr(err.msg, bad[i].where));
		assert_false(m.read);
		snapshot_meta_free(&m);
	}
}

static void test_memory_hostile(void **state)
{
	static const struct {
		const char *file;
		int which;   /* 0 slabinfo, 1 meminfo, 2 dmesg */
		const char *where;
	} cases[] = {
		{ "slabinfo-version.txt", 0, "slabinfo-version.txt:1:" },
		{ "slabinfo-bad-row.txt", 0, "slabinfo-bad-row.txt:4:" },
		{ "garbage.bin", 0, "garbage.bin:1:" },
		{ "empty.txt", 0, "empty.txt:1:" },
		{ "meminfo-absurd.txt", 1, "meminfo-absurd.txt:1:" },
		{ "garbage.bin", 1, "garbage.bin:1:" },
		{ "empty.txt", 1, "empty.txt" },
		{ "dmesg-absurd.txt", 2, "dmesg-absurd.txt:1:" },
		{ "garbage.bin", 2, "garbage.bin:1:" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[512];
		struct file f;
		struct tw_memory m;
		struct tw_error err = { "" };
		int r;

		snprintf(path, sizeof(path), HOS "%s", cases[i].file);
		f = slurp(path);
		memset(&m, 0, sizeof(m));
		if (cases[i].which == 0)
			r = parse_slabinfo(f.buf, f.len, cases[i].file, &m, &err);
		else if (cases[i].which == 1)
			r = parse_meminfo(f.buf, f.len, cases[i].file, &m, &err);
		else
			r = parse_dmesg(f.buf, f.len, cases[i].file, &m, &err);
		if (r != -EINVAL)
			fail_msg("%s (%d): got %d", cases[i].file, cases[i].which, r);
		assert_err_has(&err, cases[i].where);
		free(f.buf);
	}
}

/* ---- nf_conntrack ---- */

static void test_conntrack_captured(void **state)
{
	struct file f = slurp(CAP "nf_conntrack");
	struct tw_conntrack c;
	struct tw_error err = { "" };

	memset(&c, 0, sizeof(c));
	assert_int_equal(parse_nf_conntrack(f.buf, f.len, "nf_conntrack", &c, &err), 0);
	assert_true(c.table_known);
	assert_int_equal(c.entries, count_lines_with(f.buf, "ipv", 1));
	assert_int_equal(c.tcp_entries, count_lines_with(f.buf, " tcp ", 0));
	assert_int_equal(c.tcp_time_wait, count_lines_with(f.buf, " TIME_WAIT ", 0));
	assert_int_equal(c.entries, 5);
	assert_int_equal(c.tcp_entries, 4);
	assert_int_equal(c.tcp_time_wait, 3);
	free(f.buf);
}

static void test_conntrack_inline(void **state)
{
	/* offloaded flows print neither timeout nor state */
	static const char text[] =
		"ipv4     2 tcp      6 src=1.1.1.1 dst=2.2.2.2 sport=1 dport=2 [OFFLOAD] mark=0 use=2\n"
		"ipv4     2 icmp     1 29 src=1.1.1.1 dst=2.2.2.2 type=8 code=0 id=1 src=2.2.2.2 dst=1.1.1.1 type=0 code=0 id=1 mark=0 use=1\n"
		"ipv4     2 tcp      6 10 CLOSE src=1.1.1.1 dst=2.2.2.2 sport=3 dport=4 mark=0 use=1\n";
	struct tw_conntrack c;
	struct tw_error err = { "" };

	memset(&c, 0, sizeof(c));
	assert_int_equal(parse_nf_conntrack(text, strlen(text), "ct", &c, &err), 0);
	assert_int_equal(c.entries, 3);
	assert_int_equal(c.tcp_entries, 2);
	assert_int_equal(c.tcp_time_wait, 0);

	/* an empty table is valid */
	memset(&c, 0, sizeof(c));
	assert_int_equal(parse_nf_conntrack("", 0, "ct", &c, &err), 0);
	assert_true(c.table_known);
	assert_int_equal(c.entries, 0);
}

static void test_conntrack_hostile(void **state)
{
	static const struct {
		const char *file;
		const char *where;
	} cases[] = {
		{ "nf_conntrack-truncated.txt", "nf_conntrack-truncated.txt:2:" },
		{ "garbage.bin", "garbage.bin:1:" },
		{ "sockstat-absurd.txt", "sockstat-absurd.txt:1:" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[512];
		struct file f;
		struct tw_conntrack c;
		struct tw_error err = { "" };

		snprintf(path, sizeof(path), HOS "%s", cases[i].file);
		f = slurp(path);
		memset(&c, 0, sizeof(c));
		assert_int_equal(parse_nf_conntrack(f.buf, f.len, cases[i].file, &c, &err),
				 -EINVAL);
		assert_err_has(&err, cases[i].where);
		free(f.buf);
	}
}


/* ---- TIME_WAIT timers and the in-place address parser ------------------ */

/* ss's print_ms_timer() forms, each from the formula in misc/ss.c. */
static void test_ss_timer_forms(void **state)
{
	static const struct {
		const char *text;
		int ret;
		uint32_t ms;
	} cases[] = {
		{ "", 0, 0 },            { "59sec", 0, 59000 },     { "1min", 0, 60000 },
		{ "5.123sec", 0, 5123 }, { "5.123ms", 0, 5123 },    { "123ms", 0, 123 },
		{ "9.007sec", 0, 9007 }, { "1min30sec", 0, 90000 }, { "10min", 0, 600000 },
		{ "sec", -EINVAL, 0 },   { "5.12sec", -EINVAL, 0 }, { "59", -EINVAL, 0 },
		{ "59secs", -EINVAL, 0 }, { "1000ms", -EINVAL, 0 }, { "-1sec", -EINVAL, 0 },
		{ "59sec59sec", -EINVAL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t ms = 0xdead;
		int r = parse_ss_timer_ms(cases[i].text, strlen(cases[i].text), &ms);

		if (r != cases[i].ret || (r == 0 && ms != cases[i].ms))
			fail_msg("'%s': %d %u, want %d %u", cases[i].text, r, ms, cases[i].ret,
				 cases[i].ms);
	}
	/* Every millisecond count of a TIME_WAIT socket, printed as ss does,
	 * reads back exactly (ss drops the milliseconds from 10 s on). */
	for (uint32_t t = 0; t <= 60000; t++) {
		unsigned secs = t / 1000, minutes = secs / 60, msecs = t % 1000;
		char buf[64] = "";
		uint32_t ms, want = t;

		secs %= 60;
		if (minutes) {
			msecs = 0;
			snprintf(buf, sizeof(buf), "%umin", minutes);
		}
		if (secs) {
			if (secs > 9)
				msecs = 0;
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%u%s", secs,
				 msecs ? "." : "sec");
		}
		if (msecs)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%03u%s", msecs,
				 secs ? "sec" : "ms");
		if (t >= 10000)
			want = t / 1000 * 1000;
		assert_int_equal(parse_ss_timer_ms(buf, strlen(buf), &ms), 0);
		if (ms != want)
			fail_msg("%u ms printed '%s' read back as %u", t, buf, ms);
	}
}

static void test_ss_timer_lines(void **state)
{
	static const struct {
		const char *line;
		int ret;
		bool known;
		uint32_t ms;
	} cases[] = {
		{ "TIME-WAIT 0 0 127.0.0.1:40000 127.0.0.1:80 timer:(timewait,59sec,0)", 1, true, 59000 },
		{ "TIME-WAIT 0 0 127.0.0.1:40000 127.0.0.1:80 timer:(timewait,,0)", 1, true, 0 },
		{ "TIME-WAIT 0 0 127.0.0.1:40000 127.0.0.1:80 timer:(timewait,5.250sec,0)", 1, true, 5250 },
		{ "TIME-WAIT 0 0 [::1]:40000 [::1]:80 users:((\"x\",pid=1,fd=3)) timer:(timewait,31sec,0)", 1, true, 31000 },
		{ "0 0 127.0.0.1:40000 127.0.0.1:80 timer:(timewait,1min,0)", 1, true, 60000 },
		{ "TIME-WAIT 0 0 127.0.0.1:40000 127.0.0.1:80", 1, false, 0 },
		/* another timer, or another state: not a TIME_WAIT age */
		{ "ESTAB 0 0 127.0.0.1:40000 127.0.0.1:80 timer:(keepalive,119min,0)", 1, false, 0 },
		{ "TIME-WAIT 0 0 127.0.0.1:40000 127.0.0.1:80 timer:(on,200ms,0)", 1, false, 0 },
		/* netstat -tano */
		{ "tcp 0 0 127.0.0.1:40000 127.0.0.1:80 TIME_WAIT timewait (58.93/0/0)", 1, true, 58930 },
		{ "tcp 0 0 127.0.0.1:40000 127.0.0.1:80 TIME_WAIT off (0.00/0/0)", 1, false, 0 },
		/* malformed */
		{ "TIME-WAIT 0 0 127.0.0.1:40000 127.0.0.1:80 timer:(timewait,59xyz,0)", -EINVAL, false, 0 },
		{ "TIME-WAIT 0 0 127.0.0.1:40000 127.0.0.1:80 timer:(timewait,59sec", -EINVAL, false, 0 },
		{ "TIME-WAIT 0 0 127.0.0.1:40000 127.0.0.1:80 timer:(timewait)", -EINVAL, false, 0 },
		{ "tcp 0 0 127.0.0.1:40000 127.0.0.1:80 TIME_WAIT timewait (x/0/0)", -EINVAL, false, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tw_error err = { "" };
		struct tw_sock s;
		int r = parse_ss_line(cases[i].line, strlen(cases[i].line), "ss.txt", 3, &s, &err);

		if (r != cases[i].ret)
			fail_msg("'%s': %d, want %d (%s)", cases[i].line, r, cases[i].ret, err.msg);
		if (r < 0) {
			assert_err_has(&err, "ss.txt:3: bad timer");
			continue;
		}
		if (s.expires_known != cases[i].known || (s.expires_known && s.expires_ms != cases[i].ms))
			fail_msg("'%s': timer %d %u", cases[i].line, s.expires_known, s.expires_ms);
	}
}

/* /proc/net/tcp "tr:when": tr 3 is the timewait timer, 'when' in USER_HZ
 * ticks (jiffies_delta_to_clock_t). */
static void test_proc_tcp_timer(void **state)
{
	long hz = sysconf(_SC_CLK_TCK);
	char line[512];
	struct tw_error err = { "" };
	struct tw_sock s;

	(void)state;
	assert_true(hz > 0);
	/* 42.5 s left */
	snprintf(line, sizeof(line),
		 "   3: 0100007F:9C40 0100007F:0050 06 00000000:00000000 03:%08lX 00000000     0        0 0 3 0000000000000000",
		 (unsigned long)(42.5 * (double)hz));
	assert_int_equal(parse_proc_net_tcp_line(line, strlen(line), AF_INET, "tcp", 4, &s, &err), 1);
	assert_int_equal(s.state, TW_TCP_TIME_WAIT);
	assert_true(s.expires_known);
	assert_int_equal(s.expires_ms, 42500);
	/* ESTABLISHED with a retransmit timer (tr 1): no TIME_WAIT age. */
	snprintf(line, sizeof(line),
		 "   3: 0100007F:9C40 0100007F:0050 01 00000000:00000000 01:00000014 00000000     0        0 777 1 0000000000000000 20 4 30 10 -1");
	assert_int_equal(parse_proc_net_tcp_line(line, strlen(line), AF_INET, "tcp", 4, &s, &err), 1);
	assert_false(s.expires_known);
	assert_int_equal(s.inode, 777);
	/* A malformed timer field is an error. */
	snprintf(line, sizeof(line),
		 "   3: 0100007F:9C40 0100007F:0050 06 00000000:00000000 03-00001000 00000000     0        0 0 3 0000000000000000");
	assert_int_equal(parse_proc_net_tcp_line(line, strlen(line), AF_INET, "tcp", 4, &s, &err), -EINVAL);
}

/* text_parse_addr() accepts exactly what inet_pton() accepts, with the
 * same bytes: tried on edge cases and on random strings over the
 * address alphabet. */
static void check_addr_like_pton(const char *text)
{
	uint8_t want4[4], want6[16];
	struct tw_addr got, ref;
	size_t n = strlen(text);
	int r = text_parse_addr(text, n, &got);
	bool v4 = inet_pton(AF_INET, text, want4) == 1;
	bool v6 = !v4 && inet_pton(AF_INET6, text, want6) == 1;

	if ((r == 0) != (v4 || v6) && !(n == 1 && text[0] == '*') && !strchr(text, '%') &&
	    !strchr(text, '['))
		fail_msg("'%s': text_parse_addr %d, inet_pton %s", text, r, v4 || v6 ? "ok" : "fails");
	if (r == 0 && (v4 || v6)) {
		tw_addr_from_raw(v4 ? AF_INET : AF_INET6, v4 ? (void *)want4 : (void *)want6, &ref);
		if (!tw_addr_equal(&got, &ref))
			fail_msg("'%s': bytes differ from inet_pton", text);
	}
}

static void test_addr_like_pton(void **state)
{
	static const char *const edge[] = {
		"1.2.3.4", "255.255.255.255", "256.1.1.1", "01.2.3.4", "0.0.0.0", "1.2.3", "1.2.3.4.5",
		"1..2.3", ".1.2.3", "1.2.3.", "::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9",
		"1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7", "1::2::3", ":1::", "1:::2", "12345::", "::ffff:1.2.3.4",
		"::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "::ffff:1.2.3", "fe80::1",
		"FE80::ABCD", "::g", "", ":", "1:", "1.2.3.04", "::ffff:01.2.3.4", "0:0:0:0:0:0:0:0",
		"1:2:3:4:5:6:7::8",
	};
	static const char alphabet[] = "0123456789abcdefABCDEF:.:.";

	(void)state;
	for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		check_addr_like_pton(edge[i]);
	srand(12345);
	for (int i = 0; i < 200000; i++) {
		char text[48];
		int n = 1 + rand() % 40;

		for (int k = 0; k < n; k++)
			text[k] = alphabet[rand() % (int)(sizeof(alphabet) - 1)];
		text[n] = '\0';
		check_addr_like_pton(text);
	}
	/* Forms inet_pton does not take but ss prints. */
	{
		struct tw_addr a;

		assert_int_equal(text_parse_addr("[::1]", 5, &a), 0);
		assert_int_equal(a.family, AF_INET6);
		assert_int_equal(text_parse_addr("*", 1, &a), 0);
		assert_int_equal(a.family, AF_INET);
		assert_int_equal(text_parse_addr("fe80::1%eth0", 12, &a), 0);
		assert_int_equal(a.a[0], 0xfe);
		assert_int_equal(text_parse_addr("[::ffff:10.0.0.1]", 17, &a), 0);
		assert_int_equal(a.family, AF_INET);
		assert_int_equal(a.a[3], 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysctl_captured),
		cmocka_unit_test(test_sysctl_inline),
		cmocka_unit_test(test_sysctl_hostile),
		cmocka_unit_test(test_ss_lines),
		cmocka_unit_test(test_ss_families),
		cmocka_unit_test(test_ss_captured),
		cmocka_unit_test(test_ss_hostile),
		cmocka_unit_test(test_ss_users_captured),
		cmocka_unit_test(test_ss_users_inline),
		cmocka_unit_test(test_nft_captured),
		cmocka_unit_test(test_nft_inline),
		cmocka_unit_test(test_ss_timer_forms),
		cmocka_unit_test(test_ss_timer_lines),
		cmocka_unit_test(test_proc_tcp_timer),
		cmocka_unit_test(test_addr_like_pton),
		cmocka_unit_test(test_sockstat_captured),
		cmocka_unit_test(test_sockstat_hostile),
		cmocka_unit_test(test_pairs_captured),
		cmocka_unit_test(test_pairs_hostile),
		cmocka_unit_test(test_slabinfo_captured),
		cmocka_unit_test(test_meminfo_captured),
		cmocka_unit_test(test_dmesg),
		cmocka_unit_test(test_memory_hostile),
		cmocka_unit_test(test_conntrack_captured),
		cmocka_unit_test(test_conntrack_inline),
		cmocka_unit_test(test_conntrack_hostile),
		cmocka_unit_test(test_meta),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
