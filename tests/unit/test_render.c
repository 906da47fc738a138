/* SPDX-License-Identifier: MIT */
/* test_render.c: every renderer (src/render/) on reports built by hand.
 *
 * Three reports: a full one (critical, warning and acknowledged info
 * findings; persisted values with drift, an unknown current value, an
 * override warning, a duplicate key and a forbidden tcp_tw_recycle change;
 * a cost verdict; notes), an empty one (no findings, cost unknown, no
 * TIME_WAIT) and a hostile one (newlines, quotes and invalid UTF-8 in
 * strings that reach the outputs). Checks: the JSON validates against the
 * contract's schema (with /usr/bin/python3 + jsonschema when present; a
 * deliberately broken document must fail, which proves the validator
 * runs) and keeps the invariants (summary = counts, remote_port null on
 * server rows); the fragment is deterministic and equals
 * tests/fixtures/render/full.conf byte for byte; the text has the verdict
 * first, the change arrows, the paste lines and the bar, and no escape
 * sequences without colour; every Prometheus line parses (and promtool
 * accepts the output when installed); the Nagios state follows the
 * findings and --fail-on. */
#include <errno.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/report.h"
#include "facts/facts.h"
#include "render/json_writer.h"
#include "render/render.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#ifndef TW_FIXTURES
#define TW_FIXTURES "tests/fixtures"
#endif
#define RENDER_FIXTURES TW_FIXTURES "/render"
#define PYTHON "/usr/bin/python3"

/* ---- building reports ---- */

struct fixture {
	struct tw_facts facts;
	struct tw_report report;
};

static char **strv(size_t n, ...)
{
	char **v = tw_xcalloc(n, sizeof(*v));
	va_list ap;

	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		v[i] = tw_xstrdup(va_arg(ap, const char *));
	va_end(ap);
	return v;
}

static char *dup_or_null(const char *s)
{
	return s ? tw_xstrdup(s) : NULL;
}

static void set_change(struct tw_change *c, const char *key, const char *current,
		       const char *recommended)
{
	memset(c, 0, sizeof(*c));
	c->sysctl = tw_xstrdup(key);
	c->current = dup_or_null(current);
	c->recommended = tw_xstrdup(recommended);
}

static void persist(struct tw_change *c, const char *value, const char *file, unsigned line)
{
	c->persisted.known = true;
	c->persisted.value = tw_xstrdup(value);
	c->persisted.file = tw_xstrdup(file);
	c->persisted.line = line;
}

static struct tw_finding *add_finding(struct tw_report *r, const char *id, enum tw_severity sev,
				      const char *title, size_t nchanges)
{
	struct tw_finding *f;

	r->findings = tw_xrealloc(r->findings, (r->nfindings + 1) * sizeof(*r->findings));
	f = &r->findings[r->nfindings++];
	memset(f, 0, sizeof(*f));
	f->id = tw_xstrdup(id);
	f->severity = sev;
	f->title = tw_xstrdup(title);
	f->changes = tw_xcalloc(nchanges, sizeof(*f->changes));
	f->nchanges = nchanges;
	r->count[sev]++;
	return f;
}

/* Renderers print the change plan the engine built; the fixtures build
 * one by hand, as plan.c would for their findings. */
static void plan_add(struct tw_report *r, const char *key, const char *cur, const char *value,
		     const char *finding, enum tw_severity sev)
{
	struct tw_plan_item *it;

	r->plan.v = tw_xrealloc(r->plan.v, (r->plan.n + 1) * sizeof(*r->plan.v));
	it = &r->plan.v[r->plan.n++];
	memset(it, 0, sizeof(*it));
	it->sysctl = tw_xstrdup(key);
	it->current = cur ? tw_xstrdup(cur) : NULL;
	it->value = tw_xstrdup(value);
	it->finding_id = tw_xstrdup(finding);
	it->severity = sev;
	it->reason = tw_xstrdup(finding);
}

static void addr(const char *s, struct tw_addr *a)
{
	assert_int_equal(tw_addr_parse(s, strlen(s), a), 0);
}

static void add_top(struct tw_report *r, enum tw_side side, const char *local, const char *remote,
		    uint16_t port, uint64_t count, double util)
{
	struct tw_top_row *row = &r->top[r->ntop++];

	row->tuple.side = side;
	addr(local, &row->tuple.local);
	addr(remote, &row->tuple.remote);
	row->tuple.port = port;
	row->tuple.count = count;
	row->tuple.held = count + count / 100;  /* a few ESTABLISHED too */
	row->tuple.age[0] = count;              /* a burst: all in the newest bucket */
	row->utilization = util;
	row->utilization_known = true;
}

static void base(struct fixture *fx)
{
	memset(fx, 0, sizeof(*fx));
	facts_init(&fx->facts);
	fx->facts.source = TW_SOURCE_LIVE;
	assert_int_equal(kernel_version_parse("5.15.0-91-generic\n", &fx->facts.kernel), 0);
	fx->report.facts = &fx->facts;
	fx->report.port_low = 32768;
	fx->report.port_high = 60999;
	fx->report.ports_available = 28232;
}

