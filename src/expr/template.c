/* SPDX-License-Identifier: MIT */
/* template.c: message templates with ${expr} parts (see expr.h).
 *
 * A template is split at compile time into literal text and expressions.
 * "$${" stands for a literal "${"; any other '$' is plain text. A part
 * ends at the first '}' outside a quoted string, so ${has("}")} works.
 * Each part is compiled like an expression whose first character sits
 * right after its "${", so error positions point into the template text
 * (newlines inside the template advance the line). Parts of any type
 * render with tw_value_format(); unknown parts render as "unknown". */
#include "expr/ast.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "expr/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct part {
	char *text;            /* literal text, or NULL for an expression */
	struct tw_expr *expr;
};

struct tw_template {
	struct part *parts;
	size_t n, cap;
};

void template_free(struct tw_template *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->parts[i].text);
		expr_free(t->parts[i].expr);
	}
	free(t->parts);
	free(t);
}

static void add_part(struct tw_template *t, char *text, struct tw_expr *e)
{
	t->parts = tw_xgrow(t->parts, &t->cap, t->n + 1, sizeof(*t->parts));
	t->parts[t->n++] = (struct part){ text, e };
}

static void flush_text(struct tw_template *t, struct strbuf *lit)
{
	if (lit->len)
		add_part(t, sb_steal(lit), NULL);
}

/* Offset of the '}' closing the part that starts at 'i', or 'len'. */
static size_t part_end(const char *src, size_t len, size_t i)
{
	int quote = 0;

	for (; i < len; i++) {
		char c = src[i];

		if (quote) {
			if (c == '\\' && i + 1 < len)
				i++;
			else if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '}') {
			return i;
		}
	}
	return len;
}

int template_compile(const char *src, const struct tw_srcpos *pos,
		     const struct tw_symbols *syms, struct tw_template **ret,
		     struct tw_error *err)
{
	struct tw_template *t;
	struct strbuf lit = STRBUF_INIT;
	struct tw_srcpos at;
	size_t len, i = 0, at_off = 0;

	if (!src)
		return tw_error_set(err, -EINVAL, "no template");
	len = strlen(src);
	t = tw_xcalloc(1, sizeof(*t));
	/* Positions of parts are found by walking on from the previous one,
	 * never from the start again: linear in the template's length. */
	expr_pos_at(pos, src, len, 0, &at);
	while (i < len) {
		if (src[i] == '$' && i + 2 < len && src[i + 1] == '$' && src[i + 2] == '{') {
			sb_append(&lit, "${");
			i += 3;
		} else if (src[i] == '$' && i + 1 < len && src[i + 1] == '{') {
			size_t start = i + 2, end = part_end(src, len, start);
			struct tw_srcpos ppos;
			struct tw_expr *e;
			bool blank = true;

			if (end == len) {
				expr_error_at(err, pos, src, len, i,
					      "unterminated '${' in template (missing '}')");
				goto fail;
			}
			for (size_t k = start; k < end; k++)
				if (src[k] != ' ' && src[k] != '\t' && src[k] != '\n' && src[k] != '\r')
					blank = false;
			if (blank) {
				expr_error_at(err, pos, src, len, i, "empty '${}' in template");
				goto fail;
			}
			expr_pos_at(&at, src + at_off, len - at_off, start - at_off, &ppos);
			at = ppos;
			at_off = start;
			if (expr_compile_n(src + start, end - start, &ppos, syms, &e, NULL, err) < 0)
				goto fail;
			flush_text(t, &lit);
			add_part(t, NULL, e);
			i = end + 1;
		} else {
			sb_appendc(&lit, src[i]);
			i++;
		}
	}
	flush_text(t, &lit);
	*ret = t;
	return 0;
fail:
	sb_free(&lit);
	template_free(t);
	return -EINVAL;
}

int template_render_known(const struct tw_template *t, const struct tw_env *env,
			  struct strbuf *out, bool *ret_all_known)
{
	bool all_known = true;

	for (size_t i = 0; i < t->n; i++) {
		struct tw_value v;
		int r;

		if (t->parts[i].text) {
			sb_append(out, t->parts[i].text);
			continue;
		}
		r = expr_eval(t->parts[i].expr, env, &v);
		if (r < 0)
			return r;
		if (!v.known)
			all_known = false;
		tw_value_format(&v, out);
		tw_value_clear(&v);
	}
	if (ret_all_known)
		*ret_all_known = all_known;
	return 0;
}

int template_render(const struct tw_template *t, const struct tw_env *env,
		    struct strbuf *out)
{
	return template_render_known(t, env, out, NULL);
}
