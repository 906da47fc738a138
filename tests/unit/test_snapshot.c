/* SPDX-License-Identifier: MIT */
/* test_snapshot.c: collect_snapshot() on the captured snapshot folder
 * (tests/fixtures/snapshots/basic) and on variants built in a temporary
 * folder from it: only the required files, each required file missing,
 * hostile files swapped in, every accepted socket listing format as
 * ss-tan.txt, and a long generated ss-tan.txt. Expected numbers come from
 * the capture's COUNTS file and from counting the fixture's lines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "collect/snapshot.h"
#include "facts/facts.h"
#include "util/fileio.h"

#define BASIC TW_FIXTURES "/snapshots/basic"
#define CAP TW_FIXTURES "/captured/"
#define HOS TW_FIXTURES "/hostile/"

static const char *const all_files[] = {
	"uname-r.txt", "sysctl-a.txt", "ss-tan.txt", "dmesg.txt", "proc/slabinfo",
	"proc/meminfo", "proc/net/sockstat", "proc/net/sockstat6", "proc/net/netstat",
	"proc/net/snmp", "proc/net/nf_conntrack",
};

static unsigned long counts_value(const char *key)
{
	struct tw_error err = { "" };
	char *buf, want[64];
	const char *p;
	unsigned long v;

	if (tw_read_file(BASIC "/COUNTS", 4096, &buf, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	snprintf(want, sizeof(want), "%s=", key);
	p = strstr(buf, want);
	assert_non_null(p);
	v = strtoul(p + strlen(want), NULL, 10);
	free(buf);
	return v;
}

static void copy_file(const char *src, const char *dst)
{
	char buf[65536];
	FILE *in = fopen(src, "rb"), *out;
	size_t n;

	if (!in)
		fail_msg("open %s", src);
	out = fopen(dst, "wb");
	if (!out)
		fail_msg("create %s", dst);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* A temporary snapshot folder holding copies of the basic snapshot's files. */
struct tmpsnap {
	char dir[256];
};

static void tmpsnap_make(struct tmpsnap *t, bool optional_too)
{
	char path[512];

	snprintf(t->dir, sizeof(t->dir), "/tmp/tw-snapshot-test-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(path, sizeof(path), "%s/proc", t->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/net", t->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	for (size_t i = 0; i < sizeof(all_files) / sizeof(all_files[0]); i++) {
		char src[512];

		if (!optional_too && i >= 3)
			break;
		snprintf(src, sizeof(src), BASIC "/%s", all_files[i]);
		snprintf(path, sizeof(path), "%s/%s", t->dir, all_files[i]);
		copy_file(src, path);
	}
}

static void tmpsnap_put(struct tmpsnap *t, const char *file, const char *src)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", t->dir, file);
	copy_file(src, path);
}

static void tmpsnap_remove(struct tmpsnap *t, const char *file)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", t->dir, file);
	assert_int_equal(unlink(path), 0);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void tmpsnap_free(struct tmpsnap *t)
{
	assert_int_equal(nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static unsigned count_lines_starting(const char *path, const char *prefix)
{
	char line[4096];
	unsigned n = 0;
	FILE *fp = fopen(path, "r");

	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp))
		n += strncmp(line, prefix, strlen(prefix)) == 0;
	fclose(fp);
	return n;
}

static void check_tw_counts(const struct tw_facts *f)
{
	assert_true(f->tw.known);
	assert_false(f->tw.inode_known);
	assert_int_equal(f->tw.total, counts_value("time_wait"));
	assert_int_equal(f->tw.client, counts_value("client"));
	assert_int_equal(f->tw.server, counts_value("server"));
	assert_int_equal(f->tw.ipv6, counts_value("ipv6"));
	assert_int_equal(f->tw.loopback, f->tw.total);
	/* 127.0.0.1 -> :8080, ::1 -> :8080, 127.0.0.1 -> :7070 */
	assert_int_equal(f->tw.tuples_client, 3);
	/* :9090 over IPv4 and IPv6, :7070 v4-mapped (normalised to IPv4) */
	assert_int_equal(f->tw.tuples_server, 3);
	assert_int_equal(f->tw.top_client[0].port, 8080);
	assert_int_equal(f->tw.top_client[0].count, 20);
	assert_int_equal(f->tw.top_server[0].port, 9090);
	assert_int_equal(f->tw.top_server[0].count, 10);
	assert_string_equal(f->socket_source, "ss-tan.txt");
}

