/* SPDX-License-Identifier: MIT */
/* test_expr.c: unit tests of the rule expression language (src/expr).
 *
 * Most cases are triples read from tests/fixtures/expr/triples.txt:
 * expression ;; facts ;; expected, where facts override the defaults of
 * the small symbol table below and expected is the value rendered by
 * tw_value_format() or "ERROR:" plus a substring of the compile error.
 * The cases that need a particular source position, generated input
 * (deep nesting, random bytes) or an environment error are written here. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "expr/expr.h"
#include "util/strbuf.h"

#ifndef TW_FIXTURES
#define TW_FIXTURES "tests/fixtures"
#endif

/* ---- the test facts ------------------------------------------------------ */

struct fact {
	const char *name;
	enum tw_type type;
	const char *init;            /* default value as text, or "unknown" */
};

static const struct fact facts[] = {
	{ "tw.count", TW_T_NUM, "27000" },
	{ "tw.top_client.count", TW_T_NUM, "1200" },
	{ "tw.top_client.remote", TW_T_STR, "10.0.1.20:443" },
	{ "threshold.ratio", TW_T_NUM, "0.956" },
	{ "kernel", TW_T_VERSION, "5.15.0-91-generic" },
	{ "unknown.num", TW_T_NUM, "unknown" },
	{ "unknown.bool", TW_T_BOOL, "unknown" },
	{ "unknown.str", TW_T_STR, "unknown" },
	{ "unknown.version", TW_T_VERSION, "unknown" },
	{ "flag", TW_T_BOOL, "true" },
	{ "off", TW_T_BOOL, "false" },
	{ "name", TW_T_STR, "10.0.1.20" },
	{ "zero", TW_T_NUM, "0" },
};
#define N_FACTS (sizeof(facts) / sizeof(facts[0]))

enum { F_HAS, F_SYSCTL, F_FAIL, F_CONCAT3 };

struct world {
	const char *value[N_FACTS];   /* current value as text */
	int calls;                    /* host function calls made */
};

static int lookup_name(void *ctx, const char *name, int *ret_id, enum tw_type *ret_type)
{
	(void)ctx;
	for (size_t i = 0; i < N_FACTS; i++) {
		if (strcmp(facts[i].name, name) == 0) {
			*ret_id = (int)i;
			*ret_type = facts[i].type;
			return 0;
		}
	}
	return -ENOENT;
}

static bool key_ok(const char *k)
{
	if (!*k)
		return false;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '.' || *k == '_'))
			return false;
	return true;
}

static int lookup_func(void *ctx, const char *name, size_t nargs, const enum tw_type *types,
		       const char *const *lits, int *ret_id, enum tw_type *ret_type,
		       const char **ret_why)
{
	(void)ctx;
	if (strcmp(name, "has") == 0 || strcmp(name, "sysctl") == 0) {
		if (nargs != 1 || types[0] != TW_T_STR) {
			*ret_why = "takes 1 str argument";
			return -EINVAL;
		}
		if (lits[0] && !key_ok(lits[0])) {
			*ret_why = "needs a sysctl key such as \"net.ipv4.tcp_tw_reuse\"";
			return -EINVAL;
		}
		*ret_id = name[0] == 'h' ? F_HAS : F_SYSCTL;
		*ret_type = name[0] == 'h' ? TW_T_BOOL : TW_T_NUM;
		return 0;
	}
	if (strcmp(name, "fail") == 0) {
		if (nargs != 0) {
			*ret_why = "takes no arguments";
			return -EINVAL;
		}
		*ret_id = F_FAIL;
		*ret_type = TW_T_NUM;
		return 0;
	}
	if (strcmp(name, "concat3") == 0) {
		if (nargs != 3) {
			*ret_why = "takes 3 arguments";
			return -EINVAL;
		}
		*ret_id = F_CONCAT3;
		*ret_type = TW_T_STR;
		return 0;
	}
	return -ENOENT;
}

static void each_name(void *ctx, bool funcs, void (*fn)(void *, const char *), void *fn_ctx)
{
	static const char *const funcs_list[] = { "has", "sysctl", "fail", "concat3" };

	(void)ctx;
	if (funcs) {
		for (size_t i = 0; i < 4; i++)
			fn(fn_ctx, funcs_list[i]);
		return;
	}
	for (size_t i = 0; i < N_FACTS; i++)
		fn(fn_ctx, facts[i].name);
}

