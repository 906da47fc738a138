/* SPDX-License-Identifier: MIT */
/* test_apply.c: src/sysctld/apply.c against a fake /proc/sys folder, and
 * the --apply state (src/sysctld/applystate.c), SHA-256 and the allow-list.
 *
 * Each test builds a throw-away tree (mkdtemp) whose files stand for
 * kernel parameters. A write is made to fail half way by replacing a
 * key's file with a folder between apply_prepare() and apply_commit()
 * (EISDIR), or by pointing a key at a read-only file of the real
 * /proc/sys (EACCES even for root); the rollback must then leave every
 * earlier file byte for byte as it was. The state file is checked by a
 * round trip, against hostile contents (errors name FILE:LINE) and
 * against untrusted files (symlink, foreign owner, group-writable, hard
 * link); SHA-256 against `sha256sum`; file modes against the umask. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/allowlist.h"
#include "sysctld/apply.h"
#include "sysctld/applystate.h"
#include "util/sha256.h"
#include "util/fileio.h"
#include "util/strbuf.h"

#define CHECKED_snprintf(buf, size, ...) \
	assert_in_range(snprintf(buf, size, __VA_ARGS__), 0, (size) - 1)

struct tree {
	char root[4096];
};

static void mkparents(const char *path)
{
	char tmp[4096];

	CHECKED_snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			fail_msg("mkdir %s: %s", tmp, strerror(errno));
		*p = '/';
	}
}

static void put(const struct tree *t, const char *rel, const char *content)
{
	char path[4096];
	FILE *f;

	CHECKED_snprintf(path, sizeof(path), "%s/%s", t->root, rel);
	mkparents(path);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(content, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* The bytes of ROOT/rel (caller frees), or NULL when it cannot be read. */
static char *get(const struct tree *t, const char *rel)
{
	struct tw_error err;
	char path[4096], *buf = NULL;

	CHECKED_snprintf(path, sizeof(path), "%s/%s", t->root, rel);
	if (tw_read_file(path, 1 << 20, &buf, NULL, &err) < 0)
		return NULL;
	return buf;
}

static void assert_file(const struct tree *t, const char *rel, const char *want)
{
	char *got = get(t, rel);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static int tree_setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	CHECKED_snprintf(t->root, sizeof(t->root), "%s/twapply.XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(t->root));
	put(t, "net/ipv4/tcp_fin_timeout", "60\n");
	put(t, "net/ipv4/tcp_max_tw_buckets", "131072\n");
	put(t, "net/ipv4/tcp_tw_reuse", "2\n");
	put(t, "net/ipv4/ip_local_port_range", "32768\t60999\n");
	put(t, "net/ipv4/ip_local_reserved_ports", "\n");
	put(t, "net/ipv4/conf/eth0.1/rp_filter", "1\n");
	*state = t;
	return 0;
}

static int tree_teardown(void **state)
{
	struct tree *t = *state;
	char cmd[4200];

	/* Only our own mkdtemp folder, never anything else. */
	assert_non_null(strstr(t->root, "/twapply."));

	CHECKED_snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->root);
	assert_int_equal(system(cmd), 0);
	free(t);
	return 0;
}

static void test_key_valid(void **state)
{
	(void)state;
	assert_true(apply_key_valid("net.ipv4.tcp_tw_reuse"));
	assert_true(apply_key_valid("net.ipv4.conf.eth0/1.rp_filter"));
	assert_true(apply_key_valid("net/ipv4/tcp_tw_reuse"));
	assert_false(apply_key_valid(NULL));
	assert_false(apply_key_valid(""));
	assert_false(apply_key_valid("net..ipv4"));
	assert_false(apply_key_valid(".net.ipv4"));
	assert_false(apply_key_valid("net.ipv4."));
	assert_false(apply_key_valid("net/../../etc/passwd"));
	assert_false(apply_key_valid("net.ipv4.conf./..rp_filter"));
	assert_false(apply_key_valid("net.ipv4.tcp_*"));
	assert_false(apply_key_valid("net.ipv4.tcp tw"));
	assert_false(apply_key_valid("net.ipv4.tcp\ntw"));
}

