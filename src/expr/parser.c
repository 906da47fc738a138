/* SPDX-License-Identifier: MIT */
/* parser.c: recursive-descent parser of the rule expression language.
 *
 * One function per grammar rule of expr.h (or, and, not, cmp, sum, term,
 * unary, primary). Binary operators associate to the left; a comparison
 * does not chain (a < b < c is an error). Nesting through parentheses,
 * '!', '-' and calls, and the height of the resulting tree, are limited
 * to TW_EXPR_MAX_DEPTH so that hostile input cannot exhaust the stack. */
#include "expr/ast.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/diag.h"
#include "util/xalloc.h"

struct parser {
	const struct tw_tokens *t;
	size_t i;
	const char *src;
	size_t len;
	const struct tw_srcpos *base;
	struct tw_error *err;
	int depth;
};

void tw_node_free(struct tw_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nargs; i++)
		tw_node_free(n->args[i]);
	free(n->args);
	free(n->text);
	free(n);
}

static const struct tw_token *peek(const struct parser *p)
{
	return &p->t->v[p->i];
}

static const struct tw_token *next(struct parser *p)
{
	const struct tw_token *tk = &p->t->v[p->i];

	if (tk->kind != TK_EOF)
		p->i++;
	return tk;
}

/* "name 'x'", "number 4.2", "')'", ... for messages. */
static const char *describe(const struct parser *p, const struct tw_token *tk,
			    char *buf, size_t size)
{
	char shown[64];

	switch (tk->kind) {
	case TK_NAME:
		snprintf(buf, size, "name '%s'",
			 expr_printable(p->src + tk->off, tk->len, shown, sizeof(shown)));
		return buf;
	case TK_NUM:
		snprintf(buf, size, "number %s",
			 expr_printable(p->src + tk->off, tk->len, shown, sizeof(shown)));
		return buf;
	case TK_STR:
		snprintf(buf, size, "string %s",
			 expr_printable(p->src + tk->off, tk->len, shown, sizeof(shown)));
		return buf;
	default:
		return tw_tok_name(tk->kind);
	}
}

static int fail_at(struct parser *p, size_t off, const char *what, const struct tw_token *found)
{
	char d[96];

	return expr_error_at(p->err, p->base, p->src, p->len, off, "%s, found %s",
			     what, describe(p, found, d, sizeof(d)));
}

static int too_deep(struct parser *p, size_t off)
{
	return expr_error_at(p->err, p->base, p->src, p->len, off,
			     "expression nested too deeply (more than %d levels)",
			     TW_EXPR_MAX_DEPTH);
}

static struct tw_node *node_new(enum tw_node_kind kind, const struct tw_token *tk)
{
	struct tw_node *n = tw_xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->off = tk->off;
	n->len = tk->len;
	n->height = 1;
	n->builtin = B_NONE;
	n->id = -1;
	return n;
}

/* Appends a child; 0, or -EINVAL (child freed by the caller's cleanup,
 * since it is attached) when the tree gets too high. */
static int add_child(struct parser *p, struct tw_node *n, struct tw_node *child)
{
	n->args = tw_xrealloc(n->args, (n->nargs + 1) * sizeof(*n->args));
	n->args[n->nargs++] = child;
	if (child->height + 1 > n->height)
		n->height = child->height + 1;
	if (n->height > TW_EXPR_MAX_DEPTH)
		return too_deep(p, n->off);
	return 0;
}

static struct tw_node *parse_or(struct parser *p);

static struct tw_node *parse_call(struct parser *p, const struct tw_token *name)
{
	const struct tw_token *open = next(p);   /* '(' */
	struct tw_node *n = node_new(N_CALL, name);
	char what[160];

	n->text = tw_xstrdup(name->text);
	if (++p->depth > TW_EXPR_MAX_DEPTH) {
		too_deep(p, open->off);
		goto fail;
	}
	if (peek(p)->kind != TK_RPAREN) {
		for (;;) {
			struct tw_node *arg = parse_or(p);

			/* add_child() attaches 'arg' even when it fails */
			if (!arg || add_child(p, n, arg) < 0)
				goto fail;
			if (peek(p)->kind == TK_COMMA) {
				next(p);
				continue;
			}
			if (peek(p)->kind == TK_RPAREN)
				break;
			snprintf(what, sizeof(what), "expected ',' or ')' after argument %zu of '%s'",
				 n->nargs, n->text);
			fail_at(p, peek(p)->off, what, peek(p));
			goto fail;
		}
	}
	next(p);   /* ')' */
	p->depth--;
	return n;
fail:
	tw_node_free(n);
	return NULL;
}

