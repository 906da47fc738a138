/* SPDX-License-Identifier: MIT */
/* jsonl.c: JSON Lines of reports (see jsonl.h). jansson parses each line
 * on its own, so an error names the file's line, and its column within it. */
#include "util/jsonl.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/fileio.h"
#include "util/lazy.h"
#include "util/xalloc.h"

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* One line: an object that says it is a twadvise report. */
static int parse_line(const char *path, size_t lineno, const char *s, size_t n,
		      json_t **ret, struct tw_error *err)
{
	json_error_t je;
	json_t *doc, *v;

	doc = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		return tw_error_set(err, -EINVAL, "%s:%zu:%d: %s", path, lineno,
				    je.column > 0 ? je.column : 1, je.text);
	v = json_is_object(doc) ? json_object_get(doc, "twadvise") : NULL;
	if (!json_is_object(doc) || !json_is_integer(v) || json_integer_value(v) != 1) {
		json_decref(doc);
		return tw_error_set(err, -EINVAL, "%s:%zu:1: not a twadvise report "
				    "(expected an object with \"twadvise\": 1, as --format json prints)",
				    path, lineno);
	}
	*ret = doc;
	return 0;
}

int jsonl_read(const char *path, struct tw_jsonl *ret, struct tw_error *err)
{
	struct tw_jsonl j = { NULL, 0 };
	char *buf;
	size_t len, lineno = 0;
	int r;

	r = lazy_jansson_load(err);
	if (r < 0)
		return r;
	r = tw_read_regular(path, TW_JSONL_MAX, &buf, &len, err);
	if (r < 0)
		return r;
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		json_t *doc = NULL;

		lineno++;
		if (!blank(buf + pos, end - pos)) {
			r = parse_line(path, lineno, buf + pos, end - pos, &doc, err);
			if (r < 0)
				goto fail;
			j.docs = tw_xrealloc(j.docs, (j.n + 1) * sizeof(*j.docs));
			j.docs[j.n++] = doc;
		}
		pos = end + 1;
	}
	if (j.n == 0) {
		r = tw_error_set(err, -EINVAL, "%s:1:1: no report (expected JSON Lines, "
				 "one --format json report per line)", path);
		goto fail;
	}
	free(buf);
	*ret = j;
	return 0;
fail:
	free(buf);
	jsonl_free(&j);
	return r;
}

void jsonl_free(struct tw_jsonl *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->n; i++)
		json_decref(j->docs[i]);
	free(j->docs);
	j->docs = NULL;
	j->n = 0;
}
