/* SPDX-License-Identifier: MIT */
/* test_live_root.c: the live collector on a fake /proc tree, without
 * root and without the running kernel's files.
 *
 * The tree is built in a temporary folder from the stored snapshot
 * fixture tests/fixtures/snapshots/basic: proc/sys/... from its
 * sysctl-a.txt (one file per key), proc/sys/kernel/osrelease from
 * uname-r.txt, and copies of its proc/ files. collect_live() then reads
 * that tree through the table of sources (root = the folder), and every
 * value is checked against the fixture read here with sscanf and
 * strtok, independently of the program's parsers. Sockets are left out
 * (they come from the kernel, not from the root). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "collect/live.h"

#define FIX TW_FIXTURES "/snapshots/basic"

struct tree {
	char dir[64];
};

static void mkdirs(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	}
}

static void put(const struct tree *t, const char *rel, const char *data, size_t len)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", t->dir, rel);
	mkdirs(path);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static char *slurp(const char *path, size_t *ret_len)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	if (ret_len)
		*ret_len = (size_t)n;
	return buf;
}

static void copy(const struct tree *t, const char *rel)
{
	char src[4096];
	size_t len;
	char *buf;

	snprintf(src, sizeof(src), "%s/%s", FIX, rel);
	buf = slurp(src, &len);
	put(t, rel, buf, len);
	free(buf);
}

/* The "key = value" lines of sysctl-a.txt, consecutive lines of one key
 * joined (sysctl prints a multi-line value so), 'sep' between them. */
struct kv {
	char key[512];
	char val[8192];
};

static size_t fixture_sysctls(struct kv **ret, char sep)
{
	char *buf = slurp(FIX "/sysctl-a.txt", NULL), *save = NULL;
	struct kv *v = NULL;
	size_t n = 0;

	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strstr(line, " = ");

		if (!eq || strncmp(line, "sysctl:", 7) == 0)
			continue;
		*eq = '\0';
		if (n > 0 && strcmp(v[n - 1].key, line) == 0) {
			size_t l = strlen(v[n - 1].val);

			snprintf(v[n - 1].val + l, sizeof(v[n - 1].val) - l, "%c%s", sep, eq + 3);
			continue;
		}
		v = realloc(v, (n + 1) * sizeof(*v));
		assert_non_null(v);
		snprintf(v[n].key, sizeof(v[n].key), "%s", line);
		snprintf(v[n].val, sizeof(v[n].val), "%s", eq + 3);
		n++;
	}
	free(buf);
	*ret = v;
	return n;
}

/* One file per key of sysctl-a.txt; returns the count. */
static size_t build_procsys(const struct tree *t)
{
	struct kv *v;
	size_t n = fixture_sysctls(&v, '\n');

	for (size_t i = 0; i < n; i++) {
		char rel[600], val[8200];

		strcpy(rel, "proc/sys/");
		for (char *k = v[i].key, *r = rel + strlen(rel); *k; k++, r++) {
			*r = *k == '.' ? '/' : *k == '/' ? '.' : *k;
			r[1] = '\0';
		}
		snprintf(val, sizeof(val), "%s\n", v[i].val);
		put(t, rel, val, strlen(val));
	}
	free(v);
	return n;
}

static int tree_setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));
	char *uname;
	size_t len;

	assert_non_null(t);
	snprintf(t->dir, sizeof(t->dir), "/tmp/tw-liveroot-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	build_procsys(t);
	uname = slurp(FIX "/uname-r.txt", &len);
	put(t, "proc/sys/kernel/osrelease", uname, len);
	free(uname);
	copy(t, "proc/net/sockstat");
	copy(t, "proc/net/sockstat6");
	copy(t, "proc/net/netstat");
	copy(t, "proc/net/snmp");
	copy(t, "proc/net/nf_conntrack");
	copy(t, "proc/meminfo");
	copy(t, "proc/slabinfo");
	*state = t;
	return 0;
}

static int tree_teardown(void **state)
{
	struct tree *t = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
	free(t);
	return 0;
}

static void collect(const struct tree *t, struct tw_facts *f)
{
	struct tw_live_opts o = { .root = t->dir, .skip_sockets = true };
	struct tw_error err = { "" };

	facts_init(f);
	if (collect_live(&o, f, &err) < 0)
		fail_msg("%s", err.msg);
}

/* The value of counter 'name' on the 'prefix' line pair of a /proc/net file. */
static long long pair_value(const char *file, const char *prefix, const char *name)
{
	char *buf = slurp(file, NULL), *save = NULL, *hdr = NULL;
	long long v = -1;

	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, prefix, strlen(prefix)) != 0 || line[strlen(prefix)] != ':')
			continue;
		if (!hdr) {
			hdr = line;
			continue;
		}
		/* 'line' holds the values of header 'hdr'. */
		{
			char *hs = NULL, *vs = NULL;
			char *h = strtok_r(hdr, " ", &hs), *val = strtok_r(line, " ", &vs);

			while (h && val) {
				if (strcmp(h, name) == 0)
					v = atoll(val);
				h = strtok_r(NULL, " ", &hs);
				val = strtok_r(NULL, " ", &vs);
			}
		}
		break;
	}
	free(buf);
	return v;
}

