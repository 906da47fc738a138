/* SPDX-License-Identifier: MIT */
/* test_apply.c: src/sysctld/apply.c against a fake /proc/sys folder.
 *
 * Each test builds a throw-away tree (mkdtemp) whose files stand for
 * kernel parameters. A write is made to fail half way by replacing a
 * key's file with a folder between apply_prepare() and apply_commit()
 * (EISDIR), or by pointing a key at a read-only file of the real
 * /proc/sys (EACCES even for root); the rollback must then leave every
 * earlier file byte for byte as it was. The state file is checked by a
 * round trip and against hostile contents (errors name FILE:LINE). */
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
#include <unistd.h>

#include <cmocka.h>

#include "sysctld/apply.h"
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

static void test_state_roundtrip(void **state)
{
	struct tree *t = *state;
	struct tw_apply_undo u = { 0 }, back = { 0 };
	struct tw_error err = { "" };
	char path[4096], *netns = NULL, *text;

	assert_int_equal(apply_changes(t->root, good, 4, &u, &err), 0);
	CHECKED_snprintf(path, sizeof(path), "%s/60-twadvise.conf.previous", t->root);
	assert_int_equal(apply_state_write(path, "/etc/sysctl.d/60-twadvise.conf", "blue", &u, &err), 0);
	text = get(t, "60-twadvise.conf.previous");
	assert_non_null(text);
	assert_true(strncmp(text, "# twadvise apply state 1\n", 25) == 0);
	assert_non_null(strstr(text, "\n@netns blue\nnet.ipv4.tcp_fin_timeout = 60\n"));
	assert_non_null(strstr(text, "\nnet.ipv4.ip_local_reserved_ports =\n"));
	free(text);

	assert_int_equal(apply_state_read(path, &netns, &back, &err), 0);
	assert_string_equal(netns, "blue");
	assert_int_equal(back.n, u.n);
	for (size_t i = 0; i < u.n; i++) {
		assert_string_equal(back.v[i].key, u.v[i].key);
		assert_string_equal(back.v[i].previous, u.v[i].previous);
		assert_null(back.v[i].value);
	}
	free(netns);
	apply_undo_free(&back);

	/* Without a namespace; a path with a newline stays in its comment. */
	assert_int_equal(apply_state_write(path, "/tmp/x\nnet.ipv4.tcp_tw_reuse = 0", NULL, &u, &err), 0);
	netns = (char *)"untouched";
	assert_int_equal(apply_state_read(path, &netns, &back, &err), 0);
	assert_null(netns);
	assert_int_equal(back.n, 4);
	assert_string_equal(back.v[2].key, "net.ipv4.tcp_tw_reuse");
	assert_string_equal(back.v[2].previous, "2");
	apply_undo_free(&back);

	/* A namespace name that could not be read back is refused. */
	assert_int_equal(apply_state_write(path, "/f", "a b", &u, &err), -EINVAL);
	assert_int_equal(apply_state_write(path, "/f", "x/y", &u, &err), -EINVAL);
	apply_undo_free(&u);
}

struct hostile {
	const char *content;
	size_t len;          /* 0: strlen */
	const char *want;    /* expected in the message, after "FILE" */
};

#define M "# twadvise apply state 1\n"

static const struct hostile hostile[] = {
	{ "", 0, ":1: empty" },
	{ "net.ipv4.tcp_tw_reuse = 1\n", 0, ":1: not a twadvise state file" },
	{ "# twadvise apply state 2\nnet.ipv4.tcp_tw_reuse = 1\n", 0, ":1: not a twadvise state file" },
	{ M, 0, ":1: no values recorded" },
	{ M "# only comments\n\n", 0, ":3: no values recorded" },
	{ M "garbage\n", 0, ":2: expected 'KEY = VALUE'" },
	{ M "net.ipv4.tcp_tw_reuse = 1\nnet.ipv4.tcp_tw_reuse = 2\n", 0, ":3: net.ipv4.tcp_tw_reuse recorded twice" },
	{ M "../../etc/passwd = 1\n", 0, ":2: '../../etc/passwd' is not a valid sysctl key" },
	{ M "net.ipv4.tcp_* = 1\n", 0, ":2: 'net.ipv4.tcp_*' is not a valid sysctl key" },
	{ M " = 1\n", 0, ":2: '' is not a valid sysctl key" },
	{ M "@netns a\n@netns b\nnet.x = 1\n", 0, ":3: @netns given twice" },
	{ M "net.x = 1\n@netns a\n", 0, ":3: @netns must come before the values" },
	{ M "@netns ..\nnet.x = 1\n", 0, ":2: invalid network namespace name" },
	{ M "@netns a/b\nnet.x = 1\n", 0, ":2: invalid network namespace name" },
	{ M "@netns\nnet.x = 1\n", 0, ":2: unknown directive" },
	{ M "@mount x\nnet.x = 1\n", 0, ":2: unknown directive" },
	{ M "net.x = 1\r\n", 0, ":2: control characters" },
	{ M "net.x = 1\033[2J\n", 0, ":2: control characters" },
	{ M "net.x = 1", 0, ":2: the last line is incomplete" },
	{ M "net.x = 1\n\0net.y = 2\n", sizeof(M "net.x = 1\n\0net.y = 2\n") - 1, ": not a text file" },
};

static void test_state_hostile(void **state)
{
	struct tree *t = *state;
	char path[4096], want[4200];

	CHECKED_snprintf(path, sizeof(path), "%s/hostile.previous", t->root);
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		const struct hostile *h = &hostile[i];
		size_t len = h->len ? h->len : strlen(h->content);
		struct tw_apply_undo u = { 0 };
		struct tw_error err = { "" };
		char *netns = (char *)"untouched";
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		assert_int_equal(fwrite(h->content, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
		assert_int_equal(apply_state_read(path, &netns, &u, &err), -EINVAL);
		CHECKED_snprintf(want, sizeof(want), "%s%s", path, h->want);
		if (!strstr(err.msg, want))
			fail_msg("case %zu: got '%s', want '%s'", i, err.msg, want);
		assert_string_equal(netns, "untouched");
		assert_null(u.v);
	}
}

static void test_state_missing_and_large(void **state)
{
	struct tree *t = *state;
	struct tw_apply_undo u = { 0 };
	struct tw_error err = { "" };
	char path[4096], *netns = NULL;
	FILE *f;

	CHECKED_snprintf(path, sizeof(path), "%s/none.previous", t->root);
	assert_int_equal(apply_state_read(path, &netns, &u, &err), -ENOENT);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "no state recorded"));

	CHECKED_snprintf(path, sizeof(path), "%s/big.previous", t->root);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(M, f);
	for (int i = 0; i < 70000; i++)
		fprintf(f, "# padding line %d\n", i);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(apply_state_read(path, &netns, &u, &err), -EFBIG);
	assert_null(u.v);
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
		cmocka_unit_test_setup_teardown(test_state_hostile, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_state_missing_and_large, tree_setup, tree_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
