/* SPDX-License-Identifier: MIT */
/* yaml_doc.h: a YAML file loaded into a small tree that keeps positions.
 *
 * Rule and profile loaders walk this tree instead of libyaml's event
 * stream, so every error they report can name FILE:LINE:COL of the node at
 * fault. Anchors/aliases and multi-document files are refused: advice
 * files should read the same to people and to twadvise. */
#ifndef TW_ENGINE_YAML_DOC_H
#define TW_ENGINE_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

enum ynode_type {
	YNODE_SCALAR,
	YNODE_SEQ,
	YNODE_MAP,
};

struct ynode {
	enum ynode_type type;
	int line, col;            /* from 1 */
	char *value;              /* SCALAR: text */
	bool quoted;              /* SCALAR written with quotes or as a block */
	/* SCALAR spanning several lines as a block (| or >) or plain scalar:
	 * its text as written, indentation and line breaks kept, starting at
	 * src_line:src_col, so that an expression compiled from it reports
	 * errors at their true LINE:COL. NULL otherwise, or when the text as
	 * written and 'value' differ by more than whitespace. */
	char *src;
	int src_line, src_col;
	/* SEQ: items; MAP: keys[i] -> items[i] (keys are scalars). */
	struct ynode **items;
	struct ynode **keys;
	size_t n, cap;
};

struct ydoc {
	char *file;               /* name used in messages */
	struct ynode *root;       /* NULL for an empty file */
};

/* Parses 'len' bytes; 'file' names the source in errors. On failure
 * -EINVAL with err = "FILE:LINE:COL: message". Caller frees with ydoc_free. */
int ydoc_parse(const char *file, const char *buf, size_t len, struct ydoc *ret,
	       struct tw_error *err);
/* Reads and parses a file (at most 1 MiB). */
int ydoc_load(const char *path, struct ydoc *ret, struct tw_error *err);
void ydoc_free(struct ydoc *d);

/* MAP lookup by key; NULL when absent. */
const struct ynode *ynode_get(const struct ynode *map, const char *key);
const char *ynode_type_name(enum ynode_type t);

#endif
