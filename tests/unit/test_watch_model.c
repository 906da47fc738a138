/* SPDX-License-Identifier: MIT */
/* test_watch_model.c: the numbers --watch shows (src/render/watch_model.c
 * and watch_format.c) on facts built by hand: the rate from the
 * TIME_WAIT ages, growth and time to exhaustion (first refresh from the
 * ages, then from held between refreshes), trends, counter rates (a
 * counter that went back is unknown, never negative), the three sorts,
 * and the log line byte for byte; for --all-namespaces, the bounded merge
 * of rows, names as one word, and its lines and verdict byte for byte. Expected values are worked out in the
 * comments from the inputs, not copied from the program. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/report.h"
#include "facts/facts.h"
#include "render/watch_model.h"
#include "util/strbuf.h"

/* Default range 32768..60999: 28232 ports for a client tuple. */
#define PORTS 28232

static void tuple(struct tw_tuple *t, enum tw_side side, const char *local, const char *remote,
		  uint16_t port, uint64_t held, uint64_t count, uint64_t age0, uint64_t age5)
{
	memset(t, 0, sizeof(*t));
	t->side = side;
	assert_int_equal(tw_addr_parse(local, strlen(local), &t->local), 0);
	assert_int_equal(tw_addr_parse(remote, strlen(remote), &t->remote), 0);
	t->port = port;
	t->held = held;
	t->count = count;
	t->age[0] = age0;
	t->age[TW_AGE_BUCKETS - 1] = age5;
	t->age[1] = count - age0 - age5;
}

/* A host with one client tuple toward 10.0.0.2:5432 and one server
 * tuple at :80, and ActiveOpens = 'opens'. */
static void host(struct tw_facts *f, struct tw_report *rep, uint64_t held, uint64_t opens)
{
	facts_init(f);
	sysctls_put(&f->sysctls, "net.ipv4.ip_local_port_range", "32768 60999");
	sysctls_put(&f->sysctls, "net.ipv4.ip_local_reserved_ports", "");
	sysctls_put(&f->sysctls, "net.netfilter.nf_conntrack_count", "12");
	sysctls_put(&f->sysctls, "net.netfilter.nf_conntrack_max", "65536");
	sysctls_seal(&f->sysctls);
	f->sysctls.known = true;
	f->tw.known = true;
	f->tw.ages_known = true;
	tuple(&f->tw.top_client[0], TW_SIDE_CLIENT, "10.0.0.1", "10.0.0.2", 5432, held, 900, 100, 20);
	f->tw.ntop_client = 1;
	tuple(&f->tw.top_server[0], TW_SIDE_SERVER, "10.0.0.1", "10.0.0.9", 80, 50, 50, 40, 0);
	f->tw.ntop_server = 1;
	f->tw.total = 950;
	f->counters.tcp.known = true;
	counter_list_set(&f->counters.tcp, "ActiveOpens", (int64_t)opens);
	f->counters.tcpext.known = true;
	counter_list_set(&f->counters.tcpext, "TWRecycled", 7);
	counter_list_set(&f->counters.tcpext, "TCPTimeWaitOverflow", 0);
	memset(rep, 0, sizeof(*rep));
	rep->facts = f;
	rep->verdict = TW_COST_WATCH;
}

static const struct watch_row *row(const struct watch_frame *fr, uint16_t port)
{
	for (size_t i = 0; i < fr->nrows; i++)
		if (fr->rows[i].tuple.port == port)
			return &fr->rows[i];
	fail_msg("no row for port %u", port);
	return NULL;
}

static void eta_text(const struct watch_row *r, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	watch_format_eta(r, &watch_glyphs_ascii, &sb);
	assert_string_equal(sb_str(&sb), want);
	sb_free(&sb);
}

static void test_first_refresh(void **state)
{
	struct tw_facts f;
	struct tw_report rep;
	struct watch_frame fr;
	const struct watch_row *c;

	(void)state;
	host(&f, &rep, 1000, 5000);
	watch_frame_build(&fr, &rep, NULL, 28232, 100.0, 0);
	assert_int_equal(fr.nrows, 2);
	c = row(&fr, 5432);
	assert_int_equal(c->ports, PORTS);
	/* 100 entered TIME_WAIT in the last 10 s: 10/s */
	assert_true(c->rate_known);
	assert_float_equal(c->rate, 10.0, 1e-9);
	assert_int_equal(c->trend, WATCH_TREND_UNKNOWN);
	/* growth from the ages: (100 in - 20 out) / 10 s = 8/s;
	 * (28232 - 1000) / 8 = 3404 s = 57 min */
	assert_true(c->growth_known);
	assert_float_equal(c->growth, 8.0, 1e-9);
	assert_true(c->eta_known);
	assert_float_equal(c->eta_s, 3404.0, 1e-9);
	eta_text(c, "57m");
	/* counter rates need two refreshes */
	assert_true(fr.active_opens.known);
	assert_false(fr.active_opens.rate_known);
	assert_true(fr.conntrack_known && fr.conntrack_max_known);
	assert_int_equal(fr.conntrack_count, 12);
	assert_int_equal(fr.conntrack_max, 65536);
	facts_free(&f);
}

