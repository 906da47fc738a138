/* SPDX-License-Identifier: MIT */
/* compile.c: expr_compile() and expr_free(): lexing, parsing and type
 * checking chained into one call (see expr.h). */
#include "expr/ast.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

int expr_compile_n(const char *src, size_t len, const struct tw_srcpos *pos,
		   const struct tw_symbols *syms, struct tw_expr **ret,
		   enum tw_type *ret_type, struct tw_error *err)
{
	struct tw_tokens toks;
	struct tw_node *root = NULL;
	struct tw_expr *e;
	int r;

	r = tw_lex(src, len, pos, &toks, err);
	if (r < 0)
		return r;
	r = tw_parse(&toks, src, len, pos, &root, err);
	tw_tokens_free(&toks);
	if (r < 0)
		return r;
	r = tw_typecheck(root, src, len, pos, syms, err);
	if (r < 0) {
		tw_node_free(root);
		return r;
	}
	e = tw_xcalloc(1, sizeof(*e));
	e->root = root;
	e->type = root->type;
	e->src = tw_xstrndup(src, len);
	e->src_len = len;
	*ret = e;
	if (ret_type)
		*ret_type = e->type;
	return 0;
}

int expr_compile(const char *src, const struct tw_srcpos *pos,
		 const struct tw_symbols *syms, struct tw_expr **ret,
		 enum tw_type *ret_type, struct tw_error *err)
{
	if (!src)
		return tw_error_set(err, -EINVAL, "no expression");
	return expr_compile_n(src, strlen(src), pos, syms, ret, ret_type, err);
}

void expr_free(struct tw_expr *e)
{
	if (!e)
		return;
	tw_node_free(e->root);
	free(e->src);
	free(e);
}