static void test_basic(void **state)
{
	struct tw_facts f;
	struct tw_error err = { "" };
	struct tw_kernel_version kv;
	char *uname;
	int64_t v;

	assert_int_equal(tw_read_file(BASIC "/uname-r.txt", 4096, &uname, NULL, &err), 0);
	assert_int_equal(kernel_version_parse(uname, &kv), 0);
	free(uname);

	facts_init(&f);
	if (collect_snapshot(BASIC, &f, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(f.source, TW_SOURCE_SNAPSHOT);
	assert_string_equal(f.snapshot_dir, BASIC);
	assert_null(f.persisted);
	assert_true(f.kernel.known);
	assert_string_equal(f.kernel.release, kv.release);
	assert_int_equal(f.kernel.major, kv.major);
	assert_int_equal(f.kernel.minor, kv.minor);

	assert_true(f.sysctls.known);
	assert_true(f.sysctls.sealed);
	assert_string_equal(sysctls_get(&f.sysctls, "net.ipv4.tcp_tw_reuse"), "2");
	assert_false(sysctls_has(&f.sysctls, "net.ipv4.tcp_tw_recycle"));

	assert_int_equal(f.listeners, count_lines_starting(BASIC "/ss-tan.txt", "LISTEN "));
	assert_int_equal(f.listeners, counts_value("listen"));
	assert_true(port_set_has(&f.listening, 8080));
	assert_true(port_set_has(&f.listening, 9090));
	assert_true(port_set_has(&f.listening, 7070));
	assert_int_equal(port_set_count(&f.listening), 3);
	assert_int_equal(f.tw.total, count_lines_starting(BASIC "/ss-tan.txt", "TIME-WAIT "));
	check_tw_counts(&f);

	assert_true(f.counters.tcp_tw.known);
	assert_int_equal(f.counters.tcp_tw.v, f.tw.total);
	assert_true(f.counters.tcp6_inuse.known);
	assert_true(f.counters.tcpext.known);
	assert_int_equal(counter_list_get(&f.counters.tcpext, "TW", &v), 0);
	assert_true(f.counters.tcp.known);
	assert_int_equal(counter_list_get(&f.counters.tcp, "ActiveOpens", &v), 0);
	assert_true(f.memory.slabinfo_known);
	assert_true(f.memory.tw_sock_tcp.known);
	assert_true(f.memory.mem_total_kb.known);
	assert_true(f.memory.ehash_entries.known);
	assert_int_equal(f.memory.ehash_entries.v, 262144);
	assert_true(f.memory.bhash_entries.known);
	assert_int_equal(f.memory.bhash_entries.v, 65536);
	assert_false(f.memory.page_size.known);
	assert_true(f.conntrack.table_known);
	assert_int_equal(f.conntrack.entries, 5);
	assert_int_equal(f.conntrack.tcp_time_wait, 3);
	assert_int_equal(f.nnotes, 0);
	facts_free(&f);
}

/* Only the required files: every optional fact stays unknown, not zero. */
static void test_required_only(void **state)
{
	struct tmpsnap t;
	struct tw_facts f;
	struct tw_error err = { "" };

	tmpsnap_make(&t, false);
	facts_init(&f);
	if (collect_snapshot(t.dir, &f, &err) < 0)
		fail_msg("%s", err.msg);
	check_tw_counts(&f);
	assert_false(f.counters.tcp_tw.known);
	assert_false(f.counters.tcp_inuse.known);
	assert_false(f.counters.tcp6_inuse.known);
	assert_false(f.counters.tcpext.known);
	assert_false(f.counters.tcp.known);
	assert_false(f.memory.slabinfo_known);
	assert_false(f.memory.tw_sock_tcp.known);
	assert_false(f.memory.mem_total_kb.known);
	assert_false(f.memory.ehash_entries.known);
	assert_false(f.memory.bhash_entries.known);
	assert_false(f.conntrack.table_known);
	assert_int_equal(f.nnotes, 1);
	assert_non_null(strstr(f.notes[0], "dmesg.txt"));
	assert_non_null(strstr(f.notes[0], "proc/net/nf_conntrack"));
	facts_free(&f);
	tmpsnap_free(&t);
}

static void expect_failure(struct tmpsnap *t, const char *want1, const char *want2)
{
	struct tw_facts f;
	struct tw_error err = { "" };

	facts_init(&f);
	assert_true(collect_snapshot(t->dir, &f, &err) < 0);
	if (!strstr(err.msg, want1) || (want2 && !strstr(err.msg, want2)))
		fail_msg("error '%s' lacks '%s' / '%s'", err.msg, want1, want2 ? want2 : "");
	facts_free(&f);
}

/* A malformed optional file: the analysis goes on, with a note naming
 * the file and line, and the facts it would fill stay unknown. */
static void expect_unknown(struct tmpsnap *t, const char *want)
{
	struct tw_facts f;
	struct tw_error err = { "" };
	bool noted = false;

	facts_init(&f);
	if (collect_snapshot(t->dir, &f, &err) < 0)
		fail_msg("%s: %s", want, err.msg);
	for (size_t i = 0; i < f.nnotes; i++)
		noted |= strstr(f.notes[i], want) && strstr(f.notes[i], "unknown");
	if (!noted)
		fail_msg("no note naming '%s'", want);
	assert_false(f.counters.tcp_tw.known && strstr(want, "sockstat"));
	assert_false(f.counters.tcpext.known && strstr(want, "netstat"));
	assert_false(f.memory.slabinfo_known && strstr(want, "slabinfo"));
	assert_false(f.memory.mem_total_kb.known && strstr(want, "meminfo"));
	assert_false(f.memory.ehash_entries.known && strstr(want, "dmesg"));
	assert_false(f.conntrack.table_known && strstr(want, "conntrack"));
	facts_free(&f);
}

static void test_missing_required(void **state)
{
	static const char *const req[] = { "uname-r.txt", "sysctl-a.txt", "ss-tan.txt" };

	for (size_t i = 0; i < 3; i++) {
		struct tmpsnap t;

		tmpsnap_make(&t, true);
		tmpsnap_remove(&t, req[i]);
		expect_failure(&t, req[i], "missing");
		tmpsnap_free(&t);
	}
}

static void test_not_a_folder(void **state)
{
	struct tw_facts f;
	struct tw_error err = { "" };

	facts_init(&f);
	assert_true(collect_snapshot(BASIC "/uname-r.txt", &f, &err) < 0);
	assert_non_null(strstr(err.msg, "uname-r.txt"));
	facts_free(&f);
	facts_init(&f);
	assert_true(collect_snapshot("/nonexistent/tw-snapshot", &f, &err) < 0);
	assert_non_null(strstr(err.msg, "/nonexistent/tw-snapshot"));
	facts_free(&f);
}

static void test_hostile_files(void **state)
{
	static const struct {
		const char *file, *src, *want;
	} cases[] = {
		{ "uname-r.txt", HOS "uname-garbage.txt", "uname-r.txt:1:" },
		{ "uname-r.txt", HOS "empty.txt", "uname-r.txt:1:" },
		{ "uname-r.txt", HOS "garbage.bin", "uname-r.txt:1:" },
		{ "sysctl-a.txt", HOS "sysctl-no-equals.txt", "sysctl-a.txt:3:" },
		{ "sysctl-a.txt", HOS "garbage.bin", "sysctl-a.txt:1:" },
		{ "sysctl-a.txt", HOS "empty.txt", "sysctl-a.txt" },
		{ "ss-tan.txt", HOS "ss-truncated.txt", "ss-tan.txt:4:" },
		{ "ss-tan.txt", HOS "ss-port-99999.txt", "ss-tan.txt:3:" },
		{ "ss-tan.txt", HOS "garbage.bin", "ss-tan.txt:1:" },
		{ "proc/net/sockstat", HOS "sockstat-absurd.txt", "proc/net/sockstat:2:" },
		{ "proc/net/sockstat", HOS "empty.txt", "proc/net/sockstat" },
		{ "proc/net/netstat", HOS "netstat-mismatch.txt", "proc/net/netstat:2:" },
		{ "proc/slabinfo", HOS "slabinfo-bad-row.txt", "proc/slabinfo:4:" },
		{ "proc/meminfo", HOS "meminfo-absurd.txt", "proc/meminfo:1:" },
		{ "dmesg.txt", HOS "dmesg-absurd.txt", "dmesg.txt:1:" },
		{ "proc/net/nf_conntrack", HOS "nf_conntrack-truncated.txt",
		  "proc/net/nf_conntrack:2:" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tmpsnap t;

		tmpsnap_make(&t, true);
		tmpsnap_put(&t, cases[i].file, cases[i].src);
		if (strstr(cases[i].file, ".txt") && strcmp(cases[i].file, "dmesg.txt") != 0)
			expect_failure(&t, cases[i].want, NULL);   /* required */
		else
			expect_unknown(&t, cases[i].want);          /* optional: a note */
		tmpsnap_free(&t);
	}
}

static void test_old_kernel(void **state)
{
	struct tmpsnap t;
	struct tw_facts f;
	struct tw_error err = { "" };

	tmpsnap_make(&t, false);
	tmpsnap_put(&t, "uname-r.txt", HOS "uname-el7.txt");
	facts_init(&f);
	if (collect_snapshot(t.dir, &f, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(f.kernel.major, 3);
	assert_int_equal(f.kernel.minor, 10);
	assert_int_equal(f.kernel.patch, 0);
	assert_string_equal(f.kernel.release, "3.10.0-1160.el7.x86_64");
	facts_free(&f);
	tmpsnap_free(&t);
}

/* Every accepted listing as ss-tan.txt gives the same TIME_WAIT facts. */
static void test_formats(void **state)
{
	static const struct {
		const char *src;
		bool has_listeners;
	} formats[] = {
		{ CAP "ss-tanH.txt", true },
		{ CAP "ss-tanp.txt", true },
		{ CAP "netstat-tan.txt", true },
		/* no LISTEN lines: sides come from the port range alone */
		{ CAP "ss-tan-state-time-wait.txt", false },
	};

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct tmpsnap t;
		struct tw_facts f;
		struct tw_error err = { "" };

		tmpsnap_make(&t, false);
		tmpsnap_put(&t, "ss-tan.txt", formats[i].src);
		facts_init(&f);
		if (collect_snapshot(t.dir, &f, &err) < 0)
			fail_msg("%s: %s", formats[i].src, err.msg);
		check_tw_counts(&f);
		if (formats[i].has_listeners) {
			assert_int_equal(f.listeners, counts_value("listen"));
			assert_int_equal(f.nnotes, 1);   /* optional files absent */
		} else {
			assert_int_equal(f.listeners, 0);
			assert_int_equal(f.nnotes, 2);
		}
		facts_free(&f);
		tmpsnap_free(&t);
	}
}

/* An optional file over the size cap is unknown, with a note; not fatal. */
static void test_oversized_optional(void **state)
{
	struct tmpsnap t;
	struct tw_facts f;
	struct tw_error err = { "" };
	char path[512];

	tmpsnap_make(&t, true);
	snprintf(path, sizeof(path), "%s/proc/net/nf_conntrack", t.dir);
	assert_int_equal(truncate(path, 17 * 1024 * 1024), 0);
	facts_init(&f);
	if (collect_snapshot(t.dir, &f, &err) < 0)
		fail_msg("%s", err.msg);
	assert_false(f.conntrack.table_known);
	assert_true(f.counters.tcp_tw.known);
	assert_int_equal(f.nnotes, 1);
	assert_non_null(strstr(f.notes[0], "proc/net/nf_conntrack"));
	facts_free(&f);
	tmpsnap_free(&t);
}

/* An empty listing is a host without TCP sockets. */
static void test_empty_listing(void **state)
{
	struct tmpsnap t;
	struct tw_facts f;
	struct tw_error err = { "" };

	tmpsnap_make(&t, false);
	tmpsnap_put(&t, "ss-tan.txt", HOS "empty.txt");
	facts_init(&f);
	if (collect_snapshot(t.dir, &f, &err) < 0)
		fail_msg("%s", err.msg);
	assert_true(f.tw.known);
	assert_int_equal(f.tw.total, 0);
	assert_int_equal(f.listeners, 0);
	facts_free(&f);
	tmpsnap_free(&t);
}

/* A long generated listing, and a custom port range from sysctl-a.txt:
 * local ports 20000..20999 are ephemeral only with the custom range. */
static void test_long_listing(void **state)
{
	enum { N = 200000 };
	struct tmpsnap t;
	struct tw_facts f;
	struct tw_error err = { "" };
	char path[512];
	FILE *fp;

	tmpsnap_make(&t, false);
	snprintf(path, sizeof(path), "%s/ss-tan.txt", t.dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "State     Recv-Q Send-Q Local Address:Port  Peer Address:Port Process\n");
	fprintf(fp, "LISTEN    0      128        0.0.0.0:22       0.0.0.0:*\n");
	for (unsigned i = 0; i < N; i++)
		fprintf(fp, "TIME-WAIT 0      0          10.0.%u.%u:%u    10.1.0.%u:%u\n",
			i % 4, 1 + i % 200, 20000 + i % 1000, 1 + i % 7, i % 2 ? 5432 : 40000);
	assert_int_equal(fclose(fp), 0);
	snprintf(path, sizeof(path), "%s/sysctl-a.txt", t.dir);
	fp = fopen(path, "a");
	assert_non_null(fp);
	fprintf(fp, "net.ipv4.ip_local_port_range = 20000\t29999\n");
	assert_int_equal(fclose(fp), 0);

	facts_init(&f);
	if (collect_snapshot(t.dir, &f, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(f.tw.total, N);
	/* With the default range, local 20xxx -> remote 40000 would count as
	 * server side; with 20000..29999 every local port is ephemeral. */
	assert_int_equal(f.tw.client, N);
	assert_int_equal(f.tw.server, 0);
	assert_int_equal(f.listeners, 1);
	facts_free(&f);
	tmpsnap_free(&t);
}

/* A listener listed after the sockets on its port (as ss lists IPv6
 * listeners after IPv4 sockets) still decides their side: the listing is
 * read a second time. ESTABLISHED sockets count in held, TIME-WAIT in
 * count too, and ss -o timers give ages. */
static void test_late_listener_held_ages(void **state)
{
	struct tmpsnap t;
	struct tw_facts f;
	struct tw_error err = { "" };
	char path[512];
	FILE *fp;

	(void)state;
	tmpsnap_make(&t, false);
	snprintf(path, sizeof(path), "%s/ss-tan.txt", t.dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	/* 3 TIME-WAIT + 2 ESTAB on local port 8080 (outside the range, and
	 * the peer's port too: without the listener they would be client). */
	for (unsigned i = 0; i < 3; i++)
		fprintf(fp, "TIME-WAIT 0 0 10.0.0.1:8080 10.0.0.9:%u timer:(timewait,%usec,0)\n",
			1000 + i, 55 - 20 * i);
	fprintf(fp, "ESTAB 0 0 10.0.0.1:8080 10.0.0.9:2000\nESTAB 0 0 10.0.0.1:8080 10.0.0.9:2001\n");
	fprintf(fp, "SYN-RECV 0 0 10.0.0.1:8080 10.0.0.9:2002\n");   /* holds no port */
	fprintf(fp, "LISTEN 0 128 [::]:8080 [::]:*\n");
	assert_int_equal(fclose(fp), 0);
	facts_init(&f);
	if (collect_snapshot(t.dir, &f, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(f.listeners, 1);
	assert_int_equal(f.tw.total, 3);
	assert_int_equal(f.tw.server, 3);
	assert_int_equal(f.tw.held_server, 5);
	assert_int_equal(f.tw.held_client, 0);
	assert_int_equal(f.tw.ntop_server, 1);
	assert_int_equal(f.tw.top_server[0].held, 5);
	assert_int_equal(f.tw.top_server[0].count, 3);
	/* 55 s left: age 5 s (bucket 0); 35 s: 25 s (2); 15 s: 45 s (4) */
	assert_true(f.tw.ages_known);
	assert_int_equal(f.tw.top_server[0].age[0], 1);
	assert_int_equal(f.tw.top_server[0].age[2], 1);
	assert_int_equal(f.tw.top_server[0].age[4], 1);
	facts_free(&f);
	tmpsnap_free(&t);
}

/* More distinct destinations than the tuple table keeps: exact totals,
 * capped set, and a note that says so. */
static void test_capped_note(void **state)
{
	enum { N = 50000 };
	struct tmpsnap t;
	struct tw_facts f;
	struct tw_error err = { "" };
	char path[512];
	bool noted = false;
	FILE *fp;

	(void)state;
	tmpsnap_make(&t, false);
	snprintf(path, sizeof(path), "%s/ss-tan.txt", t.dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	for (unsigned i = 0; i < N; i++)
		fprintf(fp, "TIME-WAIT 0 0 10.0.0.1:40000 10.%u.%u.%u:443\n", 1 + i / 65536,
			(i / 256) % 256, i % 256);
	assert_int_equal(fclose(fp), 0);
	facts_init(&f);
	if (collect_snapshot(t.dir, &f, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(f.tw.total, N);
	assert_int_equal(f.tw.held_client, N);
	assert_true(f.tw.capped);
	assert_true(f.tw.tuples_client >= N * 95 / 100 && f.tw.tuples_client <= N * 105 / 100);
	for (size_t i = 0; i < f.nnotes; i++)
		noted |= strstr(f.notes[i], "distinct destinations") != NULL;
	assert_true(noted);
	facts_free(&f);
	tmpsnap_free(&t);
}

/* Whether this kernel (and whatever runs the test) has openat2(2). */
static bool have_openat2(void)
{
#ifdef SYS_openat2
	struct open_how how = { .flags = O_RDONLY | O_DIRECTORY, .resolve = RESOLVE_BENEATH };
	long fd = syscall(SYS_openat2, AT_FDCWD, ".", &how, sizeof(how));

	if (fd >= 0) {
		close((int)fd);
		return true;
	}
	return errno != ENOSYS;
#else
	return false;
#endif
}

/* Links, FIFOs and a link out of the folder, with openat2 (links inside
 * followed) and with the per-component O_NOFOLLOW walk of older kernels
 * (no link followed at all); both never leave the folder. */
static void test_links_and_fifos(void **state)
{
	for (int walk = 0; walk < 2; walk++) {
		struct tmpsnap t;
		struct tw_facts f;
		struct tw_error err = { "" };
		char path[600], real[600];

		(void)state;
		tw_open_beneath_force_walk(walk);
		tmpsnap_make(&t, true);
		/* Every file read fine through either path. */
		facts_init(&f);
		if (collect_snapshot(t.dir, &f, &err) < 0)
			fail_msg("walk=%d: %s", walk, err.msg);
		assert_true(f.counters.tcpext.known);
		facts_free(&f);

		/* ss-tan.txt -> /etc/passwd: refused, one line naming it. */
		snprintf(path, sizeof(path), "%s/ss-tan.txt", t.dir);
		snprintf(real, sizeof(real), "%s/ss-real.txt", t.dir);
		assert_int_equal(rename(path, real), 0);
		assert_int_equal(symlink("/etc/passwd", path), 0);
		expect_failure(&t, "ss-tan.txt: a symbolic link", NULL);
		/* A link inside: followed with openat2, refused by the walk
		 * (which is also what runs where openat2 is missing, e.g.
		 * under Valgrind, which does not know the system call). */
		assert_int_equal(unlink(path), 0);
		assert_int_equal(symlink("ss-real.txt", path), 0);
		facts_init(&f);
		err.msg[0] = '\0';
		if (walk || !have_openat2()) {
			assert_true(collect_snapshot(t.dir, &f, &err) < 0);
			assert_non_null(strstr(err.msg, "ss-tan.txt: a symbolic link"));
		} else if (collect_snapshot(t.dir, &f, &err) < 0) {
			fail_msg("inside link: %s", err.msg);
		}
		facts_free(&f);
		assert_int_equal(unlink(path), 0);
		assert_int_equal(rename(real, path), 0);

		/* proc/net/snmp a FIFO: never opened, unknown with a note. */
		snprintf(path, sizeof(path), "%s/proc/net/snmp", t.dir);
		assert_int_equal(unlink(path), 0);
		assert_int_equal(mkfifo(path, 0644), 0);
		expect_unknown(&t, "proc/net/snmp");
		/* ".." never leads out either: proc -> ../.. style. */
		snprintf(path, sizeof(path), "%s/proc", t.dir);
		snprintf(real, sizeof(real), "%s/proc-real", t.dir);
		assert_int_equal(rename(path, real), 0);
		assert_int_equal(symlink("../..", path), 0);
		expect_unknown(&t, "proc/net/sockstat: a symbolic link");
		tmpsnap_free(&t);
	}
	tw_open_beneath_force_walk(false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_late_listener_held_ages),
		cmocka_unit_test(test_capped_note),
		cmocka_unit_test(test_required_only),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_not_a_folder),
		cmocka_unit_test(test_hostile_files),
		cmocka_unit_test(test_links_and_fifos),
		cmocka_unit_test(test_old_kernel),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_oversized_optional),
		cmocka_unit_test(test_empty_listing),
		cmocka_unit_test(test_long_listing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
