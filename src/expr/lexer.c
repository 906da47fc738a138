/* SPDX-License-Identifier: MIT */
/* lexer.c: the tokenizer of the rule expression language (see lexer.h).
 *
 * Names are dotted identifiers (tw.top_client.count); numbers are digit
 * groups separated by single dots (27000, 0.8, 4.10, 3.10.0); strings are
 * quoted with " or ' and know the escapes \" \' \\ \n; operators are the
 * ones of the grammar in expr.h. Anything else, an unterminated string or
 * a malformed number is an error at the offending character. */
#include "expr/lexer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "expr/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/macros.h"

struct lexer {
	const char *src;
	size_t len;
	const struct tw_srcpos *base;
	struct tw_error *err;
};

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_ident0(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool is_ident(int c) { return is_ident0(c) || is_digit(c); }

static int at(const struct lexer *lx, size_t i)
{
	return i < lx->len ? (unsigned char)lx->src[i] : -1;
}

static void push(struct tw_tokens *t, enum tw_tok kind, size_t off, size_t len, char *text, int dots)
{
	t->v = tw_xgrow(t->v, &t->cap, t->n + 1, sizeof(*t->v));
	t->v[t->n++] = (struct tw_token){ .kind = kind, .off = off, .len = len,
					  .text = text, .dots = dots };
}

void tw_tokens_free(struct tw_tokens *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].text);
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

const char *tw_tok_name(enum tw_tok k)
{
	switch (k) {
	case TK_EOF: return "end of expression";
	case TK_NUM: return "a number";
	case TK_STR: return "a string";
	case TK_NAME: return "a name";
	case TK_TRUE: return "'true'";
	case TK_FALSE: return "'false'";
	case TK_LPAREN: return "'('";
	case TK_RPAREN: return "')'";
	case TK_COMMA: return "','";
	case TK_PLUS: return "'+'";
	case TK_MINUS: return "'-'";
	case TK_STAR: return "'*'";
	case TK_SLASH: return "'/'";
	case TK_PERCENT: return "'%'";
	case TK_NOT: return "'!'";
	case TK_AND: return "'&&'";
	case TK_OR: return "'||'";
	case TK_EQ: return "'=='";
	case TK_NE: return "'!='";
	case TK_LT: return "'<'";
	case TK_LE: return "'<='";
	case TK_GT: return "'>'";
	case TK_GE: return "'>='";
	}
	return "a token";
}

static int lex_string(struct lexer *lx, size_t *i, struct tw_tokens *out)
{
	size_t start = *i, p = start + 1;
	int quote = at(lx, start);
	struct strbuf sb = STRBUF_INIT;

	for (;;) {
		int c = at(lx, p);

		if (c < 0 || c == '\n') {
			sb_free(&sb);
			return expr_error_at(lx->err, lx->base, lx->src, lx->len, start,
					     "unterminated string (missing closing %c)", quote);
		}
		if (c == quote)
			break;
		if (c == '\\') {
			int e = at(lx, p + 1);

			if (e == '"' || e == '\'' || e == '\\') {
				sb_appendc(&sb, (char)e);
			} else if (e == 'n') {
				sb_appendc(&sb, '\n');
			} else if (e < 0 || e == '\n') {
				sb_free(&sb);
				return expr_error_at(lx->err, lx->base, lx->src, lx->len, start,
						     "unterminated string (missing closing %c)", quote);
			} else {
				char shown[16];

				sb_free(&sb);
				return expr_error_at(lx->err, lx->base, lx->src, lx->len, p,
						     "unknown escape '\\%s' in string (use \\\" \\' \\\\ or \\n)",
						     expr_printable(lx->src + p + 1, 1, shown, sizeof(shown)));
			}
			p += 2;
			continue;
		}
		sb_appendc(&sb, (char)c);
		p++;
	}
	push(out, TK_STR, start, p + 1 - start, sb_steal(&sb), 0);
	*i = p + 1;
	return 0;
}

