/* SPDX-License-Identifier: MIT */
/* test_nat.c: the NAT gateway facts without privileges: conntrack text
 * in both spellings (/proc/net/nf_conntrack, conntrack -L) with both
 * tuples, the per-CPU statistics in both spellings, the bounded SNAT key
 * table past its cap, and ctnetlink replies built here with libmnl as
 * the kernel lays them out (ctnetlink_parse is the live path's parser).
 * Expected numbers are counted from the inputs written here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "collect/ctnetlink.h"
#include "collect/parsers.h"
#include "facts/facts.h"
#include "facts/nat.h"
#include "util/strbuf.h"

static const char proc_text[] =
	/* SNATed to 198.51.100.7, toward 203.0.113.10:443: 2 TIME_WAIT, 1 ESTABLISHED */
	"ipv4     2 tcp      6 117 TIME_WAIT src=10.1.0.2 dst=203.0.113.10 sport=40001 dport=443 "
	"src=203.0.113.10 dst=198.51.100.7 sport=443 dport=1024 [ASSURED] mark=0 zone=0 use=2\n"
	"ipv4     2 tcp      6 116 TIME_WAIT src=10.1.0.3 dst=203.0.113.10 sport=40001 dport=443 "
	"packets=5 bytes=300 src=203.0.113.10 dst=198.51.100.7 sport=443 dport=1025 packets=4 "
	"bytes=200 [ASSURED] mark=0 zone=0 use=2\n"
	"ipv4     2 tcp      6 431999 ESTABLISHED src=10.1.0.4 dst=203.0.113.10 sport=5000 dport=443 "
	"src=203.0.113.10 dst=198.51.100.7 sport=443 dport=5000 [ASSURED] mark=0 zone=0 use=2\n"
	/* not NATed (reply dst = orig src) */
	"ipv4     2 tcp      6 300 ESTABLISHED src=192.0.2.9 dst=10.0.0.1 sport=50000 dport=22 "
	"src=10.0.0.1 dst=192.0.2.9 sport=22 dport=50000 [ASSURED] mark=0 zone=0 use=2\n"
	/* NATed UDP: not TCP, not counted */
	"ipv4     2 udp      17 20 src=10.1.0.2 dst=9.9.9.9 sport=4000 dport=53 "
	"src=9.9.9.9 dst=198.51.100.7 sport=53 dport=4000 mark=0 zone=0 use=2\n"
	/* unreplied SYN, SNATed: holds a port too */
	"ipv4     2 tcp      6 100 SYN_SENT src=10.1.0.5 dst=203.0.113.20 sport=40000 dport=80 "
	"[UNREPLIED] src=203.0.113.20 dst=198.51.100.7 sport=80 dport=40000 mark=0 zone=0 use=2\n"
	/* NAT66 */
	"ipv6     10 tcp      6 50 TIME_WAIT src=2001:db8:1::1 dst=2001:db8::10 sport=40000 dport=443 "
	"src=2001:db8::10 dst=2001:db8:ffff::7 sport=443 dport=50000 [ASSURED] mark=0 zone=0 use=2\n";

static void check_proc_counts(const struct tw_conntrack *c)
{
	char a[TW_ADDR_STRLEN];

	assert_true(c->table_known);
	assert_int_equal(c->entries, 7);
	assert_int_equal(c->tcp_entries, 6);
	assert_int_equal(c->tcp_time_wait, 3);
	assert_true(c->nat.known);
	assert_int_equal(c->nat.masqueraded, 5);
	assert_int_equal(c->nat.masqueraded_time_wait, 3);
	assert_int_equal(c->nat.keys, 3);
	assert_int_equal(c->nat.ntop, 3);
	tw_addr_format(&c->nat.top[0].public_addr, a);
	assert_string_equal(a, "198.51.100.7");
	tw_addr_format(&c->nat.top[0].dst, a);
	assert_string_equal(a, "203.0.113.10");
	assert_int_equal(c->nat.top[0].dport, 443);
	assert_int_equal(c->nat.top[0].count, 3);
	assert_int_equal(c->nat.top[0].time_wait, 2);
	/* ties (1 entry each) by TIME_WAIT, then key bytes: the NAT66 key */
	tw_addr_format(&c->nat.top[1].public_addr, a);
	assert_string_equal(a, "2001:db8:ffff::7");
	assert_int_equal(c->nat.top[1].time_wait, 1);
	assert_int_equal(c->nat.top[2].dport, 80);
}

static void test_proc_tuples(void **state)
{
	struct tw_conntrack c;
	struct tw_error err = { "" };

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(parse_nf_conntrack(proc_text, strlen(proc_text), "ct", &c, &err), 0);
	check_proc_counts(&c);
}

