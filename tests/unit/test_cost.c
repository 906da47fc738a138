/* SPDX-License-Identifier: MIT */
/* test_cost.c: the TIME_WAIT cost model (src/cost/cost.c).
 *
 * Two kinds of input: fact tables built by hand, to hit every level
 * boundary and every unknown input, and real captures of this kind of
 * host (tests/fixtures/cost/, made by its capture.sh on Linux 6.18: 200
 * client-side and 40 server-side TIME_WAIT sockets on loopback in a
 * namespace with connection tracking on) read through the project's own
 * parsers. Expected numbers are recomputed from the fixture text here,
 * independently of those parsers. */
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

#include "collect/parsers.h"
#include "cost/cost.h"
#include "facts/facts.h"
#include "util/fileio.h"

#ifndef TW_FIXTURES
#define TW_FIXTURES "tests/fixtures"
#endif
#define COST_FIXTURES TW_FIXTURES "/cost"

/* ---- helpers ---- */

static char *fixture(const char *name, size_t *ret_len)
{
	char path[512];
	struct tw_error err;
	char *buf = NULL;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/%s", COST_FIXTURES, name);
	if (tw_read_file(path, 1 << 24, &buf, &len, &err) < 0)
		fail_msg("%s", err.msg);
	if (ret_len)
		*ret_len = len;
	return buf;
}

/* A line of 'text' starting with 'prefix' followed by a blank, or NULL. */
static const char *find_row(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, prefix, n) == 0 && (p[n] == ' ' || p[n] == '\t'))
			return p;
	return NULL;
}

static const struct tw_cost_item *item(const struct tw_cost *c, const char *name)
{
	const struct tw_cost_item *it = cost_find(c, name);

	if (!it)
		fail_msg("no cost item '%s'", name);
	return it;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' does not contain '%s'", hay, needle);
}

static void compute(const struct tw_facts *f, struct tw_cost *c)
{
	memset(c, 0, sizeof(*c));
	assert_int_equal(cost_compute(f, NULL, c), 0);
}

/* A client destination 10.0.1.20:5432 from 10.0.0.5 with 'count' sockets. */
static void one_client(struct tw_facts *f, const char *remote, uint16_t port, uint64_t count)
{
	struct tw_tuple *t = &f->tw.top_client[0];

	f->tw.known = true;
	f->tw.total = f->tw.client = count;
	f->tw.ntop_client = 1;
	f->tw.tuples_client = 1;
	t->side = TW_SIDE_CLIENT;
	assert_int_equal(tw_addr_parse("10.0.0.5", 8, &t->local), 0);
	assert_int_equal(tw_addr_parse(remote, strlen(remote), &t->remote), 0);
	t->port = port;
	t->count = count;
	t->held = count;
	f->tw.held_client = count;
}

/* ---- parameters and names ---- */

static void test_params_and_names(void **state)
{
	struct tw_cost_params p;

	(void)state;
	cost_params_default(&p);
	assert_true(p.watch_share == 0.5);
	assert_true(p.act_share == 0.8);
	assert_int_equal(p.peer_ports, 28232);
	assert_string_equal(cost_level_name(TW_COST_HARMLESS), "harmless");
	assert_string_equal(cost_level_name(TW_COST_WATCH), "watch");
	assert_string_equal(cost_level_name(TW_COST_ACT), "act");
}

static void test_invalid_arguments(void **state)
{
	struct tw_facts f;
	struct tw_cost c, before;
	struct tw_cost_params p;

	(void)state;
	facts_init(&f);
	memset(&c, 0x5a, sizeof(c));
	memcpy(&before, &c, sizeof(c));
	assert_int_equal(cost_compute(NULL, NULL, &c), -EINVAL);
	assert_int_equal(cost_compute(&f, NULL, NULL), -EINVAL);
	cost_params_default(&p);
	p.watch_share = 0;
	assert_int_equal(cost_compute(&f, &p, &c), -EINVAL);
	cost_params_default(&p);
	p.act_share = 0.4;  /* below watch */
	assert_int_equal(cost_compute(&f, &p, &c), -EINVAL);
	cost_params_default(&p);
	p.peer_ports = 0;
	assert_int_equal(cost_compute(&f, &p, &c), -EINVAL);
	assert_memory_equal(&c, &before, sizeof(c));  /* untouched on failure */
	facts_free(&f);
}

/* ---- memory ---- */

/* The fixture's slabinfo and meminfo through the parsers; the expected
 * numbers come from sscanf on the same rows. */