static struct tw_node *parse_primary(struct parser *p)
{
	const struct tw_token *tk = peek(p);
	struct tw_node *n;

	switch (tk->kind) {
	case TK_NUM:
		next(p);
		n = node_new(N_NUM, tk);
		n->text = tw_xstrdup(tk->text);
		n->dots = tk->dots;
		n->num = tk->dots <= 1 ? strtod(tk->text, NULL) : 0.0;
		return n;
	case TK_STR:
		next(p);
		n = node_new(N_STR, tk);
		n->text = tw_xstrdup(tk->text);
		return n;
	case TK_TRUE:
	case TK_FALSE:
		next(p);
		n = node_new(N_BOOL, tk);
		n->b = tk->kind == TK_TRUE;
		return n;
	case TK_NAME:
		next(p);
		if (peek(p)->kind == TK_LPAREN)
			return parse_call(p, tk);
		n = node_new(N_NAME, tk);
		n->text = tw_xstrdup(tk->text);
		return n;
	case TK_LPAREN: {
		struct tw_srcpos open;
		char what[128];

		next(p);
		if (++p->depth > TW_EXPR_MAX_DEPTH) {
			too_deep(p, tk->off);
			return NULL;
		}
		n = parse_or(p);
		if (!n)
			return NULL;
		if (peek(p)->kind != TK_RPAREN) {
			expr_pos_at(p->base, p->src, p->len, tk->off, &open);
			snprintf(what, sizeof(what), "expected ')' to close '(' at %d:%d",
				 open.line, open.col);
			fail_at(p, peek(p)->off, what, peek(p));
			tw_node_free(n);
			return NULL;
		}
		next(p);
		p->depth--;
		return n;
	}
	default:
		fail_at(p, tk->off, "expected a value (number, string, name, call or '(')", tk);
		return NULL;
	}
}

/* unary := "-" unary | primary */
static struct tw_node *parse_unary(struct parser *p)
{
	const struct tw_token *tk = peek(p);
	struct tw_node *n, *child;

	if (tk->kind != TK_MINUS)
		return parse_primary(p);
	next(p);
	if (++p->depth > TW_EXPR_MAX_DEPTH) {
		too_deep(p, tk->off);
		return NULL;
	}
	child = parse_unary(p);
	if (!child)
		return NULL;
	p->depth--;
	n = node_new(N_NEG, tk);
	if (add_child(p, n, child) < 0) {
		tw_node_free(n);
		return NULL;
	}
	return n;
}

static struct tw_node *binary(struct parser *p, const struct tw_token *op, enum tw_binop bop,
			      struct tw_node *l, struct tw_node *r)
{
	struct tw_node *n = node_new(N_BINARY, op);

	n->op = bop;
	if (add_child(p, n, l) < 0) {
		tw_node_free(n);
		tw_node_free(r);
		return NULL;
	}
	if (add_child(p, n, r) < 0) {
		tw_node_free(n);
		return NULL;
	}
	return n;
}

/* A left-associative level: operand (op operand)* */
static struct tw_node *parse_left(struct parser *p, struct tw_node *(*operand)(struct parser *),
				  const enum tw_tok *toks, const enum tw_binop *bops, size_t nops)
{
	struct tw_node *l = operand(p);

	while (l) {
		const struct tw_token *op = peek(p);
		size_t k;
		struct tw_node *r;

		for (k = 0; k < nops; k++)
			if (op->kind == toks[k])
				break;
		if (k == nops)
			break;
		next(p);
		r = operand(p);
		if (!r) {
			tw_node_free(l);
			return NULL;
		}
		l = binary(p, op, bops[k], l, r);
	}
	return l;
}

/* term := unary (("*"|"/"|"%") unary)* */
static struct tw_node *parse_term(struct parser *p)
{
	static const enum tw_tok toks[] = { TK_STAR, TK_SLASH, TK_PERCENT };
	static const enum tw_binop bops[] = { OP_MUL, OP_DIV, OP_MOD };

