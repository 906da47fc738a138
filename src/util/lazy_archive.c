/* SPDX-License-Identifier: MIT */
/* lazy_archive.c: libarchive, loaded when a snapshot archive is read
 * (see dynlib.h and lazy.h). */
#include "util/lazy.h"

#include <archive.h>
#include <archive_entry.h>

#include "util/dynlib.h"

#define ARCHIVE_FUNCS(X, V)                                                              \
	X(__LA_MODE_T, archive_entry_filetype, (struct archive_entry * e), (e))          \
	X(const char *, archive_entry_hardlink, (struct archive_entry * e), (e))         \
	X(const char *, archive_entry_pathname, (struct archive_entry * e), (e))         \
	X(la_int64_t, archive_entry_size, (struct archive_entry * e), (e))               \
	X(int, archive_entry_size_is_set, (struct archive_entry * e), (e))               \
	X(const char *, archive_error_string, (struct archive * a), (a))                 \
	X(la_ssize_t, archive_read_data, (struct archive * a, void *buf, size_t n),      \
	  (a, buf, n))                                                                   \
	X(int, archive_read_free, (struct archive * a), (a))                             \
	X(struct archive *, archive_read_new, (void), ())                                \
	X(int, archive_read_next_header, (struct archive * a, struct archive_entry **e), \
	  (a, e))                                                                        \
	X(int, archive_read_open_filename,                                               \
	  (struct archive * a, const char *name, size_t block), (a, name, block))        \
	X(int, archive_read_support_filter_gzip, (struct archive * a), (a))              \
	X(int, archive_read_support_format_gnutar, (struct archive * a), (a))            \
	X(int, archive_read_support_format_tar, (struct archive * a), (a))

DYNLIB_TABLE(ARCHIVE_FUNCS, archive_lib, TW_SONAME_ARCHIVE, "snapshot archives (.tar.gz, .tar)");

int lazy_archive_load(struct tw_error *err)
{
	return dynlib_load(&archive_lib, err);
}

#define X(ret, name, params, args) DYNLIB_X_TRAMPOLINE(archive_lib, ret, name, params, args)
#define V(name, params, args) DYNLIB_V_TRAMPOLINE(archive_lib, name, params, args)
ARCHIVE_FUNCS(X, V)