static const struct tw_symbols syms = {
	.lookup_name = lookup_name,
	.lookup_func = lookup_func,
	.ctx = NULL,
	.each_name = each_name,
};

static int get_name(void *ctx, int id, struct tw_value *ret)
{
	struct world *w = ctx;
	const char *text = w->value[id];

	memset(ret, 0, sizeof(*ret));
	ret->type = facts[id].type;
	if (strcmp(text, "unknown") == 0)
		return 0;
	ret->known = true;
	switch (ret->type) {
	case TW_T_NUM: ret->num = strtod(text, NULL); break;
	case TW_T_BOOL: ret->b = strcmp(text, "true") == 0; break;
	case TW_T_STR: ret->str = strdup(text); break;
	case TW_T_VERSION: assert_int_equal(kernel_version_parse(text, &ret->ver), 0); break;
	default: break;
	}
	return 0;
}

static int call_func(void *ctx, int id, const struct tw_value *args, size_t nargs,
		     struct tw_value *ret)
{
	struct world *w = ctx;

	w->calls++;
	memset(ret, 0, sizeof(*ret));
	switch (id) {
	case F_HAS:
		ret->type = TW_T_BOOL;
		ret->known = true;
		ret->b = strcmp(args[0].str, "net.ipv4.tcp_tw_reuse") == 0 ||
			 strcmp(args[0].str, "net.ipv4.tcp_max_tw_buckets") == 0;
		return 0;
	case F_SYSCTL:
		ret->type = TW_T_NUM;
		if (strcmp(args[0].str, "net.ipv4.tcp_max_tw_buckets") == 0) {
			ret->known = true;
			ret->num = 262144;
		} else if (strcmp(args[0].str, "net.ipv4.tcp_tw_reuse") == 0) {
			ret->known = true;
			ret->num = 2;
		}
		return 0;
	case F_FAIL:
		return -EIO;
	case F_CONCAT3: {
		struct strbuf sb = STRBUF_INIT;

		for (size_t i = 0; i < nargs; i++)
			tw_value_format(&args[i], &sb);
		ret->type = TW_T_STR;
		ret->known = true;
		ret->str = sb_steal(&sb);
		return 0;
	}
	}
	return -EINVAL;
}

static void world_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	for (size_t i = 0; i < N_FACTS; i++)
		w->value[i] = facts[i].init;
}

/* ---- running one case --------------------------------------------------- */

/* Compiles and evaluates 'src' (or renders it as a template) and writes
 * the rendered value or "ERROR:<message>" into 'out'. */
static int run(const char *src, bool is_template, const struct tw_srcpos *pos,
	       struct world *w, struct strbuf *out)
{
	struct tw_env env = { get_name, call_func, w };
	struct tw_error err = { "" };
	int r;

	sb_reset(out);
	if (is_template) {
		struct tw_template *t = NULL;

		r = template_compile(src, pos, &syms, &t, &err);
		if (r < 0) {
			assert_int_equal(r, -EINVAL);
			sb_appendf(out, "ERROR:%s", err.msg);
			return r;
		}
		r = template_render(t, &env, out);
		template_free(t);
		return r;
	} else {
		struct tw_expr *e = NULL;
		struct tw_value v;
		enum tw_type type;

		r = expr_compile(src, pos, &syms, &e, &type, &err);
		if (r < 0) {
			assert_int_equal(r, -EINVAL);
			sb_appendf(out, "ERROR:%s", err.msg);
			return r;
		}
		r = expr_eval(e, &env, &v);
		if (r == 0) {
			assert_int_equal(v.type, type);
			tw_value_format(&v, out);
			tw_value_clear(&v);
		} else {
			sb_appendf(out, "EVAL-ERROR:%d", r);
		}
		expr_free(e);
		return r;
	}
}

static const struct tw_srcpos test_pos = { "t", 1, 1 };

static void expect(const char *src, const char *want)
{
	struct strbuf out = STRBUF_INIT;
	struct world w;

	world_init(&w);
	run(src, false, &test_pos, &w, &out);
	if (strncmp(want, "ERROR:", 6) == 0 ? !strstr(sb_str(&out), want + 6)
					     : strcmp(sb_str(&out), want) != 0) {
		print_error("expression: %s\n  expected: %s\n  got:      %s\n", src, want, sb_str(&out));
		sb_free(&out);
		fail();
	}
	sb_free(&out);
}

