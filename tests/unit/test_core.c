/* SPDX-License-Identifier: MIT */
/* test_core.c: the building blocks under everything else: the bounded
 * number parser, strbuf, file reading and the atomic writer
 * (src/util/), and the fact types (src/facts/): addresses, port sets,
 * kernel versions, the sysctl table and the TIME_WAIT aggregator. Every
 * expectation is an exact value. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "facts/addr.h"
#include "facts/kernel_version.h"
#include "facts/port_set.h"
#include "facts/sysctls.h"
#include "facts/tuples.h"
#include "util/error.h"
#include "util/fileio.h"
#include "util/parse_num.h"
#include "util/strbuf.h"

/* ---- src/util/parse_num.c ---------------------------------------------- */

#define U64_SENTINEL UINT64_C(0xdeadbeef)
#define I64_SENTINEL INT64_C(-0x5eadbeef)

static void expect_u64(const char *s, uint64_t min, uint64_t max, int rc, uint64_t want)
{
	uint64_t v = U64_SENTINEL;

	assert_int_equal(tw_parse_u64(s, min, max, &v), rc);
	assert_true(v == (rc == 0 ? want : U64_SENTINEL));   /* untouched on failure */
}

static void expect_i64(const char *s, int64_t min, int64_t max, int rc, int64_t want)
{
	int64_t v = I64_SENTINEL;

	assert_int_equal(tw_parse_i64(s, min, max, &v), rc);
	assert_true(v == (rc == 0 ? want : I64_SENTINEL));
}

static void test_parse_u64(void **state)
{
	expect_u64("0", 0, 10, 0, 0);
	expect_u64("10", 0, 10, 0, 10);
	expect_u64("007", 0, 10, 0, 7);
	expect_u64("11", 0, 10, -ERANGE, 0);
	expect_u64("4", 5, 10, -ERANGE, 0);
	expect_u64("18446744073709551615", 0, UINT64_MAX, 0, UINT64_MAX);
	expect_u64("18446744073709551616", 0, UINT64_MAX, -ERANGE, 0);
	expect_u64("99999999999999999999999", 0, UINT64_MAX, -ERANGE, 0);
	/* Garbage after an overflow is still garbage. */
	expect_u64("99999999999999999999999x", 0, UINT64_MAX, -EINVAL, 0);
	expect_u64("", 0, 10, -EINVAL, 0);
	expect_u64(" 1", 0, 10, -EINVAL, 0);
	expect_u64("1 ", 0, 10, -EINVAL, 0);
	expect_u64("1\n", 0, 10, -EINVAL, 0);
	expect_u64("12x", 0, 100, -EINVAL, 0);
	expect_u64("+1", 0, 10, -EINVAL, 0);
	expect_u64("-1", 0, 10, -EINVAL, 0);
	expect_u64("-0", 0, 10, -EINVAL, 0);
	expect_u64("0x10", 0, 100, -EINVAL, 0);
	expect_u64("1e3", 0, 10000, -EINVAL, 0);
}

static void test_parse_i64(void **state)
{
	expect_i64("-0", INT64_MIN, INT64_MAX, 0, 0);
	expect_i64("-1", INT64_MIN, INT64_MAX, 0, -1);
	expect_i64("-9223372036854775808", INT64_MIN, INT64_MAX, 0, INT64_MIN);
	expect_i64("-9223372036854775809", INT64_MIN, INT64_MAX, -ERANGE, 0);
	expect_i64("9223372036854775807", INT64_MIN, INT64_MAX, 0, INT64_MAX);
	expect_i64("9223372036854775808", INT64_MIN, INT64_MAX, -ERANGE, 0);
	expect_i64("-5", -4, 4, -ERANGE, 0);
	expect_i64("5", -4, 4, -ERANGE, 0);
	expect_i64("-4", -4, 4, 0, -4);
	expect_i64("", INT64_MIN, INT64_MAX, -EINVAL, 0);
	expect_i64("-", INT64_MIN, INT64_MAX, -EINVAL, 0);
	expect_i64("--1", INT64_MIN, INT64_MAX, -EINVAL, 0);
	expect_i64("+1", INT64_MIN, INT64_MAX, -EINVAL, 0);
	expect_i64("1-", INT64_MIN, INT64_MAX, -EINVAL, 0);
	expect_i64(" -1", INT64_MIN, INT64_MAX, -EINVAL, 0);
}

static void test_parse_num_n(void **state)
{
	uint64_t u = 0;
	int64_t i = 0;

	/* Only the first n bytes count; no NUL needed. */
	assert_int_equal(tw_parse_u64n("123456", 3, 0, 1000, &u), 0);
	assert_true(u == 123);
	assert_int_equal(tw_parse_i64n("-42abc", 3, -100, 100, &i), 0);
	assert_true(i == -42);
	assert_int_equal(tw_parse_u64n("123", 0, 0, 1000, &u), -EINVAL);
	assert_int_equal(tw_parse_i64n("-1", 1, -10, 10, &i), -EINVAL);
}

/* ---- src/util/strbuf.c ------------------------------------------------- */

static void expect_thousands(long long v, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	sb_append_thousands(&sb, v);
	assert_string_equal(sb_str(&sb), want);
	assert_int_equal(sb.len, strlen(want));
	sb_free(&sb);
}

static void test_strbuf_thousands(void **state)
{
	expect_thousands(0, "0");
	expect_thousands(7, "7");
	expect_thousands(999, "999");
	expect_thousands(1000, "1,000");
	expect_thousands(27000, "27,000");
	expect_thousands(100000, "100,000");
	expect_thousands(999999, "999,999");
	expect_thousands(LLONG_MIN, "-9,223,372,036,854,775,808");
	expect_thousands(1000000, "1,000,000");
	expect_thousands(-1, "-1");
	expect_thousands(-999, "-999");
	expect_thousands(-1234567, "-1,234,567");
	expect_thousands(9223372036854775807LL, "9,223,372,036,854,775,807");
}

