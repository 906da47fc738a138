/* SPDX-License-Identifier: MIT */
/* typecheck.c: compile-time resolution and type checking of expressions.
 *
 * Walks the tree once: names and host functions are resolved to ids
 * through struct tw_symbols, built-ins are recognised by name, and every
 * node gets its type. The only implicit conversions are of literals
 * toward versions: a number literal (4.10, 3.10.0) or a string literal
 * ("6.1") becomes a version when the other operand of a comparison, or
 * the other branch of if()/default(), is a version. Everything else must
 * match exactly; errors point at the operator or name concerned. */
#include "expr/ast.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/diag.h"
#include "util/xalloc.h"
#include "util/macros.h"

struct tc {
	const char *src;
	size_t len;
	const struct tw_srcpos *base;
	const struct tw_symbols *syms;
	struct tw_error *err;
};

static const struct {
	const char *name;
	enum tw_builtin id;
} builtins[] = {
	{ "min", B_MIN }, { "max", B_MAX }, { "abs", B_ABS }, { "floor", B_FLOOR },
	{ "ceil", B_CEIL }, { "round", B_ROUND }, { "if", B_IF }, { "known", B_KNOWN },
	{ "default", B_DEFAULT }, { "str", B_STR }, { "thousands", B_THOUSANDS },
	{ "percent", B_PERCENT }, { "version", B_VERSION },
};
#define N_BUILTINS ARRAY_SIZE(builtins)

static enum tw_builtin find_builtin(const char *name)
{
	for (size_t i = 0; i < N_BUILTINS; i++)
		if (strcmp(builtins[i].name, name) == 0)
			return builtins[i].id;
	return B_NONE;
}

static const char *op_name(enum tw_binop op)
{
	static const char *const names[] = {
		[OP_OR] = "||", [OP_AND] = "&&", [OP_EQ] = "==", [OP_NE] = "!=",
		[OP_LT] = "<", [OP_LE] = "<=", [OP_GT] = ">", [OP_GE] = ">=",
		[OP_ADD] = "+", [OP_SUB] = "-", [OP_MUL] = "*", [OP_DIV] = "/",
		[OP_MOD] = "%",
	};
	return names[op];
}

/* ---- "did you mean" ---------------------------------------------------- */

struct suggest {
	const char *want;
	size_t want_len;
	const char *best;     /* points into 'buf' */
	char buf[128];
	size_t best_dist;
};