/* ---- table-driven cases ------------------------------------------------- */

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	*e = '\0';
	return s;
}

/* Applies "name=value name=value" to 'w'; the strings live in 'buf'. */
static void apply_facts(struct world *w, char *spec, int lineno)
{
	for (char *tok = strtok(spec, " "); tok; tok = strtok(NULL, " ")) {
		char *eq = strchr(tok, '=');
		size_t i;

		if (!eq) {
			print_error("triples.txt:%d: bad fact '%s'\n", lineno, tok);
			fail();
		}
		*eq = '\0';
		for (i = 0; i < N_FACTS; i++)
			if (strcmp(facts[i].name, tok) == 0)
				break;
		if (i == N_FACTS) {
			print_error("triples.txt:%d: no fact '%s'\n", lineno, tok);
			fail();
		}
		w->value[i] = eq + 1;
	}
}

static void test_triples(void **state)
{
	const char *path = TW_FIXTURES "/expr/triples.txt";
	FILE *f = fopen(path, "r");
	char line[4096];
	int lineno = 0, cases = 0, failures = 0;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	if (!f) {
		print_error("cannot open %s\n", path);
		fail();
	}
	while (fgets(line, sizeof(line), f)) {
		char *a, *b, *c, *src, *want;
		bool is_template = false;
		struct world w;
		bool ok;

		lineno++;
		if (line[0] == '#' || trim(line)[0] == '\0')
			continue;
		a = line;
		b = strstr(a, ";;");
		c = b ? strstr(b + 2, ";;") : NULL;
		if (!b || !c) {
			print_error("triples.txt:%d: expected 'expression ;; facts ;; expected'\n", lineno);
			failures++;
			continue;
		}
		*b = '\0';
		*c = '\0';
		src = trim(a);
		want = trim(c + 2);
		if (want[0] == '`' && strlen(want) >= 2 && want[strlen(want) - 1] == '`') {
			want[strlen(want) - 1] = '\0';
			want++;
		}
		if (strncmp(src, "template:", 9) == 0) {
			is_template = true;
			src = trim(src + 9);
			/* a template may need its edge spaces: strip one pair of backquotes */
			if (src[0] == '`' && src[strlen(src) - 1] == '`' && strlen(src) >= 2) {
				src[strlen(src) - 1] = '\0';
				src++;
			}
		}
		world_init(&w);
		if (strcmp(trim(b + 2), "-") != 0)
			apply_facts(&w, trim(b + 2), lineno);
		run(src, is_template, &test_pos, &w, &out);
		if (strncmp(want, "ERROR:", 6) == 0)
			ok = strncmp(sb_str(&out), "ERROR:", 6) == 0 && strstr(sb_str(&out), want + 6);
		else
			ok = strcmp(sb_str(&out), want) == 0;
		if (!ok) {
			print_error("triples.txt:%d: %s\n  expected: %s\n  got:      %s\n",
				    lineno, src, want, sb_str(&out));
			failures++;
		}
		cases++;
	}
	fclose(f);
	sb_free(&out);
	print_message("%d expression triples, %d failed\n", cases, failures);
	assert_true(cases > 100);
	assert_int_equal(failures, 0);
}

/* ---- positions ---------------------------------------------------------- */

static void expect_at(const char *src, bool is_template, const struct tw_srcpos *pos,
		      const char *want_prefix)
{
	struct strbuf out = STRBUF_INIT;
	struct world w;

	world_init(&w);
	run(src, is_template, pos, &w, &out);
	if (strncmp(sb_str(&out), want_prefix, strlen(want_prefix)) != 0) {
		print_error("source: %s\n  expected prefix: %s\n  got: %s\n", src, want_prefix, sb_str(&out));
		sb_free(&out);
		fail();
	}
	sb_free(&out);
}

