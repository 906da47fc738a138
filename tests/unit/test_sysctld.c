/* SPDX-License-Identifier: MIT */
/* test_sysctld.c: sysctl.d precedence, resolved in temporary roots.
 *
 * Each case of the table builds a fresh root folder (files, symbolic links)
 * under one mkdtemp() folder that the group teardown removes, pass or fail,
 * loads it with sysctld_load() and checks lookups (value, host path, line,
 * shadowed count) and the order of the files read. Separate tests cover
 * warnings, sysctld_overrider() and the pure parser. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
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

/* snprintf() that fails the test instead of truncating. */
#define CHECKED_snprintf(buf, size, ...) \
	assert_in_range(snprintf(buf, size, __VA_ARGS__), 0, (size) - 1)

#include "sysctld/sysctld.h"
#include "sysctld/sysctld_parse.h"

/* A file to create under the root: 'content', or a symbolic link to 'link'. */
struct tfile {
	const char *path;
	const char *content;
	const char *link;
};

/* A lookup and its answer; value NULL: nothing sets the key at boot. */
struct texpect {
	const char *key;
	const char *value;
	const char *file;
	unsigned line;
	size_t nshadowed;
};

#define MAXF 8
struct tcase {
	const char *name;
	struct tfile files[MAXF];
	struct texpect expect[MAXF];
	const char *order[MAXF]; /* sysctld_files(), when given */
};

#define TW "net.ipv4.tcp_tw_reuse"
#define FIN "net.ipv4.tcp_fin_timeout"

