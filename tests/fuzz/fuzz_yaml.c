/* SPDX-License-Identifier: MIT */
/* fuzz_yaml.c: fuzz target for ydoc_parse() (the YAML tree the rule,
 * profile and acknowledgement loaders walk), and for acks_load() on the
 * same bytes.
 *
 * A parsed tree must be well formed: positions from 1, scalars with a
 * value and no children, maps with a scalar key per item and no
 * duplicate keys. Errors read "FILE:LINE:COL: message". acks_load()
 * takes a path, so the input is written to an anonymous memory file and
 * loaded through /proc/self/fd. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include "tests/fuzz/fuzz_common.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine/acks.h"
#include "engine/yaml_doc.h"

static void check_node(const struct ynode *n, int depth)
{
	if (!n || n->line < 1 || n->col < 1 || depth > 200)
		abort();
	switch (n->type) {
	case YNODE_SCALAR:
		if (!n->value || n->n != 0)
			abort();
		break;
	case YNODE_SEQ:
		if (n->keys)
			abort();
		for (size_t i = 0; i < n->n; i++)
			check_node(n->items[i], depth + 1);
		break;
	case YNODE_MAP:
		for (size_t i = 0; i < n->n; i++) {
			if (!n->keys || !n->keys[i] || n->keys[i]->type != YNODE_SCALAR)
				abort();
			check_node(n->keys[i], depth + 1);
			check_node(n->items[i], depth + 1);
			if (ynode_get(n, n->keys[i]->value) != n->items[i])
				abort();   /* a duplicate key got through */
		}
		break;
	default:
		abort();
	}
}

static void check_yaml_error(const struct tw_error *err, const char *file)
{
	size_t n = strlen(file);
	unsigned line, col;
	char colon;

	/* "FILE:LINE:COL: ..." */
	if (strncmp(err->msg, file, n) != 0 || err->msg[n] != ':' ||
	    sscanf(err->msg + n + 1, "%u:%u%c", &line, &col, &colon) != 3 || colon != ':' ||
	    line < 1 || col < 1)
		abort();
}

static void fuzz_acks(const uint8_t *data, size_t size)
{
	struct tw_ack_list l = { 0 };
	struct tw_error err;
	char path[64];
	int fd = memfd_create("acks", MFD_CLOEXEC);
	size_t off = 0;

	if (fd < 0)
		return;   /* no memfd: nothing to test here */
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);

		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (acks_load(&l, path, true, (time_t)1767225600 /* 2026-01-01 */, &err) == 0) {
		for (size_t i = 0; i < l.n; i++)
			if (!l.v[i].id || !l.v[i].reason)
				abort();
	} else {
		check_yaml_error(&err, path);
	}
	acks_free(&l);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ydoc d = { 0 };
	struct tw_error err;

	if (ydoc_parse("fuzz.yaml", (const char *)data, size, &d, &err) == 0) {
		if (!d.file || strcmp(d.file, "fuzz.yaml") != 0)
			abort();
		if (d.root)
			check_node(d.root, 0);
		ydoc_free(&d);
		fuzz_acks(data, size);
	} else {
		check_yaml_error(&err, "fuzz.yaml");
	}
	return 0;
}