static void test_memory_measured_from_fixture(void **state)
{
	static const char *rows[] = { "tw_sock_TCP", "tw_sock_TCPv6", "tcp_bind_bucket" };
	struct tw_facts f;
	struct tw_error err;
	struct tw_cost c;
	size_t slen, mlen;
	char *slab = fixture("slabinfo", &slen), *mem = fixture("meminfo", &mlen);
	double want = 0, want_slab = 0, memtotal;
	unsigned long long kb;
	const struct tw_cost_item *m;
	const char *row;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		unsigned long long act, num, size, per, pages, aslabs, nslabs;
		char name[64];

		if (!(row = find_row(slab, rows[i])))
			continue;  /* merged cache on this kernel: stays unknown */
		assert_int_equal(sscanf(row, "%63s %llu %llu %llu %llu %llu : tunables %*u %*u %*u "
					": slabdata %llu %llu", name, &act, &num, &size, &per,
					&pages, &aslabs, &nslabs), 8);
		want += (double)act * (double)size;
		want_slab += (double)nslabs * (double)pages * 4096.0;
	}
	assert_true(want > 0);  /* at least tw_sock_TCP is in the capture */
	row = find_row(mem, "MemTotal:");
	assert_non_null(row);
	assert_int_equal(sscanf(row, "MemTotal: %llu kB", &kb), 1);
	memtotal = (double)kb * 1024.0;

	facts_init(&f);
	assert_int_equal(parse_slabinfo(slab, slen, "slabinfo", &f.memory, &err), 0);
	assert_int_equal(parse_meminfo(mem, mlen, "meminfo", &f.memory, &err), 0);
	compute(&f, &c);
	m = item(&c, TW_COST_MEMORY);
	assert_true(m->measured);
	assert_true(m->value == want);
	assert_true(m->extra_known);
	assert_string_equal(m->extra_name, "slab_bytes");
	assert_true(m->extra == want_slab);
	assert_true(m->limit_known);
	assert_true(m->limit == memtotal);
	assert_true(m->share_known);
	assert_true(m->share == want / memtotal);
	assert_int_equal(m->level, TW_COST_HARMLESS);
	assert_string_equal(m->unit, "bytes");
	assert_contains(m->verdict, "from /proc/slabinfo");
	facts_free(&f);
	free(slab);
	free(mem);
}

static void test_memory_estimated(void **state)
{
	struct tw_facts f;
	struct tw_cost c;
	const struct tw_cost_item *m;

	(void)state;
	facts_init(&f);
	f.counters.tcp_tw.known = true;
	f.counters.tcp_tw.v = 1234;
	f.memory.mem_total_kb.known = true;
	f.memory.mem_total_kb.v = 1000;
	compute(&f, &c);
	m = item(&c, TW_COST_MEMORY);
	assert_false(m->measured);
	assert_true(m->value == 1234.0 * TW_COST_TW_SOCK_BYTES);
	assert_true(m->limit == 1024000.0);
	assert_contains(m->verdict, "estimated");
	assert_contains(m->verdict, "1,234 sockets");
	assert_contains(m->verdict, "was not readable");
	/* 1234 x 256 = 308.5 KiB of 1000 KiB: 31%. */
	assert_int_equal(m->level, TW_COST_HARMLESS);

	/* slabinfo readable but without tw_sock rows: still an estimate. */
	f.memory.slabinfo_known = true;
	compute(&f, &c);
	m = item(&c, TW_COST_MEMORY);
	assert_false(m->measured);
	assert_contains(m->verdict, "has no tw_sock rows");

	/* At 80% of RAM memory is "act". */
	f.memory.mem_total_kb.v = 1234 * TW_COST_TW_SOCK_BYTES / 1024 * 10 / 8;  /* 385 kB */
	compute(&f, &c);
	m = item(&c, TW_COST_MEMORY);
	assert_int_equal(m->level, TW_COST_ACT);
	assert_int_equal(c.verdict, TW_COST_ACT);
	assert_contains(c.summary, "Act: TIME_WAIT sockets use 0.3 MB of kernel memory");
	facts_free(&f);
}

/* ---- nothing known: nothing counted as zero ---- */

static void test_unknown_inputs(void **state)
{
	struct tw_facts f;
	struct tw_cost c;
	const struct tw_cost_item *fd;

	(void)state;
	facts_init(&f);
	compute(&f, &c);
	assert_null(cost_find(&c, TW_COST_MEMORY));
	assert_null(cost_find(&c, TW_COST_TUPLES));
	assert_null(cost_find(&c, TW_COST_MAX_TW_BUCKETS));
	assert_null(cost_find(&c, TW_COST_EHASH));
	assert_null(cost_find(&c, TW_COST_CONNTRACK));  /* sysctls not read at all */
	assert_null(cost_find(&c, TW_COST_CONNECT_RATE));
	fd = item(&c, TW_COST_FILE_DESCRIPTORS);
	assert_false(fd->measured);
	assert_false(fd->extra_known);
	assert_int_equal(c.verdict, TW_COST_HARMLESS);
	assert_contains(c.summary, "count is unknown");
	facts_free(&f);
}

/* ---- tuples: each level boundary ---- */

