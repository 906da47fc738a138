/* SPDX-License-Identifier: MIT */
/* test_core_yaml.c: the position-keeping YAML tree (src/engine/yaml_doc.c)
 * and the acknowledgement file read through it (src/engine/acks.c).
 * Errors are compared whole, "FILE:LINE:COL: message". */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/acks.h"
#include "engine/yaml_doc.h"
#include "util/error.h"
#include "util/strbuf.h"

static int parse(const char *text, struct ydoc *d, struct tw_error *err)
{
	memset(d, 0, sizeof(*d));
	return ydoc_parse("f.yaml", text, strlen(text), d, err);
}

static void expect_error(const char *text, const char *msg)
{
	struct ydoc d;
	struct tw_error err = { "" };

	assert_int_equal(parse(text, &d, &err), -EINVAL);
	assert_string_equal(err.msg, msg);
	assert_null(d.root);
	assert_null(d.file);
}

static void expect_node(const struct ynode *n, enum ynode_type type, int line, int col)
{
	assert_non_null(n);
	assert_int_equal(n->type, type);
	assert_int_equal(n->line, line);
	assert_int_equal(n->col, col);
}

static void test_positions(void **state)
{
	static const char text[] =
		"# a comment\n"
		"a:\n"
		"  b:\n"
		"    - x\n"
		"    - y: 1\n"
		"      z: [2, 'q']\n"
		"c: \"quoted\"\n";
	struct ydoc d;
	struct tw_error err = { "" };
	const struct ynode *a, *b, *item, *z;

	assert_int_equal(parse(text, &d, &err), 0);
	assert_string_equal(d.file, "f.yaml");
	expect_node(d.root, YNODE_MAP, 2, 1);
	assert_int_equal(d.root->n, 2);
	expect_node(d.root->keys[0], YNODE_SCALAR, 2, 1);
	assert_string_equal(d.root->keys[0]->value, "a");
	a = ynode_get(d.root, "a");
	expect_node(a, YNODE_MAP, 3, 3);
	expect_node(a->keys[0], YNODE_SCALAR, 3, 3);
	b = ynode_get(a, "b");
	expect_node(b, YNODE_SEQ, 4, 5);
	assert_int_equal(b->n, 2);
	expect_node(b->items[0], YNODE_SCALAR, 4, 7);
	assert_string_equal(b->items[0]->value, "x");
	assert_false(b->items[0]->quoted);
	item = b->items[1];
	expect_node(item, YNODE_MAP, 5, 7);
	expect_node(item->keys[0], YNODE_SCALAR, 5, 7);
	expect_node(ynode_get(item, "y"), YNODE_SCALAR, 5, 10);
	assert_string_equal(ynode_get(item, "y")->value, "1");
	z = ynode_get(item, "z");
	expect_node(z, YNODE_SEQ, 6, 10);
	expect_node(z->items[0], YNODE_SCALAR, 6, 11);
	expect_node(z->items[1], YNODE_SCALAR, 6, 14);
	assert_string_equal(z->items[1]->value, "q");
	assert_true(z->items[1]->quoted);
	expect_node(ynode_get(d.root, "c"), YNODE_SCALAR, 7, 4);
	assert_string_equal(ynode_get(d.root, "c")->value, "quoted");
	assert_true(ynode_get(d.root, "c")->quoted);
	assert_null(ynode_get(d.root, "missing"));
	assert_null(ynode_get(b, "x"));   /* not a map */
	assert_null(ynode_get(NULL, "x"));
	ydoc_free(&d);
	assert_null(d.root);
	assert_null(d.file);
	ydoc_free(&d);   /* twice is fine */
	ydoc_free(NULL);
}