/* conntrack -L prints the same lines without "ipv4 2 ". */
static void test_conntrack_l(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct tw_conntrack c;
	struct tw_error err = { "" };
	const char *p = proc_text;

	(void)state;
	while (*p) {
		const char *nl = strchr(p, '\n');
		const char *q = p;

		/* drop the first two fields */
		for (int k = 0; k < 2; k++) {
			q = strchr(q, ' ');
			while (*q == ' ')
				q++;
		}
		sb_appendn(&sb, q, (size_t)(nl - q + 1));
		p = nl + 1;
	}
	sb_append(&sb, "conntrack v1.4.7 (conntrack-tools): 7 flow entries have been shown.\n");
	memset(&c, 0, sizeof(c));
	assert_int_equal(parse_nf_conntrack(sb.buf, sb.len, "ct", &c, &err), 0);
	check_proc_counts(&c);
	sb_free(&sb);
}

static void test_tuple_errors(void **state)
{
	static const char *bad[] = {
		"tcp 6 10 TIME_WAIT src=10.0.0.1 dst=10.0.0.2 sport=70000 dport=1 src=10.0.0.2 dst=10.0.0.9 sport=1 dport=2\n",
		"tcp 6 10 TIME_WAIT src=10.0.0.1 dst=10.0.0.300 sport=1 dport=1 src=10.0.0.2 dst=10.0.0.9 sport=1 dport=2\n",
		"tcp x 10 TIME_WAIT src=10.0.0.1\n",
	};
	struct tw_conntrack c;
	struct tw_error err = { "" };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&c, 0, sizeof(c));
		assert_int_equal(parse_nf_conntrack(bad[i], strlen(bad[i]), "ct", &c, &err), -EINVAL);
		assert_non_null(strstr(err.msg, "ct:1:"));
	}
	/* a reply tuple cut short: counted, but the NAT facts are unknown */
	memset(&c, 0, sizeof(c));
	{
		static const char cut[] = "tcp 6 10 TIME_WAIT src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2\n";

		assert_int_equal(parse_nf_conntrack(cut, strlen(cut), "ct", &c, &err), 0);
	}
	assert_int_equal(c.tcp_time_wait, 1);
	assert_false(c.nat.known);
}

static void test_stat(void **state)
{
	static const char proc[] =
		"entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart\n"
		"000005f5  00000002 00000000 00000000 00000000 00000000 00000000 00000000 00000000 0000001a 00000010 00000001 00000000  00000000 00000000 00000000 00000000\n"
		"000005f5  00000001 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000007 000000FF 00000000 00000000  00000000 00000000 00000000 00000000\n";
	static const char dash_s[] =
		"cpu=0   \tfound=0 invalid=3 insert=0 insert_failed=26 drop=16 early_drop=1 error=0 search_restart=0\n"
		"cpu=1   \tfound=0 invalid=0 insert=0 insert_failed=7 drop=255 early_drop=0 error=0 search_restart=0\n";
	struct tw_ct_stats s;
	struct tw_error err = { "" };

	(void)state;
	assert_int_equal(parse_conntrack_stat(proc, strlen(proc), "st", &s, &err), 0);
	assert_true(s.known);
	assert_int_equal(s.cpus, 2);
	assert_int_equal(s.insert_failed, 0x1a + 7);
	assert_int_equal(s.drop, 0x10 + 0xff);
	assert_int_equal(s.early_drop, 1);
	assert_int_equal(parse_conntrack_stat(dash_s, strlen(dash_s), "st", &s, &err), 0);
	assert_int_equal(s.cpus, 2);
	assert_int_equal(s.insert_failed, 33);
	assert_int_equal(s.drop, 271);
	/* a row short of the header, a non-hex cell, no rows, no drop column */
	assert_int_equal(parse_conntrack_stat("entries insert_failed drop\n1 2\n", 31, "st", &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "st:2:"));
	assert_int_equal(parse_conntrack_stat("entries insert_failed drop\n1 2 zz\n", 35, "st", &s, &err), -EINVAL);
	assert_int_equal(parse_conntrack_stat("entries insert_failed drop\n", 27, "st", &s, &err), -EINVAL);
	assert_int_equal(parse_conntrack_stat("entries insert_failed\n1 2\n", 26, "st", &s, &err), -EINVAL);
	assert_int_equal(parse_conntrack_stat("cpu=0 drop=x\n", 13, "st", &s, &err), -EINVAL);
}

/* Past TW_NAT_KEYS_MAX keys the table is pruned: the totals stay exact
 * and the busiest key survives with its exact count. */
static void test_cap(void **state)
{
	struct tw_nat_agg *agg = nat_agg_new();
	struct tw_nat_stats st;
	struct tw_ct_entry e;
	uint64_t n = 0;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.l4proto = 6;
	e.tuples_known = true;
	inet_pton(AF_INET, "10.0.0.2", e.orig_src.a);
	e.orig_src.family = AF_INET;
	inet_pton(AF_INET, "198.51.100.7", e.reply_dst.a);
	e.reply_dst.family = AF_INET;
	e.orig_dst.family = AF_INET;
	for (uint32_t i = 0; i < 3 * TW_NAT_KEYS_MAX; i++) {
		uint32_t d = htonl(0x0a000000u + 1000u + i);   /* a new key each time */

		memcpy(e.orig_dst.a, &d, 4);
		e.orig_dport = 443;
		e.time_wait = i % 2;
		nat_agg_add(agg, &e);
		n++;
		if (i % 3 == 0) {   /* one hot key all along */
			d = htonl(0xcb00710au);
			memcpy(e.orig_dst.a, &d, 4);
			nat_agg_add(agg, &e);
			n++;
		}
	}
	nat_agg_finish(agg, &st);
	assert_true(st.known);
	assert_int_equal(st.masqueraded, n);
	assert_true(st.capped);
	assert_true(st.keys <= TW_NAT_KEYS_MAX);
	assert_int_equal(st.top[0].count, TW_NAT_KEYS_MAX);   /* 3 * MAX / 3 */
	assert_int_equal(st.capped_floor, 1);
}