static void test_tuples_levels(void **state)
{
	static const struct {
		uint64_t count;
		enum tw_cost_level level;
	} cases[] = {
		{ 1, TW_COST_HARMLESS }, { 499, TW_COST_HARMLESS }, { 500, TW_COST_WATCH },
		{ 799, TW_COST_WATCH }, { 800, TW_COST_ACT }, { 1000, TW_COST_ACT },
	};
	struct tw_facts f;
	struct tw_cost c;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tw_cost_item *t;

		facts_init(&f);
		f.sysctls.known = true;
		sysctls_put(&f.sysctls, "net.ipv4.ip_local_port_range", "1000 1999");
		sysctls_put(&f.sysctls, "net.ipv4.tcp_tw_reuse", "0");
		sysctls_put(&f.sysctls, "net.ipv4.tcp_timestamps", "1");
		sysctls_seal(&f.sysctls);
		one_client(&f, "10.0.1.20", 5432, cases[i].count);
		compute(&f, &c);
		t = item(&c, TW_COST_TUPLES);
		assert_true(t->measured);
		assert_true(t->value == (double)cases[i].count);
		assert_true(t->limit == 1000.0);
		assert_true(t->share == (double)cases[i].count / 1000.0);
		assert_int_equal(t->level, cases[i].level);
		assert_int_equal(c.verdict, cases[i].level);
		assert_true(t->extra == 1000.0 / 60.0);
		assert_contains(t->verdict, "10.0.1.20:5432");
		facts_free(&f);
	}

	/* The boundary case in words. */
	facts_init(&f);
	f.sysctls.known = true;
	sysctls_put(&f.sysctls, "net.ipv4.ip_local_port_range", "32768 60999");
	one_client(&f, "10.0.1.20", 5432, 27000);
	compute(&f, &c);
	assert_string_equal(c.summary, "Act: connections to 10.0.1.20:5432 use 96% of the "
			    "ephemeral ports; new connections will fail with EADDRNOTAVAIL.");
	assert_contains(item(&c, TW_COST_TUPLES)->verdict,
			"27,000 sockets to 10.0.1.20:5432 hold 96% of its 28,232 ports");
	assert_contains(item(&c, TW_COST_TUPLES)->verdict, "at most 471 new connections/s");
	facts_free(&f);

	/* Watch, in words. */
	facts_init(&f);
	f.sysctls.known = true;
	sysctls_put(&f.sysctls, "net.ipv4.ip_local_port_range", "32768 60999");
	one_client(&f, "10.0.1.20", 5432, 16000);
	compute(&f, &c);
	assert_string_equal(c.summary, "Watch: connections to 10.0.1.20:5432 use 57% of the "
			    "ephemeral ports; when they run out, new connections fail with "
			    "EADDRNOTAVAIL.");
	facts_free(&f);
}

static void test_tuples_thresholds_from_profile(void **state)
{
	struct tw_facts f;
	struct tw_cost c;
	struct tw_cost_params p;

	(void)state;
	cost_params_default(&p);
	p.watch_share = 0.2;
	p.act_share = 0.3;
	p.peer_ports = 100;
	facts_init(&f);
	f.sysctls.known = true;
	sysctls_put(&f.sysctls, "net.ipv4.ip_local_port_range", "1000 1999");
	one_client(&f, "10.0.1.20", 5432, 300);
	assert_int_equal(cost_compute(&f, &p, &c), 0);
	assert_int_equal(item(&c, TW_COST_TUPLES)->level, TW_COST_ACT);
	p.act_share = 0.31;
	assert_int_equal(cost_compute(&f, &p, &c), 0);
	assert_int_equal(item(&c, TW_COST_TUPLES)->level, TW_COST_WATCH);
	facts_free(&f);
}

static void test_tuples_reserved_and_unknown_range(void **state)
{
	struct tw_facts f;
	struct tw_cost c;
	const struct tw_cost_item *t;

	(void)state;
	facts_init(&f);
	f.sysctls.known = true;
	sysctls_put(&f.sysctls, "net.ipv4.ip_local_port_range", "1000 1999");
	sysctls_put(&f.sysctls, "net.ipv4.ip_local_reserved_ports", "1000-1099,5000");
	one_client(&f, "10.0.1.20", 5432, 450);
	compute(&f, &c);
	t = item(&c, TW_COST_TUPLES);
	assert_true(t->limit == 900.0);
	assert_int_equal(t->level, TW_COST_WATCH);  /* 450 / 900 = 50% */
	facts_free(&f);

	/* Range unknown: the default 28,232 is assumed, and said. */
	facts_init(&f);
	one_client(&f, "10.0.1.20", 5432, 100);
	compute(&f, &c);
	t = item(&c, TW_COST_TUPLES);
	assert_false(t->measured);
	assert_true(t->limit == 28232.0);
	assert_contains(t->verdict, "default range assumed");
	facts_free(&f);

	/* Only a host-wide count: an upper bound, estimated; too high to
	 * judge -> no item rather than a guess. */
	facts_init(&f);
	f.counters.tcp_tw.known = true;
	f.counters.tcp_tw.v = 100;
	compute(&f, &c);
	t = item(&c, TW_COST_TUPLES);
	assert_false(t->measured);
	assert_contains(t->verdict, "per-destination counts unknown");
	f.counters.tcp_tw.v = 20000;
	compute(&f, &c);
	assert_null(cost_find(&c, TW_COST_TUPLES));
	facts_free(&f);

	/* Sockets read, none client-side. */
	facts_init(&f);
	f.tw.known = true;
	compute(&f, &c);
	t = item(&c, TW_COST_TUPLES);
	assert_true(t->value == 0);
	assert_contains(t->verdict, "no client-side TIME_WAIT");
	assert_string_equal(c.summary, "TIME_WAIT is harmless here: there are no TIME_WAIT sockets.");
	facts_free(&f);
}

