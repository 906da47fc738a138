/* SPDX-License-Identifier: MIT */
/* yaml_doc.c: libyaml event stream -> position-keeping tree (see yaml_doc.h). */
#include "engine/yaml_doc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/fileio.h"
#include "util/xalloc.h"

#define MAX_DEPTH 64
/* Entries in one mapping or list: no profile or rule needs a tenth of
 * this, and the loaders that look keys up linearly stay fast whatever a
 * hostile file holds. */
#define MAX_ITEMS 4096
#define MAX_ITEMS_TEXT "4096"

static struct ynode *node_new(enum ynode_type type, const yaml_mark_t *m)
{
	struct ynode *n = tw_xcalloc(1, sizeof(*n));

	n->type = type;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	return n;
}

static void node_free(struct ynode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		node_free(n->items[i]);
		if (n->keys)
			node_free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->value);
	free(n->src);
	free(n);
}

struct ydoc_builder {
	yaml_parser_t parser;
	const char *file;
	const char *buf;
	size_t len;
	struct tw_error *err;
};

/* Whether a and b hold the same text once runs of whitespace are taken
 * as one space and leading and trailing whitespace is ignored. */
static bool same_but_whitespace(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, k = 0;

#define WS(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r')
	for (;;) {
		bool wa = false, wb = false;

		while (i < alen && WS(a[i]))
			i++, wa = true;
		while (k < blen && WS(b[k]))
			k++, wb = true;
		if (i == alen || k == blen)
			return i == alen && k == blen;
		if (wa != wb && i > 0 && k > 0)
			return false;
		if (a[i] != b[k])
			return false;
		i++, k++;
	}
#undef WS
}

/* Sets n->src for a multi-line block or plain scalar (see yaml_doc.h). */
static void keep_source(struct ydoc_builder *b, struct ynode *n, const yaml_event_t *ev)
{
	const yaml_mark_t *s = &ev->start_mark, *e = &ev->end_mark;
	yaml_scalar_style_t style = ev->data.scalar.style;
	size_t from = s->index, line = s->line, col = s->column;

	if (e->line == s->line || e->index > b->len || s->index > e->index)
		return;
	if (style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE) {
		/* Content starts on the line after the indicator, at column 1. */
		while (from < e->index && b->buf[from] != '\n')
			from++;
		if (from == e->index)
			return;
		from++;
		line++;
		col = 0;
	} else if (style != YAML_PLAIN_SCALAR_STYLE) {
		return;  /* quoted: escapes make the text differ */
	}
	if (!same_but_whitespace(b->buf + from, e->index - from, n->value, strlen(n->value)))
		return;
	n->src = tw_xstrndup(b->buf + from, e->index - from);
	n->src_line = (int)line + 1;
	n->src_col = (int)col + 1;
}

static int fail_at(struct ydoc_builder *b, const yaml_mark_t *m, const char *what)
{
	return tw_error_set(b->err, -EINVAL, "%s:%zu:%zu: %s", b->file, m->line + 1,
			    m->column + 1, what);
}

static int next_event(struct ydoc_builder *b, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&b->parser, ev)) {
		const yaml_mark_t *m = &b->parser.problem_mark;

		return tw_error_set(b->err, -EINVAL, "%s:%zu:%zu: %s%s%s", b->file, m->line + 1,
				    m->column + 1, b->parser.problem ? b->parser.problem : "invalid YAML",
				    b->parser.context ? " " : "",
				    b->parser.context ? b->parser.context : "");
	}
	return 0;
}

static void append(struct ynode *parent, struct ynode *key, struct ynode *item)
{
	size_t cap = parent->cap;

	parent->items = tw_xgrow(parent->items, &cap, parent->n + 1, sizeof(*parent->items));
	if (parent->type == YNODE_MAP) {
		size_t kcap = parent->cap;

		parent->keys = tw_xgrow(parent->keys, &kcap, parent->n + 1, sizeof(*parent->keys));
		parent->keys[parent->n] = key;
	}
	parent->cap = cap;
	parent->items[parent->n++] = item;
}

/* The keys of one mapping being built, to refuse a duplicate in O(1)
 * (a linear ynode_get() per key made a large mapping quadratic). Holds
 * pointers into the key nodes; open addressing, at most half full. */
struct key_set {
	const char **slot;
	size_t cap, n;
};

static void key_set_init(struct key_set *s)
{
	memset(s, 0, sizeof(*s));
}