static void test_positions(void **state)
{
	const struct tw_srcpos at = { "rules/x.yaml", 7, 13 };

	(void)state;
	/* columns count from the expression's first character (col 13) */
	expect_at("tw.count >= \"a\"", false, &at,
		  "ERROR:rules/x.yaml:7:22: type mismatch: '>=' compares num with str");
	expect_at("nosuch", false, &at, "ERROR:rules/x.yaml:7:13: unknown name 'nosuch'");
	expect_at("1 +", false, &at, "ERROR:rules/x.yaml:7:16: expected a value");
	/* later lines of the expression count from column 1 */
	expect_at("kernel >= 4.2\n  && has(\"net.ipv4.tcp_tw_reuse\")\n  && tw.cont > 1", false, &at,
		  "ERROR:rules/x.yaml:9:6: unknown name 'tw.cont' (did you mean 'tw.count'?)");
	expect_at("max(1,\n\t2", false, &at,
		  "ERROR:rules/x.yaml:8:3: expected ',' or ')' after argument 2 of 'max'");
	expect_at("\"abc", false, &at, "ERROR:rules/x.yaml:7:13: unterminated string");
	/* UTF-8 characters count as one column */
	expect_at("\"é\" + 1", false, &at,
		  "ERROR:rules/x.yaml:7:17: type mismatch: '+' needs two nums or two strs, got str and num");
	/* templates: positions inside ${...} point into the template text */
	expect_at("sockets: ${nosuch}", true, &at, "ERROR:rules/x.yaml:7:24: unknown name 'nosuch'");
	expect_at("line one\nline ${1 +} two", true, &at, "ERROR:rules/x.yaml:8:11: expected a value");
	expect_at("a\nb\n  ${tw.count >= 'x'}", true, &at,
		  "ERROR:rules/x.yaml:9:14: type mismatch: '>=' compares num with str");
	expect_at("open ${tw.count", true, &at,
		  "ERROR:rules/x.yaml:7:18: unterminated '${' in template");
	expect_at("x ${ }", true, &at, "ERROR:rules/x.yaml:7:15: empty '${}'");
	/* a NULL position still gives FILE:LINE:COL */
	expect_at("nosuch", false, NULL, "ERROR:<expr>:1:1: unknown name");
}

/* ---- generated input ---------------------------------------------------- */

static char *repeat(const char *head, size_t n, const char *mid, const char *tail, size_t m)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < n; i++)
		sb_append(&sb, head);
	sb_append(&sb, mid);
	for (size_t i = 0; i < m; i++)
		sb_append(&sb, tail);
	return sb_steal(&sb);
}

static void test_deep_nesting(void **state)
{
	static const struct {
		const char *head, *mid, *tail;
		size_t n;
	} cases[] = {
		{ "(", "1", ")", 100000 },
		{ "!", "true", "", 100000 },
		{ "-", "1", "", 100000 },
		{ "abs(", "1", ")", 100000 },
		{ "1+", "1", "", 100000 },
		{ "true && ", "true", "", 100000 },
		{ "if(true, 1, ", "1", ")", 100000 },
		{ "(", "1", "", 100000 },
	};
	char *s;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = repeat(cases[i].head, cases[i].n, cases[i].mid, cases[i].tail,
			   cases[i].tail[0] ? cases[i].n : 0);
		expect(s, "ERROR:nested too deeply");
		free(s);
	}
	/* moderate nesting is fine */
	s = repeat("(", 150, "1", ")", 150);
	expect(s, "1");
	free(s);
	s = repeat("!", 100, "true", "", 0);
	expect(s, "true");
	free(s);
	s = repeat("1+", 150, "1", "", 0);
	expect(s, "151");
	free(s);
	/* many arguments at one level are not nesting */
	s = repeat("1,", 1000, "", "", 0);
	{
		struct strbuf sb = STRBUF_INIT;

		sb_appendf(&sb, "max(%s7)", s);
		expect(sb_str(&sb), "7");
		sb_free(&sb);
	}
	free(s);
}

/* Random bytes and random token soup must never crash; a small in-test
 * fuzz (the real one is tests/fuzz/fuzz_expr.c). */
static void test_random_input(void **state)
{
	static const char *const atoms[] = {
		"(", ")", ",", "!", "-", "+", "*", "/", "%", "&&", "||", "==", "<", ">=",
		"1", "4.10", "3.10.0", "\"6.1\"", "'x'", "true", "kernel", "tw.count",
		"unknown.num", "name", "min(", "if(", "default(", "has(", "sysctl(",
		"\"net.ipv4.tcp_tw_reuse\"", "str(", "${", "}", "$${", " ", "\n", "\"",
		"\\", "0", "percent(", "thousands(", "known(", "version(",
	};
	uint64_t x = 0x9e3779b97f4a7c15ull;
	struct strbuf src = STRBUF_INIT, out = STRBUF_INIT;
	struct world w;
	int compiled = 0;

	(void)state;
	world_init(&w);
	for (int iter = 0; iter < 30000; iter++) {
		size_t n;

		sb_reset(&src);
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		n = x % 12 + 1;
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			if (iter % 3 == 0 && x % 4 == 0) {
				char c = (char)(x >> 24 & 0xff);

				sb_appendc(&src, c ? c : 'a');
			} else {
				sb_append(&src, atoms[(x >> 8) % (sizeof(atoms) / sizeof(atoms[0]))]);
			}
		}
		if (run(sb_str(&src), iter % 2, &test_pos, &w, &out) == 0)
			compiled++;
		else
			assert_true(strncmp(sb_str(&out), "ERROR:t:", 8) == 0 ||
				    strncmp(sb_str(&out), "EVAL-ERROR:", 11) == 0);
	}
	print_message("random inputs: %d of 30000 compiled and evaluated\n", compiled);
	sb_free(&src);
	sb_free(&out);
}