static void test_tuples_reuse(void **state)
{
	static const struct {
		const char *reuse, *ts, *delay, *remote;
		bool applies;
		double capacity;
	} cases[] = {
		{ "1", "1", NULL, "10.0.1.20", true, 28232.0 },
		{ "1", "1", "500", "10.0.1.20", true, 56464.0 },
		{ "1", "0", NULL, "10.0.1.20", false, 28232.0 / 60.0 },
		{ "2", "1", NULL, "10.0.1.20", false, 28232.0 / 60.0 },
		{ "2", "1", NULL, "127.0.0.1", true, 28232.0 },
		{ "2", "1", NULL, "::1", true, 28232.0 },
		{ "0", "1", NULL, "127.0.0.1", false, 28232.0 / 60.0 },
	};
	struct tw_facts f;
	struct tw_cost c;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tw_cost_item *t;

		facts_init(&f);
		f.sysctls.known = true;
		sysctls_put(&f.sysctls, "net.ipv4.ip_local_port_range", "32768 60999");
		sysctls_put(&f.sysctls, "net.ipv4.tcp_tw_reuse", cases[i].reuse);
		sysctls_put(&f.sysctls, "net.ipv4.tcp_timestamps", cases[i].ts);
		if (cases[i].delay)
			sysctls_put(&f.sysctls, "net.ipv4.tcp_tw_reuse_delay", cases[i].delay);
		one_client(&f, cases[i].remote, 80, 27000);
		compute(&f, &c);
		t = item(&c, TW_COST_TUPLES);
		assert_true(t->extra == cases[i].capacity);
		/* 96% of the ports: with reuse and no rate the count overstates
		 * the pressure, so "watch", and it says so. */
		assert_int_equal(t->level, cases[i].applies ? TW_COST_WATCH : TW_COST_ACT);
		if (cases[i].applies) {
			assert_contains(t->verdict, "tcp_tw_reuse frees TIME_WAIT ports after");
			assert_contains(t->verdict, "overstates the pressure");
			/* With a rate (TIME_WAIT ages): 100 sockets in the last
			 * 10 s, 10/s x the delay of these ports out of reach. */
			f.tw.ages_known = true;
			f.tw.top_client[0].age[0] = 100;
			f.tw.top_client[0].held = 27500;   /* 500 live connections */
			compute(&f, &c);
			t = item(&c, TW_COST_TUPLES);
			assert_int_equal(t->level, TW_COST_HARMLESS);
			assert_true(fabs(t->value - (500.0 + 10.0 * 28232.0 / cases[i].capacity)) < 1e-6);
			assert_true(fabs(t->share - t->value / 28232.0) < 1e-9);
			assert_contains(t->verdict, "are out of reach now");
		}
		facts_free(&f);
	}
}

static void test_tuples_server(void **state)
{
	struct tw_facts f;
	struct tw_cost c;
	struct tw_cost_params p;
	const struct tw_cost_item *s;
	struct tw_tuple *t;

	(void)state;
	facts_init(&f);
	f.tw.known = true;
	f.tw.total = f.tw.server = 25000;
	f.tw.ntop_server = 1;
	t = &f.tw.top_server[0];
	t->side = TW_SIDE_SERVER;
	assert_int_equal(tw_addr_parse("10.0.0.5", 8, &t->local), 0);
	assert_int_equal(tw_addr_parse("10.9.9.9", 8, &t->remote), 0);
	t->port = 443;
	t->count = 25000;
	compute(&f, &c);
	s = item(&c, TW_COST_TUPLES_SERVER);
	assert_true(s->limit == 28232.0);
	assert_true(s->share == 25000.0 / 28232.0);
	/* 89% of the peer's range, yet never "act": RFC 6191. */
	assert_int_equal(s->level, TW_COST_WATCH);
	assert_contains(s->verdict, "25,000 TIME_WAIT sockets from 10.9.9.9 to port 443");
	assert_contains(s->verdict, "RFC 6191");
	assert_int_equal(c.verdict, TW_COST_WATCH);
	assert_contains(c.summary, "Watch: connections from 10.9.9.9 to port 443");

	cost_params_default(&p);
	p.peer_ports = 64512;
	assert_int_equal(cost_compute(&f, &p, &c), 0);
	s = item(&c, TW_COST_TUPLES_SERVER);
	assert_true(s->extra == 64512.0);
	assert_int_equal(s->level, TW_COST_HARMLESS);
	facts_free(&f);
}

/* ---- connection rate ---- */