static void test_errors(void **state)
{
	expect_error("a: 1\nb:\n  c: 2\n  c: 3\n", "f.yaml:4:3: duplicate key 'c'");
	expect_error("a: 1\na: 1\n", "f.yaml:2:1: duplicate key 'a'");
	expect_error("a: &x 1\nb: *x\n", "f.yaml:2:4: aliases are not supported");
	expect_error("a: 1\n---\nb: 2\n", "f.yaml:2:1: only one YAML document per file");
	expect_error("--- 1\n--- 2\n", "f.yaml:2:1: only one YAML document per file");
	expect_error("? [a]\n: 1\n", "f.yaml:1:3: mapping keys must be plain scalars");
	expect_error("a: \"x\\0y\"\n", "f.yaml:1:4: NUL byte in a scalar");
	{
		/* A syntax error from libyaml carries its position too. */
		struct ydoc d;
		struct tw_error err = { "" };

		assert_int_equal(parse("a: [1, 2\n", &d, &err), -EINVAL);
		assert_int_equal(strncmp(err.msg, "f.yaml:2:1: ", 12), 0);
		assert_int_equal(parse("a: b: c\n", &d, &err), -EINVAL);
		assert_int_equal(strncmp(err.msg, "f.yaml:1:5: ", 12), 0);
	}
}

static void test_nesting_limit(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct ydoc d;
	struct tw_error err = { "" };

	/* 65 nested lists parse; deeper ones are refused, not recursed into. */
	for (int i = 0; i < 65; i++)
		sb_appendc(&sb, '[');
	for (int i = 0; i < 65; i++)
		sb_appendc(&sb, ']');
	assert_int_equal(parse(sb_str(&sb), &d, &err), 0);
	ydoc_free(&d);
	sb_reset(&sb);
	for (int i = 0; i < 200; i++)
		sb_appendc(&sb, '[');
	for (int i = 0; i < 200; i++)
		sb_appendc(&sb, ']');
	assert_int_equal(parse(sb_str(&sb), &d, &err), -EINVAL);
	assert_string_equal(err.msg, "f.yaml:1:66: nesting too deep");
	sb_free(&sb);
}

static void test_empty(void **state)
{
	static const char *const empty[] = { "", "\n", "# only a comment\n", "---\n", "--- \n...\n" };
	struct ydoc d;
	struct tw_error err = { "" };

	for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		assert_int_equal(parse(empty[i], &d, &err), 0);
		assert_string_equal(d.file, "f.yaml");
		if (i < 3)
			assert_null(d.root);
		else   /* an explicit empty document: one empty scalar */
			assert_true(d.root == NULL ||
				    (d.root->type == YNODE_SCALAR && d.root->value[0] == '\0'));
		ydoc_free(&d);
	}
}

/* ---- acks -------------------------------------------------------------- */

/* 2026-01-01T12:00:00Z */
#define NOW ((time_t)1767268800)

struct ackfile {
	char path[64];
};

