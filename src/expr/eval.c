/* SPDX-License-Identifier: MIT */
/* eval.c: the tree-walking evaluator of compiled expressions.
 *
 * Three-valued (Kleene) logic: a value is known or unknown. Arithmetic,
 * comparisons, built-ins and host calls with an unknown operand are
 * unknown (host functions are not even called then); `false && x` is
 * false and `true || x` is true whatever x is, and x is not evaluated;
 * `!unknown` is unknown; if() with an unknown condition is unknown;
 * known() is never unknown; default(a, b) is b when a is unknown.
 * Numbers are doubles: division or modulo by zero, and any result that is
 * not finite (overflow), is unknown. The tree height is bounded by the
 * parser, so the recursion is too. */
#include "expr/ast.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

static int eval(const struct tw_node *n, const struct tw_env *env, struct tw_value *ret);

static void value_set_num(struct tw_value *ret, double x)
{
	ret->type = TW_T_NUM;
	ret->num = x;
	ret->known = isfinite(x);
}

static void set_bool(struct tw_value *ret, bool b)
{
	ret->type = TW_T_BOOL;
	ret->b = b;
	ret->known = true;
}

static void set_str(struct tw_value *ret, char *s)
{
	ret->type = TW_T_STR;
	ret->str = s;
	ret->known = true;
}

/* Makes a value from the host consistent with its declared type. */
static void sanitize(struct tw_value *v, enum tw_type type)
{
	v->type = type;
	if (!v->known)
		return;
	if (type == TW_T_STR && !v->str)
		v->str = tw_xstrdup("");
	if (type == TW_T_VERSION && !v->ver.known)
		v->known = false;
	if (type == TW_T_VERSION)
		v->ver.release[sizeof(v->ver.release) - 1] = '\0';
}

static int eval_host_call(const struct tw_node *n, const struct tw_env *env, struct tw_value *ret)
{
	struct tw_value *args = tw_xcalloc(n->nargs, sizeof(*args));
	bool all_known = true;
	int r = 0;
	size_t i;

	for (i = 0; i < n->nargs; i++) {
		r = eval(n->args[i], env, &args[i]);
		if (r < 0)
			goto out;
		if (!args[i].known)
			all_known = false;
	}
	if (all_known && env && env->call_func) {
		r = env->call_func(env->ctx, n->id, args, n->nargs, ret);
		if (r < 0)
			tw_value_clear(ret);
		else
			sanitize(ret, n->type);
	}
out:
	for (size_t k = 0; k < n->nargs; k++)
		tw_value_clear(&args[k]);
	free(args);
	return r;
}

static void format_percent(double x, struct tw_value *ret)
{
	struct strbuf sb = STRBUF_INIT;
	double p = x * 100.0;
	size_t len;

	if (!isfinite(p))
		return;
	if (p > 0 && p < 0.05) {
		/* Not zero, but too small to show: say so rather than "0%". */
		sb_append(&sb, "<0.1%");
		set_str(ret, sb_steal(&sb));
		return;
	}
	if (fabs(p) < 0.05)
		p = 0.0;
	sb_appendf(&sb, "%.1f", p);
	len = sb.len;
	if (len >= 2 && strcmp(sb.buf + len - 2, ".0") == 0) {
		sb.len -= 2;
		sb.buf[sb.len] = '\0';
	}
	sb_appendc(&sb, '%');
	set_str(ret, sb_steal(&sb));
}

static void format_thousands(double x, struct tw_value *ret)
{
	struct strbuf sb = STRBUF_INIT;

	if (!isfinite(x))
		return;
	if (fabs(x) < 1e15) {
		long long v = llround(x);

		sb_append_thousands(&sb, v);
	} else {
		sb_appendf(&sb, "%.6g", x);
	}
	set_str(ret, sb_steal(&sb));
}

static int eval_builtin(const struct tw_node *n, const struct tw_env *env, struct tw_value *ret)
{
	struct tw_value a = { .type = TW_T_ANY };
	int r;

	switch (n->builtin) {
	case B_MIN:
	case B_MAX: {
		double best = 0;

		for (size_t i = 0; i < n->nargs; i++) {
			r = eval(n->args[i], env, &a);
			if (r < 0)
				return r;
			if (!a.known) {
				tw_value_clear(&a);
				return 0;
			}
			if (i == 0 || (n->builtin == B_MIN ? a.num < best : a.num > best))
				best = a.num;
			tw_value_clear(&a);
		}
		value_set_num(ret, best);
		return 0;
	}
	case B_IF:
		r = eval(n->args[0], env, &a);
		if (r < 0 || !a.known)
			return r;
		return eval(n->args[a.b ? 1 : 2], env, ret);
	case B_KNOWN:
		r = eval(n->args[0], env, &a);
		if (r < 0)
			return r;
		set_bool(ret, a.known);
		tw_value_clear(&a);
		return 0;
	case B_DEFAULT:
		r = eval(n->args[0], env, ret);
		if (r < 0 || ret->known)
			return r;
		tw_value_clear(ret);
		return eval(n->args[1], env, ret);
	default:
		break;
	}

	/* The rest take one argument and are unknown when it is. */
	r = eval(n->args[0], env, &a);
	if (r < 0 || !a.known) {
		tw_value_clear(&a);
		return r;
	}
	switch (n->builtin) {
	case B_ABS: value_set_num(ret, fabs(a.num)); break;
	case B_FLOOR: value_set_num(ret, floor(a.num)); break;
	case B_CEIL: value_set_num(ret, ceil(a.num)); break;
	case B_ROUND: value_set_num(ret, round(a.num)); break;
	case B_STR: {
		struct strbuf sb = STRBUF_INIT;

		tw_value_format(&a, &sb);
		set_str(ret, sb_steal(&sb));
		break;
	}
	case B_THOUSANDS: format_thousands(a.num, ret); break;
	case B_PERCENT: format_percent(a.num, ret); break;
	case B_VERSION:
		ret->type = TW_T_VERSION;
		ret->known = kernel_version_parse(a.str ? a.str : "", &ret->ver) == 0;
		break;
	default:
		break;
	}
	tw_value_clear(&a);
	return 0;
}

