/* SPDX-License-Identifier: MIT */
/* fuzz_expr.c: fuzz target for the rule expression language.
 *
 * Each input is compiled as an expression and as a template against a
 * small symbol table (names of every type, known and unknown, and host
 * functions), then evaluated and rendered. Any crash, sanitizer report or
 * leak is a bug; compile errors must carry "FILE:LINE:COL: ".
 *
 * With clang:  clang -fsanitize=fuzzer,address -D_GNU_SOURCE -DTW_LIBFUZZER -Isrc ...
 * Without it, the standalone main() runs each file (or each file of each
 * folder) named on the command line through the same function. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "expr/expr.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const char *name;
	enum tw_type type;
	bool known;
} names[] = {
	{ "n", TW_T_NUM, true }, { "tw.count", TW_T_NUM, true }, { "zero", TW_T_NUM, true },
	{ "u.num", TW_T_NUM, false }, { "b", TW_T_BOOL, true }, { "u.bool", TW_T_BOOL, false },
	{ "s", TW_T_STR, true }, { "u.str", TW_T_STR, false }, { "kernel", TW_T_VERSION, true },
	{ "u.ver", TW_T_VERSION, false },
};
#define N_NAMES (sizeof(names) / sizeof(names[0]))

static int lookup_name(void *ctx, const char *name, int *ret_id, enum tw_type *ret_type)
{
	for (size_t i = 0; i < N_NAMES; i++) {
		if (strcmp(names[i].name, name) == 0) {
			*ret_id = (int)i;
			*ret_type = names[i].type;
			return 0;
		}
	}
	return -ENOENT;
}

static int lookup_func(void *ctx, const char *name, size_t nargs, const enum tw_type *types,
		       const char *const *lits, int *ret_id, enum tw_type *ret_type,
		       const char **ret_why)
{
	bool sysctl = strcmp(name, "sysctl") == 0;

	if (!sysctl && strcmp(name, "has") != 0)
		return -ENOENT;
	if (nargs != 1 || types[0] != TW_T_STR || (lits[0] && !lits[0][0])) {
		*ret_why = "takes 1 non-empty str argument";
		return -EINVAL;
	}
	*ret_id = sysctl;
	*ret_type = sysctl ? TW_T_NUM : TW_T_BOOL;
	return 0;
}

static void each_name(void *ctx, bool funcs, void (*fn)(void *, const char *), void *fn_ctx)
{
	if (funcs) {
		fn(fn_ctx, "has");
		fn(fn_ctx, "sysctl");
		return;
	}
	for (size_t i = 0; i < N_NAMES; i++)
		fn(fn_ctx, names[i].name);
}

static int get_name(void *ctx, int id, struct tw_value *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->type = names[id].type;
	ret->known = names[id].known;
	if (!ret->known)
		return 0;
	switch (ret->type) {
	case TW_T_NUM: ret->num = id == 2 ? 0 : 27000; break;
	case TW_T_BOOL: ret->b = true; break;
	case TW_T_STR: ret->str = tw_xstrdup("10.0.1.20"); break;
	case TW_T_VERSION: kernel_version_parse("5.15.0-91-generic", &ret->ver); break;
	default: break;
	}
	return 0;
}

static int call_func(void *ctx, int id, const struct tw_value *args, size_t nargs,
		     struct tw_value *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (nargs != 1 || !args[0].known || !args[0].str)
		abort();   /* the evaluator promised known, typed arguments */
	if (id == 1) {
		ret->type = TW_T_NUM;
		ret->known = strlen(args[0].str) % 2 == 0;
		ret->num = 262144;
	} else {
		ret->type = TW_T_BOOL;
		ret->known = true;
		ret->b = strchr(args[0].str, '.') != NULL;
	}
	return 0;
}

static void check_error(const struct tw_error *err)
{
	/* "fuzz:LINE:COL: message" */
	if (strncmp(err->msg, "fuzz:", 5) != 0 || !strstr(err->msg, ": "))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct tw_symbols syms = { .lookup_name = lookup_name, .lookup_func = lookup_func,
					 .ctx = NULL, .each_name = each_name };
	const struct tw_env env = { get_name, call_func, NULL };
	const struct tw_srcpos pos = { "fuzz", 3, 5 };
	char *src = tw_xstrndup((const char *)data, size);
	struct tw_error err = { "" };
	struct tw_expr *e = NULL;
	struct tw_template *t = NULL;
	struct strbuf out = STRBUF_INIT;
	enum tw_type type;

	if (expr_compile(src, &pos, &syms, &e, &type, &err) == 0) {
		struct tw_value v;

		if (expr_eval(e, &env, &v) == 0) {
			if (v.type != type)
				abort();
			tw_value_format(&v, &out);
			tw_value_clear(&v);
		}
		expr_free(e);
	} else {
		check_error(&err);
	}
	if (template_compile(src, &pos, &syms, &t, &err) == 0) {
		bool all_known;

		template_render_known(t, &env, &out, &all_known);
		template_free(t);
	} else {
		check_error(&err);
	}
	sb_free(&out);
	free(src);
	return 0;
}

#ifndef TW_LIBFUZZER
static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	if (!f) {
		perror(path);
		return 1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_appendn(&sb, buf, n);
	fclose(f);
	LLVMFuzzerTestOneInput((const uint8_t *)(sb.buf ? sb.buf : ""), sb.len);
	sb_free(&sb);
	return 0;
}

static int run_path(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (stat(path, &st) < 0) {
		perror(path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	d = opendir(path);
	if (!d) {
		perror(path);
		return 1;
	}
	while ((de = readdir(d))) {
		struct strbuf p = STRBUF_INIT;

		if (de->d_name[0] == '.')
			continue;
		sb_appendf(&p, "%s/%s", path, de->d_name);
		rc |= run_file(sb_str(&p));
		sb_free(&p);
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;

	for (int i = 1; i < argc; i++)
		rc |= run_path(argv[i]);
	return rc;
}
#endif