/* Edit distance, or SIZE_MAX when either string is too long to bother. */
static size_t edit_distance(const char *a, size_t la, const char *b)
{
	size_t lb = strlen(b), row[128];

	if (la >= 128 || lb >= 128)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

static void consider(void *ctx, const char *name)
{
	struct suggest *s = ctx;
	size_t d, limit;

	if (!name)
		return;
	d = edit_distance(s->want, s->want_len, name);
	limit = s->want_len / 3 > 2 ? s->want_len / 3 : 2;
	if (d == 0 || d > limit || d >= s->best_dist || strlen(name) >= sizeof(s->buf))
		return;
	strcpy(s->buf, name);
	s->best = s->buf;
	s->best_dist = d;
}

/* Writes " (did you mean 'x'?)" into 'out' when a close name exists. */
static const char *suggestion(const struct tc *c, const char *name, bool funcs,
			      char *out, size_t size)
{
	struct suggest s = { .want = name, .want_len = strlen(name), .best_dist = (size_t)-1 };

	out[0] = '\0';
	if (funcs)
		for (size_t i = 0; i < N_BUILTINS; i++)
			consider(&s, builtins[i].name);
	if (c->syms && c->syms->each_name)
		c->syms->each_name(c->syms->ctx, funcs, consider, &s);
	if (s.best)
		snprintf(out, size, " (did you mean '%s'?)", s.best);
	return out;
}

/* ---- helpers ------------------------------------------------------------ */

static int fail(const struct tc *c, const struct tw_node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(const struct tc *c, const struct tw_node *n, const char *fmt, ...)
{
	char msg[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return expr_error_at(c->err, c->base, c->src, c->len, n->off, "%s", msg);
}

static bool is_literal(const struct tw_node *n)
{
	return n->kind == N_NUM || n->kind == N_STR;
}

/* Parses a dotted number literal as MAJOR[.MINOR[.PATCH]]. */
static int num_to_version(const struct tc *c, struct tw_node *n)
{
	struct tw_kernel_version v = { .known = true };
	unsigned *parts[3] = { &v.major, &v.minor, &v.patch };
	const char *s = n->text;
	char shown[64];

	if (n->dots > 2)
		return fail(c, n, "version %s has more than 3 parts",
			    expr_printable(n->text, strlen(n->text), shown, sizeof(shown)));
	if (strlen(s) >= sizeof(v.release))
		return fail(c, n, "version literal too long");
	for (int k = 0; k <= n->dots; k++) {
		unsigned long x = 0;

		while (*s >= '0' && *s <= '9') {
			x = x * 10 + (unsigned long)(*s - '0');
			if (x > 65535)
				return fail(c, n, "version part too large in %s",
					    expr_printable(n->text, strlen(n->text), shown, sizeof(shown)));
			s++;
		}
		*parts[k] = (unsigned)x;
		if (*s == '.')
			s++;
	}
	strcpy(v.release, n->text);
	n->ver = v;
	return 0;
}

/* Turns a number or string literal into a version literal. */
static int to_version(const struct tc *c, struct tw_node *n)
{
	char shown[64];

	if (n->kind == N_NUM) {
		if (num_to_version(c, n) < 0)
			return -EINVAL;
	} else {
		if (kernel_version_parse(n->text, &n->ver) < 0)
			return fail(c, n, "\"%s\" is not a kernel version (expected MAJOR.MINOR[.PATCH])",
				    expr_printable(n->text, strlen(n->text), shown, sizeof(shown)));
	}
	n->kind = N_VERSION;
	n->type = TW_T_VERSION;
	return 0;
}

static int check(const struct tc *c, struct tw_node *n);

/* Checks two operands that must agree, converting a literal on one side
 * to a version when the other side is a version. */
static int check_pair(const struct tc *c, struct tw_node *a, struct tw_node *b)
{
	bool la = is_literal(a), lb = is_literal(b);

	if (!la && check(c, a) < 0)
		return -EINVAL;
	if (!lb && check(c, b) < 0)
		return -EINVAL;
	if (!la && lb && a->type == TW_T_VERSION && to_version(c, b) < 0)
		return -EINVAL;
	if (la && !lb && b->type == TW_T_VERSION && to_version(c, a) < 0)
		return -EINVAL;
	if (la && check(c, a) < 0)
		return -EINVAL;
	if (lb && check(c, b) < 0)
		return -EINVAL;
	return 0;
}

static void arg_types(const struct tw_node *n, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n->nargs && o + 16 < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "",
				      tw_type_name(n->args[i]->type));
	if (n->nargs == 0)
		snprintf(buf, size, "no arguments");
}

/* ---- names and calls ---------------------------------------------------- */

static bool host_has_func(const struct tc *c, const char *name)
{
	int id;
	enum tw_type t;
	const char *why = NULL;

	if (find_builtin(name) != B_NONE)
		return true;
	if (!c->syms || !c->syms->lookup_func)
		return false;
	return c->syms->lookup_func(c->syms->ctx, name, 0, NULL, NULL, &id, &t, &why) != -ENOENT;
}

static int check_name(const struct tc *c, struct tw_node *n)
{
	enum tw_type t = TW_T_ANY;
	int id = -1;
	char hint[200];

	if (c->syms && c->syms->lookup_name &&
	    c->syms->lookup_name(c->syms->ctx, n->text, &id, &t) == 0) {
		if (t == TW_T_ANY)
			return fail(c, n, "name '%s' has no concrete type", n->text);
		n->id = id;
		n->type = t;
		return 0;
	}
	if (host_has_func(c, n->text))
		return fail(c, n, "'%s' is a function; call it as %s(...)", n->text, n->text);
	return fail(c, n, "unknown name '%s'%s", n->text,
		    suggestion(c, n->text, false, hint, sizeof(hint)));
}

static int bad_args(const struct tc *c, const struct tw_node *n, const char *why)
{
	char types[160];

	arg_types(n, types, sizeof(types));
	return fail(c, n, "%s() %s (got %s)", n->text, why, types);
}

static int check_builtin(const struct tc *c, struct tw_node *n)
{
	size_t k = n->nargs;

	/* Arity first, so the argument checks below can index freely. */
	const char *arity = NULL;

	switch (n->builtin) {
	case B_MIN: case B_MAX:
		if (k < 1)
			arity = "takes 1 or more num arguments";
		break;
	case B_IF:
		if (k != 3)
			arity = "takes 3 arguments (bool, T, T)";
		break;
	case B_DEFAULT:
		if (k != 2)
			arity = "takes 2 arguments of the same type";
		break;
	case B_KNOWN: case B_STR:
		if (k != 1)
			arity = "takes 1 argument";
		break;
	case B_VERSION:
		if (k != 1)
			arity = "takes 1 str argument";
		break;
	default:
		if (k != 1)
			arity = "takes 1 num argument";
		break;
	}
	if (arity) {
		/* Check the arguments anyway so that their types show. */
		for (size_t i = 0; i < k; i++)
			if (check(c, n->args[i]) < 0)
				return -EINVAL;
		return bad_args(c, n, arity);
	}

	switch (n->builtin) {
	case B_IF:
		if (check(c, n->args[0]) < 0 || check_pair(c, n->args[1], n->args[2]) < 0)
			return -EINVAL;
		if (n->args[0]->type != TW_T_BOOL)
			return fail(c, n, "if() needs a bool condition, got %s",
				    tw_type_name(n->args[0]->type));
		if (n->args[1]->type != n->args[2]->type)
			return fail(c, n, "if() branches have different types: %s and %s",
				    tw_type_name(n->args[1]->type), tw_type_name(n->args[2]->type));
		n->type = n->args[1]->type;
		return 0;
	case B_DEFAULT:
		if (check_pair(c, n->args[0], n->args[1]) < 0)
			return -EINVAL;
		if (n->args[0]->type != n->args[1]->type)
			return fail(c, n, "default() arguments have different types: %s and %s",
				    tw_type_name(n->args[0]->type), tw_type_name(n->args[1]->type));
		n->type = n->args[0]->type;
		return 0;
	default:
		break;
	}
	for (size_t i = 0; i < k; i++)
		if (check(c, n->args[i]) < 0)
			return -EINVAL;
	switch (n->builtin) {
	case B_MIN: case B_MAX:
		for (size_t i = 0; i < k; i++)
			if (n->args[i]->type != TW_T_NUM)
				return bad_args(c, n, "takes 1 or more num arguments");
		n->type = TW_T_NUM;
		return 0;
	case B_ABS: case B_FLOOR: case B_CEIL: case B_ROUND:
		if (n->args[0]->type != TW_T_NUM)
			return bad_args(c, n, "takes 1 num argument");
		n->type = TW_T_NUM;
		return 0;
	case B_KNOWN:
		n->type = TW_T_BOOL;
		return 0;
	case B_STR:
		n->type = TW_T_STR;
		return 0;
	case B_THOUSANDS: case B_PERCENT:
		if (n->args[0]->type != TW_T_NUM)
			return bad_args(c, n, "takes 1 num argument");
		n->type = TW_T_STR;
		return 0;
	case B_VERSION:
		if (n->args[0]->type != TW_T_STR)
			return bad_args(c, n, "takes 1 str argument");
		if (n->args[0]->kind == N_STR) {
			struct tw_kernel_version v;
			char shown[64];

			if (kernel_version_parse(n->args[0]->text, &v) < 0)
				return fail(c, n->args[0],
					    "\"%s\" is not a kernel version (expected MAJOR.MINOR[.PATCH])",
					    expr_printable(n->args[0]->text, strlen(n->args[0]->text),
							   shown, sizeof(shown)));
		}
		n->type = TW_T_VERSION;
		return 0;
	default:
		return fail(c, n, "internal error: unhandled built-in");
	}
}

/* Asks the symbol table about a host function; the argument types and
 * literals live on the heap so that nested calls stay light on stack. */
static int lookup_host_func(const struct tc *c, const struct tw_node *n, int *ret_id,
			    enum tw_type *ret_type, const char **ret_why)
{
	enum tw_type *types;
	const char **lits;
	int r;

	if (!c->syms || !c->syms->lookup_func)
		return -ENOENT;
	types = tw_xcalloc(n->nargs, sizeof(*types));
	lits = tw_xcalloc(n->nargs, sizeof(*lits));
	for (size_t i = 0; i < n->nargs; i++) {
		types[i] = n->args[i]->type;
		lits[i] = n->args[i]->kind == N_STR ? n->args[i]->text : NULL;
	}
	r = c->syms->lookup_func(c->syms->ctx, n->text, n->nargs, types, lits,
				 ret_id, ret_type, ret_why);
	free(types);
	free(lits);
	return r;
}

static int check_call(const struct tc *c, struct tw_node *n)
{
	enum tw_type t = TW_T_ANY;
	const char *why = NULL;
	char hint[200];
	int id = -1, r;

	n->builtin = find_builtin(n->text);
	if (n->builtin != B_NONE)
		return check_builtin(c, n);
	for (size_t i = 0; i < n->nargs; i++)
		if (check(c, n->args[i]) < 0)
			return -EINVAL;
	r = lookup_host_func(c, n, &id, &t, &why);
	if (r == 0) {
		if (t == TW_T_ANY)
			return fail(c, n, "function %s() has no concrete result type", n->text);
		n->id = id;
		n->type = t;
		return 0;
	}
	if (r == -ENOENT) {
		int nid;
		enum tw_type nt;

		if (c->syms && c->syms->lookup_name &&
		    c->syms->lookup_name(c->syms->ctx, n->text, &nid, &nt) == 0)
			return fail(c, n, "'%s' is a name, not a function; drop the '(...)'", n->text);
		return fail(c, n, "unknown function '%s'%s", n->text,
			    suggestion(c, n->text, true, hint, sizeof(hint)));
	}
	return bad_args(c, n, why ? why : "does not accept these arguments");
}

/* ---- operators ---------------------------------------------------------- */

static int check_binary(const struct tc *c, struct tw_node *n)
{
	struct tw_node *a = n->args[0], *b = n->args[1];
	const char *op = op_name(n->op);

	bool cmp = n->op >= OP_EQ && n->op <= OP_GE;

	/* Literals become versions only in comparisons. */
	if (cmp ? check_pair(c, a, b) < 0 : (check(c, a) < 0 || check(c, b) < 0))
		return -EINVAL;
	switch (n->op) {
	case OP_AND: case OP_OR:
		if (a->type != TW_T_BOOL || b->type != TW_T_BOOL)
			return fail(c, n, "'%s' needs bool operands, got %s and %s", op,
				    tw_type_name(a->type), tw_type_name(b->type));
		n->type = TW_T_BOOL;
		return 0;
	case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
		if (a->type != b->type)
			return fail(c, n, "type mismatch: '%s' compares %s with %s", op,
				    tw_type_name(a->type), tw_type_name(b->type));
		if (a->type == TW_T_BOOL && n->op != OP_EQ && n->op != OP_NE)
			return fail(c, n, "'%s' cannot order bools (use == or !=)", op);
		n->type = TW_T_BOOL;
		return 0;
	case OP_ADD:
		if (a->type == TW_T_STR && b->type == TW_T_STR) {
			n->type = TW_T_STR;
			return 0;
		}
		if (a->type != TW_T_NUM || b->type != TW_T_NUM)
			return fail(c, n, "type mismatch: '+' needs two nums or two strs, got %s and %s",
				    tw_type_name(a->type), tw_type_name(b->type));
		n->type = TW_T_NUM;
		return 0;
	default:
		if (a->type != TW_T_NUM || b->type != TW_T_NUM)
			return fail(c, n, "type mismatch: '%s' needs num operands, got %s and %s", op,
				    tw_type_name(a->type), tw_type_name(b->type));
		n->type = TW_T_NUM;
		return 0;
	}
}

static int check(const struct tc *c, struct tw_node *n)
{
	char shown[64];

	switch (n->kind) {
	case N_NUM:
		if (n->dots > 1)
			return fail(c, n, "%s is a version number; compare it with a version (e.g. kernel >= %s)",
				    expr_printable(n->text, strlen(n->text), shown, sizeof(shown)),
				    shown);
		if (!isfinite(n->num))
			return fail(c, n, "number too large");
		n->type = TW_T_NUM;
		return 0;
	case N_STR:
		n->type = TW_T_STR;
		return 0;
	case N_BOOL:
		n->type = TW_T_BOOL;
		return 0;
	case N_VERSION:
		n->type = TW_T_VERSION;
		return 0;
	case N_NAME:
		return check_name(c, n);
	case N_CALL:
		return check_call(c, n);
	case N_NEG:
		if (check(c, n->args[0]) < 0)
			return -EINVAL;
		if (n->args[0]->type != TW_T_NUM)
			return fail(c, n, "'-' needs a num, got %s", tw_type_name(n->args[0]->type));
		n->type = TW_T_NUM;
		return 0;
	case N_NOT:
		if (check(c, n->args[0]) < 0)
			return -EINVAL;
		if (n->args[0]->type != TW_T_BOOL)
			return fail(c, n, "'!' needs a bool, got %s", tw_type_name(n->args[0]->type));
		n->type = TW_T_BOOL;
		return 0;
	case N_BINARY:
		return check_binary(c, n);
	}
	return fail(c, n, "internal error: unknown node");
}

int tw_typecheck(struct tw_node *root, const char *src, size_t len,
		 const struct tw_srcpos *base, const struct tw_symbols *syms,
		 struct tw_error *err)
{
	struct tc c = { src, len, base, syms, err };

	return check(&c, root);
}