static const struct tcase cases[] = {
	{ "same name: /etc beats /run beats /usr/local/lib beats /usr/lib beats /lib",
	  { { "/etc/sysctl.d/50-a.conf", TW " = 1\n", NULL },
	    { "/run/sysctl.d/50-a.conf", TW " = 2\n" FIN " = 9\n", NULL },
	    { "/usr/local/lib/sysctl.d/50-a.conf", TW " = 3\n", NULL },
	    { "/usr/lib/sysctl.d/50-a.conf", TW " = 4\n", NULL },
	    { "/lib/sysctl.d/50-a.conf", TW " = 5\n", NULL } },
	  { { TW, "1", "/etc/sysctl.d/50-a.conf", 1, 0 }, { FIN, NULL, NULL, 0, 0 } },
	  { "/etc/sysctl.d/50-a.conf" } },
	{ "same name: /run beats /usr/local/lib",
	  { { "/run/sysctl.d/50-a.conf", TW " = 2\n", NULL },
	    { "/usr/local/lib/sysctl.d/50-a.conf", TW " = 3\n", NULL },
	    { "/usr/lib/sysctl.d/50-a.conf", TW " = 4\n", NULL },
	    { "/lib/sysctl.d/50-a.conf", TW " = 5\n", NULL } },
	  { { TW, "2", "/run/sysctl.d/50-a.conf", 1, 0 } },
	  { "/run/sysctl.d/50-a.conf" } },
	{ "same name: /usr/local/lib beats /usr/lib",
	  { { "/usr/local/lib/sysctl.d/50-a.conf", TW " = 3\n", NULL },
	    { "/usr/lib/sysctl.d/50-a.conf", TW " = 4\n", NULL },
	    { "/lib/sysctl.d/50-a.conf", TW " = 5\n", NULL } },
	  { { TW, "3", "/usr/local/lib/sysctl.d/50-a.conf", 1, 0 } },
	  { "/usr/local/lib/sysctl.d/50-a.conf" } },
	{ "same name: /usr/lib beats /lib",
	  { { "/usr/lib/sysctl.d/50-a.conf", TW " = 4\n", NULL },
	    { "/lib/sysctl.d/50-a.conf", TW " = 5\n", NULL } },
	  { { TW, "4", "/usr/lib/sysctl.d/50-a.conf", 1, 0 } },
	  { "/usr/lib/sysctl.d/50-a.conf" } },
	{ "sorted by name across folders, later file wins",
	  { { "/usr/lib/sysctl.d/10-a.conf", TW " = 1\n", NULL },
	    { "/etc/sysctl.d/20-b.conf", TW " = 2\n", NULL },
	    { "/run/sysctl.d/30-c.conf", TW " = 3\n", NULL },
	    { "/lib/sysctl.d/05-z.conf", TW " = 0\n", NULL },
	    { "/etc/sysctl.d/README", TW " = 7\n", NULL },
	    { "/etc/sysctl.d/.hidden.conf", TW " = 8\n", NULL } },
	  { { TW, "3", "/run/sysctl.d/30-c.conf", 1, 3 } },
	  { "/lib/sysctl.d/05-z.conf", "/usr/lib/sysctl.d/10-a.conf", "/etc/sysctl.d/20-b.conf",
	    "/run/sysctl.d/30-c.conf" } },
	{ "later line wins, line numbers from 1, comments skipped",
	  { { "/etc/sysctl.d/10-a.conf",
	      "# comment = 5\n; other = 6\n\n   # indented\n" TW " = 0\n" TW "=2\n  " FIN
	      "\t=  30  \n" TW " = 1\n",
	      NULL } },
	  { { TW, "1", "/etc/sysctl.d/10-a.conf", 8, 2 }, { FIN, "30", "/etc/sysctl.d/10-a.conf", 7, 0 },
	    { "comment", NULL, NULL, 0, 0 }, { "other", NULL, NULL, 0, 0 } },
	  { NULL } },
	{ "values: whitespace folded; CRLF and CR end lines",
	  { { "/etc/sysctl.d/10-a.conf",
	      "net.ipv4.ip_local_port_range =  1024 \t 65535 \r\n" TW " = 1\r" FIN " = 5\n", NULL } },
	  { { "net.ipv4.ip_local_port_range", "1024 65535", "/etc/sysctl.d/10-a.conf", 1, 0 },
	    { TW, "1", "/etc/sysctl.d/10-a.conf", 2, 0 },
	    { FIN, "5", "/etc/sysctl.d/10-a.conf", 3, 0 } },
	  { NULL } },
	{ "'/' separators and VLAN names",
	  { { "/etc/sysctl.d/10-a.conf",
	      "net/ipv4/tcp_fin_timeout = 30\nnet/ipv4/conf/eth0.100/rp_filter = 1\n"
	      "net.ipv4.conf.eth1/200.rp_filter = 2\n",
	      NULL } },
	  { { FIN, "30", "/etc/sysctl.d/10-a.conf", 1, 0 },
	    { "net/ipv4/tcp_fin_timeout", "30", "/etc/sysctl.d/10-a.conf", 1, 0 },
	    { "net.ipv4.conf.eth0/100.rp_filter", "1", "/etc/sysctl.d/10-a.conf", 2, 0 },
	    { "net/ipv4/conf/eth1.200/rp_filter", "2", "/etc/sysctl.d/10-a.conf", 3, 0 },
	    { "net.ipv4.conf.eth0.rp_filter", NULL, NULL, 0, 0 } },
	  { NULL } },
	{ "globs: match one component; explicit beats glob in any order; last glob wins",
	  { { "/usr/lib/sysctl.d/50-default.conf",
	      "net.ipv4.conf.default.rp_filter = 2\nnet.ipv4.conf.*.rp_filter = 2\n"
	      "-net.ipv4.conf.all.rp_filter\nnet.ipv4.conf.lo.rp_filter = 0\n",
	      NULL },
	    { "/etc/sysctl.d/60-glob.conf", "net.ipv4.conf.eth?.rp_filter = 1\n", NULL },
	    { "/etc/sysctl.d/70-late.conf", "net.ipv4.conf.*.rp_filter = 2\n", NULL } },
	  { { "net.ipv4.conf.eth0.rp_filter", "1", "/etc/sysctl.d/60-glob.conf", 1, 2 },
	    { "net.ipv4.conf.ens3.rp_filter", "2", "/etc/sysctl.d/70-late.conf", 1, 1 },
	    { "net.ipv4.conf.lo.rp_filter", "0", "/usr/lib/sysctl.d/50-default.conf", 4, 2 },
	    { "net.ipv4.conf.all.rp_filter", NULL, NULL, 0, 2 },
	    { "net.ipv4.conf.default.rp_filter", "2", "/usr/lib/sysctl.d/50-default.conf", 1, 2 },
	    { "net.ipv4.conf.eth0.accept_redirects", NULL, NULL, 0, 0 },
	    { "net.ipv6.conf.eth0.rp_filter", NULL, NULL, 0, 0 } },
	  { NULL } },
	{ "'-' prefix: ignore failure, same key",
	  { { "/etc/sysctl.d/10-a.conf", "-" TW " = 1\n- " FIN " = 7\n", NULL } },
	  { { TW, "1", "/etc/sysctl.d/10-a.conf", 1, 0 }, { FIN, "7", "/etc/sysctl.d/10-a.conf", 2, 0 } },
	  { NULL } },
	{ "/dev/null masks the same name; an empty file too",
	  { { "/etc/sysctl.d/50-a.conf", NULL, "/dev/null" },
	    { "/usr/lib/sysctl.d/50-a.conf", TW " = 1\n", NULL },
	    { "/run/sysctl.d/60-b.conf", NULL, "../../dev/null" },
	    { "/usr/lib/sysctl.d/60-b.conf", FIN " = 1\n", NULL },
	    { "/etc/sysctl.d/70-c.conf", "", NULL },
	    { "/lib/sysctl.d/70-c.conf", "net.core.somaxconn = 1\n", NULL },
	    { "/usr/lib/sysctl.d/80-d.conf", "net.core.somaxconn = 4096\n", NULL } },
	  { { TW, NULL, NULL, 0, 0 }, { FIN, NULL, NULL, 0, 0 },
	    { "net.core.somaxconn", "4096", "/usr/lib/sysctl.d/80-d.conf", 1, 0 } },
	  { "/usr/lib/sysctl.d/80-d.conf" } },
	{ "/etc/sysctl.conf is read last",
	  { { "/etc/sysctl.conf", TW " = 9\n", NULL },
	    { "/etc/sysctl.d/99-zz.conf", TW " = 1\n" FIN " = 3\n", NULL } },
	  { { TW, "9", "/etc/sysctl.conf", 1, 1 }, { FIN, "3", "/etc/sysctl.d/99-zz.conf", 2, 0 } },
	  { "/etc/sysctl.d/99-zz.conf", "/etc/sysctl.conf" } },
	{ "99-sysctl.conf -> ../sysctl.conf: read once, at its place, under its path",
	  { { "/etc/sysctl.conf", "# Debian\n" TW " = 9\n" FIN " = 4\n", NULL },
	    { "/etc/sysctl.d/99-sysctl.conf", NULL, "../sysctl.conf" },
	    { "/etc/sysctl.d/99-zz.conf", TW " = 1\n", NULL } },
	  { { TW, "1", "/etc/sysctl.d/99-zz.conf", 1, 1 },
	    { FIN, "4", "/etc/sysctl.d/99-sysctl.conf", 3, 0 } },
	  { "/etc/sysctl.d/99-sysctl.conf", "/etc/sysctl.d/99-zz.conf" } },
	{ "99-sysctl.conf -> /etc/sysctl.conf (absolute) stays inside the root",
	  { { "/etc/sysctl.conf", TW " = 9\n", NULL },
	    { "/etc/sysctl.d/99-sysctl.conf", NULL, "/etc/sysctl.conf" } },
	  { { TW, "9", "/etc/sysctl.d/99-sysctl.conf", 1, 0 } },
	  { "/etc/sysctl.d/99-sysctl.conf" } },
	{ "folders may be links (merged /usr)",
	  { { "/usr/lib/sysctl.d/10-a.conf", TW " = 1\n", NULL }, { "/lib", NULL, "usr/lib" } },
	  { { TW, "1", "/usr/lib/sysctl.d/10-a.conf", 1, 0 } },
	  { "/usr/lib/sysctl.d/10-a.conf" } },
	{ "no configuration at all", { { NULL, NULL, NULL } }, { { TW, NULL, NULL, 0, 0 } }, { NULL } },
};

