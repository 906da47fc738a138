/* SPDX-License-Identifier: MIT */
/* test_engine.c: the engine and its change plan, on rules and profiles
 * written by the test into a temporary data folder and facts built by
 * hand, so that each expectation follows from the test's own data:
 * precedence (pins, severity, id), acknowledgements, validity (absent
 * keys, tcp_tw_recycle, malformed computed values), interactions
 * (`requires:`), invariant 3 (listeners reserved, up to the range's top
 * port) and the one verdict. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "engine/plan.h"
#include "facts/facts.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct fx {
	char dir[64];
	struct tw_facts facts;
	struct tw_engine engine;
	struct tw_report report;
	bool loaded, ran;
};

static void put(const char *dir, const char *rel, const char *text)
{
	struct strbuf p = STRBUF_INIT;
	FILE *fp;

	sb_appendf(&p, "%s/%s", dir, rel);
	fp = fopen(sb_str(&p), "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	sb_free(&p);
}

static void rm_tree(const char *dir)
{
	struct strbuf cmd = STRBUF_INIT;

	sb_appendf(&cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(sb_str(&cmd)), 0);
	sb_free(&cmd);
}

/* A host with the given range, tcp_tw_reuse and listeners; client
 * TIME_WAIT toward one destination ('held' sockets, 'tw' of them in
 * TIME_WAIT). */
static void host(struct fx *x, const char *range, const char *reuse, const uint16_t *listen,
		 size_t nlisten, uint64_t held, uint64_t tw)
{
	struct tw_facts *f = &x->facts;

	facts_init(f);
	f->source = TW_SOURCE_SNAPSHOT;
	f->kernel.known = kernel_version_parse("6.1.0", &f->kernel) == 0;
	f->sysctls.known = true;
	sysctls_put(&f->sysctls, "net.ipv4.ip_local_port_range", range);
	sysctls_put(&f->sysctls, "net.ipv4.ip_local_reserved_ports", "");
	sysctls_put(&f->sysctls, "net.ipv4.tcp_tw_reuse", reuse);
	sysctls_put(&f->sysctls, "net.ipv4.tcp_timestamps", "1");
	sysctls_put(&f->sysctls, "net.ipv4.tcp_max_tw_buckets", "4096");
	sysctls_put(&f->sysctls, "net.ipv4.tcp_fin_timeout", "60");
	sysctls_seal(&f->sysctls);
	port_set_clear(&f->listening);
	for (size_t i = 0; i < nlisten; i++)
		port_set_add(&f->listening, listen[i]);
	f->tw.known = true;
	f->tw.total = f->tw.client = tw;
	f->tw.held_client = held;
	if (held) {
		struct tw_tuple *t = &f->tw.top_client[0];

		f->tw.ntop_client = 1;
		f->tw.tuples_client = 1;
		t->side = TW_SIDE_CLIENT;
		assert_int_equal(tw_addr_parse("10.0.0.5", 8, &t->local), 0);
		assert_int_equal(tw_addr_parse("10.0.1.20", 9, &t->remote), 0);
		t->port = 5432;
		t->count = tw;
		t->held = held;
	}
}

static void data_dir(struct fx *x, const char *generic_extra)
{
	struct strbuf sb = STRBUF_INIT;

	snprintf(x->dir, sizeof(x->dir), "/tmp/twadvise-engine.XXXXXX");
	assert_non_null(mkdtemp(x->dir));
	sb_appendf(&sb, "%s/rules", x->dir);
	assert_int_equal(mkdir(sb_str(&sb), 0700), 0);
	sb_reset(&sb);
	sb_appendf(&sb, "%s/profiles", x->dir);
	assert_int_equal(mkdir(sb_str(&sb), 0700), 0);
	sb_free(&sb);
	put(x->dir, "profiles/generic.yaml",
	    generic_extra ? generic_extra
			  : "name: generic\ndescription: test\nthresholds:\n  utilization_warning: 0.5\n"
			    "  utilization_critical: 0.8\n");
}