static void test_read_write(void **state)
{
	struct tree *t = *state;
	struct tw_error err = { "" };
	char *v = NULL;

	assert_int_equal(sysctl_read_live(t->root, "net.ipv4.ip_local_port_range", &v, &err), 0);
	assert_string_equal(v, "32768 60999");  /* tab folded, newline gone */
	free(v);
	assert_int_equal(sysctl_read_live(t->root, "net.ipv4.ip_local_reserved_ports", &v, &err), 0);
	assert_string_equal(v, "");
	free(v);
	assert_int_equal(sysctl_read_live(t->root, "net.ipv4.conf.eth0/1.rp_filter", &v, &err), 0);
	assert_string_equal(v, "1");
	free(v);

	assert_int_equal(sysctl_write_live(t->root, "net.ipv4.tcp_tw_reuse", "1", &err), 0);
	assert_file(t, "net/ipv4/tcp_tw_reuse", "1\n");
	assert_int_equal(sysctl_write_live(t->root, "net.ipv4.ip_local_port_range", "1024 65535", &err), 0);
	assert_file(t, "net/ipv4/ip_local_port_range", "1024 65535\n");

	/* A missing key is an error, never a new file. */
	assert_int_equal(sysctl_write_live(t->root, "net.ipv4.tcp_nope", "1", &err), -ENOENT);
	assert_non_null(strstr(err.msg, "net.ipv4.tcp_nope"));
	assert_null(get(t, "net/ipv4/tcp_nope"));
	assert_int_equal(sysctl_read_live(t->root, "net.ipv4.tcp_nope", &v, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "net.ipv4.tcp_nope"));

	/* Values that are not one line are refused both ways. */
	assert_int_equal(sysctl_write_live(t->root, "net.ipv4.tcp_tw_reuse", "1\nnet.x=2", &err), -EINVAL);
	assert_file(t, "net/ipv4/tcp_tw_reuse", "1\n");
	put(t, "net/ipv4/multi", "a\nb\n");
	assert_int_equal(sysctl_read_live(t->root, "net.ipv4.multi", &v, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "net.ipv4.multi"));

	/* Keys that would leave the root. */
	assert_int_equal(sysctl_write_live(t->root, "net/../../x", "1", &err), -EINVAL);
	assert_int_equal(sysctl_read_live(t->root, "..", &v, &err), -EINVAL);
}

static const struct tw_apply_item good[] = {
	{ "net.ipv4.tcp_fin_timeout", "30" },
	{ "net.ipv4.tcp_max_tw_buckets", "262144" },
	{ "net.ipv4.tcp_tw_reuse", "1" },
	{ "net.ipv4.ip_local_reserved_ports", "8080,9090" },
};

static void test_changes_and_rollback(void **state)
{
	struct tree *t = *state;
	struct tw_apply_undo u = { 0 };
	struct tw_error err = { "" };

	assert_int_equal(apply_changes(t->root, good, 4, &u, &err), 0);
	assert_int_equal(u.n, 4);
	assert_string_equal(u.v[0].key, "net.ipv4.tcp_fin_timeout");
	assert_string_equal(u.v[0].previous, "60");
	assert_string_equal(u.v[0].value, "30");
	assert_string_equal(u.v[3].previous, "");
	assert_file(t, "net/ipv4/tcp_fin_timeout", "30\n");
	assert_file(t, "net/ipv4/tcp_max_tw_buckets", "262144\n");
	assert_file(t, "net/ipv4/tcp_tw_reuse", "1\n");
	assert_file(t, "net/ipv4/ip_local_reserved_ports", "8080,9090\n");

	assert_int_equal(apply_rollback(t->root, &u, u.n, &err), 0);
	assert_file(t, "net/ipv4/tcp_fin_timeout", "60\n");
	assert_file(t, "net/ipv4/tcp_max_tw_buckets", "131072\n");
	assert_file(t, "net/ipv4/tcp_tw_reuse", "2\n");
	assert_file(t, "net/ipv4/ip_local_reserved_ports", "\n");
	apply_undo_free(&u);
	apply_undo_free(&u);  /* idempotent */
}

/* The third write fails (its file became a folder after the reads): the
 * first two files are back byte for byte, the fourth never touched. */
static void test_commit_fails_half_way(void **state)
{
	struct tree *t = *state;
	struct tw_apply_undo u = { 0 };
	struct tw_error err = { "" };
	char path[4096];

	assert_int_equal(apply_prepare(t->root, good, 4, &u, &err), 0);
	CHECKED_snprintf(path, sizeof(path), "%s/net/ipv4/tcp_tw_reuse", t->root);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0755), 0);

	assert_int_equal(apply_commit(t->root, &u, &err), -EISDIR);
	assert_non_null(strstr(err.msg, "net.ipv4.tcp_tw_reuse"));
	assert_non_null(strstr(err.msg, "restored"));
	assert_file(t, "net/ipv4/tcp_fin_timeout", "60\n");
	assert_file(t, "net/ipv4/tcp_max_tw_buckets", "131072\n");
	assert_file(t, "net/ipv4/ip_local_reserved_ports", "\n");
	apply_undo_free(&u);
}

/* A key of the real /proc/sys that nobody may write (mode 0444: the
 * sysctl permission check ignores CAP_DAC_OVERRIDE). */
static void test_commit_fails_readonly_proc(void **state)
{
	struct tree *t = *state;
	struct tw_apply_undo u = { 0 };
	struct tw_error err = { "" };
	const struct tw_apply_item items[] = {
		{ "net.ipv4.tcp_fin_timeout", "30" },
		{ "net.ipv4.tcp_tw_reuse", "0" },
		{ "net.ipv4.osrelease", "1.2.3" },
	};
	char path[4096];

	if (access("/proc/sys/kernel/osrelease", R_OK) != 0)
		skip();
	CHECKED_snprintf(path, sizeof(path), "%s/net/ipv4/osrelease", t->root);
	assert_int_equal(symlink("/proc/sys/kernel/osrelease", path), 0);
	assert_int_equal(apply_changes(t->root, items, 3, &u, &err), -EACCES);
	assert_non_null(strstr(err.msg, "net.ipv4.osrelease"));
	assert_null(u.v);  /* untouched on failure */
	assert_file(t, "net/ipv4/tcp_fin_timeout", "60\n");
	assert_file(t, "net/ipv4/tcp_tw_reuse", "2\n");
}

