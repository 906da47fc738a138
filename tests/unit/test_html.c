/* SPDX-License-Identifier: MIT */
/* test_html.c: the pieces of --format html that need no browser
 * (tests/cli/html.sh renders pages in Chromium): escaping, a report
 * document whose keys have the wrong types (as --from-json may read), and
 * the JSON Lines reader's errors. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "render/html.h"
#include "render/html_escape.h"
#include "util/jsonl.h"
#include "util/strbuf.h"

static void test_escape(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	html_text(&sb, "<script>alert(\"x\")</script>'&\x01\n");
	assert_string_equal(sb_str(&sb),
			    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;\xef\xbf\xbd\n");
	sb_reset(&sb);
	html_text(&sb, NULL);
	assert_string_equal(sb_str(&sb), "");
	html_id(&sb, "a b\"<c>-_9");
	assert_string_equal(sb_str(&sb), "a_b__c_-_9");
	sb_free(&sb);
}

/* Every key present but of the wrong type, and hostile strings: the page
 * is made, and no string of the document becomes markup. */
static void test_ill_typed(void **state)
{
	const char *src =
		"{\"twadvise\":1,\"hostname\":\"<b>h</b>\",\"verdict\":\"<i>\",\"summary\":[],"
		"\"time_wait\":{\"top\":[1,null,{\"side\":5,\"local\":\"<x>\",\"ages\":[\"a\",-3,1e300],"
		"\"utilization\":\"u\"},{\"side\":\"server\",\"held\":10,\"utilization\":2}],"
		"\"ports_available\":\"many\",\"port_range\":[1]},"
		"\"findings\":[7,{\"id\":\"<id x='1'>\",\"changes\":[{\"persisted\":{\"file\":\"</pre>\"}}],"
		"\"references\":[\"<a href=x>\",3]}],\"cost\":{\"items\":[null,{\"share\":\"x\"}]},"
		"\"sysctl_d\":\"</pre><script>\"}";
	static const char ill[] = "{\"twadvise\":1,\"findings\":\"none\",\"time_wait\":[]}";
	json_error_t je;
	json_t *docs[2];
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	(void)state;
	/* json_loadb: the function twadvise loads from jansson (dynlib.h). */
	docs[0] = json_loadb(src, strlen(src), 0, &je);
	assert_non_null(docs[0]);
	docs[1] = json_loadb(ill, strlen(ill), 0, &je);
	assert_non_null(docs[1]);
	render_html(docs, 2, &sb);
	p = sb_str(&sb);
	assert_null(strstr(p, "<b>"));
	assert_null(strstr(p, "<x>"));
	assert_null(strstr(p, "<id"));
	assert_null(strstr(p, "</pre><script>"));
	assert_null(strstr(p, "<a href=x"));
	assert_non_null(strstr(p, "&lt;b&gt;h&lt;/b&gt;"));
	/* One script element: the page's own. */
	assert_non_null(strstr(p, "<script>"));
	assert_null(strstr(strstr(p, "<script>") + 1, "<script>"));
	assert_non_null(strstr(p, "</html>\n"));
	json_decref(docs[0]);
	json_decref(docs[1]);
	sb_free(&sb);
}

static char *write_tmp(const char *content)
{
	char *path = strdup("/tmp/twadvise-test-html.XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
	return path;
}

static void test_jsonl(void **state)
{
	struct tw_error err = { "" };
	struct tw_jsonl j = { NULL, 0 };
	char want[256];
	char *path;

	(void)state;
	path = write_tmp("{\"twadvise\":1,\"a\":1}\n\n  \n{\"twadvise\":1}\n");
	assert_int_equal(jsonl_read(path, &j, &err), 0);
	assert_int_equal(j.n, 2);
	jsonl_free(&j);
	jsonl_free(NULL);
	unlink(path);
	free(path);

	path = write_tmp("{\"twadvise\":1}\n\n{\"twadvise\":1,\"x\":[1,}\n");
	assert_int_equal(jsonl_read(path, &j, &err), -EINVAL);
	snprintf(want, sizeof(want), "%s:3:", path);
	assert_non_null(strstr(err.msg, want));
	assert_int_equal(j.n, 0);
	unlink(path);
	free(path);

	path = write_tmp("{\"twadvise\":2}\n");
	assert_int_equal(jsonl_read(path, &j, &err), -EINVAL);
	snprintf(want, sizeof(want), "%s:1:1: not a twadvise report", path);
	assert_non_null(strstr(err.msg, want));
	unlink(path);
	free(path);

	path = write_tmp("\n\n");
	assert_int_equal(jsonl_read(path, &j, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "no report"));
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_ill_typed),
		cmocka_unit_test(test_jsonl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