static void test_connect_rate(void **state)
{
	struct tw_facts f;
	struct tw_cost c;
	const struct tw_cost_item *r;

	(void)state;
	facts_init(&f);
	f.sysctls.known = true;
	sysctls_put(&f.sysctls, "net.ipv4.ip_local_port_range", "32768 60999");
	one_client(&f, "10.0.1.20", 5432, 100);
	compute(&f, &c);
	assert_null(cost_find(&c, TW_COST_CONNECT_RATE));  /* rates not sampled */

	f.counters.rates_known = true;
	f.counters.interval_s = 10;
	f.counters.active_opens_per_s = 600;
	compute(&f, &c);
	r = item(&c, TW_COST_CONNECT_RATE);
	assert_true(r->measured);
	assert_true(r->value == 600.0);
	assert_true(r->limit == 28232.0 / 60.0);
	assert_int_equal(r->level, TW_COST_ACT);  /* 128% of 470.5/s */
	assert_string_equal(r->unit, "conn/s");
	assert_string_equal(c.summary, "Act: about 600 new connections/s go to 10.0.1.20:5432, "
			    "128% of the 471/s its ports sustain without tcp_tw_reuse; new "
			    "connections will fail with EADDRNOTAVAIL.");

	/* Half of the client TIME_WAIT goes elsewhere: apportioned, estimated. */
	f.tw.client = 200;
	compute(&f, &c);
	r = item(&c, TW_COST_CONNECT_RATE);
	assert_false(r->measured);
	assert_true(r->value == 300.0);
	assert_true(r->extra == 600.0);
	assert_int_equal(r->level, TW_COST_WATCH);
	assert_contains(r->verdict, "apportioned");
	facts_free(&f);
}

/* ---- tcp_max_tw_buckets and the established hash ---- */

static void test_max_tw_buckets(void **state)
{
	struct tw_facts f;
	struct tw_cost c;
	const struct tw_cost_item *m;

	(void)state;
	facts_init(&f);
	f.sysctls.known = true;
	sysctls_put(&f.sysctls, "net.ipv4.tcp_max_tw_buckets", "131072");
	sysctls_put(&f.sysctls, "net.ipv4.tcp_ehash_entries", "262144");
	f.counters.tcp_tw.known = true;
	f.counters.tcp_tw.v = 65535;
	f.counters.tcpext.known = true;
	counter_list_set(&f.counters.tcpext, "TCPTimeWaitOverflow", 0);
	compute(&f, &c);
	m = item(&c, TW_COST_MAX_TW_BUCKETS);
	assert_true(m->limit == 131072.0);
	assert_int_equal(m->level, TW_COST_HARMLESS);
	assert_contains(m->verdict, "(the default: half the 262,144-bucket established hash)");
	assert_contains(m->verdict, "never overflowed");

	/* Its own threshold (max_tw_buckets_share, 0.8 by default), not
	 * the utilization ones: 50% is harmless. */
	f.counters.tcp_tw.v = 65536;
	compute(&f, &c);
	assert_int_equal(item(&c, TW_COST_MAX_TW_BUCKETS)->level, TW_COST_HARMLESS);

	f.counters.tcp_tw.v = 104858;  /* >= 80% */
	compute(&f, &c);
	m = item(&c, TW_COST_MAX_TW_BUCKETS);
	/* Past the ceiling nothing fails: never more than "watch". */
	assert_int_equal(m->level, TW_COST_WATCH);
	assert_contains(c.summary, "Watch: 104,858 TIME_WAIT sockets fill 80% of "
			"tcp_max_tw_buckets (131,072)");

	/* The overflow counter: watch whatever the share. */
	f.counters.tcp_tw.v = 10;
	counter_list_set(&f.counters.tcpext, "TCPTimeWaitOverflow", 3);
	compute(&f, &c);
	m = item(&c, TW_COST_MAX_TW_BUCKETS);
	assert_int_equal(m->level, TW_COST_WATCH);
	assert_true(m->extra == 3.0);
	assert_string_equal(m->extra_name, "overflows");
	assert_string_equal(c.summary, "Watch: tcp_max_tw_buckets (131,072) was hit: 3 connections "
			    "closed without TIME_WAIT (TCPTimeWaitOverflow).");

	/* A ceiling set away from its default says so. */
	counter_list_set(&f.counters.tcpext, "TCPTimeWaitOverflow", 0);
	sysctls_put(&f.sysctls, "net.ipv4.tcp_max_tw_buckets", "5000");
	compute(&f, &c);
	assert_contains(item(&c, TW_COST_MAX_TW_BUCKETS)->verdict,
			"(set; the default here is 131,072)");
	facts_free(&f);
}

/* The bind hash: measured from the tcp_bind_bucket slab when present,
 * else at least the listening ports plus the client ports seen. */
static void test_bhash(void **state)
{
	struct tw_facts f;
	struct tw_cost c;
	const struct tw_cost_item *b;

	(void)state;
	facts_init(&f);
	compute(&f, &c);
	assert_null(cost_find(&c, TW_COST_BHASH));  /* size unknown: no item */

	f.memory.bhash_entries.known = true;
	f.memory.bhash_entries.v = 1000;
	f.tw.known = true;
	port_set_add(&f.listening, 22);
	port_set_add(&f.listening, 443);
	f.tw.ntop_local = 2;
	f.tw.top_local[0].distinct_ports = 500;
	f.tw.top_local[1].distinct_ports = 98;
	compute(&f, &c);
	b = item(&c, TW_COST_BHASH);
	assert_false(b->measured);
	assert_true(b->value == 600.0);
	assert_true(b->limit == 1000.0);
	assert_int_equal(b->level, TW_COST_WATCH);  /* 60%: never more than watch */
	assert_contains(b->verdict, "at least 600 bound ports in the 1,000-bucket bind hash");

	f.memory.tcp_bind_bucket.known = true;
	f.memory.tcp_bind_bucket.active_objs = 950;
	compute(&f, &c);
	b = item(&c, TW_COST_BHASH);
	assert_true(b->measured);
	assert_true(b->value == 950.0);
	assert_int_equal(b->level, TW_COST_WATCH);
	facts_free(&f);
}