static void cost_item(struct tw_cost *c, const char *name, double value, const char *unit,
		      bool limit_known, double limit, bool measured, enum tw_cost_level level,
		      const char *verdict)
{
	struct tw_cost_item *it = &c->items[c->n++];

	it->name = name;
	it->value = value;
	it->limit_known = limit_known;
	it->limit = limit;
	it->share_known = limit_known && limit > 0;
	it->share = it->share_known ? value / limit : 0;
	it->measured = measured;
	it->level = level;
	snprintf(it->verdict, sizeof(it->verdict), "%s", verdict);
	snprintf(it->unit, sizeof(it->unit), "%s", unit);
}

/* The full report: what a busy client host with some drift looks like. */
static void full(struct fixture *fx)
{
	struct tw_report *r = &fx->report;
	struct tw_finding *f;

	base(fx);
	fx->facts.tw.known = true;
	fx->facts.tw.total = 27500;
	fx->facts.tw.client = 27000;
	fx->facts.tw.server = 500;
	r->profile = tw_xstrdup("client-heavy");
	r->profile_reason = tw_xstrdup("auto: 98% of TIME_WAIT sockets are client side");
	add_top(r, TW_SIDE_CLIENT, "10.0.0.5", "10.0.1.20", 5432, 27000, 27000.0 / 28232.0);
	add_top(r, TW_SIDE_SERVER, "10.0.0.5", "10.0.2.3", 80, 500, 500.0 / 28232.0);
	add_top(r, TW_SIDE_CLIENT, "2001:db8::5", "2001:db8::9", 443, 12, 12.0 / 28232.0);

	f = add_finding(r, "client-port-exhaustion", TW_SEV_CRITICAL,
			"Ports to 10.0.1.20:5432 are nearly exhausted", 2);
	f->evidence = tw_xstrdup("27,000 TIME_WAIT sockets to 10.0.1.20:5432 hold 96% of the "
				 "28,232 ephemeral ports; new connections to it will fail with "
				 "EADDRNOTAVAIL once the rest are used.");
	f->rationale = tw_xstrdup("A wider ephemeral range gives each destination more ports.");
	f->risk = tw_xstrdup("Ports 1024-32767 become ephemeral: reserve any listening port there.");
	set_change(&f->changes[0], "net.ipv4.ip_local_port_range", "32768 60999", "1024 65535");
	persist(&f->changes[0], "32768 60999", "/etc/sysctl.d/10-net.conf", 4);
	set_change(&f->changes[1], "net.ipv4.tcp_tw_reuse", "2", "1");
	persist(&f->changes[1], "0", "/etc/sysctl.d/10-net.conf", 5);
	f->changes[1].persisted.shadowed = strv(1, "/usr/lib/sysctl.d/50-default.conf:12 = 2");
	f->changes[1].persisted.nshadowed = 1;
	f->changes[1].overridden_by = tw_xstrdup("/etc/sysctl.d/99-local.conf:3");
	f->actions = strv(1, "Use a connection pool in the application.");
	f->nactions = 1;
	f->references = strv(2, "RFC 6191", "Documentation/networking/ip-sysctl.rst");
	f->nreferences = 2;

	/* Its tcp_tw_reuse went to the critical finding: the plan kept one. */
	f = add_finding(r, "tw-reuse-loopback-only", TW_SEV_WARNING,
			"tcp_tw_reuse applies to loopback only", 1);
	f->evidence = tw_xstrdup("net.ipv4.tcp_tw_reuse = 2");
	f->rationale = tw_xstrdup("Value 1 lets outgoing connections reuse TIME_WAIT ports safely "
				  "when timestamps are on.");
	set_change(&f->changes[0], "net.ipv4.tcp_fin_timeout", NULL, "30");     /* current unknown */
	plan_add(r, "net.ipv4.ip_local_port_range", "32768 60999", "1024 65535",
		 "client-port-exhaustion", TW_SEV_CRITICAL);
	plan_add(r, "net.ipv4.tcp_tw_reuse", "2", "1", "client-port-exhaustion", TW_SEV_CRITICAL);
	plan_add(r, "net.ipv4.tcp_fin_timeout", NULL, "30", "tw-reuse-loopback-only", TW_SEV_WARNING);

	f = add_finding(r, "many-server-timewait", TW_SEV_INFO,
			"Peers leave TIME_WAIT sockets here", 1);
	f->evidence = tw_xstrdup("500 server-side TIME_WAIT sockets.");
	f->rationale = tw_xstrdup("Harmless: RFC 6191 lets a new SYN through.");
	f->acknowledged = true;
	f->ack_reason = tw_xstrdup("known load balancer health checks");
	set_change(&f->changes[0], "net.ipv4.tcp_max_tw_buckets", "262144", "524288");

	r->cost_known = true;
	r->cost.verdict = TW_COST_ACT;
	r->verdict = TW_COST_ACT;
	snprintf(r->cost.summary, sizeof(r->cost.summary),
		 "Act: connections to 10.0.1.20:5432 will soon fail for want of ports; "
		 "memory and everything else are harmless.");
	cost_item(&r->cost, "tuples", 27000, "sockets", true, 28232, true, TW_COST_ACT,
		  "96% of the ports to 10.0.1.20:5432 are in TIME_WAIT.");
	cost_item(&r->cost, "memory", 6912000, "bytes", true, 16.0 * 1024 * 1024 * 1024, false,
		  TW_COST_HARMLESS, "About 6.6 MiB, estimated from the socket count.");
	cost_item(&r->cost, "connect_rate", 12.5, "conn/s", false, 0, true, TW_COST_HARMLESS,
		  "12.5 new connections per second.");
	r->cost.items[2].extra_known = true;
	r->cost.items[2].extra_name = "active_opens_per_s";
	r->cost.items[2].extra = 40.25;

	r->notes = strv(2, "netlink unavailable, read /proc/net/tcp instead",
			"tcp_tw_reuse_delay is absent on 5.15: not offered");
	r->nnotes = 2;
}