static void rule(struct fx *x, const char *id, const char *text)
{
	struct strbuf rel = STRBUF_INIT;

	sb_appendf(&rel, "rules/%s.yaml", id);
	put(x->dir, sb_str(&rel), text);
	sb_free(&rel);
}

static void run(struct fx *x, const struct tw_ack *acks, size_t nacks)
{
	struct tw_engine_opts eo = { .data_dir = x->dir };
	struct tw_run_opts ro = { .acks = acks, .nacks = nacks };
	struct tw_error err = { "" };
	const struct tw_profile *p;
	char *reason = NULL;

	if (engine_load(&x->engine, &eo, &err) < 0)
		fail_msg("engine_load: %s", err.msg);
	x->loaded = true;
	assert_int_equal(engine_select_profile(&x->engine, "generic", &x->facts, &p, &reason, &err), 0);
	if (engine_run(&x->engine, p, reason, &x->facts, &ro, &x->report, &err) < 0)
		fail_msg("engine_run: %s", err.msg);
	free(reason);
	x->ran = true;
}

static void done(struct fx *x)
{
	if (x->ran)
		report_free(&x->report);
	if (x->loaded)
		engine_free(&x->engine);
	facts_free(&x->facts);
	rm_tree(x->dir);
}

static const struct tw_plan_item *item(const struct fx *x, const char *key)
{
	return plan_find(&x->report.plan, key);
}

static const struct tw_finding *finding(const struct fx *x, const char *id)
{
	for (size_t i = 0; i < x->report.nfindings; i++)
		if (strcmp(x->report.findings[i].id, id) == 0)
			return &x->report.findings[i];
	return NULL;
}

static bool has_note(const struct fx *x, const char *part)
{
	for (size_t i = 0; i < x->report.nnotes; i++)
		if (strstr(x->report.notes[i], part))
			return true;
	return false;
}

#define RULE(id, sev, changes) \
	"id: " id "\ntitle: " id "\nseverity: " sev "\nwhen: \"true\"\nevidence: e\nrationale: r\n" changes

/* ---- precedence ---- */

static void test_severity_then_id(void **state)
{
	struct fx x = { 0 };

	(void)state;
	host(&x, "32768 60999", "0", NULL, 0, 0, 0);
	data_dir(&x, NULL);
	rule(&x, "a-warn", RULE("a-warn", "warning",
				"changes:\n  - sysctl: net.ipv4.tcp_fin_timeout\n    value: \"30\"\n"));
	rule(&x, "b-crit", RULE("b-crit", "critical",
				"changes:\n  - sysctl: net.ipv4.tcp_fin_timeout\n    value: \"20\"\n"));
	rule(&x, "c-crit", RULE("c-crit", "critical",
				"changes:\n  - sysctl: net.ipv4.tcp_fin_timeout\n    value: \"10\"\n"));
	run(&x, NULL, 0);
	assert_non_null(item(&x, "net.ipv4.tcp_fin_timeout"));
	assert_string_equal(item(&x, "net.ipv4.tcp_fin_timeout")->value, "20");
	assert_string_equal(item(&x, "net.ipv4.tcp_fin_timeout")->finding_id, "b-crit");
	assert_int_equal(x.report.plan.n, 1);
	/* The losers show no change, and a note says who won. */
	assert_int_equal(finding(&x, "a-warn")->nchanges, 0);
	assert_int_equal(finding(&x, "c-crit")->nchanges, 0);
	assert_true(has_note(&x, "c-crit: net.ipv4.tcp_fin_timeout is already set by b-crit"));
	assert_true(plan_counts(&x.report.plan, TW_SEV_CRITICAL));
	done(&x);
}