static int compare(enum tw_binop op, const struct tw_value *a, const struct tw_value *b)
{
	int c;

	switch (a->type) {
	case TW_T_NUM:
		if (op == OP_EQ)
			return a->num == b->num;
		if (op == OP_NE)
			return a->num != b->num;
		if (op == OP_LT)
			return a->num < b->num;
		if (op == OP_LE)
			return a->num <= b->num;
		if (op == OP_GT)
			return a->num > b->num;
		return a->num >= b->num;
	case TW_T_STR:
		c = strcmp(a->str ? a->str : "", b->str ? b->str : "");
		break;
	case TW_T_VERSION:
		c = kernel_version_cmp(&a->ver, b->ver.major, b->ver.minor, b->ver.patch);
		break;
	case TW_T_BOOL:
		c = a->b == b->b ? 0 : 1;
		break;
	default:
		c = 0;
		break;
	}
	switch (op) {
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	default: return c >= 0;
	}
}

/* && and ||: 'dominant' is false for &&, true for ||. */
static int eval_logic(const struct tw_node *n, const struct tw_env *env, struct tw_value *ret,
		      bool dominant)
{
	struct tw_value a = { .type = TW_T_BOOL }, b = { .type = TW_T_BOOL };
	int r;

	r = eval(n->args[0], env, &a);
	if (r < 0)
		return r;
	if (a.known && a.b == dominant) {
		set_bool(ret, dominant);
		return 0;
	}
	r = eval(n->args[1], env, &b);
	if (r < 0)
		return r;
	if (b.known && b.b == dominant)
		set_bool(ret, dominant);
	else if (a.known && b.known)
		set_bool(ret, !dominant);
	return 0;
}

static int eval_binary(const struct tw_node *n, const struct tw_env *env, struct tw_value *ret)
{
	struct tw_value a = { .type = TW_T_ANY }, b = { .type = TW_T_ANY };
	int r;

	if (n->op == OP_AND)
		return eval_logic(n, env, ret, false);
	if (n->op == OP_OR)
		return eval_logic(n, env, ret, true);
	r = eval(n->args[0], env, &a);
	if (r < 0)
		goto out;
	r = eval(n->args[1], env, &b);
	if (r < 0 || !a.known || !b.known)
		goto out;
	switch (n->op) {
	case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
		set_bool(ret, compare(n->op, &a, &b));
		break;
	case OP_ADD:
		if (n->type == TW_T_STR) {
			struct strbuf sb = STRBUF_INIT;

			sb_append(&sb, a.str ? a.str : "");
			sb_append(&sb, b.str ? b.str : "");
			set_str(ret, sb_steal(&sb));
		} else {
			value_set_num(ret, a.num + b.num);
		}
		break;
	case OP_SUB: value_set_num(ret, a.num - b.num); break;
	case OP_MUL: value_set_num(ret, a.num * b.num); break;
	case OP_DIV:
		if (b.num != 0)
			value_set_num(ret, a.num / b.num);
		break;
	case OP_MOD:
		if (b.num != 0)
			value_set_num(ret, fmod(a.num, b.num));
		break;
	default:
		break;
	}
out:
	tw_value_clear(&a);
	tw_value_clear(&b);
	return r;
}