/* A key that cannot be read stops everything before the first write. */
static void test_prepare_fails_nothing_written(void **state)
{
	struct tree *t = *state;
	struct tw_apply_undo u = { 0 };
	struct tw_error err = { "" };
	const struct tw_apply_item missing[] = {
		{ "net.ipv4.tcp_fin_timeout", "30" },
		{ "net.nope.tcp_tw_reuse", "1" },     /* missing parent */
	};
	const struct tw_apply_item dir[] = {
		{ "net.ipv4.tcp_fin_timeout", "30" },
		{ "net.ipv4.conf", "1" },             /* a folder: EISDIR on read */
	};
	const struct tw_apply_item twice[] = {
		{ "net.ipv4.tcp_fin_timeout", "30" },
		{ "net.ipv4.tcp_fin_timeout", "31" },
	};
	const struct tw_apply_item badvalue[] = {
		{ "net.ipv4.tcp_fin_timeout", "30\nnet.ipv4.tcp_tw_reuse = 1" },
	};
	const struct tw_apply_item badkey[] = {
		{ "net.ipv4.tcp_fin_timeout", "30" },
		{ "net.ipv4/../../../etc/passwd", "x" },
	};

	assert_int_equal(apply_changes(t->root, missing, 2, &u, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "net.nope.tcp_tw_reuse"));
	assert_int_equal(apply_changes(t->root, dir, 2, &u, &err), -EISDIR);
	assert_non_null(strstr(err.msg, "net.ipv4.conf"));
	assert_int_equal(apply_changes(t->root, twice, 2, &u, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "given twice"));
	assert_int_equal(apply_changes(t->root, badvalue, 1, &u, &err), -EINVAL);
	assert_int_equal(apply_changes(t->root, badkey, 2, &u, &err), -EINVAL);
	assert_null(u.v);
	assert_file(t, "net/ipv4/tcp_fin_timeout", "60\n");

	/* Nothing to do is not an error. */
	assert_int_equal(apply_changes(t->root, NULL, 0, &u, &err), 0);
	assert_int_equal(u.n, 0);
	apply_undo_free(&u);
}

/* Rollback carries on past a key it cannot restore and names it. */
static void test_rollback_reports_failures(void **state)
{
	struct tree *t = *state;
	struct tw_apply_undo u = { 0 };
	struct tw_error err = { "" };
	char path[4096];

	assert_int_equal(apply_changes(t->root, good, 3, &u, &err), 0);
	CHECKED_snprintf(path, sizeof(path), "%s/net/ipv4/tcp_max_tw_buckets", t->root);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(apply_rollback(t->root, &u, u.n, &err), -EISDIR);
	assert_non_null(strstr(err.msg, "could not restore"));
	assert_non_null(strstr(err.msg, "net.ipv4.tcp_max_tw_buckets"));
	assert_file(t, "net/ipv4/tcp_fin_timeout", "60\n");
	assert_file(t, "net/ipv4/tcp_tw_reuse", "2\n");
	apply_undo_free(&u);
}

static const char PRIOR[] = "# hand-written\nnet.ipv4.tcp_fin_timeout = 45\n\377\001end";

/* A state as --apply makes it, with the values of 'u' (borrowed: the
 * caller frees 'u', so the state's values are copied). */
static void make_state(struct tw_apply_state *s, const struct tw_apply_undo *u, const char *netns)
{
	memset(s, 0, sizeof(*s));
	s->fragment = strdup("/etc/sysctl.d/60-twadvise.conf");
	s->netns = netns ? strdup(netns) : NULL;
	tw_sha256_hex("net.ipv4.tcp_fin_timeout = 30\n", 30, s->applied_sha256);
	s->prior.existed = true;
	s->prior.len = sizeof(PRIOR) - 1;
	s->prior.data = malloc(s->prior.len + 1);
	memcpy(s->prior.data, PRIOR, s->prior.len + 1);
	s->prior.mode = 0640;
	s->prior.uid = 0;
	s->prior.gid = 4;
	s->values.v = calloc(u->n, sizeof(*s->values.v));
	for (size_t i = 0; i < u->n; i++) {
		s->values.v[i].key = strdup(u->v[i].key);
		s->values.v[i].previous = strdup(u->v[i].previous);
	}
	s->values.n = u->n;
}