static void test_pin_wins(void **state)
{
	struct fx x = { 0 };

	(void)state;
	host(&x, "32768 60999", "0", NULL, 0, 0, 0);
	data_dir(&x, "name: generic\ndescription: t\nthresholds:\n  utilization_warning: 0.5\n"
		     "settings:\n  net.ipv4.tcp_fin_timeout:\n    value: \"45\"\n    why: site choice\n");
	rule(&x, "crit", RULE("crit", "critical",
			      "changes:\n  - sysctl: net.ipv4.tcp_fin_timeout\n    value: \"20\"\n"));
	run(&x, NULL, 0);
	assert_string_equal(item(&x, "net.ipv4.tcp_fin_timeout")->value, "45");
	assert_string_equal(item(&x, "net.ipv4.tcp_fin_timeout")->finding_id,
			    "profile.generic.net.ipv4.tcp_fin_timeout");
	/* The pin is a warning: --check at critical counts nothing. */
	assert_false(plan_counts(&x.report.plan, TW_SEV_CRITICAL));
	assert_true(plan_counts(&x.report.plan, TW_SEV_WARNING));
	done(&x);
}

static void test_ack_passes_the_key_on(void **state)
{
	struct fx x = { 0 };
	struct tw_ack ack = { "crit", "known" };

	(void)state;
	host(&x, "32768 60999", "0", NULL, 0, 0, 0);
	data_dir(&x, NULL);
	rule(&x, "crit", RULE("crit", "critical",
			      "changes:\n  - sysctl: net.ipv4.tcp_fin_timeout\n    value: \"20\"\n"));
	rule(&x, "warn", RULE("warn", "warning",
			      "changes:\n  - sysctl: net.ipv4.tcp_fin_timeout\n    value: \"30\"\n"));
	run(&x, &ack, 1);
	assert_true(finding(&x, "crit")->acknowledged);
	assert_string_equal(item(&x, "net.ipv4.tcp_fin_timeout")->value, "30");
	assert_string_equal(item(&x, "net.ipv4.tcp_fin_timeout")->finding_id, "warn");
	/* The acknowledged finding still shows what it proposed. */
	assert_int_equal(finding(&x, "crit")->nchanges, 1);
	/* And the acknowledged critical does not make the verdict "act". */
	assert_int_equal(x.report.verdict, TW_COST_WATCH);
	done(&x);
}

/* ---- validity ---- */

static void test_validity(void **state)
{
	struct fx x = { 0 };

	(void)state;
	host(&x, "32768 60999", "0", NULL, 0, 0, 0);
	data_dir(&x, NULL);
	rule(&x, "absent", RULE("absent", "warning",
				"changes:\n  - sysctl: net.ipv4.tcp_tw_reuse_delay\n    value: \"100\"\n"));
	rule(&x, "range", RULE("range", "warning",
			       "changes:\n  - sysctl: net.ipv4.ip_local_port_range\n"
			       "    value: \"${70000} ${1}\"\n"));
	rule(&x, "buckets", RULE("buckets", "warning",
				 "changes:\n  - sysctl: net.ipv4.tcp_max_tw_buckets\n"
				 "    value: \"${sysctl(\\\"net.ipv4.tcp_max_tw_buckets\\\") / 3}\"\n"));
	sysctls_put(&x.facts.sysctls, "net.ipv4.tcp_tw_recycle", "0");
	sysctls_seal(&x.facts.sysctls);
	run(&x, NULL, 0);
	assert_null(item(&x, "net.ipv4.tcp_tw_reuse_delay"));
	assert_true(has_note(&x, "net.ipv4.tcp_tw_reuse_delay does not exist on kernel 6.1.0"));
	assert_null(item(&x, "net.ipv4.ip_local_port_range"));
	/* 4096 / 3 is not an integer: refused, not written as a no-op. */
	assert_null(item(&x, "net.ipv4.tcp_max_tw_buckets"));
	assert_true(has_note(&x, "the computed value for net.ipv4.tcp_max_tw_buckets is malformed"));
	assert_int_equal(x.report.plan.n, 0);
	assert_false(plan_counts(&x.report.plan, TW_SEV_INFO));
	done(&x);
}

