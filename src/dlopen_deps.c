/* SPDX-License-Identifier: MIT */
/* dlopen_deps.c: twadvise-dlopen-deps, never installed. twadvise is not
 * linked against the libraries it dlopen()s (src/util/dynlib.h), so the
 * tools that derive a package's dependencies from the libraries a binary
 * needs (Debian's dpkg-shlibdeps, debian/rules) read them from this
 * program instead: it is linked against exactly those, and calls one
 * function of each so that none looks unused. */
#include <archive.h>
#include <curses.h>
#include <jansson.h>
#include <stdio.h>
#ifdef HAVE_TRACE
#include <bpf/libbpf.h>
#endif

int main(void)
{
	/* has_colors(): libncursesw's own (curses_version() is libtinfo's). */
	printf("%d %s %d\n", archive_version_number(), jansson_version_str(), (int)has_colors());
#ifdef HAVE_TRACE
	printf("%u\n", libbpf_major_version());
#endif
	return 0;
}