static void test_ehash(void **state)
{
	struct tw_facts f;
	struct tw_cost c;
	const struct tw_cost_item *e;

	(void)state;
	facts_init(&f);
	f.sysctls.known = true;
	sysctls_put(&f.sysctls, "net.ipv4.tcp_ehash_entries", "-1024");  /* shared */
	f.counters.tcp_tw.known = true;
	f.counters.tcp_tw.v = 400;
	f.counters.tcp_inuse.known = true;
	f.counters.tcp_inuse.v = 100;
	f.counters.tcp6_inuse.known = true;
	f.counters.tcp6_inuse.v = 12;
	compute(&f, &c);
	e = item(&c, TW_COST_EHASH);
	assert_true(e->measured);
	assert_true(e->value == 512.0);
	assert_true(e->limit == 1024.0);
	assert_true(e->extra == 512.0);  /* default max_tw_buckets */
	assert_int_equal(e->level, TW_COST_WATCH);
	assert_contains(e->verdict, "shared with the initial namespace");

	/* Full: still only "watch" (nothing fails); and the ceiling's
	 * default is checked against the absolute value. */
	f.counters.tcp_tw.v = 1000;
	sysctls_put(&f.sysctls, "net.ipv4.tcp_max_tw_buckets", "512");
	compute(&f, &c);
	assert_int_equal(item(&c, TW_COST_EHASH)->level, TW_COST_WATCH);
	assert_contains(item(&c, TW_COST_MAX_TW_BUCKETS)->verdict, "(the default");
	facts_free(&f);

	/* From the boot log when the sysctl is absent (< 6.1); IPv6 unknown
	 * makes it a lower bound. */
	facts_init(&f);
	f.memory.ehash_entries.known = true;
	f.memory.ehash_entries.v = 65536;
	f.counters.tcp_tw.known = true;
	f.counters.tcp_tw.v = 100;
	f.counters.tcp_inuse.known = true;
	f.counters.tcp_inuse.v = 28;
	compute(&f, &c);
	e = item(&c, TW_COST_EHASH);
	assert_false(e->measured);
	assert_true(e->limit == 65536.0);
	assert_contains(e->verdict, "at least 128 sockets");
	assert_contains(e->verdict, "boot log");
	assert_int_equal(e->level, TW_COST_HARMLESS);
	facts_free(&f);
}

/* ---- conntrack ---- */

static void test_conntrack(void **state)
{
	struct tw_facts f;
	struct tw_cost c;
	const struct tw_cost_item *k;

	(void)state;
	facts_init(&f);
	f.sysctls.known = true;
	sysctls_put(&f.sysctls, "net.ipv4.tcp_tw_reuse", "2");
	compute(&f, &c);
	k = item(&c, TW_COST_CONNTRACK);
	assert_contains(k->verdict, "not loaded");
	assert_int_equal(k->level, TW_COST_HARMLESS);

	/* Watch from conntrack_share (0.8 by default: where the rule
	 * conntrack-near-full warns), act from 95 % (a full table drops). */
	sysctls_put(&f.sysctls, "net.netfilter.nf_conntrack_count", "79");
	sysctls_put(&f.sysctls, "net.netfilter.nf_conntrack_max", "100");
	compute(&f, &c);
	k = item(&c, TW_COST_CONNTRACK);
	assert_int_equal(k->level, TW_COST_HARMLESS);
	assert_false(k->extra_known);  /* the table itself was not read */
	sysctls_put(&f.sysctls, "net.netfilter.nf_conntrack_count", "80");
	compute(&f, &c);
	assert_int_equal(item(&c, TW_COST_CONNTRACK)->level, TW_COST_WATCH);
	sysctls_put(&f.sysctls, "net.netfilter.nf_conntrack_count", "94");
	compute(&f, &c);
	assert_int_equal(item(&c, TW_COST_CONNTRACK)->level, TW_COST_WATCH);
	sysctls_put(&f.sysctls, "net.netfilter.nf_conntrack_count", "95");
	f.conntrack.table_known = true;
	f.conntrack.entries = 95;
	f.conntrack.tcp_entries = 70;
	f.conntrack.tcp_time_wait = 60;
	compute(&f, &c);
	k = item(&c, TW_COST_CONNTRACK);
	assert_int_equal(k->level, TW_COST_ACT);
	assert_true(k->extra == 60.0);
	assert_contains(k->verdict, "60 are TCP TIME_WAIT, kept 120 s");
	assert_string_equal(c.summary, "Act: the conntrack table is 95% full (95 of 100 entries); "
			    "when full, packets of new connections are dropped: raise "
			    "nf_conntrack_max, TCP sysctls don't help.");
	sysctls_put(&f.sysctls, "net.netfilter.nf_conntrack_tcp_timeout_time_wait", "30");
	compute(&f, &c);
	assert_contains(item(&c, TW_COST_CONNTRACK)->verdict, "kept 30 s");
	facts_free(&f);
}

