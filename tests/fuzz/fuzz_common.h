/* SPDX-License-Identifier: MIT */
/* fuzz_common.h: helpers shared by the fuzz targets, and the main() they
 * use when built without libFuzzer.
 *
 * Each target includes this header and defines LLVMFuzzerTestOneInput().
 * Built with -DTW_LIBFUZZER (clang, -fsanitize=fuzzer) libFuzzer
 * provides main() and this header adds nothing; otherwise main() runs
 * every file named on the command line, and every file of every folder
 * named there (not recursively, dot files skipped), through the target, so
 * gcc builds replay the corpus (tests/fuzz/run-corpus.sh). Each input is
 * handed over in a buffer of exactly its size, so that a read past the
 * end shows under ASan or valgrind. Exit status 1 when a path cannot be
 * read; a bug in a parser aborts. */
#ifndef TW_FUZZ_COMMON_H
#define TW_FUZZ_COMMON_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of the input, for parsers that take C strings
 * (caller frees). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A failing parser must leave one NUL-terminated line (no newline) that
 * starts with the file name it was given ("NAME:LINE: ..." or "NAME: ..."). */
static inline void fuzz_check_error(int r, const struct tw_error *err, const char *name)
{
	size_t n = strlen(name);

	if (r >= 0)
		return;
	if (strnlen(err->msg, sizeof(err->msg)) >= sizeof(err->msg) ||
	    strncmp(err->msg, name, n) != 0 || err->msg[n] != ':' || strchr(err->msg, '\n'))
		abort();
}

#ifndef TW_LIBFUZZER
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/error.h"
#include "util/fileio.h"
#include "util/strbuf.h"

static int fuzz_run_file(const char *path)
{
	struct tw_error err;
	char *buf = NULL, *exact;
	size_t len = 0;

	if (tw_read_file(path, 1 << 20, &buf, &len, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	/* malloc(0) may return NULL; the target gets a valid pointer. */
	exact = malloc(len ? len : 1);
	if (!exact)
		abort();
	memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput((const uint8_t *)exact, len);
	free(exact);
	return 0;
}

static int fuzz_run_path(const char *path)
{
	struct stat st;
	struct dirent **names;
	int n, rc = 0;

	if (stat(path, &st) < 0) {
		perror(path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return fuzz_run_file(path);
	/* Sorted, so that a failing input is found at the same place each run. */
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		perror(path);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			struct strbuf p = STRBUF_INIT;

			sb_appendf(&p, "%s/%s", path, names[i]->d_name);
			rc |= fuzz_run_file(sb_str(&p));
			sb_free(&p);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;

	for (int i = 1; i < argc; i++)
		rc |= fuzz_run_path(argv[i]);
	return rc;
}
#endif /* !TW_LIBFUZZER */

#endif
