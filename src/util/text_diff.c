/* SPDX-License-Identifier: MIT */
/* text_diff.c: unified diffs of small texts (see text_diff.h).
 *
 * The texts are cut into lines (a line keeps whether it ended with a
 * newline, so "x" at the end of a file differs from "x\n", as for diff);
 * the common head and tail are set aside and the middle is matched with the
 * textbook longest-common-subsequence table. The edit script is then cut
 * into hunks the way GNU diff does: changes closer than twice the context
 * share a hunk, and within a run of changes removals print before
 * additions. */
#include "util/text_diff.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define DIFF_CONTEXT 3
#define DIFF_MAX_LINES 20000
#define DIFF_MAX_CELLS (4u * 1024 * 1024)

struct line {
	const char *s;
	size_t len; /* without the newline */
	bool nl;
};

/* One step of the edit script; 'a' and 'b' are the line indexes before it. */
struct op {
	char kind; /* ' ', '-', '+' */
	size_t a, b;
};

static struct line *split_lines(const char *t, size_t *ret_n)
{
	struct line *v = NULL;
	size_t n = 0, cap = 0;

	while (t && *t) {
		const char *nl = strchr(t, '\n');

		v = tw_xgrow(v, &cap, n + 1, sizeof(*v));
		v[n].s = t;
		v[n].len = nl ? (size_t)(nl - t) : strlen(t);
		v[n].nl = nl != NULL;
		n++;
		t = nl ? nl + 1 : t + strlen(t);
	}
	*ret_n = n;
	return v;
}

static bool line_eq(const struct line *x, const struct line *y)
{
	return x->len == y->len && x->nl == y->nl && memcmp(x->s, y->s, x->len) == 0;
}

static void push(struct op **v, size_t *n, size_t *cap, char kind, size_t a, size_t b)
{
	*v = tw_xgrow(*v, cap, *n + 1, sizeof(**v));
	(*v)[*n] = (struct op){ kind, a, b };
	(*n)++;
}

/* The edit script for a[0..na) -> b[0..nb). Caller frees. */
static struct op *edit_script(const struct line *a, size_t na, const struct line *b, size_t nb,
			      size_t *ret_n)
{
	struct op *v = NULL;
	size_t n = 0, cap = 0, pre = 0, suf = 0, i, j, ma, mb;

	while (pre < na && pre < nb && line_eq(&a[pre], &b[pre]))
		pre++;
	while (suf < na - pre && suf < nb - pre && line_eq(&a[na - 1 - suf], &b[nb - 1 - suf]))
		suf++;
	for (i = 0; i < pre; i++)
		push(&v, &n, &cap, ' ', i, i);
	ma = na - pre - suf;
	mb = nb - pre - suf;
	if (na <= DIFF_MAX_LINES && nb <= DIFF_MAX_LINES && ma > 0 && mb > 0 &&
	    (ma + 1) * (mb + 1) <= DIFF_MAX_CELLS) {
		/* L[i][j]: LCS length of a[pre+i..] and b[pre+j..]. */
		uint32_t *L = tw_xcalloc((ma + 1) * (mb + 1), sizeof(*L));
#define AT(x, y) L[(x) * (mb + 1) + (y)]
		for (i = ma; i-- > 0;)
			for (j = mb; j-- > 0;)
				AT(i, j) = line_eq(&a[pre + i], &b[pre + j])
						   ? AT(i + 1, j + 1) + 1
						   : (AT(i + 1, j) >= AT(i, j + 1) ? AT(i + 1, j)
										  : AT(i, j + 1));
		i = j = 0;
		while (i < ma || j < mb) {
			if (i < ma && j < mb && line_eq(&a[pre + i], &b[pre + j])) {
				push(&v, &n, &cap, ' ', pre + i, pre + j);
				i++;
				j++;
			} else if (j == mb || (i < ma && AT(i + 1, j) >= AT(i, j + 1))) {
				push(&v, &n, &cap, '-', pre + i, pre + j);
				i++;
			} else {
				push(&v, &n, &cap, '+', pre + i, pre + j);
				j++;
			}
		}
#undef AT
		free(L);
	} else {
		for (i = 0; i < ma; i++)
			push(&v, &n, &cap, '-', pre + i, pre);
		for (j = 0; j < mb; j++)
			push(&v, &n, &cap, '+', pre + ma, pre + j);
	}
	for (i = 0; i < suf; i++)
		push(&v, &n, &cap, ' ', na - suf + i, nb - suf + i);
	*ret_n = n;
	return v;
}

/* GNU's print_unidiff_number_range(): "l" for one line, "l,n" otherwise,
 * and for no lines the number of the line before. */
static void append_range(struct strbuf *out, size_t start, size_t count)
{
	if (count == 1)
		sb_appendf(out, "%zu", start + 1);
	else if (count == 0)
		sb_appendf(out, "%zu,0", start);
	else
		sb_appendf(out, "%zu,%zu", start + 1, count);
}

static void append_line(struct strbuf *out, char kind, const struct line *l)
{
	sb_appendc(out, kind);
	sb_appendn(out, l->s, l->len);
	sb_appendc(out, '\n');
	if (!l->nl)
		sb_append(out, "\\ No newline at end of file\n");
}

static void append_hunk(struct strbuf *out, const struct op *v, size_t from, size_t to,
			const struct line *a, const struct line *b)
{
	size_t i, ca = 0, cb = 0;

	for (i = from; i < to; i++) {
		ca += v[i].kind != '+';
		cb += v[i].kind != '-';
	}
	sb_append(out, "@@ -");
	append_range(out, v[from].a, ca);
	sb_append(out, " +");
	append_range(out, v[from].b, cb);
	sb_append(out, " @@\n");
	for (i = from; i < to;) {
		size_t k, end;

		if (v[i].kind == ' ') {
			append_line(out, ' ', &a[v[i].a]);
			i++;
			continue;
		}
		for (end = i; end < to && v[end].kind != ' '; end++)
			;
		for (k = i; k < end; k++)
			if (v[k].kind == '-')
				append_line(out, '-', &a[v[k].a]);
		for (k = i; k < end; k++)
			if (v[k].kind == '+')
				append_line(out, '+', &b[v[k].b]);
		i = end;
	}
}

void text_unified_diff(const char *old_name, const char *old_text, const char *new_name,
		       const char *new_text, struct strbuf *out)
{
	size_t na, nb, nv, i, first;
	struct line *a = split_lines(old_text, &na);
	struct line *b = split_lines(new_text, &nb);
	struct op *v = edit_script(a, na, b, nb, &nv);
	bool header = false;

	i = 0;
	while (i < nv) {
		size_t last, from, to, gap;

		while (i < nv && v[i].kind == ' ')
			i++;
		if (i == nv)
			break;
		first = last = i;
		/* Extend while the next change is within 2 * context lines. */
		for (;;) {
			size_t k = last + 1;

			while (k < nv && v[k].kind != ' ')
				last = k++;
			gap = 0;
			while (k < nv && v[k].kind == ' ') {
				gap++;
				k++;
			}
			if (k == nv || gap > 2 * DIFF_CONTEXT)
				break;
			last = k;
		}
		from = first > DIFF_CONTEXT ? first - DIFF_CONTEXT : 0;
		to = last + 1 + DIFF_CONTEXT < nv ? last + 1 + DIFF_CONTEXT : nv;
		if (!header) {
			sb_appendf(out, "--- %s\n+++ %s\n", old_name, new_name);
			header = true;
		}
		append_hunk(out, v, from, to, a, b);
		i = last + 1;
	}
	free(v);
	free(a);
	free(b);
}
