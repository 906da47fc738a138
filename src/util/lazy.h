/* SPDX-License-Identifier: MIT */
/* lazy.h: the optional libraries, each loaded (dlopen) by the feature
 * that uses it (see dynlib.h): 0, or a negative errno with "FEATURE:
 * needs SONAME, which cannot be loaded: WHY" in 'err'. Loading twice
 * is free. */
#ifndef TW_UTIL_LAZY_H
#define TW_UTIL_LAZY_H

#include "util/error.h"

int lazy_archive_load(struct tw_error *err);   /* libarchive: --snapshot FILE.tar.gz */
int lazy_jansson_load(struct tw_error *err);   /* jansson: --from-json, --format html */
int lazy_curses_load(struct tw_error *err);    /* ncursesw: the --watch screen */
int lazy_bpf_load(struct tw_error *err);       /* libbpf: --trace */

#endif