static int lex_number(struct lexer *lx, size_t *i, struct tw_tokens *out)
{
	size_t start = *i, p = start;
	int dots = 0;

	while (is_digit(at(lx, p)))
		p++;
	while (at(lx, p) == '.') {
		if (!is_digit(at(lx, p + 1)))
			return expr_error_at(lx->err, lx->base, lx->src, lx->len, p,
					     "expected a digit after '.' in number");
		dots++;
		p++;
		while (is_digit(at(lx, p)))
			p++;
	}
	if (is_ident0(at(lx, p))) {
		char shown[64];

		return expr_error_at(lx->err, lx->base, lx->src, lx->len, start,
				     "malformed number '%s'",
				     expr_printable(lx->src + start, p + 1 - start, shown, sizeof(shown)));
	}
	push(out, TK_NUM, start, p - start, tw_xstrndup(lx->src + start, p - start), dots);
	*i = p;
	return 0;
}

static int lex_name(struct lexer *lx, size_t *i, struct tw_tokens *out)
{
	size_t start = *i, p = start;
	enum tw_tok kind = TK_NAME;

	while (is_ident(at(lx, p)))
		p++;
	while (at(lx, p) == '.') {
		if (!is_ident0(at(lx, p + 1)))
			return expr_error_at(lx->err, lx->base, lx->src, lx->len, p + 1,
					     "expected a name part after '.'");
		p++;
		while (is_ident(at(lx, p)))
			p++;
	}
	if (p - start == 4 && memcmp(lx->src + start, "true", 4) == 0)
		kind = TK_TRUE;
	else if (p - start == 5 && memcmp(lx->src + start, "false", 5) == 0)
		kind = TK_FALSE;
	push(out, kind, start, p - start,
	     kind == TK_NAME ? tw_xstrndup(lx->src + start, p - start) : NULL, 0);
	*i = p;
	return 0;
}

/* Operators: two-character ones first. */
static const struct {
	const char *s;
	enum tw_tok kind;
} ops[] = {
	{ "&&", TK_AND }, { "||", TK_OR }, { "==", TK_EQ }, { "!=", TK_NE },
	{ "<=", TK_LE }, { ">=", TK_GE }, { "<", TK_LT }, { ">", TK_GT },
	{ "!", TK_NOT }, { "(", TK_LPAREN }, { ")", TK_RPAREN }, { ",", TK_COMMA },
	{ "+", TK_PLUS }, { "-", TK_MINUS }, { "*", TK_STAR }, { "/", TK_SLASH },
	{ "%", TK_PERCENT },
};

static int lex_op(struct lexer *lx, size_t *i, struct tw_tokens *out)
{
	size_t p = *i;
	int c = at(lx, p);

	for (size_t k = 0; k < ARRAY_SIZE(ops); k++) {
		size_t n = strlen(ops[k].s);

		if (p + n <= lx->len && memcmp(lx->src + p, ops[k].s, n) == 0) {
			push(out, ops[k].kind, p, n, NULL, 0);
			*i = p + n;
			return 0;
		}
	}
	if (c == '&')
		return expr_error_at(lx->err, lx->base, lx->src, lx->len, p,
				     "unexpected '&' (did you mean '&&'?)");
	if (c == '|')
		return expr_error_at(lx->err, lx->base, lx->src, lx->len, p,
				     "unexpected '|' (did you mean '||'?)");
	if (c == '=')
		return expr_error_at(lx->err, lx->base, lx->src, lx->len, p,
				     "unexpected '=' (did you mean '=='?)");
	if (c >= 0x21 && c < 0x7f)
		return expr_error_at(lx->err, lx->base, lx->src, lx->len, p,
				     "unexpected character '%c'", c);
	return expr_error_at(lx->err, lx->base, lx->src, lx->len, p,
			     "unexpected byte 0x%02x", (unsigned)c);
}

int tw_lex(const char *src, size_t len, const struct tw_srcpos *base,
	   struct tw_tokens *ret, struct tw_error *err)
{
	struct lexer lx = { src, len, base, err };
	struct tw_tokens t = { NULL, 0, 0 };
	size_t i = 0;
	int r = 0;

	while (i < len) {
		int c = at(&lx, i);

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			i++;
			continue;
		}
		if (c == '"' || c == '\'')
			r = lex_string(&lx, &i, &t);
		else if (is_digit(c))
			r = lex_number(&lx, &i, &t);
		else if (is_ident0(c))
			r = lex_name(&lx, &i, &t);
		else
			r = lex_op(&lx, &i, &t);
		if (r < 0) {
			tw_tokens_free(&t);
			return r;
		}
	}
	push(&t, TK_EOF, len, 0, NULL, 0);
	*ret = t;
	return 0;
}