static void test_values(void **state)
{
	struct tree *t = *state;
	struct tw_facts f;
	char *uname = slurp(FIX "/uname-r.txt", NULL);
	unsigned major = 0, minor = 0;
	long long tw = -1, inuse = -1, memtotal = -1, entries = 0;
	int64_t got;
	size_t nkeys = 0;

	collect(t, &f);
	assert_int_equal(f.source, TW_SOURCE_LIVE);

	assert_int_equal(sscanf(uname, "%u.%u", &major, &minor), 2);
	assert_int_equal(f.kernel.major, major);
	assert_int_equal(f.kernel.minor, minor);
	free(uname);

	/* Every key of sysctl-a.txt, with its value. */
	{
		struct kv *v;
		size_t n = fixture_sysctls(&v, ' ');

		for (size_t i = 0; i < n; i++) {
			char *val = v[i].val;
			const char *got_v;

			/* The contract: tabs between fields become one space. */
			for (char *r = val, *w = val;; r++) {
				if (*r == '\t' || *r == ' ') {
					if (w > val && w[-1] != ' ')
						*w++ = ' ';
					continue;
				}
				*w++ = *r;
				if (!*r)
					break;
			}
			got_v = sysctls_get(&f.sysctls, v[i].key);
			if (!got_v || strcmp(got_v, val) != 0)
				fail_msg("%s: '%s' read, '%s' in the fixture", v[i].key,
					 got_v ? got_v : "(none)", val);
			nkeys++;
		}
		free(v);
	}
	assert_true(nkeys > 100);
	/* ... and no other key but the osrelease the tree adds. */
	assert_true(f.sysctls.n == nkeys || f.sysctls.n == nkeys + 1);

	{
		char *ss = slurp(FIX "/proc/net/sockstat", NULL), *p = strstr(ss, "TCP: ");

		assert_non_null(p);
		assert_int_equal(sscanf(p, "TCP: inuse %lld orphan %*d tw %lld", &inuse, &tw), 2);
		free(ss);
	}
	assert_true(f.counters.tcp_tw.known);
	assert_int_equal(f.counters.tcp_tw.v, (uint64_t)tw);
	assert_int_equal(f.counters.tcp_inuse.v, (uint64_t)inuse);

	assert_int_equal(counter_list_get(&f.counters.tcpext, "TW", &got), 0);
	assert_int_equal(got, pair_value(FIX "/proc/net/netstat", "TcpExt", "TW"));
	assert_int_equal(counter_list_get(&f.counters.tcp, "ActiveOpens", &got), 0);
	assert_int_equal(got, pair_value(FIX "/proc/net/snmp", "Tcp", "ActiveOpens"));

	{
		char *mi = slurp(FIX "/proc/meminfo", NULL);

		assert_int_equal(sscanf(mi, "MemTotal: %lld kB", &memtotal), 1);
		free(mi);
	}
	assert_true(f.memory.mem_total_kb.known);
	assert_int_equal(f.memory.mem_total_kb.v, (uint64_t)memtotal);

	{
		char *ct = slurp(FIX "/proc/net/nf_conntrack", NULL);

		for (char *p = ct; *p; p++)
			entries += *p == '\n';
		free(ct);
	}
	assert_true(f.conntrack.table_known);
	assert_int_equal(f.conntrack.entries, (uint64_t)entries);

	/* No kernel log under a fake root: unknown, not zero. */
	assert_false(f.memory.ehash_entries.known);
	assert_false(f.tw.known);
	facts_free(&f);
}

static bool has_note(const struct tw_facts *f, const char *a, const char *b)
{
	for (size_t i = 0; i < f->nnotes; i++)
		if (strstr(f->notes[i], a) && strstr(f->notes[i], b))
			return true;
	return false;
}

/* A malformed optional file: a note, and its facts unknown (the same
 * policy as in a snapshot). */
static void test_malformed_optional(void **state)
{
	struct tree *t = *state;
	struct tw_facts f;
	/* inuse parses before tw fails: the copy must be thrown away whole. */
	static const char junk[] = "TCP: inuse 8 orphan 0 tw 99999999999999999999999 alloc 1 mem 1\n";

	put(t, "proc/net/sockstat", junk, sizeof(junk) - 1);
	collect(t, &f);
	assert_false(f.counters.tcp_tw.known);
	assert_false(f.counters.tcp_inuse.known);
	if (!has_note(&f, "proc/net/sockstat", "unknown"))
		fail_msg("no note about proc/net/sockstat");
	/* The other files are still read. */
	assert_true(f.counters.tcpext.known);
	facts_free(&f);
	copy(t, "proc/net/sockstat");
}