static void test_value_valid(void **state)
{
	(void)state;
	assert_true(plan_value_valid("net.ipv4.ip_local_port_range", "10000 65535"));
	assert_true(plan_value_valid("net.ipv4.ip_local_port_range", "1\t2"));
	assert_false(plan_value_valid("net.ipv4.ip_local_port_range", "65535 10000"));
	assert_false(plan_value_valid("net.ipv4.ip_local_port_range", "0 10"));
	assert_false(plan_value_valid("net.ipv4.ip_local_port_range", "10 70000"));
	assert_false(plan_value_valid("net.ipv4.ip_local_port_range", "10"));
	assert_true(plan_value_valid("net.ipv4.ip_local_reserved_ports", ""));
	assert_true(plan_value_valid("net.ipv4.ip_local_reserved_ports", "80,8000-8100"));
	assert_false(plan_value_valid("net.ipv4.ip_local_reserved_ports", "80,x"));
	assert_true(plan_value_valid("net.ipv4.tcp_tw_reuse", "1"));
	assert_true(plan_value_valid("net.ipv4.tcp_tw_reuse", "-1"));
	assert_false(plan_value_valid("net.ipv4.tcp_tw_reuse", "1.5"));
	assert_false(plan_value_valid("net.ipv4.tcp_tw_reuse", ""));
	assert_false(plan_value_valid("net.ipv4.tcp_tw_reuse", "1\nnet.ipv4.tcp_tw_recycle = 1"));
	assert_false(plan_value_valid("net.ipv4.tcp_fin_timeout", "30 30"));
}

/* Invariant 1 at load time: any value but a literal 0, computed ones
 * included, is refused with its position. */
static void test_recycle_refused_at_load(void **state)
{
	struct fx x = { 0 };
	struct tw_engine_opts eo;
	struct tw_error err = { "" };

	(void)state;
	host(&x, "32768 60999", "0", NULL, 0, 0, 0);
	data_dir(&x, NULL);
	eo = (struct tw_engine_opts){ .data_dir = x.dir };
	rule(&x, "recycle", RULE("recycle", "warning",
				 "changes:\n  - sysctl: net.ipv4.tcp_tw_recycle\n    value: \"${1 - 1}\"\n"));
	assert_true(engine_load(&x.engine, &eo, &err) < 0);
	assert_non_null(strstr(err.msg, "recycle.yaml:9:12: net.ipv4.tcp_tw_recycle may only be set to 0"));
	engine_free(&x.engine);
	done(&x);
}

/* And at the plan, the last gate before anything is written, whatever
 * built the findings. */
static void test_recycle_refused_by_plan(void **state)
{
	struct tw_facts f;
	struct tw_report rep;
	struct tw_finding *fi;

	(void)state;
	facts_init(&f);
	f.sysctls.known = true;
	sysctls_put(&f.sysctls, "net.ipv4.tcp_tw_recycle", "0");
	sysctls_seal(&f.sysctls);
	memset(&rep, 0, sizeof(rep));
	rep.findings = tw_xcalloc(1, sizeof(*rep.findings));
	rep.nfindings = 1;
	fi = &rep.findings[0];
	fi->id = tw_xstrdup("x");
	fi->title = tw_xstrdup("x");
	fi->changes = tw_xcalloc(2, sizeof(*fi->changes));
	fi->nchanges = 2;
	fi->changes[0].sysctl = tw_xstrdup("net.ipv4.tcp_tw_recycle");
	fi->changes[0].recommended = tw_xstrdup(" 1");
	fi->changes[1].sysctl = tw_xstrdup("net.ipv4.tcp_tw_recycle");
	fi->changes[1].recommended = tw_xstrdup("0 ");
	plan_build(&rep, &f);
	assert_int_equal(rep.plan.n, 1);
	assert_string_equal(rep.plan.v[0].value, "0 ");
	report_free(&rep);
	facts_free(&f);
}