/* ---- file descriptors ---- */

static void test_file_descriptors(void **state)
{
	struct tw_facts f;
	struct tw_cost c;
	const struct tw_cost_item *d;

	(void)state;
	facts_init(&f);
	f.tw.known = true;
	f.tw.total = 27000;
	f.tw.inode_known = true;
	f.tw.with_inode = 0;
	f.sysctls.known = true;
	sysctls_put(&f.sysctls, "fs.file-max", "9223372036854775807");
	compute(&f, &c);
	d = item(&c, TW_COST_FILE_DESCRIPTORS);
	assert_true(d->measured);
	assert_true(d->value == 0);
	assert_true(d->extra == 27000.0);
	assert_true(d->limit_known);
	assert_int_equal(d->level, TW_COST_HARMLESS);
	assert_string_equal(d->verdict, "27,000 TIME_WAIT sockets hold 0 file descriptors: "
			    "an fd shortage lies elsewhere");

	f.tw.inode_known = false;  /* e.g. ss -tan */
	f.socket_source = "ss-tan.txt";
	compute(&f, &c);
	d = item(&c, TW_COST_FILE_DESCRIPTORS);
	assert_false(d->measured);
	assert_contains(d->verdict, "27,000 TIME_WAIT sockets hold no file descriptor");
	assert_contains(d->verdict, "ss-tan.txt does not show inodes");
	facts_free(&f);
}

/* ---- the one sentence ---- */

static void test_summary_harmless(void **state)
{
	struct tw_facts f;
	struct tw_cost c;

	(void)state;
	facts_init(&f);
	f.sysctls.known = true;
	sysctls_put(&f.sysctls, "net.ipv4.ip_local_port_range", "32768 60999");
	one_client(&f, "10.0.1.20", 5432, 1234);
	f.tw.inode_known = true;
	compute(&f, &c);
	assert_int_equal(c.verdict, TW_COST_HARMLESS);
	/* 1,234 x 256 B = 0.3 MB; 1,234 / 28,232 = 4%. */
	assert_string_equal(c.summary, "TIME_WAIT is harmless here: 1,234 sockets use 0.3 MB "
			    "(estimated) and at most 4% of any destination's ports.");
	facts_free(&f);
}

/* ---- the whole capture, through the parsers ---- */

static void load_ss(struct tw_facts *f, const char *buf, uint16_t lo, uint16_t hi)
{
	struct tw_aggregator *agg;
	struct tw_error err;

	for (int pass = 0; pass < 2; pass++) {
		const char *p = buf;
		unsigned lineno = 0;

		agg = pass ? aggregator_new(&f->listening, lo, hi) : NULL;
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			struct tw_sock s;
			int r = parse_ss_line(p, n, "ss-tan.txt", ++lineno, &s, &err);

			if (r < 0)
				fail_msg("%s", err.msg);
			if (r == 1 && pass == 0 && s.state == TW_TCP_LISTEN) {
				port_set_add(&f->listening, s.lport);
				f->listeners++;
			}
			if (r == 1 && pass == 1)
				aggregator_add(agg, &s);
			p += n + (nl ? 1 : 0);
		}
		if (agg)
			aggregator_finish(agg, &f->tw);
	}
	f->socket_source = "ss-tan.txt";
}