static void empty(struct fixture *fx)
{
	base(fx);
	fx->facts.tw.known = true;
	fx->report.profile = tw_xstrdup("generic");
}

static void hostile(struct fixture *fx)
{
	struct tw_report *r = &fx->report;
	struct tw_finding *f;

	base(fx);
	fx->facts.source = TW_SOURCE_SNAPSHOT;
	fx->facts.snapshot_dir = tw_xstrdup("/tmp/snap\nnet.ipv4.tcp_tw_recycle = 1");
	fx->facts.kernel.known = false;
	r->profile = tw_xstrdup("odd \"profile\"\\x\n");
	r->verdict = TW_COST_ACT;   /* as the engine sets it beside a critical */
	f = add_finding(r, "evil", TW_SEV_CRITICAL,
			"line one\nnet.ipv4.tcp_tw_recycle = 1 | pipe", 2);
	f->evidence = tw_xstrdup("bad utf-8: \xff\xfe, overlong \xc0\xaf, ok \xc3\xa9, ctl \x01\x1b[31m");
	f->rationale = tw_xstrdup("tab\there \"quoted\" back\\slash");
	set_change(&f->changes[0], "net.ipv4.tcp_fin_timeout", "60", "30\nnet.ipv4.tcp_tw_recycle = 1");
	set_change(&f->changes[1], "net.ipv4.tcp_keepalive_time", "7200", "600 $(reboot) `x` \"q\"");
	/* A plan the engine would refuse, to show the renderers still cannot
	 * be made to write a second line. */
	plan_add(r, "net.ipv4.tcp_fin_timeout", "60", "30\nnet.ipv4.tcp_tw_recycle = 1", "evil",
		 TW_SEV_CRITICAL);
	plan_add(r, "net.ipv4.tcp_keepalive_time", "7200", "600 $(reboot) `x` \"q\"", "evil",
		 TW_SEV_CRITICAL);
}

static void fixture_free(struct fixture *fx)
{
	report_free(&fx->report);
	facts_free(&fx->facts);
}

/* ---- helpers ---- */

static char *render(void (*fn)(const struct tw_report *, struct strbuf *), const struct tw_report *r)
{
	struct strbuf sb = STRBUF_INIT;

	fn(r, &sb);
	return sb_steal(&sb);
}

static char *text(const struct tw_report *r, bool color)
{
	struct strbuf sb = STRBUF_INIT;

	render_text(r, color, &sb);
	return sb_steal(&sb);
}

static char *read_fixture(const char *name)
{
	char path[512];
	struct tw_error err;
	char *buf = NULL;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/%s", RENDER_FIXTURES, name);
	if (tw_read_file(path, 1 << 20, &buf, &len, &err) < 0)
		fail_msg("%s", err.msg);
	return buf;
}