/* ---- ctnetlink replies, laid out as ctnetlink_dump_table() does ---- */

static void put_tuple(struct nlmsghdr *nlh, uint16_t type, const char *src, const char *dst,
		      uint16_t sport, uint16_t dport)
{
	struct nlattr *t = mnl_attr_nest_start(nlh, type), *ip, *pr;
	struct in_addr a;

	ip = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
	inet_pton(AF_INET, src, &a);
	mnl_attr_put(nlh, CTA_IP_V4_SRC, 4, &a);
	inet_pton(AF_INET, dst, &a);
	mnl_attr_put(nlh, CTA_IP_V4_DST, 4, &a);
	mnl_attr_nest_end(nlh, ip);
	pr = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(nlh, CTA_PROTO_NUM, 6);
	mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, htons(sport));
	mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, htons(dport));
	mnl_attr_nest_end(nlh, pr);
	mnl_attr_nest_end(nlh, t);
}

static size_t put_entry(char *buf, const char *osrc, const char *odst, uint16_t osp, uint16_t odp,
			const char *rdst, uint16_t rdp, uint8_t state)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *g;
	struct nlattr *pi, *tcp;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;
	nlh->nlmsg_flags = NLM_F_MULTI;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = AF_INET;
	put_tuple(nlh, CTA_TUPLE_ORIG, osrc, odst, osp, odp);
	put_tuple(nlh, CTA_TUPLE_REPLY, odst, rdst, odp, rdp);
	pi = mnl_attr_nest_start(nlh, CTA_PROTOINFO);
	tcp = mnl_attr_nest_start(nlh, CTA_PROTOINFO_TCP);
	mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_STATE, state);
	mnl_attr_nest_end(nlh, tcp);
	mnl_attr_nest_end(nlh, pi);
	return nlh->nlmsg_len;
}

static int collect(const struct tw_ct_entry *e, void *data)
{
	nat_agg_add(data, e);
	return 0;
}

static int count_only(const struct tw_ct_entry *e, void *data)
{
	(void)e;
	(*(size_t *)data)++;
	return 0;
}

static void test_ctnetlink(void **state)
{
	static char buf[8192] __attribute__((aligned(4)));
	struct tw_nat_agg *agg = nat_agg_new();
	struct tw_nat_stats st;
	struct tw_error err = { "" };
	struct nlmsghdr *done;
	size_t len = 0;
	char a[TW_ADDR_STRLEN];

	(void)state;
	len += put_entry(buf + len, "10.1.0.2", "203.0.113.10", 40001, 443, "198.51.100.7", 1024,
			 TCP_CONNTRACK_TIME_WAIT);
	len += put_entry(buf + len, "10.1.0.3", "203.0.113.10", 40001, 443, "198.51.100.7", 1025,
			 TCP_CONNTRACK_ESTABLISHED);
	len += put_entry(buf + len, "192.0.2.9", "10.0.0.1", 50000, 22, "192.0.2.9", 50000,
			 TCP_CONNTRACK_ESTABLISHED);
	assert_int_equal(ctnetlink_parse(buf, len, collect, agg, &err), 0);
	done = mnl_nlmsg_put_header(buf + len);
	done->nlmsg_type = NLMSG_DONE;
	done->nlmsg_len = NLMSG_LENGTH(4);
	assert_int_equal(ctnetlink_parse(buf + len, done->nlmsg_len, collect, agg, &err),
			 CTNETLINK_DONE);
	nat_agg_finish(agg, &st);
	assert_int_equal(st.masqueraded, 2);
	assert_int_equal(st.masqueraded_time_wait, 1);
	assert_int_equal(st.keys, 1);
	tw_addr_format(&st.top[0].public_addr, a);
	assert_string_equal(a, "198.51.100.7");
	assert_int_equal(st.top[0].dport, 443);
	/* cut short: an error, never a read past the buffer */
	for (size_t cut = 1; cut < 40; cut++) {
		size_t seen = 0;

		assert_true(ctnetlink_parse(buf, len - cut, count_only, &seen, &err) < 0);
		assert_int_equal(seen, 2);   /* the complete messages before the cut */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proc_tuples),
		cmocka_unit_test(test_conntrack_l),
		cmocka_unit_test(test_tuple_errors),
		cmocka_unit_test(test_stat),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_ctnetlink),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