	return parse_left(p, parse_unary, toks, bops, 3);
}

/* sum := term (("+"|"-") term)* */
static struct tw_node *parse_sum(struct parser *p)
{
	static const enum tw_tok toks[] = { TK_PLUS, TK_MINUS };
	static const enum tw_binop bops[] = { OP_ADD, OP_SUB };

	return parse_left(p, parse_term, toks, bops, 2);
}

static bool cmp_op(enum tw_tok k, enum tw_binop *ret)
{
	switch (k) {
	case TK_EQ: *ret = OP_EQ; return true;
	case TK_NE: *ret = OP_NE; return true;
	case TK_LT: *ret = OP_LT; return true;
	case TK_LE: *ret = OP_LE; return true;
	case TK_GT: *ret = OP_GT; return true;
	case TK_GE: *ret = OP_GE; return true;
	default: return false;
	}
}

/* cmp := sum (cmpop sum)? */
static struct tw_node *parse_cmp(struct parser *p)
{
	struct tw_node *l = parse_sum(p), *r, *n;
	const struct tw_token *op;
	enum tw_binop bop;

	if (!l)
		return NULL;
	op = peek(p);
	if (!cmp_op(op->kind, &bop))
		return l;
	next(p);
	r = parse_sum(p);
	if (!r) {
		tw_node_free(l);
		return NULL;
	}
	n = binary(p, op, bop, l, r);
	if (n && cmp_op(peek(p)->kind, &bop)) {
		expr_error_at(p->err, p->base, p->src, p->len, peek(p)->off,
			      "comparisons do not chain; write 'a < b && b < c'");
		tw_node_free(n);
		return NULL;
	}
	return n;
}

/* not := "!" not | cmp */
static struct tw_node *parse_not(struct parser *p)
{
	const struct tw_token *tk = peek(p);
	struct tw_node *n, *child;

	if (tk->kind != TK_NOT)
		return parse_cmp(p);
	next(p);
	if (++p->depth > TW_EXPR_MAX_DEPTH) {
		too_deep(p, tk->off);
		return NULL;
	}
	child = parse_not(p);
	if (!child)
		return NULL;
	p->depth--;
	n = node_new(N_NOT, tk);
	if (add_child(p, n, child) < 0) {
		tw_node_free(n);
		return NULL;
	}
	return n;
}

/* and := not ("&&" not)* */
static struct tw_node *parse_and(struct parser *p)
{
	static const enum tw_tok toks[] = { TK_AND };
	static const enum tw_binop bops[] = { OP_AND };

	return parse_left(p, parse_not, toks, bops, 1);
}

/* or := and ("||" and)* */
static struct tw_node *parse_or(struct parser *p)
{
	static const enum tw_tok toks[] = { TK_OR };
	static const enum tw_binop bops[] = { OP_OR };

	return parse_left(p, parse_and, toks, bops, 1);
}

int tw_parse(const struct tw_tokens *toks, const char *src, size_t len,
	     const struct tw_srcpos *base, struct tw_node **ret, struct tw_error *err)
{
	struct parser p = { toks, 0, src, len, base, err, 0 };
	struct tw_node *n;

	if (peek(&p)->kind == TK_EOF)
		return expr_error_at(err, base, src, len, 0, "empty expression");
	n = parse_or(&p);
	if (!n)
		return -EINVAL;
	if (peek(&p)->kind != TK_EOF) {
		const struct tw_token *tk = peek(&p);
		char d[96];
		enum tw_binop dummy;

		if (tk->kind == TK_RPAREN)
			expr_error_at(err, base, src, len, tk->off, "unmatched ')'");
		else if (cmp_op(tk->kind, &dummy) || tk->kind == TK_COMMA || tk->kind == TK_NOT)
			expr_error_at(err, base, src, len, tk->off,
				      "unexpected %s after a complete expression",
				      describe(&p, tk, d, sizeof(d)));
		else
			expr_error_at(err, base, src, len, tk->off,
				      "unexpected %s after a complete expression (missing operator?)",
				      describe(&p, tk, d, sizeof(d)));
		tw_node_free(n);
		return -EINVAL;
	}
	*ret = n;
	return 0;
}
