/* SPDX-License-Identifier: MIT */
/* test_live.c: the live collector's pure parts on recorded data.
 *
 * sockdiag_parse() replays netlink dumps recorded by
 * tests/fixtures/netlink/record.sh (counts in COUNTS beside them), and
 * must survive every truncation and garbling of them; the
 * /proc/net/tcp{,6} copies recorded at the same moment must give the same
 * sockets through parse_proc_net_tcp_line(). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "collect/nl_dump.h"
#include "collect/parsers.h"
#include "collect/sockdiag.h"
#include "util/fileio.h"

#define NL_DIR TW_FIXTURES "/netlink"
#define TCP_DIR TW_FIXTURES "/proc-net-tcp"

static char *slurp(const char *path, size_t *len)
{
	struct tw_error err;
	char *buf = NULL;

	if (tw_read_file(path, 64u << 20, &buf, len, &err) < 0)
		fail_msg("%s", err.msg);
	return buf;
}

/* "name=N" from COUNTS. */
static unsigned long recorded(const char *name)
{
	size_t len;
	char *buf = slurp(NL_DIR "/COUNTS", &len);
	char *p = buf;
	unsigned long v = 0;
	bool found = false;

	while (p && *p) {
		size_t n = strlen(name);

		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			v = strtoul(p + n + 1, NULL, 10);
			found = true;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	free(buf);
	if (!found)
		fail_msg("COUNTS has no %s", name);
	return v;
}

/* A copy of exactly 'len' bytes, so valgrind sees any read past it. */
static void *exact_copy(const void *src, size_t len)
{
	void *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, src, len);
	return p;
}

#define MAX_SOCKS 256
struct collected {
	size_t n;
	struct tw_sock s[MAX_SOCKS];
	unsigned states[16];
	int fail_at;   /* >0: callback fails on that socket */
};

static int collect_cb(const struct tw_sock *s, void *data)
{
	struct collected *c = data;

	if (c->fail_at && (int)c->n + 1 == c->fail_at)
		return -ECANCELED;
	if (c->n < MAX_SOCKS)
		c->s[c->n] = *s;
	c->n++;
	if (s->state < 16)
		c->states[s->state]++;
	return 0;
}

static int parse_file(const char *path, struct collected *c)
{
	size_t len;
	char *buf = slurp(path, &len);
	void *copy = exact_copy(buf, len);
	struct tw_error err;
	int r;

	memset(c, 0, sizeof(*c));
	r = sockdiag_parse(copy, len, collect_cb, c, &err);
	free(copy);
	free(buf);
	return r;
}

static void test_recorded_counts(void **state)
{
	static const char *const names[] = { "listen-4", "listen-6", "timewait-4",
					     "timewait-6", "all-4", "all-6" };
	struct collected c;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[512];

		snprintf(path, sizeof(path), NL_DIR "/%s.bin", names[i]);
		assert_int_equal(parse_file(path, &c), SOCKDIAG_DONE);
		assert_int_equal(c.n, recorded(names[i]));
	}
	/* The scenario of record.sh. */
	assert_int_equal(parse_file(NL_DIR "/timewait-4.bin", &c), SOCKDIAG_DONE);
	assert_int_equal(c.n, 17);
	assert_int_equal(c.states[TW_TCP_TIME_WAIT], 17);
	assert_int_equal(parse_file(NL_DIR "/timewait-6.bin", &c), SOCKDIAG_DONE);
	assert_int_equal(c.n, 14);
	assert_int_equal(parse_file(NL_DIR "/listen-4.bin", &c), SOCKDIAG_DONE);
	assert_int_equal(c.states[TW_TCP_LISTEN], 2);
	assert_int_equal(parse_file(NL_DIR "/listen-6.bin", &c), SOCKDIAG_DONE);
	assert_int_equal(c.states[TW_TCP_LISTEN], 3);
}

/* Replies to the one-dump request (TCPDIAG_GETSOCK) carry that type and
 * the same payload: a recorded dump with its socket messages retyped
 * parses into the same sockets, and nl_dump_scan() finds its end. */