/* A FIFO where a file is expected: never opened, so no hang; unknown. */
static void test_fifo_refused(void **state)
{
	struct tree *t = *state;
	struct tw_facts f;
	char path[4096];
	time_t start = time(NULL);

	snprintf(path, sizeof(path), "%s/proc/net/snmp", t->dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0644), 0);
	collect(t, &f);
	assert_true(time(NULL) - start < 5);
	assert_false(f.counters.tcp.known);
	if (!has_note(&f, "proc/net/snmp", "not a regular file"))
		fail_msg("no note about the FIFO");
	facts_free(&f);
	unlink(path);
	copy(t, "proc/net/snmp");
}

/* The required kernel release missing: an error naming it. */
static void test_required_missing(void **state)
{
	struct tree *t = *state;
	struct tw_live_opts o = { .root = t->dir, .skip_sockets = true };
	struct tw_error err = { "" };
	struct tw_facts f;
	char path[4096], *uname;
	size_t len;

	snprintf(path, sizeof(path), "%s/proc/sys/kernel/osrelease", t->dir);
	assert_int_equal(unlink(path), 0);
	facts_init(&f);
	assert_true(collect_live(&o, &f, &err) < 0);
	if (!strstr(err.msg, "osrelease"))
		fail_msg("error '%s' does not name osrelease", err.msg);
	facts_free(&f);
	uname = slurp(FIX "/uname-r.txt", &len);
	put(t, "proc/sys/kernel/osrelease", uname, len);
	free(uname);
}

/* Only some keys (tw_live_opts.sysctl_keys): each as the whole walk
 * reads it, absent ones and keys that name no file left out; the others
 * not read at all. */
static void test_keys_subset(void **state)
{
	struct tree *t = *state;
	static const char *const wanted[] = {
		"net.ipv4.ip_local_port_range", "net.ipv4.tcp_tw_reuse", "kernel.poweroff_cmd",
		"dev.twtest.big", "net.ipv4.no_such_key", "net.ipv4", "net.ipv4.conf.lo0/1.x",
		"net..ipv4.tcp_tw_reuse", ".net.ipv4.tcp_tw_reuse", "net.ipv4.tcp_tw_reuse.",
		"net./.ipv4.tcp_tw_reuse", "net.//.net.ipv4.tcp_tw_reuse", "..", NULL,
	};
	static const char *const present[] = {
		"net.ipv4.ip_local_port_range", "net.ipv4.tcp_tw_reuse", "kernel.poweroff_cmd",
		"dev.twtest.big", "net.ipv4.conf.lo0/1.x", NULL,
	};
	struct tw_sysctl_keys keys = { 0 };
	struct tw_live_opts o = { .root = t->dir, .skip_sockets = true, .sysctl_keys = &keys };
	struct tw_error err = { "" };
	struct tw_facts all, some;
	char big[3001];
	size_t np = 0;

	/* A value longer than the first read, and a key with a '/' (a dotted
	 * interface name in the path). */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	put(t, "proc/sys/dev/twtest/big", big, strlen(big));
	put(t, "proc/sys/net/ipv4/conf/lo0.1/x", "7\n", 2);
	sysctl_keys_add_list(&keys, wanted);
	collect(t, &all);
	facts_init(&some);
	if (collect_live(&o, &some, &err) < 0)
		fail_msg("%s", err.msg);
	assert_true(some.sysctls.known);
	for (size_t i = 0; present[i]; i++, np++) {
		const char *a = sysctls_get(&all.sysctls, present[i]);
		const char *b = sysctls_get(&some.sysctls, present[i]);

		assert_non_null(a);
		assert_non_null(b);
		assert_string_equal(a, b);
	}
	assert_int_equal(strlen(sysctls_get(&some.sysctls, "dev.twtest.big")), sizeof(big) - 1);
	assert_string_equal(sysctls_get(&some.sysctls, "net.ipv4.conf.lo0/1.x"), "7");
	/* Nothing else: absent keys, folders and malformed keys are not put. */
	assert_int_equal(some.sysctls.n, np);
	assert_true(all.sysctls.n > 800);
	/* 'all' set: the whole tree, as without a set. */
	keys.all = true;
	facts_free(&some);
	facts_init(&some);
	assert_int_equal(collect_live(&o, &some, &err), 0);
	assert_int_equal(some.sysctls.n, all.sysctls.n);
	facts_free(&some);
	facts_free(&all);
	sysctl_keys_free(&keys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_malformed_optional),
		cmocka_unit_test(test_fifo_refused),
		cmocka_unit_test(test_required_missing),
		cmocka_unit_test(test_keys_subset),
	};

	return cmocka_run_group_tests(tests, tree_setup, tree_teardown);
}