struct fixture {
	char base[PATH_MAX];
	unsigned seq;
};

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int group_setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	strcpy(fx->base, "/tmp/twadvise-test-sysctld-XXXXXX");
	if (!mkdtemp(fx->base)) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int group_teardown(void **state)
{
	struct fixture *fx = *state;

	nftw(fx->base, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

static void mkdirs(const char *path)
{
	char buf[PATH_MAX], *p;

	CHECKED_snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
}

static void put_file(const char *root, const char *host_path, const char *content, const char *link)
{
	char path[PATH_MAX];

	CHECKED_snprintf(path, sizeof(path), "%s%s", root, host_path);
	mkdirs(path);
	if (link) {
		assert_int_equal(symlink(link, path), 0);
	} else {
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs(content, f);
		assert_int_equal(fclose(f), 0);
	}
}

/* A fresh, empty root folder for one case. */
static void new_root(struct fixture *fx, char *root, size_t size)
{
	CHECKED_snprintf(root, size, "%s/root-%u", fx->base, fx->seq++);
	assert_int_equal(mkdir(root, 0755), 0);
}

static struct tw_sysctld *load(const char *root)
{
	struct tw_sysctld *c = NULL;
	struct tw_error err = { "" };
	int r = sysctld_load(root, &c, &err);

	if (r < 0)
		fail_msg("sysctld_load(%s): %d %s", root, r, err.msg);
	assert_non_null(c);
	return c;
}

static void check_expect(const struct tcase *tc, const struct tw_sysctld *c, const struct texpect *x)
{
	const struct tw_sysctld_assign *const *sh = NULL;
	const struct tw_sysctld_assign *a;
	size_t nsh = 99, i;

	a = sysctld_lookup(c, x->key, &sh, &nsh);
	if (!x->value) {
		if (a)
			fail_msg("%s: %s: want unset, got %s from %s:%u", tc->name, x->key, a->value,
				 a->file, a->line);
	} else {
		if (!a)
			fail_msg("%s: %s: want %s, got unset", tc->name, x->key, x->value);
		if (strcmp(a->value, x->value) != 0 || strcmp(a->file, x->file) != 0 ||
		    a->line != x->line)
			fail_msg("%s: %s: want %s at %s:%u, got %s at %s:%u", tc->name, x->key,
				 x->value, x->file, x->line, a->value, a->file, a->line);
	}
	if (nsh != x->nshadowed)
		fail_msg("%s: %s: want %zu shadowed, got %zu", tc->name, x->key, x->nshadowed, nsh);
	for (i = 1; i < nsh; i++)
		assert_true(sh[i - 1] != sh[i]);
	/* The same question twice gives the same arrays. */
	{
		const struct tw_sysctld_assign *const *sh2 = NULL;
		size_t nsh2 = 0;

		assert_ptr_equal(sysctld_lookup(c, x->key, &sh2, &nsh2), a);
		assert_int_equal(nsh2, nsh);
		assert_ptr_equal(sh2, sh);
		assert_ptr_equal(sysctld_lookup(c, x->key, NULL, NULL), a);
	}
}

static void test_table(void **state)
{
	struct fixture *fx = *state;
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *tc = &cases[i];
		char root[PATH_MAX];
		struct tw_sysctld *c;

		new_root(fx, root, sizeof(root));
		for (j = 0; j < MAXF && tc->files[j].path; j++)
			put_file(root, tc->files[j].path, tc->files[j].content, tc->files[j].link);
		c = load(root);
		for (j = 0; j < MAXF && tc->expect[j].key; j++)
			check_expect(tc, c, &tc->expect[j]);
		if (tc->order[0]) {
			const char *const *files;
			size_t n = sysctld_files(c, &files), want = 0;

			while (want < MAXF && tc->order[want])
				want++;
			if (n != want)
				fail_msg("%s: want %zu files, got %zu", tc->name, want, n);
			for (j = 0; j < n; j++)
				if (strcmp(files[j], tc->order[j]) != 0)
					fail_msg("%s: file %zu: want %s, got %s", tc->name, j,
						 tc->order[j], files[j]);
		}
		sysctld_free(c);
	}
}

/* A root with a trailing slash gives the same host paths. */
static void test_root_spelling(void **state)
{
	struct fixture *fx = *state;
	char root[PATH_MAX], slash[PATH_MAX + 2];
	const struct tw_sysctld_assign *a;
	struct tw_sysctld *c;

	new_root(fx, root, sizeof(root));
	put_file(root, "/etc/sysctl.d/10-a.conf", TW " = 1\n", NULL);
	CHECKED_snprintf(slash, sizeof(slash), "%s//", root);
	c = load(slash);
	a = sysctld_lookup(c, TW, NULL, NULL);
	assert_non_null(a);
	assert_string_equal(a->file, "/etc/sysctl.d/10-a.conf");
	assert_string_equal(a->key, TW);
	assert_false(a->ignore_failure);
	sysctld_free(c);
}

static void test_missing_root(void **state)
{
	struct fixture *fx = *state;
	char root[PATH_MAX + 16];
	struct tw_sysctld *c = (struct tw_sysctld *)&c; /* untouched on failure */
	struct tw_error err = { "" };

	CHECKED_snprintf(root, sizeof(root), "%s/nope", fx->base);
	assert_int_equal(sysctld_load(root, &c, &err), -ENOENT);
	assert_ptr_equal(c, (struct tw_sysctld *)&c);
	assert_non_null(strstr(err.msg, "nope"));
}

static bool has_warning(const struct tw_sysctld *c, const char *needle)
{
	const char *const *w;
	size_t n = sysctld_warnings(c, &w), i;

	for (i = 0; i < n; i++)
		if (strstr(w[i], needle))
			return true;
	return false;
}

static void test_warnings(void **state)
{
	struct fixture *fx = *state;
	char root[PATH_MAX], path[PATH_MAX + 64];
	struct tw_sysctld *c;
	const struct tw_sysctld_assign *a;
	const char *const *files;
	FILE *f;
	int i;

	new_root(fx, root, sizeof(root));
	put_file(root, "/etc/sysctl.d/10-a.conf", "# ok\nnot an assignment\n" TW " = 1\n", NULL);
	put_file(root, "/etc/sysctl.d/20-dangling.conf", NULL, "/nowhere/x.conf");
	put_file(root, "/usr/lib/sysctl.d/20-dangling.conf", FIN " = 5\n", NULL);
	put_file(root, "/etc/sysctl.d/30-loop.conf", NULL, "30-loop.conf");
	put_file(root, "/etc/sysctl.d/40-big.conf", "", NULL);
	CHECKED_snprintf(path, sizeof(path), "%s/etc/sysctl.d/40-big.conf", root);
	f = fopen(path, "w");
	assert_non_null(f);
	for (i = 0; i < 70000; i++)
		fputs("net.core.somaxconn = 4096\n", f);
	assert_int_equal(fclose(f), 0);
	CHECKED_snprintf(path, sizeof(path), "%s/etc/sysctl.d/50-dir.conf", root);
	mkdirs(path);
	assert_int_equal(mkdir(path, 0755), 0);

	c = load(root);
	assert_true(has_warning(c, "/etc/sysctl.d/10-a.conf:2: line is not an assignment"));
	assert_true(has_warning(c, "/etc/sysctl.d/20-dangling.conf: dangling"));
	assert_true(has_warning(c, "/etc/sysctl.d/30-loop.conf:"));
	assert_true(has_warning(c, "/etc/sysctl.d/40-big.conf: larger than 1 MiB"));
	assert_true(has_warning(c, "/etc/sysctl.d/50-dir.conf: not a regular file"));
	assert_false(has_warning(c, root));
	a = sysctld_lookup(c, TW, NULL, NULL);
	assert_non_null(a);
	assert_int_equal(a->line, 3);
	/* A dangling link hides nothing, as in conf-files.c. */
	a = sysctld_lookup(c, FIN, NULL, NULL);
	assert_non_null(a);
	assert_string_equal(a->file, "/usr/lib/sysctl.d/20-dangling.conf");
	assert_null(sysctld_lookup(c, "net.core.somaxconn", NULL, NULL));
	assert_int_equal(sysctld_files(c, &files), 2);
	sysctld_free(c);
}

static void test_unreadable(void **state)
{
	struct fixture *fx = *state;
	char root[PATH_MAX], path[PATH_MAX + 64];
	struct tw_sysctld *c;

	if (geteuid() == 0)
		skip(); /* root reads mode 000 files */
	new_root(fx, root, sizeof(root));
	put_file(root, "/etc/sysctl.d/10-a.conf", TW " = 1\n", NULL);
	put_file(root, "/usr/lib/sysctl.d/10-a.conf", TW " = 2\n", NULL);
	CHECKED_snprintf(path, sizeof(path), "%s/etc/sysctl.d/10-a.conf", root);
	assert_int_equal(chmod(path, 0), 0);
	c = load(root);
	assert_true(has_warning(c, "/etc/sysctl.d/10-a.conf: Permission denied"));
	/* It still hides the vendor file of the same name. */
	assert_null(sysctld_lookup(c, TW, NULL, NULL));
	sysctld_free(c);
}

struct toverride {
	const char *key;
	const char *own;
	const char *file; /* NULL: nothing overrides */
	unsigned line;
};

static void test_overrider(void **state)
{
	static const struct toverride table[] = {
		{ TW, "/etc/sysctl.d/60-twadvise.conf", "/etc/sysctl.d/99-foo.conf", 1 },
		{ FIN, "/etc/sysctl.d/60-twadvise.conf", "/etc/sysctl.conf", 2 },
		{ "net.core.somaxconn", "/etc/sysctl.d/60-twadvise.conf", NULL, 0 },
		{ "net.ipv4.conf.eth0.rp_filter", "/etc/sysctl.d/60-twadvise.conf", NULL, 0 },
		{ TW, "/etc/sysctl.d/99-zzz.conf", "/etc/sysctl.conf", 1 },
		{ TW, "/etc/sysctl.conf", NULL, 0 },
		{ TW, "/usr/lib/sysctl.d/99-foo.conf", "/etc/sysctl.d/99-foo.conf", 1 },
		{ TW, "/etc/sysctl.d/99-foo.conf", "/etc/sysctl.conf", 1 },
		{ TW, "/tmp/60-twadvise.conf", NULL, 0 },
		/* /etc's file of the same name hides a fragment in /run: it applies instead. */
		{ "net/ipv4/tcp_tw_reuse", "/run/sysctl.d/60-twadvise.conf", "/etc/sysctl.d/60-twadvise.conf", 1 },
		{ "net.core.somaxconn", "/run/sysctl.d/60-twadvise.conf", "/etc/sysctl.d/60-twadvise.conf", 2 },
		{ "net.core.somaxconn", "/run/sysctl.d/70-x.conf", NULL, 0 },
	};
	struct fixture *fx = *state;
	char root[PATH_MAX];
	struct tw_sysctld *c;
	size_t i;

	new_root(fx, root, sizeof(root));
	put_file(root, "/usr/lib/sysctl.d/10-foo.conf",
		 TW " = 0\nnet.core.somaxconn = 1\n" FIN " = 60\n", NULL);
	put_file(root, "/etc/sysctl.d/60-twadvise.conf", TW " = 1\nnet.core.somaxconn = 2\n", NULL);
	put_file(root, "/etc/sysctl.d/99-foo.conf", TW " = 2\nnet.ipv4.conf.*.rp_filter = 1\n", NULL);
	put_file(root, "/etc/sysctl.conf", TW " = 3\n" FIN " = 30\n", NULL);
	c = load(root);
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct tw_sysctld_assign *a = sysctld_overrider(c, table[i].key, table[i].own);

		if (!table[i].file) {
			if (a)
				fail_msg("%s in %s: want no overrider, got %s:%u", table[i].key,
					 table[i].own, a->file, a->line);
			continue;
		}
		if (!a || strcmp(a->file, table[i].file) != 0 || a->line != table[i].line)
			fail_msg("%s in %s: want %s:%u, got %s:%u", table[i].key, table[i].own,
				 table[i].file, table[i].line, a ? a->file : "none", a ? a->line : 0);
	}
	sysctld_free(c);

	/* vs 10-foo.conf only: the fragment comes later, nothing overrides. */
	new_root(fx, root, sizeof(root));
	put_file(root, "/usr/lib/sysctl.d/10-foo.conf", TW " = 0\n", NULL);
	c = load(root);
	assert_null(sysctld_overrider(c, TW, "/etc/sysctl.d/60-twadvise.conf"));
	assert_non_null(sysctld_overrider(c, TW, "/etc/sysctl.d/05-early.conf"));
	sysctld_free(c);

	/* Debian: /etc/sysctl.conf seen through 99-sysctl.conf overrides 60-. */
	new_root(fx, root, sizeof(root));
	put_file(root, "/etc/sysctl.conf", "\n" TW " = 3\n", NULL);
	put_file(root, "/etc/sysctl.d/99-sysctl.conf", NULL, "../sysctl.conf");
	c = load(root);
	{
		const struct tw_sysctld_assign *a =
			sysctld_overrider(c, TW, "/etc/sysctl.d/60-twadvise.conf");

		assert_non_null(a);
		assert_string_equal(a->file, "/etc/sysctl.d/99-sysctl.conf");
		assert_int_equal(a->line, 2);
		assert_null(sysctld_overrider(c, TW, "/etc/sysctl.d/99-zz.conf"));
	}
	sysctld_free(c);

	/* A mask of the fragment's name in /etc: the fragment never applies. */
	new_root(fx, root, sizeof(root));
	put_file(root, "/etc/sysctl.d/60-twadvise.conf", NULL, "/dev/null");
	put_file(root, "/etc/sysctl.d/99-foo.conf", TW " = 2\n", NULL);
	c = load(root);
	assert_null(sysctld_overrider(c, TW, "/usr/lib/sysctl.d/60-twadvise.conf"));
	assert_non_null(sysctld_overrider(c, TW, "/etc/sysctl.d/60-twadvise.conf"));
	sysctld_free(c);
}

