/* SPDX-License-Identifier: MIT */
/* libarchive_dl.h: libarchive, loaded when a snapshot archive is read.
 *
 * libarchive pulls in libxml2, ICU, libstdc++ and five compressors: about
 * 3 MB of resident pages and a tenth of the start-up time of every run,
 * although only --snapshot FILE.tar.gz uses it. It is opened with
 * dlopen() on first use instead of being linked; the prototypes still
 * come from <archive.h>, so each pointer has the library's own type. */
#ifndef TW_COLLECT_LIBARCHIVE_DL_H
#define TW_COLLECT_LIBARCHIVE_DL_H

#include <archive.h>
#include <archive_entry.h>

#include "util/error.h"

/* The soname of libarchive 3 (stable since 2011). */
#ifndef TW_LIBARCHIVE_SONAME
#define TW_LIBARCHIVE_SONAME "libarchive.so.13"
#endif

struct tw_libarchive {
	__typeof__(archive_read_new) *read_new;
	__typeof__(archive_read_support_filter_gzip) *read_support_filter_gzip;
	__typeof__(archive_read_support_format_tar) *read_support_format_tar;
	__typeof__(archive_read_support_format_gnutar) *read_support_format_gnutar;
	__typeof__(archive_read_open_filename) *read_open_filename;
	__typeof__(archive_read_next_header) *read_next_header;
	__typeof__(archive_read_data) *read_data;
	__typeof__(archive_read_free) *read_free;
	__typeof__(archive_error_string) *error_string;
	__typeof__(archive_entry_pathname) *entry_pathname;
	__typeof__(archive_entry_filetype) *entry_filetype;
	__typeof__(archive_entry_hardlink) *entry_hardlink;
	__typeof__(archive_entry_size) *entry_size;
	__typeof__(archive_entry_size_is_set) *entry_size_is_set;
};

/* Opens 'soname' and fills *ret with its functions: 0, or -ENOENT with
 * a message naming the library (missing, or without one of them). The
 * library stays loaded. */
int tw_libarchive_open(const char *soname, struct tw_libarchive *ret, struct tw_error *err);

/* TW_LIBARCHIVE_SONAME's functions, opened on the first call; NULL with
 * the error in *err when it cannot be. */
const struct tw_libarchive *tw_libarchive_load(struct tw_error *err);

#endif