static void test_single_dump_type(void **state)
{
	static struct collected a, b;
	size_t len, retyped = 0;
	char *buf = slurp(NL_DIR "/all-6.bin", &len);
	unsigned char *copy = exact_copy(buf, len);
	struct tw_error err;

	(void)state;
	assert_int_equal(sockdiag_parse(copy, len, collect_cb, memset(&a, 0, sizeof(a)), &err),
			 SOCKDIAG_DONE);
	for (size_t off = 0; off + sizeof(struct nlmsghdr) <= len;) {
		struct nlmsghdr *h = (struct nlmsghdr *)(void *)(copy + off);

		if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
			h->nlmsg_type = TCPDIAG_GETSOCK;
			retyped++;
		}
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	assert_true(retyped > 0);
	assert_int_equal(sockdiag_parse(copy, len, collect_cb, memset(&b, 0, sizeof(b)), &err),
			 SOCKDIAG_DONE);
	assert_int_equal(a.n, b.n);
	assert_int_equal(retyped, a.n);
	assert_memory_equal(a.s, b.s, sizeof(a.s[0]) * (a.n < MAX_SOCKS ? a.n : MAX_SOCKS));
	assert_int_equal(nl_dump_scan(copy, len), NL_DUMP_DONE);
	free(copy);
	free(buf);
}

static void test_timewait_details(void **state)
{
	struct collected c;
	unsigned mapped = 0, v6 = 0, client = 0, server = 0;

	(void)state;
	assert_int_equal(parse_file(NL_DIR "/timewait-6.bin", &c), SOCKDIAG_DONE);
	for (size_t i = 0; i < c.n; i++) {
		const struct tw_sock *s = &c.s[i];

		assert_int_equal(s->state, TW_TCP_TIME_WAIT);
		assert_true(s->inode_known);
		assert_int_equal(s->inode, 0);   /* TIME_WAIT sockets hold no inode */
		/* timer 3 with the milliseconds left, never more than 60 s */
		assert_true(s->expires_known);
		assert_true(s->expires_ms <= 60000);
		if (s->local.family == AF_INET) {
			/* ::ffff:127.0.0.1 normalised to IPv4 */
			assert_true(tw_addr_is_loopback(&s->local));
			assert_int_equal(s->lport, 7070);
			mapped++;
		} else {
			v6++;
			if (s->rport == 8080)
				client++;
			else if (s->lport == 9090)
				server++;
		}
	}
	assert_int_equal(mapped, 3);
	assert_int_equal(v6, 11);
	assert_int_equal(client, 7);
	assert_int_equal(server, 4);
}

/* Every prefix of a recording parses or fails cleanly; a cut inside a
 * message is -EBADMSG. */
static void test_truncated(void **state)
{
	size_t len;
	char *buf = slurp(NL_DIR "/timewait-4.bin", &len);
	struct collected c;
	struct tw_error err;

	(void)state;
	for (size_t cut = 0; cut < len; cut++) {
		void *copy = exact_copy(buf, cut);
		size_t off = 0;
		bool boundary = false;
		int r;

		/* Is 'cut' at a message boundary? */
		while (off < cut) {
			const struct nlmsghdr *h = (const void *)(buf + off);

			off += NLMSG_ALIGN(h->nlmsg_len);
		}
		boundary = off == cut;
		memset(&c, 0, sizeof(c));
		r = sockdiag_parse(copy, cut, collect_cb, &c, &err);
		if (boundary)
			assert_true(r >= 0);
		else
			assert_int_equal(r, -EBADMSG);
		free(copy);
	}
	free(buf);
}

/* Garbled bytes: any result, never a crash (valgrind checks the reads). */
static void test_garbled(void **state)
{
	size_t len;
	char *buf = slurp(NL_DIR "/all-6.bin", &len);
	struct collected c;
	struct tw_error err;
	unsigned seed = 12345;

	(void)state;
	for (int round = 0; round < 2000; round++) {
		char *copy = exact_copy(buf, len);
		int flips = 1 + round % 8;

		for (int i = 0; i < flips; i++) {
			seed = seed * 1103515245u + 12345u;
			copy[(seed >> 8) % len] = (char)(seed >> 3);
		}
		memset(&c, 0, sizeof(c));
		(void)sockdiag_parse(copy, len, collect_cb, &c, &err);
		free(copy);
	}
	free(buf);
}