static void open_dir(const struct tree *t, struct tw_state_dir *d)
{
	struct tw_error err = { "" };
	char path[4096];
	struct stat st;

	CHECKED_snprintf(path, sizeof(path), "%s/var/lib/twadvise", t->root);
	assert_int_equal(state_dir_open(path, true, d, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(state_dir_lock(d, 1, &err), 0);
}

static void test_state_roundtrip(void **state)
{
	struct tree *t = *state;
	struct tw_apply_undo u = { 0 };
	struct tw_apply_state s, back = { 0 }, untouched;
	struct tw_state_dir d;
	struct tw_error err = { "" };
	char *text, hex[TW_SHA256_HEX_LEN + 1], *name;
	struct stat st;

	assert_int_equal(apply_changes(t->root, good, 4, &u, &err), 0);
	make_state(&s, &u, "blue");
	open_dir(t, &d);
	name = state_name(s.fragment);
	assert_int_equal(strncmp(name, "fragment-", 9), 0);
	assert_int_equal(strlen(name), 9 + 16 + 6);
	assert_int_equal(apply_state_write(&d, name, &s, &err), 0);
	assert_int_equal(fstatat(d.fd, name, &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	text = get(t, "var/lib/twadvise/fragment-c0ffee");   /* no such name */
	assert_null(text);
	{
		char rel[256];

		CHECKED_snprintf(rel, sizeof(rel), "var/lib/twadvise/%s", name);
		text = get(t, rel);
	}
	assert_non_null(text);
	assert_true(strncmp(text, TW_STATE_MAGIC "\n", sizeof(TW_STATE_MAGIC)) == 0);
	assert_non_null(strstr(text, "\nfragment /etc/sysctl.d/60-twadvise.conf\nnetns blue\n"));
	assert_non_null(strstr(text, "\nvalue net.ipv4.tcp_fin_timeout = 60\n"));
	assert_non_null(strstr(text, "\nvalue net.ipv4.ip_local_reserved_ports =\n"));
	tw_sha256_hex(PRIOR, sizeof(PRIOR) - 1, hex);
	assert_non_null(strstr(text, hex));
	assert_non_null(strstr(text, "\nprior mode 0640 uid 0 gid 4 size "));
	assert_true(strlen(text) > 6 && strcmp(text + strlen(text) - 4, "end\n") == 0);
	free(text);

	assert_int_equal(apply_state_read(&d, name, &back, &err), 0);
	assert_string_equal(back.fragment, s.fragment);
	assert_string_equal(back.netns, "blue");
	assert_string_equal(back.applied_sha256, s.applied_sha256);
	assert_true(back.prior.existed);
	assert_int_equal(back.prior.len, sizeof(PRIOR) - 1);
	assert_memory_equal(back.prior.data, PRIOR, sizeof(PRIOR) - 1);
	assert_int_equal(back.prior.mode, 0640);
	assert_int_equal(back.prior.gid, 4);
	assert_int_equal(back.values.n, u.n);
	for (size_t i = 0; i < u.n; i++) {
		assert_string_equal(back.values.v[i].key, u.v[i].key);
		assert_string_equal(back.values.v[i].previous, u.v[i].previous);
		assert_null(back.values.v[i].value);
	}
	apply_state_free(&back);

	/* Exclusive: a second state is never written over the first. */
	apply_state_free(&s);
	make_state(&s, &u, NULL);
	assert_int_equal(apply_state_write(&d, name, &s, &err), -EEXIST);
	assert_non_null(strstr(err.msg, "already recorded"));
	assert_int_equal(apply_state_read(&d, name, &back, &err), 0);
	assert_string_equal(back.netns, "blue");
	apply_state_free(&back);

	/* A key off the list, or host-wide with a namespace, is never recorded. */
	free(s.values.v[0].key);
	s.values.v[0].key = strdup("kernel.core_pattern");
	assert_int_equal(apply_state_format(&s, &text, &err), -EPERM);
	free(s.values.v[0].key);
	s.values.v[0].key = strdup("net.netfilter.nf_conntrack_max");
	assert_int_equal(apply_state_format(&s, &text, &err), 0);
	free(text);
	s.netns = strdup("blue");
	assert_int_equal(apply_state_format(&s, &text, &err), -EPERM);
	assert_non_null(strstr(err.msg, "host-wide"));

	assert_int_equal(apply_state_remove(&d, name, &err), 0);
	memset(&untouched, 0x5a, sizeof(untouched));
	back = untouched;
	assert_int_equal(apply_state_read(&d, name, &back, &err), -ENOENT);
	assert_memory_equal(&back, &untouched, sizeof(back));
	state_dir_close(&d);
	apply_state_free(&s);
	free(name);
	apply_undo_free(&u);
}

struct hostile {
	const char *content;
	size_t len;          /* 0: strlen */
	const char *want;    /* expected in the message, after "FILE" */
};

#define M TW_STATE_MAGIC "\n"
#define H "0000000000000000000000000000000000000000000000000000000000000000"
#define OK_HEAD M "fragment /etc/sysctl.d/x.conf\napplied-sha256 " H "\nprior none\n"
/* sha256("ab") */
#define AB "fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603"

static const struct hostile hostile[] = {
	{ "", 0, ":1: empty" },
	{ "net.ipv4.tcp_tw_reuse = 1\n", 0, ":1: not a twadvise state file" },
	{ "# twadvise apply state 1\nnet.ipv4.tcp_tw_reuse = 1\n", 0, ":1: not a twadvise state file" },
	{ M, 0, ":1: no 'end' line" },
	{ M "end\n", 0, ": incomplete" },
	{ OK_HEAD "end\n", 0, ": incomplete" },
	{ OK_HEAD "value net.ipv4.tcp_tw_reuse = 1\n", 0, ":5: no 'end' line" },
	{ OK_HEAD "value net.ipv4.tcp_tw_reuse = 1\nend\nvalue net.ipv4.tcp_rfc1337 = 1\n", 0,
	  ":7: text after 'end'" },
	{ OK_HEAD "garbage\nend\n", 0, ":5: unknown line 'garbage'" },
	{ OK_HEAD "value net.ipv4.tcp_tw_reuse = 1\nvalue net.ipv4.tcp_tw_reuse = 2\nend\n", 0,
	  ":6: net.ipv4.tcp_tw_reuse recorded twice" },
	/* Restore only allow-listed keys, in the dotted form. */
	{ OK_HEAD "value kernel.core_pattern = |/tmp/pwn\nend\n", 0,
	  ":5: kernel.core_pattern: not on twadvise's allow-list" },
	{ OK_HEAD "value net/ipv4/tcp_tw_reuse = 1\nend\n", 0, ":5: 'net/ipv4/tcp_tw_reuse' is not in the dotted form" },
	{ OK_HEAD "value ../../etc/passwd = 1\nend\n", 0, ":5: ../../etc/passwd: not on twadvise's allow-list" },
	{ OK_HEAD "value net.ipv4.tcp_tw_reuse 1\nend\n", 0, ":5: expected 'value KEY = VALUE'" },
	{ M "fragment /x\nnetns blue\napplied-sha256 " H "\nprior none\n"
	  "value net.netfilter.nf_conntrack_max = 1\nend\n", 0, ":6: net.netfilter.nf_conntrack_max: host-wide" },
	{ M "fragment relative/x.conf\n", 0, ":2: the fragment must be an absolute path" },
	{ M "fragment /x\nfragment /y\n", 0, ":3: unexpected 'fragment' line" },
	{ M "netns ..\n", 0, ":2: invalid network namespace name" },
	{ M "netns a/b\n", 0, ":2: invalid network namespace name" },
	{ M "applied-sha256 abc\n", 0, ":2: malformed hash" },
	{ M "applied-sha256 " H "X\n", 0, ":2: malformed hash" },
	{ M "prior mode 0640 uid 0 gid 0 size 2\n", 0, ":2: malformed 'prior' line" },
	{ M "prior mode 99999 uid 0 gid 0 size 2 sha256 " AB "\n", 0, ":2: malformed 'prior' line" },
	{ M "prior-data 6162\n", 0, ":2: unexpected 'prior-data'" },
	{ M "fragment /x\napplied-sha256 " H "\nprior mode 0644 uid 0 gid 0 size 2 sha256 " AB "\n"
	  "prior-data 6163\nvalue net.ipv4.tcp_tw_reuse = 1\nend\n", 0, "do not match their size and hash" },
	{ M "fragment /x\napplied-sha256 " H "\nprior mode 0644 uid 0 gid 0 size 2 sha256 " AB "\n"
	  "prior-data 61\nvalue net.ipv4.tcp_tw_reuse = 1\nend\n", 0, "do not match their size and hash" },
	{ M "fragment /x\napplied-sha256 " H "\nprior mode 0644 uid 0 gid 0 size 2 sha256 " AB "\n"
	  "prior-data 616263\n", 0, ":5: unexpected 'prior-data'" },
	{ M "fragment /x\napplied-sha256 " H "\nprior mode 0644 uid 0 gid 0 size 2 sha256 " AB "\n"
	  "prior-data 6G62\n", 0, ":5: 'prior-data' is not lowercase hex" },
	{ OK_HEAD "value net.ipv4.tcp_tw_reuse = 1\r\nend\n", 0, ":5: control characters" },
	{ OK_HEAD "value net.ipv4.tcp_tw_reuse = 1\033[2J\nend\n", 0, ":5: control characters" },
	{ OK_HEAD "end", 0, ":5: the last line is incomplete" },
	{ M "x\n\0y\n", sizeof(M "x\n\0y\n") - 1, ": not a text file" },
};

static void test_state_hostile(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		const struct hostile *h = &hostile[i];
		size_t len = h->len ? h->len : strlen(h->content);
		struct tw_apply_state s, untouched;
		struct tw_error err = { "" };
		char want[512];

		memset(&untouched, 0x5a, sizeof(untouched));
		s = untouched;
		if (apply_state_parse("ST", h->content, len, &s, &err) >= 0)
			fail_msg("case %zu: accepted", i);
		CHECKED_snprintf(want, sizeof(want), "%s%s", h->want[0] == ':' ? "ST" : "", h->want);
		if (!strstr(err.msg, want))
			fail_msg("case %zu: got '%s', want '%s'", i, err.msg, want);
		assert_memory_equal(&s, &untouched, sizeof(s));
	}
}

/* Writes a valid state named 'name' in the folder of 'd', from text. */
static void put_state(const struct tw_state_dir *d, const char *name)
{
	static const char text[] = OK_HEAD "value net.ipv4.tcp_tw_reuse = 1\nend\n";
	int fd = openat(d->fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);

	assert_true(fd >= 0);
	assert_int_equal(tw_write_all(fd, text, sizeof(text) - 1), 0);
	assert_int_equal(close(fd), 0);
}

static void expect_refused(const struct tw_state_dir *d, const char *name, const char *want)
{
	struct tw_apply_state s = { 0 };
	struct tw_error err = { "" };

	assert_int_equal(apply_state_read(d, name, &s, &err), -EPERM);
	if (!strstr(err.msg, want))
		fail_msg("%s: got '%s', want '%s'", name, err.msg, want);
	assert_null(s.fragment);
}

/* Tampered, symlinked, foreign-owned, group-writable, hard-linked: refused. */
static void test_state_untrusted(void **state)
{
	struct tree *t = *state;
	struct tw_apply_state s = { 0 };
	struct tw_state_dir d, d2;
	struct tw_error err = { "" };
	char path[4096], other[4096];
	int r;

	open_dir(t, &d);
	put_state(&d, "good.state");
	assert_int_equal(apply_state_read(&d, "good.state", &s, &err), 0);
	assert_string_equal(s.values.v[0].key, "net.ipv4.tcp_tw_reuse");
	apply_state_free(&s);

	/* A symbolic link to a valid state elsewhere. */
	put(t, "elsewhere.state", OK_HEAD "value net.ipv4.tcp_tw_reuse = 1\nend\n");
	CHECKED_snprintf(other, sizeof(other), "%s/elsewhere.state", t->root);
	assert_int_equal(symlinkat(other, d.fd, "link.state"), 0);
	expect_refused(&d, "link.state", "is a symbolic link");

	put_state(&d, "grp.state");
	assert_int_equal(fchmodat(d.fd, "grp.state", 0620, 0), 0);
	expect_refused(&d, "grp.state", "writable by group or others");
	put_state(&d, "oth.state");
	assert_int_equal(fchmodat(d.fd, "oth.state", 0602, 0), 0);
	expect_refused(&d, "oth.state", "writable by group or others");

	if (geteuid() == 0) {
		put_state(&d, "foreign.state");
		assert_int_equal(fchownat(d.fd, "foreign.state", 65534, 65534, 0), 0);
		expect_refused(&d, "foreign.state", "not owned by root");
	}
	assert_int_equal(linkat(d.fd, "good.state", d.fd, "hard.state", 0), 0);
	expect_refused(&d, "hard.state", "other hard links");
	assert_int_equal(unlinkat(d.fd, "hard.state", 0), 0);
	assert_int_equal(mkdirat(d.fd, "dir.state", 0700), 0);
	expect_refused(&d, "dir.state", "not a regular file");
	state_dir_close(&d);

	/* The folder itself: group-writable, foreign, or a symbolic link. */
	CHECKED_snprintf(path, sizeof(path), "%s/var/lib/twadvise", t->root);
	assert_int_equal(chmod(path, 0770), 0);
	assert_int_equal(state_dir_open(path, false, &d2, &err), -EPERM);
	assert_non_null(strstr(err.msg, "writable by group or others"));
	assert_int_equal(chmod(path, 0700), 0);
	if (geteuid() == 0) {
		assert_int_equal(chown(path, 65534, 0), 0);
		assert_int_equal(state_dir_open(path, false, &d2, &err), -EPERM);
		assert_non_null(strstr(err.msg, "not owned by root"));
		assert_int_equal(chown(path, 0, 0), 0);
	}
	CHECKED_snprintf(other, sizeof(other), "%s/var/lib/link", t->root);
	assert_int_equal(symlink(path, other), 0);
	r = state_dir_open(other, true, &d2, &err);
	assert_true(r == -ELOOP || r == -ENOTDIR);   /* O_DIRECTORY | O_NOFOLLOW */
	assert_non_null(strstr(err.msg, "symbolic link"));
	CHECKED_snprintf(other, sizeof(other), "%s/var/lib/absent", t->root);
	assert_int_equal(state_dir_open(other, false, &d2, &err), -ENOENT);
}

/* FIPS 180-4 examples, then every length 0..200 against sha256sum(1). */
static void test_sha256(void **state)
{
	char hex[TW_SHA256_HEX_LEN + 1], buf[256], cmd[512], line[128];

	(void)state;
	tw_sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	tw_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	tw_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	if (system("command -v sha256sum >/dev/null 2>&1") != 0)
		return;
	for (int i = 0; i < 200; i++)
		buf[i] = (char)('a' + i % 26);
	for (int n = 0; n <= 200; n += 1) {
		FILE *p;

		CHECKED_snprintf(cmd, sizeof(cmd), "printf '%%.%ds' '%.*s' | sha256sum", n, n, buf);
		p = popen(cmd, "r");
		assert_non_null(p);
		assert_non_null(fgets(line, sizeof(line), p));
		pclose(p);
		tw_sha256_hex(buf, (size_t)n, hex);
		if (strncmp(line, hex, 64) != 0)
			fail_msg("length %d: sha256sum says %.64s, we say %s", n, line, hex);
	}
}

static void test_allowlist(void **state)
{
	char buf[TW_ALLOWLIST_KEY_MAX];
	const char *why = NULL;

	(void)state;
	assert_true(allowlist_normalise("net/ipv4/tcp_tw_recycle", buf, sizeof(buf)));
	assert_string_equal(buf, "net.ipv4.tcp_tw_recycle");
	assert_true(allowlist_normalise("/net/ipv4/conf/eth0.1/rp_filter", buf, sizeof(buf)));
	assert_string_equal(buf, "net.ipv4.conf.eth0/1.rp_filter");
	assert_true(allowlist_normalise("net.ipv4.tcp_tw_reuse", buf, sizeof(buf)));
	assert_string_equal(buf, "net.ipv4.tcp_tw_reuse");
	assert_false(allowlist_normalise("", buf, sizeof(buf)));
	assert_false(allowlist_normalise(NULL, buf, sizeof(buf)));
	assert_false(allowlist_normalise("net.ipv4.tcp_tw_reuse", buf, 8));
	assert_string_equal(buf, "");

	/* Every spelling of tcp_tw_recycle is the same key: only 0. */
	assert_true(allowlist_value_permitted("net.ipv4.tcp_tw_recycle", "0", NULL));
	assert_true(allowlist_value_permitted("net/ipv4/tcp_tw_recycle", " 0 ", NULL));
	assert_false(allowlist_value_permitted("net/ipv4/tcp_tw_recycle", "1", &why));
	assert_non_null(strstr(why, "may only be set to 0"));
	assert_false(allowlist_value_permitted("/net/ipv4/tcp_tw_recycle", "00", NULL));
	assert_false(allowlist_value_permitted("net.ipv4.tcp_tw_recycle", NULL, NULL));
	assert_true(allowlist_value_permitted("net.ipv4.tcp_tw_reuse", "1", NULL));
	/* Other spellings are simply not on the list. */
	assert_false(allowlist_permits("NET.ipv4.tcp_tw_recycle", false, NULL));
	assert_false(allowlist_permits("net.ipv4..tcp_tw_recycle", false, NULL));
	assert_false(allowlist_permits("net.ipv4.tcp_tw_recycle ", false, NULL));
	assert_false(allowlist_permits("net/ipv4.tcp_tw_recycle", false, NULL));
	assert_false(allowlist_permits("kernel.core_pattern", false, &why));
	assert_non_null(strstr(why, "allow-list"));
	assert_false(allowlist_permits("kernel/core_pattern", false, NULL));
	assert_false(allowlist_permits("net.ipv4.ip_unprivileged_port_start", false, NULL));
	assert_false(allowlist_permits("net.core.somaxconn", false, NULL));
	/* Per namespace. */
	assert_true(allowlist_permits("net.netfilter.nf_conntrack_max", false, NULL));
	assert_false(allowlist_permits("net.netfilter.nf_conntrack_max", true, &why));
	assert_non_null(strstr(why, "host-wide"));
	assert_true(allowlist_permits("net/ipv4/ip_local_port_range", true, NULL));
	for (size_t i = 0; i < allowlist_count(); i++) {
		const struct tw_allowed_key *a = allowlist_at(i);

		assert_true(apply_key_valid(a->key));
		assert_true(strlen(a->key) < TW_ALLOWLIST_KEY_MAX);
		assert_ptr_equal(allowlist_find(a->key), a);
		assert_true(strncmp(a->key, "net.", 4) == 0);
	}
	assert_null(allowlist_at(allowlist_count()));
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

/* New files honour the umask under a 0644 ceiling; replaced files keep
 * their mode and owner; a symbolic link is never written through. */
static void test_file_modes(void **state)
{
	struct tree *t = *state;
	struct tw_file_prior p = { 0 };
	struct tw_error err = { "" };
	char path[4096], link[4096];
	mode_t old = umask(027);
	struct stat st;

	CHECKED_snprintf(path, sizeof(path), "%s/new.conf", t->root);
	assert_int_equal(file_write_atomic(path, "a\n", 2, NULL, &err), 0);
	assert_int_equal(mode_of(path), 0640);
	umask(0);
	assert_int_equal(file_write_atomic(path, "b\n", 2, NULL, &err), 0);
	assert_int_equal(mode_of(path), 0644);   /* the ceiling, never 0666 */
	assert_file(t, "new.conf", "b\n");

	assert_int_equal(chmod(path, 0600), 0);
	if (geteuid() == 0)
		assert_int_equal(chown(path, 65534, 65533), 0);
	assert_int_equal(file_prior_read(path, 100, &p, &err), 0);
	assert_true(p.existed);
	assert_int_equal(p.mode, 0600);
	assert_int_equal(file_write_atomic(path, "c\n", 2, &p, &err), 0);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(stat(path, &st), 0);
	if (geteuid() == 0) {
		assert_int_equal(st.st_uid, 65534);
		assert_int_equal(st.st_gid, 65533);
	}
	file_prior_free(&p);

	/* tw_atomic_write (--output, --capture): its mode less the umask. */
	umask(077);
	CHECKED_snprintf(link, sizeof(link), "%s/output.conf", t->root);
	assert_int_equal(tw_atomic_write(link, "e\n", 2, 0644, &err), 0);
	assert_int_equal(mode_of(link), 0600);
	umask(022);
	assert_int_equal(tw_atomic_write(link, "e\n", 2, 0644, &err), 0);
	assert_int_equal(mode_of(link), 0644);

	CHECKED_snprintf(link, sizeof(link), "%s/link.conf", t->root);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(file_write_atomic(link, "d\n", 2, NULL, &err), -ELOOP);
	assert_int_equal(file_prior_read(link, 100, &p, &err), -ELOOP);
	assert_int_equal(file_remove_durable(link, &err), -EINVAL);
	assert_file(t, "new.conf", "c\n");
	CHECKED_snprintf(link, sizeof(link), "%s/fifo.conf", t->root);
	assert_int_equal(mkfifo(link, 0600), 0);
	assert_int_equal(file_prior_read(link, 100, &p, &err), -EINVAL);   /* no hang */
	CHECKED_snprintf(link, sizeof(link), "%s/absent.conf", t->root);
	assert_int_equal(file_prior_read(link, 100, &p, &err), 0);
	assert_false(p.existed);
	assert_int_equal(file_remove_durable(link, &err), 0);
	umask(old);
}

static void put_aged(const struct tree *t, const char *rel, long age)
{
	char path[4096];
	struct timeval tv[2];

	put(t, rel, "x");
	CHECKED_snprintf(path, sizeof(path), "%s/%s", t->root, rel);
	gettimeofday(&tv[0], NULL);
	tv[0].tv_sec -= age;
	tv[1] = tv[0];
	assert_int_equal(utimes(path, tv), 0);
}

static bool exists(const struct tree *t, const char *rel)
{
	char path[4096];
	struct stat st;

	CHECKED_snprintf(path, sizeof(path), "%s/%s", t->root, rel);
	return lstat(path, &st) == 0;
}

static void test_stale_tmp(void **state)
{
	struct tree *t = *state;
	char path[4096], target[4096];

	put_aged(t, "d/x.conf", 600);
	put_aged(t, "d/x.conf.tmp.AbC123", 600);          /* ours, stale */
	put_aged(t, "d/x.conf.previous.tmp.q1W2e3", 600); /* ours (older versions), stale */
	put_aged(t, "d/x.conf.tmp.Zz9999", 5);            /* ours, too recent */
	put_aged(t, "d/x.conf.tmp.AbC12", 600);           /* not our naming */
	put_aged(t, "d/x.conf.tmp.AbC1234", 600);
	put_aged(t, "d/x.conf.tmp.AbC-23", 600);
	put_aged(t, "d/y.conf.tmp.AbC123", 600);          /* another file's */
	CHECKED_snprintf(path, sizeof(path), "%s/d/x.conf.tmp.LnK123", t->root);
	CHECKED_snprintf(target, sizeof(target), "%s/d/x.conf", t->root);
	assert_int_equal(symlink(target, path), 0);       /* not a regular file */

	CHECKED_snprintf(path, sizeof(path), "%s/d/x.conf", t->root);
	assert_int_equal(stale_tmp_clean(path, 60), 2);
	assert_false(exists(t, "d/x.conf.tmp.AbC123"));
	assert_false(exists(t, "d/x.conf.previous.tmp.q1W2e3"));
	assert_true(exists(t, "d/x.conf"));
	assert_true(exists(t, "d/x.conf.tmp.Zz9999"));
	assert_true(exists(t, "d/x.conf.tmp.AbC12"));
	assert_true(exists(t, "d/x.conf.tmp.AbC1234"));
	assert_true(exists(t, "d/x.conf.tmp.AbC-23"));
	assert_true(exists(t, "d/y.conf.tmp.AbC123"));
	assert_true(exists(t, "d/x.conf.tmp.LnK123"));
	assert_int_equal(stale_tmp_clean(path, 0), 1);
	assert_false(exists(t, "d/x.conf.tmp.Zz9999"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_valid),
		cmocka_unit_test_setup_teardown(test_read_write, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_changes_and_rollback, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_commit_fails_half_way, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_commit_fails_readonly_proc, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_prepare_fails_nothing_written, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_rollback_reports_failures, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_state_roundtrip, tree_setup, tree_teardown),
		cmocka_unit_test(test_state_hostile),
		cmocka_unit_test_setup_teardown(test_state_untrusted, tree_setup, tree_teardown),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_allowlist),
		cmocka_unit_test_setup_teardown(test_file_modes, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_stale_tmp, tree_setup, tree_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
