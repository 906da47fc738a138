/* SPDX-License-Identifier: MIT */
/* test_diff.c: text_unified_diff() against GNU diff.
 *
 * Each case NAME has tests/fixtures/diff/NAME.old and NAME.new and the
 * output `diff -u --label old --label new` printed for them (NAME.diff).
 * The fixtures keep the test independent of the tool; when diff(1) is
 * installed it is also run again to catch stale fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* snprintf() that fails the test instead of truncating. */
#define CHECKED_snprintf(buf, size, ...) \
	assert_in_range(snprintf(buf, size, __VA_ARGS__), 0, (size) - 1)

#include "util/text_diff.h"
#include "util/fileio.h"
#include "util/strbuf.h"

static const char *const cases[] = {
	"equal", "create", "remove", "hunks", "merge", "split",
	"nonl", "nonl2", "nonl3", "fragment", "replace",
};

static char *fixture(const char *name, const char *ext)
{
	char path[4096];
	struct tw_error err;
	char *buf = NULL;

	CHECKED_snprintf(path, sizeof(path), "%s/diff/%s.%s", TW_FIXTURES, name, ext);
	if (tw_read_file(path, 1 << 20, &buf, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	return buf;
}

static char *run_diff_tool(const char *name)
{
	char cmd[8192];
	struct strbuf sb = STRBUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *p;

	CHECKED_snprintf(cmd, sizeof(cmd),
		 "diff -u --label old --label new '%s/diff/%s.old' '%s/diff/%s.new' 2>/dev/null",
		 TW_FIXTURES, name, TW_FIXTURES, name);
	p = popen(cmd, "r");
	if (!p)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		sb_appendn(&sb, chunk, n);
	/* Exit status 0 (same) or 1 (different); anything else: no tool. */
	n = (size_t)pclose(p);
	if (n != 0 && n != 256) {
		sb_free(&sb);
		return NULL;
	}
	return sb_steal(&sb);
}

static void test_fixtures(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *old = fixture(cases[i], "old"), *new = fixture(cases[i], "new");
		char *want = fixture(cases[i], "diff"), *tool;
		struct strbuf out = STRBUF_INIT;

		text_unified_diff("old", old, "new", new, &out);
		if (strcmp(sb_str(&out), want) != 0)
			fail_msg("case %s:\n--- got\n%s--- want\n%s", cases[i], sb_str(&out), want);
		tool = run_diff_tool(cases[i]);
		if (tool && strcmp(tool, want) != 0)
			fail_msg("case %s: fixture is stale, diff(1) now prints:\n%s", cases[i], tool);
		free(tool);
		sb_free(&out);
		free(old);
		free(new);
		free(want);
	}
}

static void test_null_and_names(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	text_unified_diff("a", NULL, "b", NULL, &out);
	assert_string_equal(sb_str(&out), "");
	text_unified_diff("/etc/sysctl.d/60-twadvise.conf", NULL,
			  "/etc/sysctl.d/60-twadvise.conf (proposed)", "x = 1\n", &out);
	assert_string_equal(sb_str(&out), "--- /etc/sysctl.d/60-twadvise.conf\n"
					  "+++ /etc/sysctl.d/60-twadvise.conf (proposed)\n"
					  "@@ -0,0 +1 @@\n"
					  "+x = 1\n");
	sb_free(&out);
}

/* Beyond the line cap the diff is still correct: everything that differs
 * is removed then added. */
static void test_large(void **state)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, out = STRBUF_INIT;
	int i;

	(void)state;
	for (i = 0; i < 25000; i++) {
		sb_appendf(&a, "%d\n", i);
		sb_appendf(&b, "%d\n", i == 12000 ? -1 : i);
	}
	text_unified_diff("old", sb_str(&a), "new", sb_str(&b), &out);
	assert_non_null(strstr(sb_str(&out), "@@ -11998,7 +11998,7 @@\n 11997\n 11998\n 11999\n-12000\n+-1\n"));
	sb_free(&a);
	sb_free(&b);
	sb_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_null_and_names),
		cmocka_unit_test(test_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