static size_t key_hash(const char *k)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */

	for (; *k; k++) {
		h ^= (unsigned char)*k;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

static void key_set_put(struct key_set *s, const char *k)
{
	size_t i = key_hash(k) & (s->cap - 1);

	while (s->slot[i])
		i = (i + 1) & (s->cap - 1);
	s->slot[i] = k;
	s->n++;
}

/* false when 'k' is already in the set. */
static bool key_set_add(struct key_set *s, const char *k)
{
	if ((s->n + 1) * 2 > s->cap) {
		struct key_set big = { tw_xcalloc(s->cap ? s->cap * 2 : 16, sizeof(char *)),
				       s->cap ? s->cap * 2 : 16, 0 };

		for (size_t i = 0; i < s->cap; i++)
			if (s->slot[i])
				key_set_put(&big, s->slot[i]);
		free(s->slot);
		*s = big;
	}
	for (size_t i = key_hash(k) & (s->cap - 1); s->slot[i]; i = (i + 1) & (s->cap - 1))
		if (strcmp(s->slot[i], k) == 0)
			return false;
	key_set_put(s, k);
	return true;
}

static void key_set_free(struct key_set *s)
{
	free(s->slot);
	s->slot = NULL;
}

/* Builds the node starting with event 'ev' (consumed). */
static int build(struct ydoc_builder *b, yaml_event_t *ev, int depth, struct ynode **ret)
{
	struct ynode *n = NULL;
	int r = 0;

	if (depth > MAX_DEPTH) {
		r = fail_at(b, &ev->start_mark, "nesting too deep");
		yaml_event_delete(ev);
		return r;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = node_new(YNODE_SCALAR, &ev->start_mark);
		n->value = tw_xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
		if (strlen(n->value) != ev->data.scalar.length) {
			r = fail_at(b, &ev->start_mark, "NUL byte in a scalar");
			break;
		}
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		keep_source(b, n, ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		bool map = ev->type == YAML_MAPPING_START_EVENT;
		struct key_set seen;

		n = node_new(map ? YNODE_MAP : YNODE_SEQ, &ev->start_mark);
		key_set_init(&seen);
		for (;;) {
			yaml_event_t child;
			struct ynode *key = NULL, *val = NULL;

			r = next_event(b, &child);
			if (r < 0)
				break;
			if (child.type == YAML_SEQUENCE_END_EVENT || child.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&child);
				break;
			}
			if (map) {
				if (child.type != YAML_SCALAR_EVENT) {
					r = fail_at(b, &child.start_mark, "mapping keys must be plain scalars");
					yaml_event_delete(&child);
					break;
				}
				r = build(b, &child, depth + 1, &key);
				if (r < 0)
					break;
				if (!key_set_add(&seen, key->value)) {
					r = tw_error_set(b->err, -EINVAL, "%s:%d:%d: duplicate key '%s'",
							 b->file, key->line, key->col, key->value);
					node_free(key);
					break;
				}
				r = next_event(b, &child);
				if (r < 0) {
					node_free(key);
					break;
				}
			}
			r = build(b, &child, depth + 1, &val);
			if (r < 0) {
				node_free(key);
				break;
			}
			append(n, key, val);
			if (n->n > MAX_ITEMS) {
				r = fail_at(b, &ev->start_mark, map ? "more than " MAX_ITEMS_TEXT
					    " keys in one mapping" : "more than " MAX_ITEMS_TEXT
					    " items in one list");
				break;
			}
		}
		key_set_free(&seen);
		break;
	}
	case YAML_ALIAS_EVENT:
		r = fail_at(b, &ev->start_mark, "aliases are not supported");
		break;
	default:
		r = fail_at(b, &ev->start_mark, "unexpected YAML event");
		break;
	}
	yaml_event_delete(ev);
	if (r < 0) {
		node_free(n);
		return r;
	}
	*ret = n;
	return 0;
}

int ydoc_parse(const char *file, const char *buf, size_t len, struct ydoc *ret,
	       struct tw_error *err)
{
	struct ydoc_builder b = { .file = file, .buf = buf, .len = len, .err = err };
	struct ynode *root = NULL;
	yaml_event_t ev;
	int r;

	if (!yaml_parser_initialize(&b.parser))
		return tw_error_set(err, -ENOMEM, "%s: cannot initialise the YAML parser", file);
	yaml_parser_set_input_string(&b.parser, (const unsigned char *)buf, len);

	/* STREAM-START, then DOCUMENT-START or STREAM-END (empty file). */
	r = next_event(&b, &ev);
	if (r < 0)
		goto out;
	yaml_event_delete(&ev);
	r = next_event(&b, &ev);
	if (r < 0)
		goto out;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		goto done;
	}
	yaml_event_delete(&ev);
	r = next_event(&b, &ev);
	if (r < 0)
		goto out;
	r = build(&b, &ev, 0, &root);
	if (r < 0)
		goto out;
	r = next_event(&b, &ev);  /* DOCUMENT-END */
	if (r < 0)
		goto out;
	yaml_event_delete(&ev);
	r = next_event(&b, &ev);
	if (r < 0)
		goto out;
	if (ev.type != YAML_STREAM_END_EVENT) {
		r = fail_at(&b, &ev.start_mark, "only one YAML document per file");
		yaml_event_delete(&ev);
		goto out;
	}
	yaml_event_delete(&ev);
done:
	ret->file = tw_xstrdup(file);
	ret->root = root;
	root = NULL;
	r = 0;
out:
	node_free(root);
	yaml_parser_delete(&b.parser);
	return r;
}

int ydoc_load(const char *path, struct ydoc *ret, struct tw_error *err)
{
	char *buf;
	size_t len;
	int r;

	r = tw_read_file(path, 1 << 20, &buf, &len, err);
	if (r < 0)
		return r;
	r = ydoc_parse(path, buf, len, ret, err);
	free(buf);
	return r;
}

void ydoc_free(struct ydoc *d)
{
	if (!d)
		return;
	node_free(d->root);
	free(d->file);
	d->root = NULL;
	d->file = NULL;
}

const struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	if (!map || map->type != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->value, key) == 0)
			return map->items[i];
	return NULL;
}

const char *ynode_type_name(enum ynode_type t)
{
	switch (t) {
	case YNODE_SCALAR:
		return "a scalar";
	case YNODE_SEQ:
		return "a list";
	case YNODE_MAP:
		return "a mapping";
	}
	return "?";
}