/* ---- interactions ---- */

#define CEILING_RULE RULE("ceiling", "warning", \
	"changes:\n  - sysctl: net.ipv4.tcp_max_tw_buckets\n    value: \"262144\"\n" \
	"    requires:\n      any_of: [net.ipv4.tcp_tw_reuse, net.ipv4.ip_local_port_range]\n" \
	"      unless: \"tw.held_client == 0\"\n      why: it would bring the exhaustion back\n")

static void test_requires_withholds(void **state)
{
	struct fx x = { 0 };

	(void)state;
	host(&x, "32768 33767", "0", NULL, 0, 300, 300);
	data_dir(&x, NULL);
	rule(&x, "ceiling", CEILING_RULE);
	run(&x, NULL, 0);
	assert_null(item(&x, "net.ipv4.tcp_max_tw_buckets"));
	assert_int_equal(finding(&x, "ceiling")->nwithheld, 1);
	assert_non_null(strstr(finding(&x, "ceiling")->withheld[0],
			       "net.ipv4.tcp_max_tw_buckets = 262144 withheld: it would bring"));
	assert_int_equal(finding(&x, "ceiling")->nchanges, 0);
	done(&x);
}

static void test_requires_met(void **state)
{
	struct fx x = { 0 };

	(void)state;
	host(&x, "32768 33767", "0", NULL, 0, 300, 300);
	data_dir(&x, NULL);
	rule(&x, "ceiling", CEILING_RULE);
	rule(&x, "reuse", RULE("reuse", "warning",
			       "changes:\n  - sysctl: net.ipv4.tcp_tw_reuse\n    value: \"1\"\n"));
	run(&x, NULL, 0);
	assert_non_null(item(&x, "net.ipv4.tcp_max_tw_buckets"));
	assert_non_null(item(&x, "net.ipv4.tcp_tw_reuse"));
	done(&x);
}

static void test_requires_partner_acknowledged(void **state)
{
	struct fx x = { 0 };
	struct tw_ack ack = { "reuse", NULL };

	(void)state;
	host(&x, "32768 33767", "0", NULL, 0, 300, 300);
	data_dir(&x, NULL);
	rule(&x, "ceiling", CEILING_RULE);
	rule(&x, "reuse", RULE("reuse", "warning",
			       "changes:\n  - sysctl: net.ipv4.tcp_tw_reuse\n    value: \"1\"\n"));
	run(&x, &ack, 1);
	/* The partner is not applied, so the ceiling may not go alone. */
	assert_null(item(&x, "net.ipv4.tcp_tw_reuse"));
	assert_null(item(&x, "net.ipv4.tcp_max_tw_buckets"));
	done(&x);
}

static void test_requires_waived(void **state)
{
	struct fx x = { 0 };

	(void)state;
	host(&x, "32768 33767", "0", NULL, 0, 0, 0);     /* no client sockets */
	data_dir(&x, NULL);
	rule(&x, "ceiling", CEILING_RULE);
	run(&x, NULL, 0);
	assert_non_null(item(&x, "net.ipv4.tcp_max_tw_buckets"));
	done(&x);
}

static void test_change_when(void **state)
{
	struct fx x = { 0 };

	(void)state;
	host(&x, "32768 60999", "0", NULL, 0, 0, 0);
	data_dir(&x, NULL);
	rule(&x, "two", RULE("two", "warning",
			     "changes:\n  - sysctl: net.ipv4.tcp_fin_timeout\n    value: \"30\"\n"
			     "    when: \"tw.client > 0\"\n"
			     "  - sysctl: net.ipv4.tcp_tw_reuse\n    value: \"1\"\n"
			     "    when: \"tw.client == 0\"\n"));
	run(&x, NULL, 0);
	assert_null(item(&x, "net.ipv4.tcp_fin_timeout"));
	assert_non_null(item(&x, "net.ipv4.tcp_tw_reuse"));
	done(&x);
}

