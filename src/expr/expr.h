/* SPDX-License-Identifier: MIT */
/* expr.h: the rule condition language.
 *
 * Rules say when they apply and what values they recommend in small
 * expressions, e.g.
 *
 *     kernel >= 4.2 && has("net.ipv4.tcp_tw_reuse")
 *         && tw.top_client.utilization >= threshold.utilization_warning
 *     max(sysctl("net.ipv4.tcp_max_tw_buckets") * 2, 262144)
 *
 * An expression is compiled once (lexed, parsed and type-checked against a
 * symbol table) when its file is loaded, so an unknown name, a type
 * mismatch or a syntax error is reported as FILE:LINE:COL before any
 * analysis runs. Evaluation then uses three-valued logic: a fact that
 * could not be read is "unknown", arithmetic and comparisons on unknown
 * give unknown, `false && unknown` is false, `true || unknown` is true,
 * and a rule fires only when its condition is known and true.
 *
 * Types: bool, num (double; integers print without a decimal point),
 * str, and version (kernel releases; a number literal compared with a
 * version is read from its source text, so 4.10 > 4.9).
 *
 * Grammar (lowest precedence first):
 *   expr    := or
 *   or      := and ("||" and)*
 *   and     := not ("&&" not)*
 *   not     := "!" not | cmp
 *   cmp     := sum (("=="|"!="|"<"|"<="|">"|">=") sum)?
 *   sum     := term (("+"|"-") term)*
 *   term    := unary (("*"|"/"|"%") unary)*
 *   unary   := "-" unary | primary
 *   primary := NUMBER | STRING | "true" | "false" | NAME | NAME "(" args? ")" | "(" expr ")"
 *   NAME    := [A-Za-z_][A-Za-z0-9_]* ("." [A-Za-z_][A-Za-z0-9_]*)*
 *   STRING  := '"' ... '"' (escapes \" \\ \n) or '\'' ... '\''
 *   NUMBER  := digits ("." digits)*  (a dotted number like 4.2.1 is only valid as a version)
 *
 * Built-in pure functions: min(num,num...), max(num,num...), abs(num),
 * floor(num), ceil(num), round(num), if(bool, T, T) -> T, known(any) ->
 * bool (never unknown), default(T, T) -> T (first when known), str(any)
 * -> str, thousands(num) -> str ("27,000"), percent(num) -> str (0.956 ->
 * "95.6%"), version(str) -> version. Host-specific functions and names
 * (has("key"), sysctl("key"), tw.top_client.count, threshold.x ...) come
 * from the symbol table the caller passes.
 *
 * Templates: text with ${expr} parts, e.g.
 *   "${thousands(tw.top_client.count)} sockets toward ${tw.top_client.remote}"
 * each part compiled like an expression; "$${" is a literal "${". */
#ifndef TW_EXPR_EXPR_H
#define TW_EXPR_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#include "facts/kernel_version.h"
#include "util/error.h"
#include "util/strbuf.h"

enum tw_type {
	TW_T_BOOL,
	TW_T_NUM,
	TW_T_STR,
	TW_T_VERSION,
	TW_T_ANY,       /* only in function signatures: accepts every type */
};

const char *tw_type_name(enum tw_type t);

struct tw_value {
	enum tw_type type;
	bool known;
	bool b;
	double num;
	char *str;                       /* owned; freed by tw_value_clear() */
	struct tw_kernel_version ver;
};

void tw_value_clear(struct tw_value *v);
/* Renders a value as text: numbers that are integral without a decimal
 * point ("262144"), others with up to 6 significant digits; bools as
 * "true"/"false"; unknown as "unknown". */
void tw_value_format(const struct tw_value *v, struct strbuf *out);

/* Where an expression's text sits in its file, for error messages. The
 * column counts from 1 at the expression's first character. */
struct tw_srcpos {
	const char *file;
	int line;
	int col;
};

