/* SPDX-License-Identifier: MIT */
/* libarchive_dl.c: libarchive through dlopen() (see libarchive_dl.h). */
#include "collect/libarchive_dl.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "util/macros.h"

static struct tw_libarchive lib;
static bool loaded;

/* dlsym() returns an object pointer; ISO C has no cast from it to a
 * function pointer, so the bytes are copied (as POSIX describes). */
static bool sym(void *h, const char *name, void *fp, size_t size)
{
	void *p = dlsym(h, name);

	if (!p)
		return false;
	memcpy(fp, &p, size);
	return true;
}

#define SYM(field, name) { #name, offsetof(struct tw_libarchive, field), sizeof(lib.field) }

int tw_libarchive_open(const char *soname, struct tw_libarchive *ret, struct tw_error *err)
{
	static const struct {
		const char *name;
		size_t off, size;
	} syms[] = {
		SYM(read_new, archive_read_new),
		SYM(read_support_filter_gzip, archive_read_support_filter_gzip),
		SYM(read_support_format_tar, archive_read_support_format_tar),
		SYM(read_support_format_gnutar, archive_read_support_format_gnutar),
		SYM(read_open_filename, archive_read_open_filename),
		SYM(read_next_header, archive_read_next_header),
		SYM(read_data, archive_read_data),
		SYM(read_free, archive_read_free),
		SYM(error_string, archive_error_string),
		SYM(entry_pathname, archive_entry_pathname),
		SYM(entry_filetype, archive_entry_filetype),
		SYM(entry_hardlink, archive_entry_hardlink),
		SYM(entry_size, archive_entry_size),
		SYM(entry_size_is_set, archive_entry_size_is_set),
	};
	struct tw_libarchive tmp;
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		const char *why = dlerror();

		return tw_error_set(err, -ENOENT, "reading a snapshot archive needs libarchive (%s): %s",
				    soname, why ? why : "not found");
	}
	for (size_t i = 0; i < ARRAY_SIZE(syms); i++) {
		if (!sym(h, syms[i].name, (char *)&tmp + syms[i].off, syms[i].size)) {
			dlclose(h);
			return tw_error_set(err, -ENOENT, "%s has no %s: not libarchive 3", soname,
					    syms[i].name);
		}
	}
	*ret = tmp;
	return 0;
}

const struct tw_libarchive *tw_libarchive_load(struct tw_error *err)
{
	if (!loaded && tw_libarchive_open(TW_LIBARCHIVE_SONAME, &lib, err) < 0)
		return NULL;
	loaded = true;
	return &lib;
}