/* ---- invariant 3 ---- */

static void test_listeners_reserved_to_the_top(void **state)
{
	static const uint16_t listen[] = { 22, 9999, 10000, 30000, 65535 };
	struct fx x = { 0 };
	struct tw_port_set want;

	(void)state;
	host(&x, "32768 60999", "0", listen, sizeof(listen) / sizeof(listen[0]), 0, 0);
	data_dir(&x, NULL);
	rule(&x, "widen", RULE("widen", "warning",
			       "changes:\n  - sysctl: net.ipv4.ip_local_port_range\n    value: \"10000 65535\"\n"));
	run(&x, NULL, 0);
	assert_non_null(item(&x, "net.ipv4.ip_local_reserved_ports"));
	/* Every listener inside [10000, 65535], the bounds included, and
	 * nothing outside it. */
	assert_int_equal(port_set_parse(item(&x, "net.ipv4.ip_local_reserved_ports")->value, &want), 0);
	assert_true(port_set_has(&want, 10000));
	assert_true(port_set_has(&want, 30000));
	assert_true(port_set_has(&want, 65535));
	assert_false(port_set_has(&want, 9999));
	assert_false(port_set_has(&want, 22));
	assert_int_equal(port_set_count(&want), 3);
	assert_string_equal(item(&x, "net.ipv4.ip_local_reserved_ports")->finding_id, "widen");
	done(&x);
}

static void test_range_withdrawn_without_reserved_key(void **state)
{
	static const uint16_t listen[] = { 20000 };
	struct fx x = { 0 };
	struct tw_sysctls copy = { 0 };

	(void)state;
	host(&x, "32768 60999", "0", listen, 1, 0, 0);
	/* A kernel without ip_local_reserved_ports (before 2.6.35). */
	for (size_t i = 0; i < x.facts.sysctls.n; i++)
		if (strcmp(x.facts.sysctls.v[i].key, "net.ipv4.ip_local_reserved_ports") != 0)
			sysctls_put(&copy, x.facts.sysctls.v[i].key, x.facts.sysctls.v[i].value);
	copy.known = true;
	sysctls_seal(&copy);
	sysctls_free(&x.facts.sysctls);
	x.facts.sysctls = copy;
	data_dir(&x, NULL);
	rule(&x, "widen", RULE("widen", "warning",
			       "changes:\n  - sysctl: net.ipv4.ip_local_port_range\n    value: \"10000 65535\"\n"));
	run(&x, NULL, 0);
	assert_null(item(&x, "net.ipv4.ip_local_port_range"));
	assert_int_equal(finding(&x, "widen")->nwithheld, 1);
	done(&x);
}

/* ---- the verdict ---- */

static void test_verdict(void **state)
{
	struct fx x = { 0 };

	(void)state;
	host(&x, "32768 60999", "0", NULL, 0, 0, 0);
	data_dir(&x, NULL);
	rule(&x, "note", RULE("note", "info", ""));
	run(&x, NULL, 0);
	assert_int_equal(x.report.verdict, TW_COST_HARMLESS);
	done(&x);

	memset(&x, 0, sizeof(x));
	host(&x, "32768 60999", "0", NULL, 0, 0, 0);
	data_dir(&x, NULL);
	rule(&x, "warn", RULE("warn", "warning", ""));
	run(&x, NULL, 0);
	/* A warning without a change still means "watch", never "harmless". */
	assert_int_equal(x.report.verdict, TW_COST_WATCH);
	done(&x);

	memset(&x, 0, sizeof(x));
	host(&x, "32768 60999", "0", NULL, 0, 0, 0);
	data_dir(&x, NULL);
	rule(&x, "crit", RULE("crit", "critical", ""));
	run(&x, NULL, 0);
	assert_true(x.report.cost_known);
	assert_int_equal(x.report.cost.verdict, TW_COST_HARMLESS);
	assert_int_equal(x.report.verdict, TW_COST_ACT);
	done(&x);
}

