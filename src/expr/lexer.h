/* SPDX-License-Identifier: MIT */
/* lexer.h: tokens of the rule expression language.
 *
 * The lexer turns an expression's text into an array of tokens, each
 * with its byte offset (converted to LINE:COL only when an error is
 * reported). Number tokens keep their source text, so that a literal such
 * as 4.10 can later be read as the kernel version 4.10 rather than the
 * number 4.1; string tokens carry their decoded value. */
#ifndef TW_EXPR_LEXER_H
#define TW_EXPR_LEXER_H

#include <stdbool.h>
#include <stddef.h>

#include "expr/expr.h"

enum tw_tok {
	TK_EOF,
	TK_NUM,
	TK_STR,
	TK_NAME,
	TK_TRUE,
	TK_FALSE,
	TK_LPAREN,
	TK_RPAREN,
	TK_COMMA,
	TK_PLUS,
	TK_MINUS,
	TK_STAR,
	TK_SLASH,
	TK_PERCENT,
	TK_NOT,
	TK_AND,
	TK_OR,
	TK_EQ,
	TK_NE,
	TK_LT,
	TK_LE,
	TK_GT,
	TK_GE,
};

struct tw_token {
	enum tw_tok kind;
	size_t off;          /* byte offset of the first character in the source */
	size_t len;          /* bytes of source text */
	char *text;          /* TK_STR: decoded value; TK_NUM, TK_NAME: source
	                      * text; NULL otherwise. Owned by the token list. */
	int dots;            /* TK_NUM: number of '.' in the literal */
};

struct tw_tokens {
	struct tw_token *v;  /* always ends with one TK_EOF token */
	size_t n, cap;
};

/* Splits src[0..len) into tokens. 0, or -EINVAL with a positioned
 * message in 'err' (base locates src[0]). On success the caller frees
 * 'ret' with tw_tokens_free(); on failure nothing is left to free. */
int tw_lex(const char *src, size_t len, const struct tw_srcpos *base,
	   struct tw_tokens *ret, struct tw_error *err);
void tw_tokens_free(struct tw_tokens *t);

/* The spelling of a token kind for messages, e.g. "')'" or "a number". */
const char *tw_tok_name(enum tw_tok k);

#endif