static int eval(const struct tw_node *n, const struct tw_env *env, struct tw_value *ret)
{
	struct tw_value a = { .type = TW_T_ANY };
	int r;

	memset(ret, 0, sizeof(*ret));
	ret->type = n->type;
	switch (n->kind) {
	case N_NUM:
		value_set_num(ret, n->num);
		return 0;
	case N_STR:
		set_str(ret, tw_xstrdup(n->text));
		return 0;
	case N_BOOL:
		set_bool(ret, n->b);
		return 0;
	case N_VERSION:
		ret->ver = n->ver;
		ret->known = true;
		return 0;
	case N_NAME:
		if (!env || !env->get_name)
			return 0;
		r = env->get_name(env->ctx, n->id, ret);
		if (r < 0) {
			tw_value_clear(ret);
			return r;
		}
		sanitize(ret, n->type);
		return 0;
	case N_CALL:
		if (n->builtin != B_NONE)
			r = eval_builtin(n, env, ret);
		else
			r = eval_host_call(n, env, ret);
		ret->type = n->type;
		return r;
	case N_NEG:
		r = eval(n->args[0], env, &a);
		if (r == 0 && a.known)
			value_set_num(ret, -a.num);
		tw_value_clear(&a);
		return r;
	case N_NOT:
		r = eval(n->args[0], env, &a);
		if (r == 0 && a.known)
			set_bool(ret, !a.b);
		return r;
	case N_BINARY:
		return eval_binary(n, env, ret);
	}
	return -EINVAL;
}

int expr_eval(const struct tw_expr *e, const struct tw_env *env, struct tw_value *ret)
{
	int r;

	if (!e || !e->root)
		return -EINVAL;
	r = eval(e->root, env, ret);
	if (r < 0)
		tw_value_clear(ret);
	return r;
}

/* ---- tracing (--explain --snapshot) ------------------------------------- */

/* The source bytes a subtree covers (parentheses around it excluded). */
static void span(const struct tw_node *n, size_t *lo, size_t *hi)
{
	if (n->off < *lo)
		*lo = n->off;
	if (n->off + n->len > *hi)
		*hi = n->off + n->len;
	for (size_t i = 0; i < n->nargs; i++)
		span(n->args[i], lo, hi);
}

/* Parentheses are no nodes: a call's closing one, or the opening one of
 * a parenthesised left operand, lie outside the tokens' span. Widens
 * [lo, hi) until its parentheses balance. */
static void balance(const char *src, size_t len, size_t *lo, size_t *hi)
{
	long depth = 0;

	for (size_t i = *lo; i < *hi; i++)
		depth += src[i] == '(' ? 1 : src[i] == ')' ? -1 : 0;
	while (depth > 0 && *hi < len) {
		if (src[*hi] == ')')
			depth--;
		else if (src[*hi] == '(')
			depth++;
		(*hi)++;
	}
	while (depth < 0 && *lo > 0) {
		(*lo)--;
		if (src[*lo] == '(')
			depth++;
		else if (src[*lo] == ')')
			depth--;
	}
}

static bool is_literal(const struct tw_node *n)
{
	return n->kind == N_NUM || n->kind == N_STR || n->kind == N_BOOL || n->kind == N_VERSION;
}

static bool is_compare(const struct tw_node *n)
{
	return n->kind == N_BINARY && n->op >= OP_EQ && n->op <= OP_GE;
}

struct tracer {
	const struct tw_expr *e;
	const struct tw_env *env;
	tw_trace_fn fn;
	void *ctx;
};

static int trace_node(const struct tracer *t, const struct tw_node *n, int depth);

/* The operands of a chain a && b && c (one level, however it nests). */
static int trace_chain(const struct tracer *t, const struct tw_node *n, enum tw_binop op,
		       int depth)
{
	int r;

	for (size_t i = 0; i < 2; i++) {
		const struct tw_node *a = n->args[i];

		if (a->kind == N_BINARY && a->op == op)
			r = trace_chain(t, a, op, depth);
		else
			r = trace_node(t, a, depth);
		if (r < 0)
			return r;
	}
	return 0;
}

static int trace_node(const struct tracer *t, const struct tw_node *n, int depth)
{
	struct tw_value v;
	size_t lo = (size_t)-1, hi = 0;
	const char *kind = "value";
	int r;

	if (depth > 0 && is_literal(n))
		return 0;
	r = eval(n, t->env, &v);
	if (r < 0) {
		tw_value_clear(&v);
		return r;
	}
	span(n, &lo, &hi);
	if (hi > t->e->src_len)
		hi = t->e->src_len;
	if (lo > hi)
		lo = hi;
	balance(t->e->src, t->e->src_len, &lo, &hi);
	if (n->kind == N_BINARY && n->op == OP_AND)
		kind = "and";
	else if (n->kind == N_BINARY && n->op == OP_OR)
		kind = "or";
	else if (n->kind == N_NOT)
		kind = "not";
	else if (is_compare(n))
		kind = "compare";
	t->fn(t->ctx, depth, kind, t->e->src + lo, hi - lo, &v);
	tw_value_clear(&v);
	if (n->kind == N_BINARY && (n->op == OP_AND || n->op == OP_OR))
		return trace_chain(t, n, n->op, depth + 1);
	if (n->kind == N_NOT || is_compare(n)) {
		for (size_t i = 0; i < n->nargs; i++)
			if ((r = trace_node(t, n->args[i], depth + 1)) < 0)
				return r;
	}
	return 0;
}

int expr_trace(const struct tw_expr *e, const struct tw_env *env, tw_trace_fn fn, void *ctx)
{
	struct tracer t = { e, env, fn, ctx };

	if (!e || !e->root || !e->src)
		return -EINVAL;
	return trace_node(&t, e->root, 0);
}