/* The pure parser: NUL ends a line, odd input never crashes. */
static void test_parse(void **state)
{
	static const char buf[] = "a.b = 1\0c.d = 2\n=\n-\n-x.y = \nglob.*.[ = 3\n\xff\xfe = 4";
	struct tw_sysctld *c = sysctld_new();
	const struct tw_sysctld_assign *a;
	const char *const *w;
	char *k;

	(void)state;
	assert_int_equal(sysctld_parse_file(c, "/run/sysctl.d/x.conf", buf, sizeof(buf) - 1), 0);
	a = sysctld_lookup(c, "a.b", NULL, NULL);
	assert_non_null(a);
	assert_string_equal(a->value, "1");
	a = sysctld_lookup(c, "c/d", NULL, NULL);
	assert_non_null(a);
	assert_int_equal(a->line, 2);
	a = sysctld_lookup(c, "x.y", NULL, NULL);
	assert_non_null(a);
	assert_string_equal(a->value, "");
	assert_true(a->ignore_failure);
	assert_int_equal(sysctld_warnings(c, &w), 2); /* "=" and "-": empty keys */
	assert_null(sysctld_overrider(c, "a.b", "/etc/sysctl.d/x.conf"));
	sysctld_free(c);
	sysctld_free(NULL);

	k = sysctld_key_canonical("net.ipv4.conf.eth0/100.rp_filter");
	assert_string_equal(k, "net/ipv4/conf/eth0.100/rp_filter");
	free(k);
	k = sysctld_key_canonical("/net//ipv4/./tcp_tw_reuse/");
	assert_string_equal(k, "net/ipv4/tcp_tw_reuse");
	free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_root_spelling),
		cmocka_unit_test(test_missing_root),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_overrider),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
