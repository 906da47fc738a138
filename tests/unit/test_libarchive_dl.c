/* SPDX-License-Identifier: MIT */
/* test_libarchive_dl.c: libarchive opened with dlopen() (libarchive_dl.c):
 * the real library's functions work (a file of garbage is refused by
 * the library itself, with its own message; tests/cli/archive-snapshots.sh
 * reads real archives); a missing library and a library without
 * libarchive's symbols are clear errors naming them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/libarchive_dl.h"

static void test_real(void **state)
{
	struct tw_error err = { "" };
	const struct tw_libarchive *la = tw_libarchive_load(&err);
	struct archive *ar;
	struct archive_entry *ent;
	char path[] = "/tmp/twtest-la-XXXXXX";
	int fd;

	(void)state;
	assert_non_null(la);
	assert_ptr_equal(tw_libarchive_load(&err), la);   /* opened once */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "not a tar archive at all\n", 25), 25);
	close(fd);
	ar = la->read_new();
	assert_non_null(ar);
	la->read_support_filter_gzip(ar);
	la->read_support_format_tar(ar);
	/* Refused when opened (format detection) or at the first header. */
	if (la->read_open_filename(ar, path, 4096) == ARCHIVE_OK)
		assert_true(la->read_next_header(ar, &ent) < ARCHIVE_WARN);
	assert_non_null(la->error_string(ar));
	assert_non_null(strstr(la->error_string(ar), "format"));
	assert_int_equal(la->read_free(ar), ARCHIVE_OK);
	unlink(path);
}

static void test_missing(void **state)
{
	struct tw_error err = { "" };
	struct tw_libarchive lib;

	(void)state;
	assert_int_equal(tw_libarchive_open("libarchive.so.999", &lib, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "needs libarchive (libarchive.so.999)"));
	assert_int_equal(tw_libarchive_open("libm.so.6", &lib, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "libm.so.6 has no archive_read_new"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real),
		cmocka_unit_test(test_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