static void test_strbuf_appendf_growth(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	assert_null(sb.buf);
	assert_string_equal(sb_str(&sb), "");
	for (int i = 0; i < 10000; i++)
		sb_appendf(&sb, "%05d", i);
	assert_int_equal(sb.len, 50000);
	assert_int_equal(strlen(sb.buf), 50000);
	assert_true(sb.cap > sb.len);
	assert_memory_equal(sb.buf, "00000000010000200003", 20);
	assert_memory_equal(sb.buf + 5 * 1234, "01234", 5);
	assert_string_equal(sb.buf + 49995, "09999");
	/* One append larger than everything so far. */
	sb_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb_str(&sb), "");
	sb_appendf(&sb, "%s-%0200d-%c", "x", 5, 'y');
	assert_int_equal(sb.len, 1 + 1 + 200 + 1 + 1);
	assert_int_equal(sb.buf[sb.len - 1], 'y');
	s = sb_steal(&sb);
	assert_null(sb.buf);
	assert_int_equal(sb.len, 0);
	assert_int_equal(strlen(s), 204);
	free(s);
	s = sb_steal(&sb);   /* an empty buffer is handed over as "" */
	assert_string_equal(s, "");
	free(s);
	sb_appendc(&sb, 'a');
	sb_appendn(&sb, "bcd", 2);
	sb_append(&sb, "");
	assert_string_equal(sb_str(&sb), "abc");
	sb_free(&sb);
	sb_free(&sb);   /* twice is fine */
}

/* ---- src/util/fileio.c ------------------------------------------------- */

struct tmpdir {
	char path[64];
};

static void tmpdir_make(struct tmpdir *d)
{
	strcpy(d->path, "/tmp/twadvise-test-core.XXXXXX");
	assert_non_null(mkdtemp(d->path));
}

static char *tmpdir_join(const struct tmpdir *d, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	sb_appendf(&sb, "%s/%s", d->path, name);
	return sb_steal(&sb);
}

/* The folder's entries, sorted, joined with ' '. */
static char *tmpdir_list(const char *dir)
{
	struct dirent **names;
	struct strbuf sb = STRBUF_INIT;
	int n = scandir(dir, &names, NULL, alphasort);

	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
			if (sb.len)
				sb_appendc(&sb, ' ');
			sb_append(&sb, names[i]->d_name);
		}
		free(names[i]);
	}
	free(names);
	return sb_steal(&sb);
}

static void tmpdir_remove(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
			struct strbuf p = STRBUF_INIT;
			struct stat st;

			sb_appendf(&p, "%s/%s", dir, names[i]->d_name);
			if (lstat(sb_str(&p), &st) == 0 && S_ISDIR(st.st_mode))
				tmpdir_remove(sb_str(&p));
			else
				unlink(sb_str(&p));
			sb_free(&p);
		}
		free(names[i]);
	}
	free(names);
	rmdir(dir);
}