static void test_error_and_flags(void **state)
{
	struct {
		struct nlmsghdr h;
		struct nlmsgerr e;
	} msg;
	struct {
		struct nlmsghdr h;
		int v;
	} done;
	struct collected c = { 0 };
	struct tw_error err;
	size_t len;
	char *buf;

	(void)state;
	memset(&msg, 0, sizeof(msg));
	msg.h.nlmsg_len = sizeof(msg);
	msg.h.nlmsg_type = NLMSG_ERROR;
	msg.e.error = -EPERM;
	assert_int_equal(sockdiag_parse(&msg, sizeof(msg), collect_cb, &c, &err), -EPERM);
	assert_non_null(strstr(err.msg, "sock_diag"));
	msg.e.error = 5;   /* not a negative errno */
	assert_int_equal(sockdiag_parse(&msg, sizeof(msg), collect_cb, &c, &err), -EBADMSG);
	msg.e.error = 0;   /* an acknowledgement */
	assert_int_equal(sockdiag_parse(&msg, sizeof(msg), collect_cb, &c, &err), 0);

	memset(&done, 0, sizeof(done));
	done.h.nlmsg_len = sizeof(done);
	done.h.nlmsg_type = NLMSG_DONE;
	done.h.nlmsg_flags = NLM_F_MULTI | NLM_F_DUMP_INTR;
	assert_int_equal(sockdiag_parse(&done, sizeof(done), collect_cb, &c, &err),
			 SOCKDIAG_DONE | SOCKDIAG_INTR);
	done.h.nlmsg_type = 0x99;
	assert_int_equal(sockdiag_parse(&done, sizeof(done), collect_cb, &c, &err), -EBADMSG);
	done.h.nlmsg_len = 8;   /* shorter than a header */
	done.h.nlmsg_type = NLMSG_DONE;
	assert_int_equal(sockdiag_parse(&done, sizeof(done), collect_cb, &c, &err), -EBADMSG);

	/* The callback's error stops the walk and is returned. */
	buf = slurp(NL_DIR "/timewait-4.bin", &len);
	memset(&c, 0, sizeof(c));
	c.fail_at = 3;
	assert_int_equal(sockdiag_parse(buf, len, collect_cb, &c, &err), -ECANCELED);
	assert_int_equal(c.n, 2);
	free(buf);
}

/* ---- /proc/net/tcp ------------------------------------------------------ */

static void parse_tcp_file(const char *path, int family, struct collected *c)
{
	size_t len;
	char *buf = slurp(path, &len);
	char *p = buf;
	unsigned lineno = 0;
	struct tw_error err;

	memset(c, 0, sizeof(*c));
	while (*p) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = exact_copy(p, n);
		struct tw_sock s;
		int r;

		r = parse_proc_net_tcp_line(line, n, family, path, ++lineno, &s, &err);
		if (r < 0)
			fail_msg("%s", err.msg);
		if (lineno == 1)
			assert_int_equal(r, 0);   /* header */
		if (r == 1)
			collect_cb(&s, c);
		free(line);
		p = nl ? nl + 1 : p + n;
	}
	free(buf);
}

static int cmp_sock(const void *a, const void *b)
{
	const struct tw_sock *x = a, *y = b;
	int r = memcmp(&x->local, &y->local, sizeof(x->local));

	if (!r)
		r = memcmp(&x->remote, &y->remote, sizeof(x->remote));
	if (!r)
		r = (int)x->lport - (int)y->lport;
	if (!r)
		r = (int)x->rport - (int)y->rport;
	if (!r)
		r = (int)x->state - (int)y->state;
	return r;
}

static void same_sockets(struct collected *a, struct collected *b)
{
	assert_int_equal(a->n, b->n);
	qsort(a->s, a->n, sizeof(a->s[0]), cmp_sock);
	qsort(b->s, b->n, sizeof(b->s[0]), cmp_sock);
	for (size_t i = 0; i < a->n; i++) {
		assert_int_equal(cmp_sock(&a->s[i], &b->s[i]), 0);
		assert_int_equal(a->s[i].inode, b->s[i].inode);
	}
}

static void test_proc_net_tcp_fixtures(void **state)
{
	struct collected p4, p6, n4, n6;

	(void)state;
	parse_tcp_file(TCP_DIR "/tcp", AF_INET, &p4);
	parse_tcp_file(TCP_DIR "/tcp6", AF_INET6, &p6);
	assert_int_equal(p4.states[TW_TCP_TIME_WAIT], recorded("timewait-4"));
	assert_int_equal(p6.states[TW_TCP_TIME_WAIT], recorded("timewait-6"));
	assert_int_equal(p4.states[TW_TCP_LISTEN], recorded("listen-4"));
	assert_int_equal(p6.states[TW_TCP_LISTEN], recorded("listen-6"));
	/* Same moment, same sockets as the netlink recording of all states. */
	assert_int_equal(parse_file(NL_DIR "/all-4.bin", &n4), SOCKDIAG_DONE);
	assert_int_equal(parse_file(NL_DIR "/all-6.bin", &n6), SOCKDIAG_DONE);
	same_sockets(&p4, &n4);
	same_sockets(&p6, &n6);
}