static char *write_temp(const char *data)
{
	char *path = tw_xstrdup("/tmp/twadvise-test-render-XXXXXX");
	int fd = mkstemp(path);
	size_t len = strlen(data);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

/* Runs 'cmd' (a shell command line); returns its exit status, or -1. */
static int run(const char *cmd)
{
	int st = system(cmd);

	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static bool have_validator(void)
{
	return run(PYTHON " -c 'import jsonschema' >/dev/null 2>&1") == 0;
}

/* Python that loads the document, validates it against the schema and
 * checks the contract's invariants; exit 0 when all hold. */
static const char validate_py[] =
	"import json, sys, jsonschema\n"
	"schema = json.load(open(sys.argv[1]))\n"
	"lines = open(sys.argv[2]).read().split('\\n')\n"
	"assert lines[-1] == '' and len(lines) == 2, 'one document, one trailing newline'\n"
	"doc = json.loads(lines[0])\n"
	"jsonschema.validate(doc, schema)\n"
	"s = doc['summary']\n"
	"n = {'critical': 0, 'warning': 0, 'info': 0}\n"
	"for f in doc['findings']: n[f['severity']] += 1\n"
	"assert s == n, (s, n)\n"
	"for t in doc['time_wait']['top']:\n"
	"    if t['side'] == 'server': assert t['remote_port'] is None and t['local_port'] is not None\n"
	"    else: assert t['local_port'] is None and t['remote_port'] is not None\n"
	"assert isinstance(doc['sysctl_d'], str)\n";

static int validate_json(const char *json, bool quiet)
{
	char *doc = write_temp(json), *script = write_temp(validate_py);
	char cmd[1024];
	int rc;

	snprintf(cmd, sizeof(cmd), PYTHON " %s %s/twadvise.schema.json %s >&2 %s", script,
		 RENDER_FIXTURES, doc, quiet ? "2>/dev/null" : "");
	rc = run(cmd);
	unlink(doc);
	unlink(script);
	free(doc);
	free(script);
	return rc;
}

/* Every line of 's' matches 'pattern' (POSIX ERE). */
static void all_lines_match(const char *s, const char *pattern, bool skip_comments)
{
	regex_t re;
	const char *p = s;

	assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
	while (*p) {
		const char *nl = strchr(p, '\n');
		char *line;

		assert_non_null(nl);   /* every line ends with a newline */
		line = tw_xstrndup(p, (size_t)(nl - p));
		if (!(skip_comments && line[0] == '#') && regexec(&re, line, 0, NULL, 0) != 0)
			fail_msg("line does not match %s: '%s'", pattern, line);
		free(line);
		p = nl + 1;
	}
	regfree(&re);
}

static bool has_line(const char *s, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = s; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

/* ---- fragment ---- */

static void test_fragment_exact(void **state)
{
	struct fixture fx;
	char *a, *b, *want;

	(void)state;
	full(&fx);
	a = render(render_fragment, &fx.report);
	b = render(render_fragment, &fx.report);
	assert_string_equal(a, b);                  /* deterministic */
	want = read_fixture("full.conf");
	assert_string_equal(a, want);
	free(a);
	free(b);
	free(want);
	fixture_free(&fx);
}

static void test_fragment_empty(void **state)
{
	struct fixture fx;
	char *a;

	(void)state;
	empty(&fx);
	a = render(render_fragment, &fx.report);
	assert_string_equal(a, "# sysctl.d fragment proposed by twadvise\n"
			       "# profile: generic\n"
			       "# kernel: 5.15.0-91-generic\n"
			       "# source: live\n"
			       "\n"
			       "# no changes recommended\n");
	free(a);
	fixture_free(&fx);
}

static void test_fragment_only_acknowledged(void **state)
{
	struct fixture fx;
	char *a;

	(void)state;
	empty(&fx);
	add_finding(&fx.report, "x", TW_SEV_WARNING, "t", 1)->acknowledged = true;
	set_change(&fx.report.findings[0].changes[0], "net.ipv4.tcp_tw_reuse", "0", "1");
	fx.facts.netns = tw_xstrdup("blue");
	a = render(render_fragment, &fx.report);
	assert_non_null(strstr(a, "# source: netns blue\n"));
	assert_non_null(strstr(a, "# no changes recommended\n"));
	assert_null(strstr(a, "tcp_tw_reuse"));
	free(a);
	fixture_free(&fx);
}

static void test_fragment_hostile(void **state)
{
	struct fixture fx;
	char *a;

	(void)state;
	hostile(&fx);
	a = render(render_fragment, &fx.report);
	/* Only comments, blank lines and "key = value" lines of safe keys. */
	all_lines_match(a, "^(#.*|[a-z0-9_.]+ = .*|)$", false);
	assert_null(strstr(a, "\nnet.ipv4.tcp_tw_recycle"));
	/* A multi-line value is folded onto its own line, never a second assignment. */
	assert_non_null(strstr(a, "\nnet.ipv4.tcp_fin_timeout = 30 net.ipv4.tcp_tw_recycle = 1\n"));
	assert_non_null(strstr(a, "# kernel: unknown\n"));
	assert_non_null(strstr(a, "# source: snapshot /tmp/snap net.ipv4.tcp_tw_recycle = 1\n"));
	assert_non_null(strstr(a, "# evil: line one net.ipv4.tcp_tw_recycle = 1 | pipe\n"));
	free(a);
	fixture_free(&fx);
}

/* ---- JSON ---- */

static void test_json_schema(void **state)
{
	struct fixture fx[3];
	void (*make[3])(struct fixture *) = { full, empty, hostile };

	(void)state;
	if (!have_validator()) {
		fprintf(stderr, "test_render: " PYTHON " with jsonschema not found, schema check skipped\n");
		skip();
	}
	for (size_t i = 0; i < 3; i++) {
		char *j;

		make[i](&fx[i]);
		j = render(render_json, &fx[i].report);
		if (validate_json(j, false) != 0)
			fail_msg("report %zu: JSON does not validate: %s", i, j);
		free(j);
		fixture_free(&fx[i]);
	}
	/* The validator must be able to fail. */
	assert_int_not_equal(validate_json("{\"twadvise\":1,\"source\":\"live\"}\n", true), 0);
	assert_int_not_equal(validate_json("{\"twadvise\":1,\"source\":\"live\",\"kernel\":\"k\","
					   "\"profile\":\"p\",\"summary\":{\"critical\":1,\"warning\":0,"
					   "\"info\":0},\"time_wait\":{\"total\":0,\"port_range\":[1,2],"
					   "\"ports_available\":0,\"top\":[]},\"findings\":[],"
					   "\"sysctl_d\":\"\"}\n", true), 0);
}

static void test_json_content(void **state)
{
	struct fixture fx;
	char *j, *frag;
	struct strbuf esc = STRBUF_INIT;

	(void)state;
	full(&fx);
	j = render(render_json, &fx.report);
	assert_non_null(strstr(j, "\"summary\":{\"critical\":1,\"warning\":1,\"info\":1}"));
	assert_non_null(strstr(j, "{\"side\":\"client\",\"local\":\"10.0.0.5\",\"remote\":\"10.0.1.20\","
				  "\"remote_port\":5432,\"local_port\":null,\"count\":27000,"
				  "\"held\":27270,\"ages\":null,\"utilization\":0.9564}"));
	free(j);
	fx.facts.tw.ages_known = true;
	j = render(render_json, &fx.report);
	assert_non_null(strstr(j, "\"count\":27000,\"held\":27270,\"ages\":[27000,0,0,0,0,0],"));
	assert_non_null(strstr(j, "{\"side\":\"server\",\"local\":\"10.0.0.5\",\"remote\":\"10.0.2.3\","
				  "\"remote_port\":null,\"local_port\":80,\"count\":500,"));
	assert_non_null(strstr(j, "\"remote\":\"2001:db8::9\",\"remote_port\":443"));
	assert_non_null(strstr(j, "\"persisted\":{\"value\":\"0\",\"file\":\"/etc/sysctl.d/10-net.conf\","
				  "\"line\":5},\"shadowed\":[\"/usr/lib/sysctl.d/50-default.conf:12 = 2\"],"
				  "\"overridden_by\":\"/etc/sysctl.d/99-local.conf:3\""));
	assert_non_null(strstr(j, "{\"sysctl\":\"net.ipv4.tcp_fin_timeout\",\"current\":null,"
				  "\"recommended\":\"30\",\"persisted\":null,\"shadowed\":[],"
				  "\"overridden_by\":null}"));
	assert_non_null(strstr(j, "\"acknowledged\":true,\"ack_reason\":\"known load balancer health checks\""));
	assert_non_null(strstr(j, "\"profile_reason\":\"auto: 98% of TIME_WAIT sockets are client side\""));
	assert_non_null(strstr(j, "\"cost\":{\"verdict\":\"act\""));
	assert_non_null(strstr(j, "{\"name\":\"memory\",\"value\":6912000,\"limit\":17179869184,"
				  "\"share\":0.000402331,\"measured\":false,\"level\":\"harmless\""));
	assert_non_null(strstr(j, "\"limit\":null,\"share\":null"));
	assert_non_null(strstr(j, "\"extra\":{\"name\":\"active_opens_per_s\",\"value\":40.25}"));
	/* sysctl_d is the fragment exactly. */
	frag = render(render_fragment, &fx.report);
	sb_append(&esc, "\"sysctl_d\":");
	json_append_string(&esc, frag);
	sb_append(&esc, "}\n");
	assert_non_null(strstr(j, sb_str(&esc)));
	assert_int_equal(strchr(j, '\n') - j, (ptrdiff_t)strlen(j) - 1);   /* one line */
	sb_free(&esc);
	free(frag);
	free(j);

	/* The engine's fragment, when set, is used as is. */
	fx.report.fragment = tw_xstrdup("# engine's\n");
	j = render(render_json, &fx.report);
	assert_non_null(strstr(j, "\"sysctl_d\":\"# engine's\\n\"}"));
	free(j);
	fixture_free(&fx);
}

static void test_json_empty_and_hostile(void **state)
{
	struct fixture fx;
	char *j;

	(void)state;
	empty(&fx);
	j = render(render_json, &fx.report);
	assert_non_null(strstr(j, "\"profile_reason\":null"));
	assert_non_null(strstr(j, "\"findings\":[]"));
	assert_null(strstr(j, "\"cost\""));
	assert_non_null(strstr(j, "\"port_range\":[32768,60999],\"ports_available\":28232,\"top\":[]"));
	free(j);
	fixture_free(&fx);

	hostile(&fx);
	j = render(render_json, &fx.report);
	assert_non_null(strstr(j, "\"kernel\":\"unknown\""));
	assert_non_null(strstr(j, "\"source\":\"snapshot\""));
	assert_non_null(strstr(j, "\"profile\":\"odd \\\"profile\\\"\\\\x\\n\""));
	assert_non_null(strstr(j, "bad utf-8: \\ufffd\\ufffd, overlong \\ufffd\\ufffd, ok \xc3\xa9, "
				  "ctl \\u0001\\u001b[31m"));
	assert_non_null(strstr(j, "\"rationale\":\"tab\\there \\\"quoted\\\" back\\\\slash\""));
	free(j);
	fixture_free(&fx);
}

/* ---- text ---- */

static void test_text_full(void **state)
{
	struct fixture fx;
	char *t;

	(void)state;
	full(&fx);
	t = text(&fx.report, false);
	assert_int_equal(strncmp(t, "Verdict: act. Act: connections to 10.0.1.20:5432", 48), 0);
	assert_null(strchr(t, '\033'));
	assert_true(has_line(t, "Findings: 1 critical, 1 warning, 1 info (1 acknowledged)."));
	assert_non_null(strstr(t, "\nHost: kernel 5.15.0-91-generic, profile client-heavy (auto: 98% of"));
	assert_true(has_line(t, "  Ephemeral ports: 32768-60999, 28,232 available per destination"));
	assert_true(has_line(t, "  SIDE    LOCAL        REMOTE              COUNT  UTILIZATION"));
	assert_true(has_line(t, "  client  10.0.0.5     10.0.1.20:5432     27,000  [###################.]  96%"));
	assert_true(has_line(t, "  server  10.0.0.5:80  10.0.2.3              500  [....................]   2%"));
	assert_true(has_line(t, "  client  2001:db8::5  [2001:db8::9]:443      12  [....................]   0%"));
	assert_true(has_line(t, "CRITICAL client-port-exhaustion: Ports to 10.0.1.20:5432 are nearly exhausted"));
	assert_true(has_line(t, "  Change: net.ipv4.ip_local_port_range: 32768 60999 \u2192 1024 65535"
			     " (set at boot"));
	assert_true(has_line(t, "  Total: 27,500 sockets (client 27,000, this host connected out; server 500,"));
	assert_true(has_line(t, "    by /etc/sysctl.d/10-net.conf:4 = 32768 60999)"));
	assert_true(has_line(t, "    sysctl -w net.ipv4.ip_local_port_range=\"1024 65535\""));
	assert_true(has_line(t, "  Change: net.ipv4.tcp_tw_reuse: 2 \u2192 1 (set at boot by"));
	assert_true(has_line(t, "    /etc/sysctl.d/10-net.conf:5 = 0)"));
	assert_true(has_line(t, "    runtime differs from boot value"));
	assert_non_null(strstr(t, "    warning: this key is set again later at boot by\n"
				  "      /etc/sysctl.d/99-local.conf:3, which would override"));
	assert_true(has_line(t, "    sysctl -w net.ipv4.tcp_tw_reuse=\"1\""));
	assert_true(has_line(t, "  Change: net.ipv4.tcp_fin_timeout: unknown \u2192 30"));
	assert_null(strstr(t, "tcp_tw_recycle"));
	assert_non_null(strstr(t, "\nWARNING tw-reuse-loopback-only: tcp_tw_reuse applies to loopback only\n"));
	assert_non_null(strstr(t, "\nINFO many-server-timewait: Peers leave TIME_WAIT sockets here (acknowledged:\n"
				  "  known load balancer health checks)\n"));
	assert_non_null(strstr(t, "  Why: A wider ephemeral range"));
	assert_non_null(strstr(t, "  Risk: Ports 1024-32767 become ephemeral"));
	assert_true(has_line(t, "    - Use a connection pool in the application."));
	assert_true(has_line(t, "  References: RFC 6191; Documentation/networking/ip-sysctl.rst"));
	assert_true(has_line(t, "What TIME_WAIT costs this host: act"));
	assert_true(has_line(t, "  tuples: 27,000 sockets of 28,232 sockets (95.6%), measured: act"));
	assert_true(has_line(t, "  memory: 6.6 MiB of 16.0 GiB (<0.1%), estimated: harmless"));
	assert_true(has_line(t, "  connect_rate: 12.5 conn/s, measured: harmless"));
	assert_true(has_line(t, "  - netlink unavailable, read /proc/net/tcp instead"));
	/* Critical before warning before info. */
	assert_true(strstr(t, "\nCRITICAL ") < strstr(t, "\nWARNING "));
	assert_true(strstr(t, "\nWARNING ") < strstr(t, "\nINFO "));
	/* Nothing wider than 78 columns but the table and the paste lines. */
	for (const char *p = t; *p;) {
		const char *nl = strchr(p, '\n');
		size_t cols = 0;

		for (const char *q = p; q < nl; q++)
			cols += ((unsigned char)*q & 0xc0) != 0x80;
		if (cols > 78 && strncmp(p, "    sysctl -w", 13) != 0)
			fail_msg("line too long: %.*s", (int)(nl - p), p);
		p = nl + 1;
	}
	free(t);

	t = text(&fx.report, true);
	assert_non_null(strchr(t, '\033'));
	assert_non_null(strstr(t, "\u2588\u2588\u2588"));
	free(t);
	fixture_free(&fx);
}

static void test_text_empty(void **state)
{
	struct fixture fx;
	char *t;

	(void)state;
	empty(&fx);
	t = text(&fx.report, false);
	assert_int_equal(strncmp(t, "No action needed: nothing to change for profile generic on this host.\n",
				 70), 0);
	assert_true(has_line(t, "  Total: 0 sockets"));
	assert_null(strstr(t, "UTILIZATION"));
	assert_null(strchr(t, '\033'));
	free(t);

	/* Only acknowledged findings: still nothing to do. */
	add_finding(&fx.report, "x", TW_SEV_CRITICAL, "t", 0)->acknowledged = true;
	t = text(&fx.report, false);
	assert_int_equal(strncmp(t, "No action needed: every finding (1) is acknowledged.\n", 53), 0);
	free(t);
	fixture_free(&fx);
}

static void test_text_hostile(void **state)
{
	struct fixture fx;
	char *t;

	(void)state;
	hostile(&fx);
	t = text(&fx.report, false);
	assert_int_equal(strncmp(t, "Verdict: act. 1 critical finding needs a change now.\n", 53), 0);
	assert_null(strchr(t, '\033'));            /* escape in evidence neutralised */
	assert_non_null(strstr(t, "  Evidence: bad utf-8: ??, overlong ??, ok \xc3\xa9, ctl ??[31m\n"));
	assert_non_null(strstr(t, "    not offered: this key or value cannot be pasted"));
	assert_non_null(strstr(t, "kernel unknown"));
	assert_true(has_line(t, "    sysctl -w net.ipv4.tcp_keepalive_time=\"600 \\$(reboot) \\`x\\` \\\"q\\\"\""));
	assert_null(strstr(t, "sysctl -w net.ipv4.tcp_fin_timeout"));
	free(t);
	fixture_free(&fx);
}

/* ---- prometheus ---- */

#define PROM_SAMPLE "^twadvise_[a-z_]+(\\{[a-z_]+=\"([^\"\\\\]|\\\\.)*\"(,[a-z_]+=\"([^\"\\\\]|\\\\.)*\")*\\})? " \
	"(-?[0-9]+(\\.[0-9]+)?(e[-+][0-9]+)?|NaN|[-+]Inf)$"

static void promtool(const char *metrics)
{
	char *path;
	char cmd[512];

	if (run("command -v promtool >/dev/null 2>&1") != 0)
		return;
	path = write_temp(metrics);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < %s >&2", path);
	if (run(cmd) != 0)
		fail_msg("promtool rejects:\n%s", metrics);
	unlink(path);
	free(path);
}

static void test_prometheus(void **state)
{
	struct fixture fx;
	char *m;

	(void)state;
	full(&fx);
	m = render(render_prometheus, &fx.report);
	all_lines_match(m, PROM_SAMPLE, true);
	all_lines_match(m, "^(# (HELP|TYPE) twadvise_[a-z_]+ .+|[^#].*)$", false);
	assert_true(has_line(m, "twadvise_findings{severity=\"critical\"} 1"));
	assert_true(has_line(m, "twadvise_findings{severity=\"warning\"} 1"));
	assert_true(has_line(m, "twadvise_findings{severity=\"info\"} 1"));
	assert_true(has_line(m, "twadvise_findings_open{severity=\"info\"} 0"));
	assert_true(has_line(m, "twadvise_time_wait_sockets 27500"));
	assert_true(has_line(m, "twadvise_time_wait_sockets_by_side{side=\"client\"} 27000"));
	assert_true(has_line(m, "twadvise_time_wait_sockets_by_side{side=\"server\"} 500"));
	assert_true(has_line(m, "twadvise_ports_available 28232"));
	assert_true(has_line(m, "twadvise_top_tuple_utilization_ratio 0.9564"));
	assert_true(has_line(m, "twadvise_build_info{version=\"" PACKAGE_VERSION "\"} 1"));
	assert_non_null(strstr(m, "\ntwadvise_last_run_timestamp_seconds "));
	assert_non_null(strstr(m, "\ntwadvise_finding{id=\""));
	assert_null(strstr(m, "unit="));   /* one unit per family, in its name */
	assert_true(has_line(m, "twadvise_cost_verdict{verdict=\"act\"} 1"));
	assert_true(has_line(m, "twadvise_cost_verdict{verdict=\"harmless\"} 0"));
	assert_true(has_line(m, "twadvise_cost_level 2"));
	assert_true(has_line(m, "twadvise_info{profile=\"client-heavy\",kernel=\"5.15.0-91-generic\","
			     "source=\"live\"} 1"));
	assert_true(has_line(m, "twadvise_cost_item_bytes{item=\"memory\"} 6912000"));
	promtool(m);
	free(m);
	fixture_free(&fx);

	empty(&fx);
	fx.facts.tw.known = false;
	m = render(render_prometheus, &fx.report);
	all_lines_match(m, PROM_SAMPLE, true);
	assert_null(strstr(m, "twadvise_time_wait_sockets"));   /* unknown is not 0 */
	assert_null(strstr(m, "twadvise_cost"));
	assert_true(has_line(m, "twadvise_top_tuple_utilization_ratio 0"));
	promtool(m);
	free(m);
	fixture_free(&fx);

	hostile(&fx);
	m = render(render_prometheus, &fx.report);
	all_lines_match(m, PROM_SAMPLE, true);
	assert_non_null(strstr(m, "twadvise_info{profile=\"odd \\\"profile\\\"\\\\x\\n\",kernel=\"unknown\""));
	promtool(m);
	free(m);
	fixture_free(&fx);
}

/* ---- nagios ---- */

/* The status line (perfdata with the utilization in percent and, in
 * these tests, warn 50 and crit 80), then one line per finding. */
#define NAGIOS_LINE "^TWADVISE (OK|WARNING|CRITICAL|UNKNOWN) - [^|]+ \\|( [a-z_]+=[0-9.]+%?;[0-9.]*;[0-9.]*;0;(100)?)+$"
#define NAGIOS_LONG "^\\[(CRITICAL|WARNING|INFO)\\] [^|]+$"

static int nagios(const struct tw_report *r, enum tw_severity fail_on, char **ret)
{
	struct strbuf sb = STRBUF_INIT;
	struct tw_nagios_opts no = { .fail_on = fail_on, .warn_pct = 50, .crit_pct = 80 };
	int rc = render_nagios(r, &no, &sb);
	char *nl, *first;
	size_t nlong = 0;

	*ret = sb_steal(&sb);
	nl = strchr(*ret, '\n');
	assert_non_null(nl);
	first = tw_xstrndup(*ret, (size_t)(nl - *ret) + 1);
	all_lines_match(first, NAGIOS_LINE, false);
	free(first);
	all_lines_match(nl + 1, NAGIOS_LONG, false);
	/* The long output lists every finding, one line each. */
	for (const char *c = nl + 1; *c; c++)
		nlong += *c == '\n';
	assert_int_equal(nlong, r->nfindings);
	return rc;
}

static void test_nagios(void **state)
{
	struct fixture fx;
	struct strbuf sb = STRBUF_INIT;
	char *s;

	(void)state;
	full(&fx);
	assert_int_equal(nagios(&fx.report, TW_SEV_WARNING, &s), 2);
	assert_int_equal(strncmp(s, "TWADVISE CRITICAL - 1 critical, 1 warning: Ports to 10.0.1.20:5432 are "
			       "nearly exhausted | time_wait=27500;;;0; ports_available=28232;;;0; "
			       "top_utilization=95.64%;50;80;0;100 critical=1;;;0; warning=1;;;0; info=1;;;0;\n", 186), 0);
	free(s);
	assert_int_equal(nagios(&fx.report, TW_SEV_CRITICAL, &s), 2);
	free(s);
	/* Acknowledge the critical one: WARNING. The engine then gives the
	 * verdict of the cost model and the open warning: here "watch". */
	fx.report.findings[0].acknowledged = true;
	fx.report.cost.verdict = TW_COST_WATCH;
	fx.report.verdict = TW_COST_WATCH;
	assert_int_equal(nagios(&fx.report, TW_SEV_WARNING, &s), 1);
	assert_non_null(strstr(s, "TWADVISE WARNING - 1 warning: tcp_tw_reuse applies"));
	free(s);
	assert_int_equal(nagios(&fx.report, TW_SEV_CRITICAL, &s), 0);
	assert_int_equal(strncmp(s, "TWADVISE OK - nothing to change at or above critical (27500 TIME_WAIT) |", 72), 0);
	free(s);
	/* The info finding is acknowledged too: info level changes nothing. */
	fx.report.findings[1].acknowledged = true;
	fx.report.cost.verdict = TW_COST_HARMLESS;
	fx.report.verdict = TW_COST_HARMLESS;
	assert_int_equal(nagios(&fx.report, TW_SEV_INFO, &s), 0);
	free(s);
	fx.report.findings[2].acknowledged = false;
	assert_int_equal(nagios(&fx.report, TW_SEV_INFO, &s), 1);
	free(s);
	fixture_free(&fx);

	empty(&fx);
	assert_int_equal(nagios(&fx.report, TW_SEV_WARNING, &s), 0);
	free(s);
	/* The one verdict drives the state: a "watch" of the cost model warns
	 * even without a finding, but not under --fail-on critical. */
	fx.report.verdict = TW_COST_WATCH;
	assert_int_equal(nagios(&fx.report, TW_SEV_WARNING, &s), 1);
	free(s);
	assert_int_equal(nagios(&fx.report, TW_SEV_CRITICAL, &s), 0);
	free(s);
	fixture_free(&fx);

	hostile(&fx);
	assert_int_equal(nagios(&fx.report, TW_SEV_WARNING, &s), 2);
	assert_non_null(strstr(s, "line one net.ipv4.tcp_tw_recycle = 1 / pipe |"));
	free(s);
	fixture_free(&fx);

	assert_int_equal(render_nagios_unknown("cannot read\nsnapshot | x", &sb), 3);
	assert_string_equal(sb_str(&sb), "TWADVISE UNKNOWN - cannot read snapshot / x\n");
	sb_free(&sb);
}

/* ---- fleet ---- */

static void test_fleet(void **state)
{
	struct fixture a, b;
	const struct tw_report *reports[2];
	const char *names[2] = { "snap/web-1", NULL };
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	full(&a);
	empty(&b);
	reports[0] = &a.report;
	reports[1] = &b.report;
	render_fleet_table(reports, names, NULL, 2, false, &sb);
	assert_string_equal(sb_str(&sb),
		"HOST        KERNEL             PROFILE       TIME_WAIT  TOP UTIL  CRIT  WARN  INFO  VERDICT\n"
		"snap/web-1  5.15.0-91-generic  client-heavy     27,500       96%     1     1     1  act\n"
		"-           5.15.0-91-generic  generic               0        0%     0     0     0  harmless\n");
	sb_reset(&sb);
	render_fleet_table(reports, names, NULL, 2, true, &sb);
	assert_non_null(strstr(sb_str(&sb), "\033[31mact\033[0m"));
	sb_free(&sb);
	fixture_free(&a);
	fixture_free(&b);
}

/* ---- report.c ---- */

static void test_severity(void **state)
{
	enum tw_severity s = TW_SEV_INFO;
	struct tw_report r;

	(void)state;
	assert_string_equal(severity_name(TW_SEV_CRITICAL), "critical");
	assert_string_equal(severity_name(TW_SEV_WARNING), "warning");
	assert_string_equal(severity_name(TW_SEV_INFO), "info");
	assert_int_equal(severity_parse("warning", &s), 0);
	assert_int_equal(s, TW_SEV_WARNING);
	assert_int_equal(severity_parse("Warning", &s), -EINVAL);
	assert_int_equal(severity_parse(NULL, &s), -EINVAL);
	assert_int_equal(s, TW_SEV_WARNING);
	report_free(NULL);
	memset(&r, 0, sizeof(r));
	report_free(&r);
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fragment_exact),
		cmocka_unit_test(test_fragment_empty),
		cmocka_unit_test(test_fragment_only_acknowledged),
		cmocka_unit_test(test_fragment_hostile),
		cmocka_unit_test(test_json_schema),
		cmocka_unit_test(test_json_content),
		cmocka_unit_test(test_json_empty_and_hostile),
		cmocka_unit_test(test_text_full),
		cmocka_unit_test(test_text_empty),
		cmocka_unit_test(test_text_hostile),
		cmocka_unit_test(test_prometheus),
		cmocka_unit_test(test_nagios),
		cmocka_unit_test(test_fleet),
		cmocka_unit_test(test_severity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