static void test_between_refreshes(void **state)
{
	struct tw_facts f1, f2, f3;
	struct tw_report r1, r2, r3;
	struct watch_frame a, b, c;

	(void)state;
	host(&f1, &r1, 1000, 5000);
	watch_frame_build(&a, &r1, NULL, 28232, 100.0, 0);
	/* 2 s later: held +100 (50/s), ActiveOpens +500 (250/s) */
	host(&f2, &r2, 1100, 5500);
	watch_frame_build(&b, &r2, &a, 28232, 102.0, 0);
	assert_int_equal(row(&b, 5432)->trend, WATCH_TREND_UP);
	assert_float_equal(row(&b, 5432)->growth, 50.0, 1e-9);
	/* (28232 - 1100) / 50 = 542.64 s */
	assert_float_equal(row(&b, 5432)->eta_s, 542.64, 1e-9);
	eta_text(row(&b, 5432), "9m");
	assert_true(b.active_opens.rate_known);
	assert_float_equal(b.active_opens.per_s, 250.0, 1e-9);
	assert_float_equal(b.tw_recycled.per_s, 0.0, 1e-9);
	/* the server row did not change: steady, not growing */
	assert_int_equal(row(&b, 80)->trend, WATCH_TREND_STEADY);
	assert_false(row(&b, 80)->eta_known);
	eta_text(row(&b, 80), "-");
	/* 1 s later: held back to 1000, ActiveOpens reset (a counter
	 * that goes back is unknown, never a negative rate) */
	host(&f3, &r3, 1000, 10);
	watch_frame_build(&c, &r3, &b, 28232, 103.0, 0);
	assert_int_equal(row(&c, 5432)->trend, WATCH_TREND_DOWN);
	assert_false(row(&c, 5432)->eta_known);
	assert_false(c.active_opens.rate_known);
	facts_free(&f1);
	facts_free(&f2);
	facts_free(&f3);
}

static void test_exhausted(void **state)
{
	struct tw_facts f;
	struct tw_report rep;
	struct watch_frame fr;

	(void)state;
	host(&f, &rep, PORTS + 5, 0);
	watch_frame_build(&fr, &rep, NULL, 28232, 1.0, 0);
	assert_true(row(&fr, 5432)->eta_known);
	eta_text(row(&fr, 5432), "now");
	facts_free(&f);
}

static void test_sorts(void **state)
{
	struct tw_facts f;
	struct tw_report rep;
	struct watch_frame fr;

	(void)state;
	host(&f, &rep, 1000, 0);
	/* server row: fewer held (50) and TIME_WAIT (50) than the client row */
	f.tw.top_server[0].age[0] = 50;   /* 5/s: below the client's 10/s */
	watch_frame_build(&fr, &rep, NULL, 28232, 1.0, 0);
	assert_int_equal(fr.rows[0].tuple.port, 5432);
	f.tw.top_client[0].age[0] = 20;   /* client 2/s, server 5/s */
	f.tw.top_client[0].age[1] = 860;
	watch_frame_build(&fr, &rep, NULL, 28232, 1.0, 0);
	assert_int_equal(fr.rows[0].tuple.port, 5432);      /* held first */
	watch_frame_sort(&fr, WATCH_SORT_RATE);
	assert_int_equal(fr.rows[0].tuple.port, 80);
	watch_frame_sort(&fr, WATCH_SORT_TIME_WAIT);
	assert_int_equal(fr.rows[0].tuple.port, 5432);
	assert_string_equal(watch_sort_name(WATCH_SORT_RATE), "rate");
	assert_string_equal(watch_sort_name(WATCH_SORT_TIME_WAIT), "TIME_WAIT");
	assert_string_equal(watch_sort_name(WATCH_SORT_HELD), "held");
	facts_free(&f);
}

static void test_line(void **state)
{
	struct tw_facts f1, f2;
	struct tw_report r1, r2;
	struct watch_frame a, b;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	host(&f1, &r1, 1000, 5000);
	watch_frame_build(&a, &r1, NULL, 28232, 10.0, 1764651600);  /* 2025-12-02T05:00:00Z */
	watch_format_line(&a, &sb);
	assert_string_equal(sb_str(&sb),
		"2025-12-02T05:00:00Z verdict=watch time_wait_total=950 "
		"top=client:10.0.0.1->10.0.0.2:5432 held=1000/28232 time_wait=900 rate=10.0/s "
		"active_opens/s=- tw_recycled/s=- tw_overflow/s=- conntrack=12/65536\n");
	host(&f2, &r2, 1000, 5400);
	watch_frame_build(&b, &r2, &a, 28232, 14.0, 1764651604);
	sb_reset(&sb);
	watch_format_line(&b, &sb);
	assert_string_equal(sb_str(&sb),
		"2025-12-02T05:00:04Z verdict=watch time_wait_total=950 "
		"top=client:10.0.0.1->10.0.0.2:5432 held=1000/28232 time_wait=900 rate=10.0/s "
		"active_opens/s=100.0 tw_recycled/s=0.0 tw_overflow/s=0.0 conntrack=12/65536\n");
	sb_free(&sb);
	facts_free(&f1);
	facts_free(&f2);
}