/* The cost model alone can raise the verdict: 95% of a tuple's ports. */
static void test_verdict_from_cost(void **state)
{
	struct fx x = { 0 };

	(void)state;
	host(&x, "32768 33767", "0", NULL, 0, 950, 950);
	data_dir(&x, NULL);
	rule(&x, "note", RULE("note", "info", ""));
	run(&x, NULL, 0);
	assert_int_equal(x.report.cost.verdict, TW_COST_ACT);
	assert_int_equal(x.report.verdict, TW_COST_ACT);
	done(&x);
}

/* With reuse at work and no rate, the count is not the pressure. */
static void test_pressure_with_reuse(void **state)
{
	struct fx x = { 0 };
	double p = -1;

	(void)state;
	host(&x, "32768 33767", "1", NULL, 0, 1000, 900);
	assert_false(facts_tuple_pressure(&x.facts, &x.facts.tw.top_client[0], &p));
	/* 10 s of ages: 50 sockets entered in the last 10 s, 5/s; with a
	 * 1 s delay, (1000 - 900 live + 5 x 1) / 1000 ports. */
	x.facts.tw.ages_known = true;
	x.facts.tw.top_client[0].age[0] = 50;
	assert_true(facts_tuple_pressure(&x.facts, &x.facts.tw.top_client[0], &p));
	assert_true(p > 0.1049 && p < 0.1051);
	/* Reuse off: every held socket counts. */
	sysctls_put(&x.facts.sysctls, "net.ipv4.tcp_tw_reuse", "0");
	sysctls_seal(&x.facts.sysctls);
	assert_true(facts_tuple_pressure(&x.facts, &x.facts.tw.top_client[0], &p));
	assert_true(p > 0.9999 && p < 1.0001);
	facts_free(&x.facts);
}

/* An unknown port range is unknown, never a default number of ports:
 * no utilization, no pressure, and the report's top row says so. */
static void test_unknown_range(void **state)
{
	struct fx x = { 0 };
	struct tw_sysctls copy = { 0 };
	double u = -1;

	(void)state;
	host(&x, "32768 60999", "0", NULL, 0, 500, 500);
	for (size_t i = 0; i < x.facts.sysctls.n; i++)
		if (strcmp(x.facts.sysctls.v[i].key, "net.ipv4.ip_local_port_range") != 0)
			sysctls_put(&copy, x.facts.sysctls.v[i].key, x.facts.sysctls.v[i].value);
	copy.known = true;
	sysctls_seal(&copy);
	sysctls_free(&x.facts.sysctls);
	x.facts.sysctls = copy;
	assert_false(facts_tuple_utilization(&x.facts, &x.facts.tw.top_client[0], 28232, &u));
	assert_false(facts_tuple_pressure(&x.facts, &x.facts.tw.top_client[0], &u));
	data_dir(&x, NULL);
	rule(&x, "note", RULE("note", "info", ""));
	run(&x, NULL, 0);
	assert_int_equal(x.report.ntop, 1);
	assert_false(x.report.top[0].utilization_known);
	done(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_severity_then_id),
		cmocka_unit_test(test_pin_wins),
		cmocka_unit_test(test_ack_passes_the_key_on),
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_value_valid),
		cmocka_unit_test(test_recycle_refused_at_load),
		cmocka_unit_test(test_recycle_refused_by_plan),
		cmocka_unit_test(test_requires_withholds),
		cmocka_unit_test(test_requires_met),
		cmocka_unit_test(test_requires_partner_acknowledged),
		cmocka_unit_test(test_requires_waived),
		cmocka_unit_test(test_change_when),
		cmocka_unit_test(test_listeners_reserved_to_the_top),
		cmocka_unit_test(test_range_withdrawn_without_reserved_key),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_verdict_from_cost),
		cmocka_unit_test(test_pressure_with_reuse),
		cmocka_unit_test(test_unknown_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