static void test_proc_net_tcp_lines(void **state)
{
	struct tw_error err;
	struct tw_sock s;
	char text[TW_ADDR_STRLEN];
	const char *l4 = "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 "
			 "00000000     0        0 4242 1 0000000000000000 100 0 0 10 0";
	const char *tw4 = "   3: 0100007F:A3C2 0100007F:1F90 06 00000000:00000000 03:00001770 "
			  "00000000     0        0 0 3 0000000000000000";
	const char *m6 = "   1: 0000000000000000FFFF00000100007F:1B9E "
			 "0000000000000000FFFF00000100007F:B1F0 06 00000000:00000000 03:00000D2A "
			 "00000000     0        0 0 3 0000000000000000";
	const char *v6 = "   0: 00000000000000000000000001000000:2382 "
			 "00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 "
			 "00000000     0        0 77 1 0000000000000000 100 0 0 10 0";

	(void)state;
	assert_int_equal(parse_proc_net_tcp_line(l4, strlen(l4), AF_INET, "tcp", 2, &s, &err), 1);
	assert_int_equal(s.state, TW_TCP_LISTEN);
	assert_int_equal(s.lport, 8080);
	assert_int_equal(s.inode, 4242);
	tw_addr_format(&s.local, text);
	assert_string_equal(text, "127.0.0.1");
	assert_int_equal(parse_proc_net_tcp_line(tw4, strlen(tw4), AF_INET, "tcp", 3, &s, &err), 1);
	assert_int_equal(s.state, TW_TCP_TIME_WAIT);
	assert_int_equal(s.lport, 0xA3C2);
	assert_int_equal(s.rport, 8080);
	assert_int_equal(parse_proc_net_tcp_line(m6, strlen(m6), AF_INET6, "tcp6", 2, &s, &err), 1);
	assert_int_equal(s.local.family, AF_INET);   /* v4-mapped normalised */
	tw_addr_format(&s.remote, text);
	assert_string_equal(text, "127.0.0.1");
	assert_int_equal(s.lport, 7070);
	assert_int_equal(parse_proc_net_tcp_line(v6, strlen(v6), AF_INET6, "tcp6", 2, &s, &err), 1);
	tw_addr_format(&s.local, text);
	assert_string_equal(text, "::1");
	assert_int_equal(s.lport, 9090);
	assert_int_equal(s.inode, 77);

	/* Header, blank: skipped. */
	assert_int_equal(parse_proc_net_tcp_line("  sl  local_address rem_address   st", 36,
						 AF_INET, "tcp", 1, &s, &err), 0);
	assert_int_equal(parse_proc_net_tcp_line("", 0, AF_INET, "tcp", 1, &s, &err), 0);

	/* Malformed: an error naming file and line. */
	static const char *const bad[] = {
		"   0: 0100007F:1F90",
		"   0: 0100007G:1F90 00000000:0000 0A 0 0 0 0 0 1",
		"   0: 0100007F:1F90 00000000:0000 0Z 0 0 0 0 0 1",
		"   0: 0100007F:1F90 00000000:0000 0A 0 0 0 0 0 x",
		"   0: 0100007F:1F90 00000000:0000 FF 0 0 0 0 0 1",
		"   0 0100007F:1F90 00000000:0000 0A 0 0 0 0 0 1",
		"   0: 0100007F1F90 00000000:0000 0A 0 0 0 0 0 1",
		"   0: 0100007F:1F90 00000000:0000 0A 0 0 0 0 0 99999999999",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		assert_int_equal(parse_proc_net_tcp_line(bad[i], strlen(bad[i]), AF_INET, "tcp", 9,
							 &s, &err), -EINVAL);
		assert_non_null(strstr(err.msg, "tcp:9:"));
	}
	/* An IPv4 line read as tcp6 is malformed, not misread. */
	assert_int_equal(parse_proc_net_tcp_line(l4, strlen(l4), AF_INET6, "tcp6", 4, &s, &err),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_counts),
		cmocka_unit_test(test_single_dump_type),
		cmocka_unit_test(test_timewait_details),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_garbled),
		cmocka_unit_test(test_error_and_flags),
		cmocka_unit_test(test_proc_net_tcp_fixtures),
		cmocka_unit_test(test_proc_net_tcp_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