/* 70 rows, held 0..69, added in a scrambled order (i * 37 mod 70 visits
 * each once: 37 and 70 are coprime): the 64 kept are the busiest, held
 * 69 down to 6, in order. */
static void test_merge(void **state)
{
	struct watch_frame fr;
	struct watch_row r;

	(void)state;
	memset(&fr, 0, sizeof(fr));
	for (unsigned i = 0; i < 70; i++) {
		memset(&r, 0, sizeof(r));
		r.tuple.held = (i * 37) % 70;
		r.tuple.port = (uint16_t)(1000 + r.tuple.held);
		snprintf(r.netns, sizeof(r.netns), "ns%u", (unsigned)r.tuple.held % 3);
		watch_frame_add_row(&fr, &r, WATCH_SORT_HELD);
	}
	assert_int_equal(fr.nrows, WATCH_ROWS_MAX);
	assert_int_equal(WATCH_ROWS_MAX, 64);
	for (size_t i = 0; i < fr.nrows; i++) {
		assert_int_equal(fr.rows[i].tuple.held, 69 - i);
		assert_int_equal(fr.rows[i].tuple.port, 1000 + 69 - i);
	}
	assert_string_equal(fr.rows[0].netns, "ns0");   /* 69 % 3 */
	/* equal rows: the namespace's name decides */
	memset(&r, 0, sizeof(r));
	strcpy(r.netns, "b");
	assert_true(watch_row_cmp(&r, &r, WATCH_SORT_HELD) == 0);
	{
		struct watch_row a = r;

		strcpy(a.netns, "a");
		assert_true(watch_row_cmp(&a, &r, WATCH_SORT_HELD) < 0);
	}
}

static void word(const char *in, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	watch_format_word(in, &sb);
	assert_string_equal(sb_str(&sb), want);
	sb_free(&sb);
}

static void test_word(void **state)
{
	(void)state;
	word("twtest-1-a", "twtest-1-a");
	word("blue.prod:x/y@z+1_2", "blue.prod:x/y@z+1_2");
	word("pid 42 (sleep)", "\"pid 42 (sleep)\"");
	word("a\"b\\c", "\"a\\\"b\\\\c\"");
	word("tab\there", "\"tab?here\"");
	word("", "\"\"");
}

static void test_namespace_lines(void **state)
{
	struct tw_facts f;
	struct tw_report rep;
	struct watch_frame fr;
	struct tw_finding fi[3] = {
		{ .id = "ports-low", .severity = TW_SEV_WARNING },
		{ .id = "acked-one", .severity = TW_SEV_WARNING, .acknowledged = true },
		{ .id = "timewait-harmless", .severity = TW_SEV_INFO },
	};
	struct watch_summary sum = {
		.wall = 1764651600, .namespaces = 3, .failed = 1,
		.by_level = { 1, 1, 1 }, .verdict = TW_COST_ACT, .worst_name = "docker web",
		.worst_summary = "Act: ports run out.", .critical = 1, .warning = 2, .info = 0,
		.tw_known = true, .tw_total = 1234, .refresh_s = 2.5, .interval_s = 2,
	};
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	host(&f, &rep, 1000, 5000);
	rep.findings = fi;
	rep.nfindings = 3;
	watch_frame_build(&fr, &rep, NULL, 28232, 10.0, 1764651600);
	watch_format_ns_line("docker web", &fr, &rep, &sb);
	assert_string_equal(sb_str(&sb),
		"2025-12-02T05:00:00Z netns=\"docker web\" verdict=watch time_wait_total=950 "
		"top=client:10.0.0.1->10.0.0.2:5432 held=1000/28232 time_wait=900 rate=10.0/s "
		"active_opens/s=- tw_recycled/s=- tw_overflow/s=- conntrack=12/65536 "
		"findings=ports-low,timewait-harmless\n");
	sb_reset(&sb);
	rep.nfindings = 0;
	watch_format_ns_line("blue", &fr, &rep, &sb);
	assert_non_null(strstr(sb_str(&sb), " netns=blue verdict=watch "));
	assert_non_null(strstr(sb_str(&sb), " findings=-\n"));
	sb_reset(&sb);
	/* 2.5 s for a 2 s period: behind */
	watch_format_summary_line(&sum, &sb);
	assert_string_equal(sb_str(&sb),
		"2025-12-02T05:00:00Z namespaces=3 failed=1 verdict=act time_wait_total=1234 "
		"refresh_ms=2500 behind=1\n");
	sb_reset(&sb);
	watch_format_verdict_all(&sum, &sb);
	assert_string_equal(sb_str(&sb),
		"Verdict: act (worst of 3 namespaces: 1 act, 1 watch, 1 harmless; 1 not read). "
		"1 critical, 2 warning, 0 info findings. docker web: Act: ports run out.");
	sb_free(&sb);
	facts_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_refresh),
		cmocka_unit_test(test_between_refreshes),
		cmocka_unit_test(test_exhausted),
		cmocka_unit_test(test_sorts),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_word),
		cmocka_unit_test(test_namespace_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