/* ---- evaluation details ------------------------------------------------- */

static void test_env_error(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct world w;

	(void)state;
	world_init(&w);
	assert_int_equal(run("fail() + 1", false, &test_pos, &w, &out), -EIO);
	/* short-circuit: the failing call is never made */
	assert_int_equal(run("false && fail() > 0", false, &test_pos, &w, &out), 0);
	assert_string_equal(sb_str(&out), "false");
	assert_int_equal(run("x ${fail()} y", true, &test_pos, &w, &out), -EIO);
	sb_free(&out);
}

static void test_host_not_called_on_unknown(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct world w;

	(void)state;
	world_init(&w);
	assert_int_equal(run("has(unknown.str)", false, &test_pos, &w, &out), 0);
	assert_string_equal(sb_str(&out), "unknown");
	assert_int_equal(w.calls, 0);
	assert_int_equal(run("has(\"net.ipv4.tcp_tw_reuse\")", false, &test_pos, &w, &out), 0);
	assert_string_equal(sb_str(&out), "true");
	assert_int_equal(w.calls, 1);
	sb_free(&out);
}

static void test_template_known(void **state)
{
	struct tw_env env;
	struct tw_template *t = NULL;
	struct tw_error err = { "" };
	struct strbuf out = STRBUF_INIT;
	struct world w;
	bool all_known = true;

	(void)state;
	world_init(&w);
	env = (struct tw_env){ get_name, call_func, &w };
	assert_int_equal(template_compile("${tw.count} and ${unknown.num}", &test_pos, &syms, &t, &err), 0);
	assert_int_equal(template_render_known(t, &env, &out, &all_known), 0);
	assert_string_equal(sb_str(&out), "27000 and unknown");
	assert_false(all_known);
	sb_reset(&out);
	w.value[5] = "3";   /* unknown.num */
	assert_int_equal(template_render_known(t, &env, &out, &all_known), 0);
	assert_string_equal(sb_str(&out), "27000 and 3");
	assert_true(all_known);
	template_free(t);
	sb_free(&out);
}

static void test_compile_api(void **state)
{
	struct tw_expr *e = NULL;
	struct tw_error err = { "" };
	enum tw_type type = TW_T_ANY;
	struct tw_value v;

	(void)state;
	expr_free(NULL);
	template_free(NULL);
	/* no symbol table: literals only */
	assert_int_equal(expr_compile("1 + 2 * 3", NULL, NULL, &e, &type, &err), 0);
	assert_int_equal(type, TW_T_NUM);
	assert_int_equal(expr_eval(e, NULL, &v), 0);
	assert_true(v.known);
	assert_true(v.num == 7);
	tw_value_clear(&v);
	expr_free(e);
	assert_int_equal(expr_compile("kernel", NULL, NULL, &e, &type, &err), -EINVAL);
	assert_string_equal(err.msg, "<expr>:1:1: unknown name 'kernel'");
	/* names evaluate to unknown without an environment */
	assert_int_equal(expr_compile("kernel >= 4.10", NULL, &syms, &e, &type, &err), 0);
	assert_int_equal(type, TW_T_BOOL);
	assert_int_equal(expr_eval(e, NULL, &v), 0);
	assert_false(v.known);
	expr_free(e);
	assert_string_equal(tw_type_name(TW_T_VERSION), "version");
	assert_string_equal(tw_type_name(TW_T_ANY), "any");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_triples),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_random_input),
		cmocka_unit_test(test_env_error),
		cmocka_unit_test(test_host_not_called_on_unknown),
		cmocka_unit_test(test_template_known),
		cmocka_unit_test(test_compile_api),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