/* The host-specific names an expression may use. Identifiers and
 * functions resolve to small integer ids at compile time. */
struct tw_symbols {
	/* 0 and *ret_id, *ret_type for a known identifier; -ENOENT otherwise. */
	int (*lookup_name)(void *ctx, const char *name, int *ret_id, enum tw_type *ret_type);
	/* For a function call: 0 and *ret_id, *ret_type when 'name' exists and
	 * accepts these argument types; -ENOENT unknown function; -EINVAL
	 * wrong arguments (then *ret_why says why, a static string).
	 * 'literal_args' holds each argument's string literal text, or NULL
	 * when that argument is not a string literal, so a symbol table can
	 * check e.g. that a sysctl key is well formed at load time. */
	int (*lookup_func)(void *ctx, const char *name, size_t nargs,
			   const enum tw_type *arg_types, const char *const *literal_args,
			   int *ret_id, enum tw_type *ret_type, const char **ret_why);
	void *ctx;
	/* Optional (NULL is fine): calls 'fn' with every identifier (funcs
	 * false) or every function name (funcs true) the table knows, so
	 * that "unknown name" errors can suggest a close spelling. */
	void (*each_name)(void *ctx, bool funcs,
			  void (*fn)(void *fn_ctx, const char *name), void *fn_ctx);
};

/* Values at evaluation time. Both callbacks fill *ret (type as declared
 * at compile time; known=false for unknown) and return 0, or a negative
 * errno on an internal error. call_func is never called with an unknown
 * argument: such a call is unknown without asking the host. */
struct tw_env {
	int (*get_name)(void *ctx, int id, struct tw_value *ret);
	int (*call_func)(void *ctx, int id, const struct tw_value *args, size_t nargs,
			 struct tw_value *ret);
	void *ctx;
};

struct tw_expr;

/* Compiles 'src'. On success *ret (caller frees with expr_free) and
 * *ret_type. On failure -EINVAL with err = "FILE:LINE:COL: message",
 * the column pointing at the offending token. */
int expr_compile(const char *src, const struct tw_srcpos *pos,
		 const struct tw_symbols *syms, struct tw_expr **ret,
		 enum tw_type *ret_type, struct tw_error *err);
/* Evaluates; *ret must be cleared by the caller (tw_value_clear).
 * Division by zero gives unknown, not a crash. */
int expr_eval(const struct tw_expr *e, const struct tw_env *env, struct tw_value *ret);
void expr_free(struct tw_expr *e);

/* How a condition evaluated, part by part (--explain --snapshot): 'fn'
 * is called for the whole expression (depth 0), then, depth first, for
 * each operand of a chain of && or ||, the operand of !, and both sides
 * of a comparison (literals left out), each with its source text and
 * its value. Every part is evaluated, even one that && or || would
 * skip. 'kind' is "and", "or", "not", "compare" or "value". Returns 0
 * or a negative errno from the environment. */
typedef void (*tw_trace_fn)(void *ctx, int depth, const char *kind, const char *text,
			    size_t len, const struct tw_value *v);
int expr_trace(const struct tw_expr *e, const struct tw_env *env, tw_trace_fn fn, void *ctx);

struct tw_template;

/* Compiles a template; same error rules as expr_compile (positions of
 * errors inside ${...} point into the template text). */
int template_compile(const char *src, const struct tw_srcpos *pos,
		     const struct tw_symbols *syms, struct tw_template **ret,
		     struct tw_error *err);
/* Appends the rendered text to 'out'; unknown parts render as "unknown".
 * Returns 0, or a negative errno from the environment. */
int template_render(const struct tw_template *t, const struct tw_env *env,
		    struct strbuf *out);
/* Whether any ${} part was unknown during the last template_render_known
 * call: renders like template_render and sets *ret_all_known. */
int template_render_known(const struct tw_template *t, const struct tw_env *env,
			  struct strbuf *out, bool *ret_all_known);
void template_free(struct tw_template *t);

#endif
