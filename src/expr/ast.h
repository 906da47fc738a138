/* SPDX-License-Identifier: MIT */
/* ast.h: the syntax tree of a compiled expression.
 *
 * The parser builds it, the type checker annotates every node with its
 * type and resolves names and functions to ids, and the evaluator walks
 * it. Every node keeps the byte offset of the token it came from
 * (the operator of a binary node, the name of a call) so that later
 * stages report errors at the right column. The tree's height is bounded
 * (TW_EXPR_MAX_DEPTH) by the parser, so the recursive stages cannot
 * exhaust the stack. */
#ifndef TW_EXPR_AST_H
#define TW_EXPR_AST_H

#include <stdbool.h>
#include <stddef.h>

#include "expr/expr.h"
#include "expr/lexer.h"

/* Deepest nesting of parentheses, operators and calls accepted. */
#define TW_EXPR_MAX_DEPTH 200

enum tw_node_kind {
	N_NUM,       /* number literal: num, text (source), dots */
	N_STR,       /* string literal: text */
	N_BOOL,      /* true/false: b */
	N_VERSION,   /* version literal (a coerced number/string literal): ver */
	N_NAME,      /* identifier: text, id */
	N_CALL,      /* function call: text, args, builtin, id */
	N_NEG,       /* -args[0] */
	N_NOT,       /* !args[0] */
	N_BINARY,    /* args[0] op args[1] */
};

enum tw_binop {
	OP_OR, OP_AND,
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
};

enum tw_builtin {
	B_NONE = -1,
	B_MIN, B_MAX, B_ABS, B_FLOOR, B_CEIL, B_ROUND, B_IF, B_KNOWN,
	B_DEFAULT, B_STR, B_THOUSANDS, B_PERCENT, B_VERSION,
};

struct tw_node {
	enum tw_node_kind kind;
	enum tw_binop op;
	size_t off, len;             /* source bytes of the node's token */
	int height;                  /* 1 for leaves */
	enum tw_type type;           /* set by the type checker */
	bool b;
	double num;
	int dots;
	char *text;                  /* owned */
	struct tw_kernel_version ver;
	enum tw_builtin builtin;     /* N_CALL: a built-in, or B_NONE */
	int id;                      /* N_NAME, host N_CALL: symbol id */
	struct tw_node **args;       /* owned, with their subtrees */
	size_t nargs;
};

struct tw_expr {
	struct tw_node *root;
	enum tw_type type;
	char *src;       /* the text compiled, which node offsets index */
	size_t src_len;
};

/* Parses the tokens of src[0..len) into a tree. 0 and *ret (caller frees
 * with tw_node_free), or -EINVAL with a positioned message. */
int tw_parse(const struct tw_tokens *toks, const char *src, size_t len,
	     const struct tw_srcpos *base, struct tw_node **ret, struct tw_error *err);
/* Frees a node and its subtree; NULL is allowed. */
void tw_node_free(struct tw_node *n);

/* Type-checks and resolves the tree in place (it may replace literal
 * nodes by coerced ones). 0, or -EINVAL with a positioned message. */
int tw_typecheck(struct tw_node *root, const char *src, size_t len,
		 const struct tw_srcpos *base, const struct tw_symbols *syms,
		 struct tw_error *err);

/* Like expr_compile() for the 'len' bytes at 'src', which need not be
 * NUL-terminated (used by templates for their ${...} parts). */
int expr_compile_n(const char *src, size_t len, const struct tw_srcpos *pos,
		   const struct tw_symbols *syms, struct tw_expr **ret,
		   enum tw_type *ret_type, struct tw_error *err);

#endif