static void ackfile_write(struct ackfile *a, const char *text)
{
	int fd;

	strcpy(a->path, "/tmp/twadvise-acks.XXXXXX");
	fd = mkstemp(a->path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* acks_load() on 'text'; the error with the temporary path replaced by
 * "acks.yaml". */
static int load(const char *text, struct tw_ack_list *l, char *msg, size_t msgsize)
{
	struct ackfile a;
	struct tw_error err = { "" };
	size_t n;
	int r;

	ackfile_write(&a, text);
	r = acks_load(l, a.path, true, NOW, &err);
	unlink(a.path);
	n = strlen(a.path);
	if (r < 0) {
		assert_int_equal(strncmp(err.msg, a.path, n), 0);
		snprintf(msg, msgsize, "acks.yaml%s", err.msg + n);
	}
	return r;
}

static void test_acks_valid(void **state)
{
	static const char text[] =
		"acknowledged:\n"
		"  - id: tw-reuse-port-starved\n"
		"    reason: the pool is being fixed in JIRA-123\n"
		"    expires: 2027-01-31\n"
		"  - id: timestamps-off\n"
		"    reason: old appliance\n"
		"    expires: 2020-01-01\n"
		"  - id: rfc1337\n"
		"    reason: \"fine here\"\n"
		"  - id: ends-today\n"
		"    reason: still valid until 23:59:59 UTC\n"
		"    expires: 2026-01-01\n"
		"  - id: ended-yesterday\n"
		"    reason: expired\n"
		"    expires: 2025-12-31\n";
	struct tw_ack_list l = { 0 };
	char msg[1100] = "";

	acks_add(&l, "from-ignore", NULL);
	assert_int_equal(load(text, &l, msg, sizeof(msg)), 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[0].id, "from-ignore");
	assert_null(l.v[0].reason);
	assert_string_equal(l.v[1].id, "tw-reuse-port-starved");
	assert_string_equal(l.v[1].reason, "the pool is being fixed in JIRA-123");
	assert_string_equal(l.v[2].id, "rfc1337");
	assert_string_equal(l.v[2].reason, "fine here");
	assert_string_equal(l.v[3].id, "ends-today");
	assert_int_equal(l.nexpired, 2);
	assert_string_equal(l.expired[0], "timestamps-off");
	assert_string_equal(l.expired[1], "ended-yesterday");
	acks_free(&l);
	assert_int_equal(l.n, 0);

	/* An empty file and an empty list acknowledge nothing. */
	assert_int_equal(load("", &l, msg, sizeof(msg)), 0);
	assert_int_equal(load("acknowledged: []\n", &l, msg, sizeof(msg)), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.nexpired, 0);
	acks_free(&l);
}

static void expect_acks_error(const char *text, const char *want)
{
	struct tw_ack_list l = { 0 };
	char msg[1100] = "";

	assert_int_equal(load(text, &l, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(msg, want);
	acks_free(&l);
}

static void test_acks_errors(void **state)
{
	expect_acks_error("acknowledged:\n"
			  "  - id: x\n"
			  "    expires: 2027-01-01\n",
			  "acks.yaml:2:5: acknowledgement of 'x' needs a reason");
	expect_acks_error("acknowledged:\n"
			  "  - reason: no id\n",
			  "acks.yaml:2:5: an acknowledgement needs an id");
	expect_acks_error("acknowledged:\n"
			  "  - id: x\n"
			  "    reason: r\n"
			  "    expires: 2027-1-31\n",
			  "acks.yaml:4:14: expires must be a date YYYY-MM-DD");
	expect_acks_error("acknowledged:\n"
			  "  - id: x\n"
			  "    reason: r\n"
			  "    expires: 2027-13-01\n",
			  "acks.yaml:4:14: expires must be a date YYYY-MM-DD");
	expect_acks_error("acknowledged:\n"
			  "  - id: x\n"
			  "    reason: r\n"
			  "    expires: 2027-02-30\n",
			  "acks.yaml:4:14: expires must be a date YYYY-MM-DD");
	expect_acks_error("acknowledged:\n"
			  "  - id: x\n"
			  "    reason: r\n"
			  "    expires: tomorrow\n",
			  "acks.yaml:4:14: expires must be a date YYYY-MM-DD");
	expect_acks_error("acknowledged:\n"
			  "  - id: x\n"
			  "    reason: r\n"
			  "    expires: [2027-01-01]\n",
			  "acks.yaml:4:14: expires must be a date YYYY-MM-DD");
	expect_acks_error("acknowledged: x\n",
			  "acks.yaml:1:15: acknowledged must be a list of {id, reason, expires}");
	expect_acks_error("acknowledged:\n  - id: a\n    id: b\n",
			  "acks.yaml:3:5: duplicate key 'id'");
}

static void test_acks_missing(void **state)
{
	struct tw_ack_list l = { 0 };
	struct tw_error err = { "" };

	/* The default site file is optional... */
	assert_int_equal(acks_load(&l, "/nonexistent/twadvise/acknowledged.yaml", false, NOW, &err),
			 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.nexpired, 0);
	/* ...one named on the command line is not. */
	assert_int_equal(acks_load(&l, "/nonexistent/twadvise/acknowledged.yaml", true, NOW, &err),
			 -ENOENT);
	assert_string_equal(err.msg,
			    "/nonexistent/twadvise/acknowledged.yaml: No such file or directory");
	acks_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_acks_valid),
		cmocka_unit_test(test_acks_errors),
		cmocka_unit_test(test_acks_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