static void write_plain(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static char *read_all(const char *path)
{
	struct tw_error err = { "" };
	char *buf = NULL;

	if (tw_read_file(path, 1 << 20, &buf, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	return buf;
}

static void test_read_file(void **state)
{
	struct tmpdir d;
	struct tw_error err = { "" };
	char *path, *missing, *buf = (char *)&d, *want;
	char hundred[101];
	size_t len = 12345;

	tmpdir_make(&d);
	path = tmpdir_join(&d, "hundred");
	missing = tmpdir_join(&d, "missing");
	memset(hundred, 'x', 100);
	hundred[100] = '\0';
	write_plain(path, hundred);

	/* Exactly max bytes: fine, NUL-terminated. */
	assert_int_equal(tw_read_file(path, 100, &buf, &len, &err), 0);
	assert_int_equal(len, 100);
	assert_int_equal(buf[100], '\0');
	assert_string_equal(buf, hundred);
	free(buf);

	/* One byte more than max: -EFBIG, output untouched. */
	buf = (char *)&d;
	len = 12345;
	assert_int_equal(tw_read_file(path, 99, &buf, &len, &err), -EFBIG);
	assert_ptr_equal(buf, (char *)&d);
	assert_int_equal(len, 12345);
	want = tmpdir_join(&d, "hundred: larger than 99 bytes");
	assert_string_equal(err.msg, want);
	free(want);

	/* A missing file names the path and the reason. */
	assert_int_equal(tw_read_file(missing, 100, &buf, &len, &err), -ENOENT);
	assert_ptr_equal(buf, (char *)&d);
	want = tmpdir_join(&d, "missing: No such file or directory");
	assert_string_equal(err.msg, want);
	free(want);

	/* An empty file gives "" and length 0; ret_len may be NULL. */
	write_plain(path, "");
	assert_int_equal(tw_read_file(path, 0, &buf, &len, &err), 0);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
	free(buf);
	assert_int_equal(tw_read_file(path, 0, &buf, NULL, &err), 0);
	free(buf);

	free(path);
	free(missing);
	tmpdir_remove(d.path);
}

static void test_atomic_write_create_replace(void **state)
{
	struct tmpdir d;
	struct tw_error err = { "" };
	struct stat st, st2;
	char *path, *list, *text;
	int oldfd;
	char old[8] = "";
	mode_t um = umask(027);   /* the umask is honoured under the 0644 ceiling (issue 13) */

	tmpdir_make(&d);
	path = tmpdir_join(&d, "99-twadvise.conf");

	assert_int_equal(tw_atomic_write(path, "net.ipv4.tcp_tw_reuse = 1\n", 26, 0644, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(st.st_size, 26);
	text = read_all(path);
	assert_string_equal(text, "net.ipv4.tcp_tw_reuse = 1\n");
	free(text);
	list = tmpdir_list(d.path);
	assert_string_equal(list, "99-twadvise.conf");
	free(list);

	/* Replacing: a reader holding the old file still sees the old bytes
	 * (a rename, not a rewrite in place), the path shows the new ones. */
	oldfd = open(path, O_RDONLY);
	assert_true(oldfd >= 0);
	assert_int_equal(tw_atomic_write(path, "x = 2\n", 6, 0600, &err), 0);
	assert_int_equal(read(oldfd, old, 7), 7);
	assert_memory_equal(old, "net.ipv", 7);
	assert_int_equal(fstat(oldfd, &st2), 0);
	close(oldfd);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_ino != st2.st_ino);
	assert_int_equal(st.st_mode & 07777, 0600);
	text = read_all(path);
	assert_string_equal(text, "x = 2\n");
	free(text);

	/* The same bytes again: the same file content and size. */
	assert_int_equal(tw_atomic_write(path, "x = 2\n", 6, 0644, &err), 0);
	assert_int_equal(tw_atomic_write(path, "x = 2\n", 6, 0644, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 6);
	assert_int_equal(st.st_mode & 07777, 0640);
	text = read_all(path);
	assert_string_equal(text, "x = 2\n");
	free(text);

	/* Zero bytes make an empty file. */
	assert_int_equal(tw_atomic_write(path, "", 0, 0644, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);

	list = tmpdir_list(d.path);
	assert_string_equal(list, "99-twadvise.conf");
	free(list);
	free(path);
	tmpdir_remove(d.path);
	umask(um);
}

static void test_atomic_write_refuses_symlink(void **state)
{
	struct tmpdir d;
	struct tw_error err = { "" };
	struct stat st;
	char *link, *target, *dangling, *list, *text, *want;
	char buf[64];
	ssize_t n;

	tmpdir_make(&d);
	link = tmpdir_join(&d, "link.conf");
	target = tmpdir_join(&d, "real.conf");
	dangling = tmpdir_join(&d, "dangling.conf");
	write_plain(target, "original\n");
	assert_int_equal(symlink("real.conf", link), 0);
	assert_int_equal(symlink("nowhere.conf", dangling), 0);

	assert_int_equal(tw_atomic_write(link, "new\n", 4, 0644, &err), -ELOOP);
	want = tmpdir_join(&d, "link.conf: is a symbolic link; refusing to write through it");
	assert_string_equal(err.msg, want);
	free(want);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	n = readlink(link, buf, sizeof(buf) - 1);
	assert_int_equal(n, 9);
	buf[n] = '\0';
	assert_string_equal(buf, "real.conf");
	text = read_all(target);
	assert_string_equal(text, "original\n");
	free(text);

	/* A dangling link is refused too, and stays dangling. */
	assert_int_equal(tw_atomic_write(dangling, "new\n", 4, 0644, &err), -ELOOP);
	assert_int_equal(lstat(dangling, &st), 0);
	assert_true(S_ISLNK(st.st_mode));

	list = tmpdir_list(d.path);
	assert_string_equal(list, "dangling.conf link.conf real.conf");
	free(list);
	free(link);
	free(target);
	free(dangling);
	tmpdir_remove(d.path);
}

static void test_atomic_write_failures(void **state)
{
	struct tmpdir d;
	struct tw_error err = { "" };
	struct rlimit old, small;
	char *regular, *under, *subdir, *path, *list, *text;
	char big[4096];
	void (*oldsig)(int);

	tmpdir_make(&d);
	regular = tmpdir_join(&d, "regular");
	under = tmpdir_join(&d, "regular/file.conf");
	subdir = tmpdir_join(&d, "subdir");
	path = tmpdir_join(&d, "kept.conf");
	write_plain(regular, "r");
	assert_int_equal(mkdir(subdir, 0755), 0);

	/* The folder is a regular file (works as root too): ENOTDIR. */
	assert_int_equal(tw_atomic_write(under, "x\n", 2, 0644, &err), -ENOTDIR);
	assert_non_null(strstr(err.msg, "regular/file.conf: cannot create a temporary file: "));
	/* The target is a folder: refused before anything is created. */
	assert_int_equal(tw_atomic_write(subdir, "x\n", 2, 0644, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "subdir: not a regular file"));

	/* A write failing after the temporary file exists (file size limit):
	 * the old file is untouched and the temporary file removed. */
	write_plain(path, "old\n");
	memset(big, 'b', sizeof(big));
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 1024;
	oldsig = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	assert_int_equal(tw_atomic_write(path, big, sizeof(big), 0644, &err), -EFBIG);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, oldsig);
	assert_non_null(strstr(err.msg, "kept.conf: write failed: "));
	text = read_all(path);
	assert_string_equal(text, "old\n");
	free(text);

	list = tmpdir_list(d.path);
	assert_string_equal(list, "kept.conf regular subdir");
	free(list);
	list = tmpdir_list(subdir);
	assert_string_equal(list, "");
	free(list);
	text = read_all(regular);
	assert_string_equal(text, "r");
	free(text);
	free(regular);
	free(under);
	free(subdir);
	free(path);
	tmpdir_remove(d.path);
}

/* ---- src/facts/addr.c -------------------------------------------------- */

static struct tw_addr addr(const char *s)
{
	struct tw_addr a;

	if (tw_addr_parse(s, strlen(s), &a) < 0)
		fail_msg("cannot parse address '%s'", s);
	return a;
}

static void expect_addr(const char *s, int family, const char *formatted)
{
	struct tw_addr a = addr(s);
	char buf[TW_ADDR_STRLEN];

	assert_int_equal(a.family, family);
	tw_addr_format(&a, buf);
	assert_string_equal(buf, formatted);
}

static void test_addr(void **state)
{
	static const uint8_t v4[16] = { 10, 0, 0, 1 };
	static const uint8_t v6lo[16] = { [15] = 1 };
	static const uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 7 };
	static const char *const bad[] = {
		"", "1.2.3", "10.0.0.256", "1.2.3.4.5", "::g", "[::1", "::1]", "[]", "abc",
		"10.0.0.1 ", " 10.0.0.1", "**", "1:2:3:4:5:6:7:8:9",
		"0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000",  /* > 47 bytes */
	};
	struct tw_addr a, b;

	a = addr("10.0.0.1");
	assert_int_equal(a.family, AF_INET);
	assert_memory_equal(a.a, v4, 16);
	a = addr("::1");
	assert_int_equal(a.family, AF_INET6);
	assert_memory_equal(a.a, v6lo, 16);
	assert_true(tw_addr_equal(&a, &(struct tw_addr){ AF_INET6, { [15] = 1 } }));

	/* v4-mapped is IPv4; brackets and scopes are dropped. */
	a = addr("::ffff:10.0.0.1");
	b = addr("10.0.0.1");
	assert_int_equal(a.family, AF_INET);
	assert_true(tw_addr_equal(&a, &b));
	assert_true(tw_addr_equal(&a, &(struct tw_addr){ AF_INET, { 10, 0, 0, 1 } }));
	a = addr("[::ffff:10.0.0.1]");
	assert_true(tw_addr_equal(&a, &b));
	a = addr("[::1]");
	assert_true(tw_addr_equal(&a, &(struct tw_addr){ AF_INET6, { [15] = 1 } }));
	expect_addr("fe80::1%eth0", AF_INET6, "fe80::1");
	expect_addr("[fe80::1%eth0.100]", AF_INET6, "fe80::1");
	expect_addr("2001:db8::1", AF_INET6, "2001:db8::1");
	expect_addr("::ffff:127.0.0.1", AF_INET, "127.0.0.1");
	expect_addr("*", AF_INET, "0.0.0.0");
	a = addr("*");
	assert_true(tw_addr_equal(&a, &(struct tw_addr){ AF_INET, { 0 } }));
	expect_addr("[*]", AF_INET, "0.0.0.0");

	/* Only the first n bytes are read. */
	assert_int_equal(tw_addr_parse("10.0.0.1:8080", 8, &a), 0);
	assert_true(tw_addr_equal(&a, &b));

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&a, 0x5a, sizeof(a));
		if (tw_addr_parse(bad[i], strlen(bad[i]), &a) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
	}

	tw_addr_from_raw(AF_INET6, mapped, &a);
	assert_int_equal(a.family, AF_INET);
	assert_true(tw_addr_equal(&a, &(struct tw_addr){ AF_INET, { 192, 0, 2, 7 } }));

	assert_true(tw_addr_is_loopback(&(struct tw_addr){ AF_INET, { 127, 1, 2, 3 } }));
	a = addr("::1");
	assert_true(tw_addr_is_loopback(&a));
	a = addr("::ffff:127.0.0.1");
	assert_true(tw_addr_is_loopback(&a));
	assert_false(tw_addr_is_loopback(&b));
	a = addr("::2");
	assert_false(tw_addr_is_loopback(&a));
	/* Same bytes, other family: different addresses. */
	assert_false(tw_addr_equal(&(struct tw_addr){ AF_INET, { 0 } },
				   &(struct tw_addr){ AF_INET6, { 0 } }));
}

/* ---- src/facts/port_set.c ---------------------------------------------- */

static void expect_ports(const char *text, size_t count, const char *canonical)
{
	struct tw_port_set s;
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(port_set_parse(text, &s), 0);
	assert_int_equal(port_set_count(&s), count);
	port_set_format(&s, &sb);
	assert_string_equal(sb_str(&sb), canonical);
	sb_free(&sb);
}

static void test_port_set(void **state)
{
	static const char *const bad[] = {
		"5-1", "70000", "65536", ",", "1,", ",1", "1,,2", "1-", "-1", "1-2-3", "a",
		"1 ,2", "1, 2", "0x10", "1-70000", "+1",
	};
	struct tw_port_set s;
	struct strbuf sb = STRBUF_INIT;

	expect_ports("", 0, "");
	expect_ports("  \n", 0, "");
	expect_ports("1,2-5", 5, "1-5");
	expect_ports("65535", 1, "65535");
	expect_ports("0", 1, "0");
	expect_ports("0-65535", 65536, "0-65535");
	expect_ports("1-3,2-4,4,10", 5, "1-4,10");
	expect_ports("22,8080,8081,8082", 4, "22,8080-8082");
	expect_ports("9000-9010,8080", 12, "8080,9000-9010");
	expect_ports("  8080,9000\n", 2, "8080,9000");
	expect_ports("65534-65535,0-1", 4, "0-1,65534-65535");

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (port_set_parse(bad[i], &s) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);

	assert_int_equal(port_set_parse("1,2-5,100", &s), 0);
	assert_true(port_set_has(&s, 1));
	assert_true(port_set_has(&s, 5));
	assert_false(port_set_has(&s, 0));
	assert_false(port_set_has(&s, 6));
	assert_int_equal(port_set_count_in(&s, 2, 4), 3);
	assert_int_equal(port_set_count_in(&s, 0, 65535), 6);
	assert_int_equal(port_set_count_in(&s, 6, 99), 0);
	assert_int_equal(port_set_count_in(&s, 100, 100), 1);

	port_set_clear(&s);
	port_set_add(&s, 65535);
	port_set_add_range(&s, 65530, 65535);
	assert_int_equal(port_set_count_in(&s, 65535, 65535), 1);
	assert_int_equal(port_set_count(&s), 6);
	port_set_format(&s, &sb);
	assert_string_equal(sb_str(&sb), "65530-65535");
	sb_free(&sb);

	/* Word-at-a-time counting and ranges against one port at a time, on
	 * ranges that start and end inside, on and across 64-port words. */
	{
		static const uint16_t edges[] = { 0, 1, 62, 63, 64, 65, 127, 128, 1000,
						  32767, 32768, 65471, 65472, 65534, 65535 };
		const size_t ne = sizeof(edges) / sizeof(edges[0]);
		struct tw_port_set r;
		uint32_t seed = 7;

		port_set_clear(&s);
		for (unsigned i = 0; i < 9000; i++) {
			seed = seed * 1103515245u + 12345u;
			port_set_add(&s, (uint16_t)(seed >> 8));
		}
		for (size_t a = 0; a < ne; a++)
			for (size_t b = 0; b < ne; b++) {
				uint16_t lo = edges[a], hi = edges[b];
				size_t want = 0;

				for (uint32_t p = lo; p <= hi; p++)
					want += port_set_has(&s, (uint16_t)p);
				assert_int_equal(port_set_count_in(&s, lo, hi), want);
				port_set_clear(&r);
				port_set_add_range(&r, lo, hi);
				assert_int_equal(port_set_count(&r), lo <= hi ? hi - lo + 1u : 0u);
				assert_int_equal(port_set_count_in(&r, lo, hi), lo <= hi ? hi - lo + 1u : 0u);
				if (lo > 0)
					assert_false(port_set_has(&r, (uint16_t)(lo - 1)));
				if (hi < 65535)
					assert_false(port_set_has(&r, (uint16_t)(hi + 1)));
			}
	}

	/* The word-at-a-time count against a bit-by-bit one, across word
	 * boundaries (63/64/65, 127/128) and a pseudo-random set. */
	port_set_clear(&s);
	for (uint32_t p = 0, x = 12345; p < 65536; p++) {
		x = x * 1103515245u + 12345u;
		if ((x >> 16) & 1)
			port_set_add(&s, (uint16_t)p);
	}
	{
		static const uint16_t ends[] = { 0, 1, 62, 63, 64, 65, 127, 128, 1000,
						 32768, 60999, 65471, 65472, 65535 };

		for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
			for (size_t j = i; j < sizeof(ends) / sizeof(ends[0]); j++) {
				size_t naive = 0;

				for (uint32_t p = ends[i]; p <= ends[j]; p++)
					naive += port_set_has(&s, (uint16_t)p);
				if (port_set_count_in(&s, ends[i], ends[j]) != naive)
					fail_msg("count in [%u, %u]: %zu, expected %zu",
						 ends[i], ends[j],
						 port_set_count_in(&s, ends[i], ends[j]), naive);
			}
	}
}

/* ---- src/facts/kernel_version.c ---------------------------------------- */

static void expect_kv(const char *text, unsigned major, unsigned minor, unsigned patch,
		      const char *release)
{
	struct tw_kernel_version v;

	memset(&v, 0, sizeof(v));
	if (kernel_version_parse(text, &v) != 0)
		fail_msg("'%s' refused", text);
	assert_true(v.known);
	assert_int_equal(v.major, major);
	assert_int_equal(v.minor, minor);
	assert_int_equal(v.patch, patch);
	assert_string_equal(v.release, release);
}

static void test_kernel_version(void **state)
{
	static const char *const bad[] = {
		"", "\n", "linux", "6", "6.", "6.x", ".6.1", "0.1", "100.1", "6 .1",
		"6.1\tfoo", "v6.1", "-6.1", "99999999999999999999.1", "6.70000",
		"6.1.0-\xc3\xa9", "\n6.1",
	};
	struct tw_kernel_version v, sentinel;

	expect_kv("3.10.0-1160.el7.x86_64", 3, 10, 0, "3.10.0-1160.el7.x86_64");
	expect_kv("6.18.2-arch1-1", 6, 18, 2, "6.18.2-arch1-1");
	expect_kv("5.15.0-91-generic\n", 5, 15, 0, "5.15.0-91-generic");
	expect_kv("6.1", 6, 1, 0, "6.1");
	expect_kv("4.9.0-19-amd64", 4, 9, 0, "4.9.0-19-amd64");
	expect_kv("  6.1.0 \r\nsecond line", 6, 1, 0, "6.1.0");
	expect_kv("4.10-rc1", 4, 10, 0, "4.10-rc1");
	expect_kv("5.4.0.1", 5, 4, 0, "5.4.0.1");
	expect_kv("6.1.x", 6, 1, 0, "6.1.x");

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&v, 0x5a, sizeof(v));
		sentinel = v;
		if (kernel_version_parse(bad[i], &v) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
		assert_memory_equal(&v, &sentinel, sizeof(v));
	}

	/* Ordering is numeric per component: 4.10 is newer than 4.9. */
	assert_int_equal(kernel_version_parse("4.10.0", &v), 0);
	assert_true(kernel_version_cmp(&v, 4, 9, 0) > 0);
	assert_true(kernel_version_cmp(&v, 4, 9, 300) > 0);
	assert_true(kernel_version_cmp(&v, 4, 10, 0) == 0);
	assert_true(kernel_version_cmp(&v, 4, 10, 1) < 0);
	assert_true(kernel_version_cmp(&v, 5, 0, 0) < 0);
	assert_true(kernel_version_cmp(&v, 3, 99, 99) > 0);
	assert_int_equal(kernel_version_parse("4.9.337", &v), 0);
	assert_true(kernel_version_cmp(&v, 4, 10, 0) < 0);
	assert_true(kernel_version_cmp(&v, 4, 9, 336) > 0);
}

/* ---- src/facts/sysctls.c ----------------------------------------------- */

static void test_sysctls_put_get(void **state)
{
	struct tw_sysctls t = { 0 };
	const struct tw_sysctl_entry *e;

	sysctls_seal(&t);   /* an empty table seals */
	assert_int_equal(t.n, 0);
	assert_null(sysctls_get(&t, "a"));
	sysctls_free(&t);

	/* Before the seal, the later put wins. */
	sysctls_put(&t, "net.ipv4.tcp_tw_reuse", "1");
	sysctls_put(&t, "net.core.somaxconn", "4096");
	sysctls_put(&t, "net.ipv4.tcp_tw_reuse", "2");
	assert_string_equal(sysctls_get(&t, "net.ipv4.tcp_tw_reuse"), "2");
	sysctls_seal(&t);
	assert_int_equal(t.n, 2);
	assert_string_equal(sysctls_get(&t, "net.ipv4.tcp_tw_reuse"), "2");
	assert_string_equal(t.v[0].key, "net.core.somaxconn");   /* sorted */
	assert_string_equal(t.v[1].key, "net.ipv4.tcp_tw_reuse");

	/* After the seal too, and across a second seal. */
	sysctls_put(&t, "net.ipv4.tcp_tw_reuse", "0");
	assert_string_equal(sysctls_get(&t, "net.ipv4.tcp_tw_reuse"), "0");
	sysctls_put(&t, "a.new.key", "x");
	sysctls_put(&t, "net.ipv4.tcp_tw_reuse", "3");
	assert_string_equal(sysctls_get(&t, "net.ipv4.tcp_tw_reuse"), "3");
	sysctls_seal(&t);
	assert_int_equal(t.n, 3);
	assert_string_equal(sysctls_get(&t, "net.ipv4.tcp_tw_reuse"), "3");
	assert_string_equal(sysctls_get(&t, "a.new.key"), "x");
	sysctls_free(&t);

	/* Many duplicates first, so that old insertion numbers are large:
	 * a put after a seal must still win the next seal. */
	for (int i = 0; i < 5; i++)
		sysctls_put(&t, "k", "x");
	sysctls_put(&t, "a", "old");
	sysctls_seal(&t);
	sysctls_put(&t, "b", "1");
	sysctls_put(&t, "a", "new");
	assert_string_equal(sysctls_get(&t, "a"), "new");
	sysctls_seal(&t);
	assert_string_equal(sysctls_get(&t, "a"), "new");
	assert_int_equal(t.n, 3);
	sysctls_free(&t);

	/* Values: whitespace runs fold to one space and are trimmed. */
	sysctls_put(&t, "net.ipv4.ip_local_port_range", "  32768\t60999  ");
	sysctls_put(&t, "net.ipv4.tcp_rmem", "4096\t\t131072\n 6291456\r\n");
	sysctls_put(&t, "kernel.empty", "");
	sysctls_put(&t, "kernel.blank", " \t ");
	assert_string_equal(sysctls_get(&t, "net.ipv4.ip_local_port_range"), "32768 60999");
	assert_string_equal(sysctls_get(&t, "net.ipv4.tcp_rmem"), "4096 131072 6291456");
	assert_string_equal(sysctls_get(&t, "kernel.empty"), "");
	assert_string_equal(sysctls_get(&t, "kernel.blank"), "");

	/* NULL: present but unreadable. */
	sysctls_put(&t, "fs.protected_regular", NULL);
	sysctls_seal(&t);
	assert_true(sysctls_has(&t, "fs.protected_regular"));
	assert_null(sysctls_get(&t, "fs.protected_regular"));
	e = sysctls_find(&t, "fs.protected_regular");
	assert_non_null(e);
	assert_null(e->value);
	assert_false(sysctls_has(&t, "fs.protected"));
	assert_false(sysctls_has(&t, "fs.protected_regular2"));
	/* A readable value may replace an unreadable one, and back. */
	sysctls_put(&t, "fs.protected_regular", "2");
	assert_string_equal(sysctls_get(&t, "fs.protected_regular"), "2");
	sysctls_put(&t, "fs.protected_regular", NULL);
	assert_null(sysctls_get(&t, "fs.protected_regular"));
	assert_true(sysctls_has(&t, "fs.protected_regular"));
	sysctls_free(&t);
	assert_int_equal(t.n, 0);
	assert_null(t.v);
}

static void test_sysctls_get_i64(void **state)
{
	struct tw_sysctls t = { 0 };
	int64_t v = 77;

	sysctls_put(&t, "n", "262144");
	sysctls_put(&t, "neg", "-1");
	sysctls_put(&t, "text", "cubic");
	sysctls_put(&t, "two", "32768 60999");
	sysctls_put(&t, "unreadable", NULL);
	sysctls_seal(&t);

	assert_int_equal(sysctls_get_i64(&t, "n", 0, INT64_MAX, &v), 0);
	assert_true(v == 262144);
	assert_int_equal(sysctls_get_i64(&t, "neg", -1, 1, &v), 0);
	assert_true(v == -1);
	v = 77;
	assert_int_equal(sysctls_get_i64(&t, "absent", 0, 1, &v), -ENOENT);
	assert_int_equal(sysctls_get_i64(&t, "unreadable", 0, 1, &v), -EACCES);
	assert_int_equal(sysctls_get_i64(&t, "text", 0, 1, &v), -EINVAL);
	assert_int_equal(sysctls_get_i64(&t, "two", 0, INT64_MAX, &v), -EINVAL);
	assert_int_equal(sysctls_get_i64(&t, "n", 0, 262143, &v), -ERANGE);
	assert_int_equal(sysctls_get_i64(&t, "neg", 0, 1, &v), -ERANGE);
	assert_true(v == 77);
	sysctls_free(&t);
}

static void expect_key_path(const char *key, const char *path)
{
	char *p = sysctl_key_to_path(key), *k = sysctl_path_to_key(path);

	assert_string_equal(p, path);
	assert_string_equal(k, key);
	free(p);
	free(k);
}

static void test_sysctl_key_path(void **state)
{
	expect_key_path("net.ipv4.tcp_tw_reuse", "net/ipv4/tcp_tw_reuse");
	/* VLAN interface "eth0.100": a dot inside a component. */
	expect_key_path("net.ipv4.conf.eth0/100.rp_filter", "net/ipv4/conf/eth0.100/rp_filter");
	expect_key_path("net.ipv6.conf.bond0/1/2.accept_ra", "net/ipv6/conf/bond0.1.2/accept_ra");
	expect_key_path("kernel", "kernel");
	expect_key_path("", "");
}

/* ---- src/facts/tuples.c ------------------------------------------------ */

static struct tw_sock tw_sock(const char *local, uint16_t lport, const char *remote,
			      uint16_t rport)
{
	struct tw_sock s;

	memset(&s, 0, sizeof(s));
	s.state = TW_TCP_TIME_WAIT;
	s.local = addr(local);
	s.remote = addr(remote);
	s.lport = lport;
	s.rport = rport;
	s.inode_known = true;
	return s;
}

static void test_tuple_side(void **state)
{
	static const struct {
		uint16_t lport, rport;
		enum tw_side side;
	} cases[] = {
		{ 8080, 40000, TW_SIDE_SERVER },   /* local port listens */
		{ 8080, 80, TW_SIDE_SERVER },      /* listens, whatever the peer's port */
		{ 40000, 8080, TW_SIDE_CLIENT },   /* ephemeral local port */
		{ 40000, 40001, TW_SIDE_CLIENT },  /* both ephemeral, no listener */
		{ 40000, 9090, TW_SIDE_CLIENT },
		{ 9090, 40000, TW_SIDE_SERVER },   /* closed listener: local below range, peer in it */
		{ 61000, 40000, TW_SIDE_SERVER },  /* local above range, peer in it */
		{ 9090, 9091, TW_SIDE_CLIENT },    /* neither ephemeral */
		{ 32768, 1024, TW_SIDE_CLIENT },   /* range bounds are inclusive */
		{ 60999, 1024, TW_SIDE_CLIENT },
		{ 1024, 32768, TW_SIDE_SERVER },
		{ 1024, 60999, TW_SIDE_SERVER },
		{ 1024, 61000, TW_SIDE_CLIENT },
		{ 1024, 32767, TW_SIDE_CLIENT },
		{ 45000, 50000, TW_SIDE_SERVER },  /* a listener inside the range */
	};
	struct tw_port_set listening;

	port_set_clear(&listening);
	port_set_add(&listening, 8080);
	port_set_add(&listening, 45000);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tw_sock s = tw_sock("10.0.0.1", cases[i].lport, "10.0.0.2", cases[i].rport);

		if (tuple_side(&s, &listening, 32768, 60999) != cases[i].side)
			fail_msg("case %zu: %u -> %u", i, cases[i].lport, cases[i].rport);
	}
	/* Without listeners only the ranges decide. */
	{
		struct tw_sock s = tw_sock("10.0.0.1", 8080, "10.0.0.2", 40000);

		assert_int_equal(tuple_side(&s, NULL, 32768, 60999), TW_SIDE_SERVER);
		s.rport = 80;
		assert_int_equal(tuple_side(&s, NULL, 32768, 60999), TW_SIDE_CLIENT);
	}
}

/* The sockets of test_aggregate, in a given order. */
static size_t make_sockets(struct tw_sock *v)
{
	size_t n = 0;

	/* Client: 10.0.0.1 -> 10.0.0.2:80 x5, local ports 40000..40004. */
	for (int i = 0; i < 5; i++)
		v[n++] = tw_sock("10.0.0.1", (uint16_t)(40000 + i), "10.0.0.2", 80);
	/* -> 10.0.0.3:80 x3 plain IPv4 and x2 through a dual-stack socket,
	 * reusing the same local ports: one tuple of 5. */
	for (int i = 0; i < 3; i++)
		v[n++] = tw_sock("10.0.0.1", (uint16_t)(40000 + i), "10.0.0.3", 80);
	for (int i = 3; i < 5; i++)
		v[n++] = tw_sock("::ffff:10.0.0.1", (uint16_t)(40000 + i), "::ffff:10.0.0.3", 80);
	/* IPv6 client, one socket. */
	v[n++] = tw_sock("2001:db8::1", 50000, "2001:db8::2", 443);
	/* Server: 10.0.0.1:8080 from 10.0.0.9 x4 and from 10.0.0.8 x2. */
	for (int i = 0; i < 4; i++)
		v[n++] = tw_sock("10.0.0.1", 8080, "10.0.0.9", (uint16_t)(50000 + i));
	for (int i = 0; i < 2; i++)
		v[n++] = tw_sock("10.0.0.1", 8080, "10.0.0.8", (uint16_t)(50000 + i));
	/* Not TIME_WAIT: ignored. */
	v[n] = tw_sock("10.0.0.1", 40000, "10.0.0.2", 80);
	v[n++].state = TW_TCP_ESTABLISHED;
	v[n] = tw_sock("10.0.0.1", 8080, "0.0.0.0", 0);
	v[n++].state = TW_TCP_LISTEN;
	/* A loopback client socket holding an inode. */
	v[n] = tw_sock("127.0.0.1", 41000, "127.0.0.1", 6379);
	v[n++].inode = 42;
	return n;
}

static void expect_tuple(const struct tw_tuple *t, enum tw_side side, const char *local,
			 const char *remote, uint16_t port, uint64_t count)
{
	struct tw_addr l = addr(local), r = addr(remote);

	assert_int_equal(t->side, side);
	assert_true(tw_addr_equal(&t->local, &l));
	assert_true(tw_addr_equal(&t->remote, &r));
	assert_int_equal(t->port, port);
	assert_int_equal(t->count, count);
}

static void aggregate(const struct tw_sock *v, size_t n, bool reverse, struct tw_tw_stats *st)
{
	struct tw_port_set listening;
	struct tw_aggregator *agg;

	port_set_clear(&listening);
	port_set_add(&listening, 8080);
	agg = aggregator_new(&listening, 32768, 60999);
	for (size_t i = 0; i < n; i++)
		aggregator_add(agg, &v[reverse ? n - 1 - i : i]);
	aggregator_finish(agg, st);
}

static void test_aggregate(void **state)
{
	struct tw_sock v[64];
	size_t n = make_sockets(v);
	struct tw_tw_stats st, rev;

	aggregate(v, n, false, &st);
	assert_true(st.known);
	assert_int_equal(st.total, 18);
	assert_int_equal(st.client, 12);
	assert_int_equal(st.server, 6);
	assert_int_equal(st.ipv4, 17);
	assert_int_equal(st.ipv6, 1);
	assert_int_equal(st.loopback, 1);
	assert_int_equal(st.with_inode, 1);
	assert_int_equal(st.tuples_client, 4);
	assert_int_equal(st.tuples_server, 2);
	assert_int_equal(st.server_remote_addrs, 2);

	/* Count descending, ties in key order (10.0.0.2 before 10.0.0.3;
	 * IPv4 keys before IPv6 ones of the same count). */
	assert_int_equal(st.ntop_client, 4);
	expect_tuple(&st.top_client[0], TW_SIDE_CLIENT, "10.0.0.1", "10.0.0.2", 80, 5);
	expect_tuple(&st.top_client[1], TW_SIDE_CLIENT, "10.0.0.1", "10.0.0.3", 80, 5);
	expect_tuple(&st.top_client[2], TW_SIDE_CLIENT, "127.0.0.1", "127.0.0.1", 6379, 1);
	expect_tuple(&st.top_client[3], TW_SIDE_CLIENT, "2001:db8::1", "2001:db8::2", 443, 1);
	assert_int_equal(st.ntop_server, 2);
	expect_tuple(&st.top_server[0], TW_SIDE_SERVER, "10.0.0.1", "10.0.0.9", 8080, 4);
	expect_tuple(&st.top_server[1], TW_SIDE_SERVER, "10.0.0.1", "10.0.0.8", 8080, 2);

	/* Per local address of client sockets. */
	assert_int_equal(st.ntop_local, 3);
	assert_true(tw_addr_equal(&st.top_local[0].local, &(struct tw_addr){ AF_INET, { 10, 0, 0, 1 } }));
	assert_int_equal(st.top_local[0].count, 10);
	assert_int_equal(st.top_local[0].distinct_ports, 5);
	assert_int_equal(st.top_local[0].destinations, 2);
	/* Equal counts: address bytes decide (0x20 of 2001:db8:: before 127). */
	assert_int_equal(st.top_local[1].local.family, AF_INET6);
	assert_int_equal(st.top_local[1].count, 1);
	assert_int_equal(st.top_local[1].destinations, 1);
	assert_true(tw_addr_equal(&st.top_local[2].local, &(struct tw_addr){ AF_INET, { 127, 0, 0, 1 } }));
	assert_int_equal(st.top_local[2].count, 1);
	assert_int_equal(st.top_local[2].distinct_ports, 1);
	assert_int_equal(st.top_local[2].destinations, 1);

	/* The same sockets in another order give the same result. */
	aggregate(v, n, true, &rev);
	assert_int_equal(rev.ntop_client, st.ntop_client);
	assert_memory_equal(rev.top_client, st.top_client, sizeof(st.top_client));
	assert_memory_equal(rev.top_server, st.top_server, sizeof(st.top_server));
	assert_memory_equal(rev.top_local, st.top_local, sizeof(st.top_local));
	assert_int_equal(rev.tuples_client, st.tuples_client);

	/* Nothing fed: known, all zero. */
	aggregate(v, 0, false, &st);
	assert_true(st.known);
	assert_int_equal(st.total, 0);
	assert_int_equal(st.ntop_client, 0);
	assert_int_equal(st.ntop_local, 0);
}

static void test_aggregate_many_tuples(void **state)
{
	struct tw_aggregator *agg = aggregator_new(NULL, 32768, 60999);
	struct tw_tw_stats st;
	struct tw_sock s = tw_sock("10.1.0.1", 40000, "10.2.0.0", 443);

	/* More distinct destinations than TW_TOP_MAX: the table grows, the
	 * top list is capped and ordered. Destination i gets i % 7 + 1 sockets. */
	for (unsigned i = 0; i < 5000; i++) {
		s.remote.a[2] = (uint8_t)(i >> 8);
		s.remote.a[3] = (uint8_t)i;
		for (unsigned k = 0; k <= i % 7; k++) {
			s.lport = (uint16_t)(40000 + k);
			aggregator_add(agg, &s);
		}
	}
	aggregator_finish(agg, &st);
	assert_int_equal(st.tuples_client, 5000);
	assert_int_equal(st.ntop_client, TW_TOP_MAX);
	for (size_t i = 0; i < TW_TOP_MAX; i++)
		assert_int_equal(st.top_client[i].count, 7);
	/* Destinations with 7 sockets are i = 6, 13, 20...: in address order. */
	assert_int_equal(st.top_client[0].remote.a[3], 6);
	assert_int_equal(st.top_client[1].remote.a[3], 13);
	assert_int_equal(st.top_local[0].distinct_ports, 7);
	assert_int_equal(st.top_local[0].destinations, 5000);
}

static void test_aggregate_million(void **state)
{
	struct tw_aggregator *agg = aggregator_new(NULL, 32768, 60999);
	struct tw_tw_stats st;
	struct tw_sock s = tw_sock("10.0.0.1", 32768, "10.0.0.10", 5432);

	/* 1,000,000 sockets toward 3 destinations: 3 counters, not a
	 * million (the aggregator stores nothing per socket). */
	for (unsigned i = 0; i < 1000000; i++) {
		s.remote.a[3] = (uint8_t)(10 + i % 3);
		s.lport = (uint16_t)(32768 + i % 28232);
		aggregator_add(agg, &s);
	}
	aggregator_finish(agg, &st);
	assert_int_equal(st.total, 1000000);
	assert_int_equal(st.client, 1000000);
	assert_int_equal(st.tuples_client, 3);
	assert_int_equal(st.tuples_server, 0);
	assert_int_equal(st.ntop_client, 3);
	assert_int_equal(st.top_client[0].count, 333334);
	assert_int_equal(st.top_client[0].remote.a[3], 10);
	assert_int_equal(st.top_client[1].count, 333333);
	assert_int_equal(st.top_client[1].remote.a[3], 11);
	assert_int_equal(st.top_client[2].count, 333333);
	assert_int_equal(st.top_client[2].remote.a[3], 12);
	assert_int_equal(st.ntop_local, 1);
	assert_int_equal(st.top_local[0].count, 1000000);
	assert_int_equal(st.top_local[0].distinct_ports, 28232);
	assert_int_equal(st.top_local[0].destinations, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_parse_i64),
		cmocka_unit_test(test_parse_num_n),
		cmocka_unit_test(test_strbuf_thousands),
		cmocka_unit_test(test_strbuf_appendf_growth),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_atomic_write_create_replace),
		cmocka_unit_test(test_atomic_write_refuses_symlink),
		cmocka_unit_test(test_atomic_write_failures),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_port_set),
		cmocka_unit_test(test_kernel_version),
		cmocka_unit_test(test_sysctls_put_get),
		cmocka_unit_test(test_sysctls_get_i64),
		cmocka_unit_test(test_sysctl_key_path),
		cmocka_unit_test(test_tuple_side),
		cmocka_unit_test(test_aggregate),
		cmocka_unit_test(test_aggregate_many_tuples),
		cmocka_unit_test(test_aggregate_million),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