static void test_fixture_whole(void **state)
{
	struct tw_facts f;
	struct tw_error err;
	struct tw_cost c;
	size_t n;
	char *sysctl = fixture("sysctl.txt", &n), *sockstat, *netstat, *slab, *mem, *ct, *ss,
	     *counts;
	unsigned long long want_ct = 0, want_ct_tw = 0, client = 0, server = 0, sock_tw = 0;
	const struct tw_cost_item *it;
	uint16_t lo, hi;
	const char *row;

	(void)state;
	facts_init(&f);
	assert_int_equal(parse_sysctl_a(sysctl, n, "sysctl.txt", &f.sysctls, &err), 0);
	f.sysctls.known = true;
	sysctls_seal(&f.sysctls);
	sockstat = fixture("sockstat", &n);
	assert_int_equal(parse_sockstat(sockstat, n, "sockstat", &f.counters, &err), 0);
	netstat = fixture("netstat", &n);
	assert_int_equal(parse_proc_net_pairs(netstat, n, "netstat", "TcpExt",
					      &f.counters.tcpext, &err), 0);
	f.counters.tcpext.known = true;
	slab = fixture("slabinfo", &n);
	assert_int_equal(parse_slabinfo(slab, n, "slabinfo", &f.memory, &err), 0);
	mem = fixture("meminfo", &n);
	assert_int_equal(parse_meminfo(mem, n, "meminfo", &f.memory, &err), 0);
	ct = fixture("nf_conntrack", &n);
	assert_int_equal(parse_nf_conntrack(ct, n, "nf_conntrack", &f.conntrack, &err), 0);
	f.conntrack.table_known = true;
	ss = fixture("ss-tan.txt", &n);
	assert_true(facts_port_range(&f, &lo, &hi));
	load_ss(&f, ss, lo, hi);

	/* Independent expectations from the fixture text. */
	counts = fixture("COUNTS", NULL);
	assert_int_equal(sscanf(counts, "client_time_wait=%llu server_time_wait=%llu", &client,
				&server), 2);
	row = find_row(sockstat, "TCP:");
	assert_non_null(row);
	assert_int_equal(sscanf(row, "TCP: inuse %*u orphan %*u tw %llu", &sock_tw), 1);
	for (const char *p = ct; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		if (*p == '\n')
			continue;
		want_ct++;
		if (strncmp(p, "ipv4     2 tcp      6 ", 22) == 0 ||
		    strncmp(p, "ipv6     10 tcp      6 ", 23) == 0) {
			const char *e = strchr(p, '\n');
			const char *tw = strstr(p, " TIME_WAIT ");

			if (tw && (!e || tw < e))
				want_ct_tw++;
		}
	}
	assert_int_equal(sock_tw, client + server);

	compute(&f, &c);

	/* Harmless, in words, with the capture's numbers. */
	assert_int_equal(c.verdict, TW_COST_HARMLESS);
	assert_contains(c.summary, "TIME_WAIT is harmless here: 240 sockets use ");
	assert_contains(c.summary, "of any destination's ports.");

	it = item(&c, TW_COST_TUPLES);  /* 200 to 127.0.0.1:8080; reuse = 2 on loopback */
	/* Its value is the held sockets: the TIME_WAIT ones and the live
	 * connections toward the same destination, counted here in the text. */
	{
		unsigned long long held = 0;

		for (const char *p = ss; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
			char st[32], l[64], r[64];

			if (sscanf(p, "%31s %*s %*s %63s %63s", st, l, r) == 3 &&
			    strcmp(r, "127.0.0.1:8080") == 0 &&
			    (strcmp(st, "TIME-WAIT") == 0 || strcmp(st, "ESTAB") == 0))
				held++;
		}
		assert_true(held > client);   /* a few ESTABLISHED besides TIME_WAIT */
		assert_true(it->value == (double)held);
	}
	assert_true(it->limit == 28232.0);
	assert_true(it->extra == 28232.0);  /* reuse applies: ports / 1 s */
	assert_contains(it->verdict, "127.0.0.1:8080");
	assert_contains(it->verdict, "tcp_tw_reuse frees TIME_WAIT ports after 1 s");

	it = item(&c, TW_COST_TUPLES_SERVER);
	assert_true(it->value == (double)server);

	it = item(&c, TW_COST_MAX_TW_BUCKETS);
	assert_true(it->value == (double)sock_tw);
	assert_true(it->limit == 131072.0);
	assert_true(it->extra_known);
	assert_contains(it->verdict, "(the default: half the 262,144-bucket established hash)");

	it = item(&c, TW_COST_EHASH);  /* tcp_ehash_entries = -262144 in a namespace */
	assert_true(it->limit == 262144.0);
	assert_contains(it->verdict, "shared with the initial namespace");

	it = item(&c, TW_COST_CONNTRACK);
	assert_true(it->value == (double)want_ct);  /* nf_conntrack_count matched the table */
	assert_true(it->limit == 262144.0);
	assert_true(it->extra == (double)want_ct_tw);
	assert_true(want_ct_tw >= client + server);
	assert_contains(it->verdict, "kept 120 s");

	it = item(&c, TW_COST_MEMORY);
	assert_true(it->measured);
	assert_true(it->value >= (double)sock_tw * 256.0);  /* the captured sockets are in it */

	it = item(&c, TW_COST_FILE_DESCRIPTORS);
	assert_false(it->measured);  /* ss -tan shows no inodes */
	assert_true(it->extra == (double)(client + server));

	facts_free(&f);
	free(sysctl);
	free(sockstat);
	free(netstat);
	free(slab);
	free(mem);
	free(ct);
	free(ss);
	free(counts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params_and_names),
		cmocka_unit_test(test_invalid_arguments),
		cmocka_unit_test(test_memory_measured_from_fixture),
		cmocka_unit_test(test_memory_estimated),
		cmocka_unit_test(test_unknown_inputs),
		cmocka_unit_test(test_tuples_levels),
		cmocka_unit_test(test_tuples_thresholds_from_profile),
		cmocka_unit_test(test_tuples_reserved_and_unknown_range),
		cmocka_unit_test(test_tuples_reuse),
		cmocka_unit_test(test_tuples_server),
		cmocka_unit_test(test_connect_rate),
		cmocka_unit_test(test_max_tw_buckets),
		cmocka_unit_test(test_bhash),
		cmocka_unit_test(test_ehash),
		cmocka_unit_test(test_conntrack),
		cmocka_unit_test(test_file_descriptors),
		cmocka_unit_test(test_summary_harmless),
		cmocka_unit_test(test_fixture_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
