/* SPDX-License-Identifier: MIT */
/* diag.h: source positions and error messages for the expression language.
 *
 * Every diagnostic of the lexer, parser, type checker and template
 * compiler is "FILE:LINE:COL: message", where LINE:COL is computed from
 * the position of the expression's first character plus a byte offset
 * into its text. Later lines of a multi-line expression count columns
 * from 1; columns count characters (UTF-8 continuation bytes do not
 * advance them). */
#ifndef TW_EXPR_DIAG_H
#define TW_EXPR_DIAG_H

#include <stddef.h>

#include "expr/expr.h"

/* The position of byte 'off' of 'src' (at most 'len' bytes), given that
 * src[0] sits at 'base' (NULL means "<expr>":1:1). ret->file points to
 * the same string as base->file. */
void expr_pos_at(const struct tw_srcpos *base, const char *src, size_t len,
		 size_t off, struct tw_srcpos *ret);

/* Fills 'err' with "FILE:LINE:COL: " plus the formatted message for byte
 * 'off' of 'src'; returns -EINVAL. */
int expr_error_at(struct tw_error *err, const struct tw_srcpos *base,
		  const char *src, size_t len, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Writes a printable, quoted-safe rendering of the 'n' bytes at 's' into
 * 'buf' (size 'size'): non-printable bytes become \xNN and long texts
 * are cut with "...". Returns 'buf'. */
const char *expr_printable(const char *s, size_t n, char *buf, size_t size);

#endif
