/* SPDX-License-Identifier: MIT */
/* fuzz_archive.c: fuzz target for snap_archive_load() (a snapshot packed
 * by tar, gzip or not) and parse_meta(). The input goes to a temporary
 * file, since archives are read by path. Every kept entry must be a known
 * name without "..", within its cap, and taken once. */
#include "tests/fuzz/fuzz_common.h"

#include <stdio.h>
#include <unistd.h>

#include "collect/parsers.h"
#include "collect/snapshot_archive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz-archive-XXXXXX.tar.gz";
	struct snap_archive *a = NULL;
	struct tw_snapshot_meta m = { 0 };
	struct tw_error err;
	int fd = mkstemps(path, 7), r;

	if (fd < 0)
		abort();
	if (write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	r = snap_archive_load(path, &a, &err);
	unlink(path);
	fuzz_check_error(r, &err, path);
	for (size_t i = 0; r == 0 && i < a->n; i++) {
		const struct snap_entry *e = &a->v[i];
		char *buf;
		size_t len;

		if (strstr(e->rel, "..") == e->rel || strstr(e->rel, "/../") || e->rel[0] == '/')
			abort();
		if (e->refused == 0 && !e->buf)
			abort();
		if (snap_archive_take(a, e->rel, e->rel, &buf, &len, &err) == 0) {
			if (strlen(buf) > len ||
			    snap_archive_take(a, e->rel, e->rel, &buf, &len, &err) != -ENOENT)
				abort();
			if (strcmp(e->rel, "meta.txt") == 0)
				parse_meta(buf, len, "meta.txt", &m, &err);
			free(buf);
		}
	}
	snapshot_meta_free(&m);
	snap_archive_free(a);
	return 0;
}
