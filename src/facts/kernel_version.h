/* SPDX-License-Identifier: MIT */
/* kernel_version.h: kernel release strings as comparable numbers.
 *
 * "3.10.0-1160.el7.x86_64" -> 3.10.0, "6.18.2-arch1-1" -> 6.18.2,
 * "5.15.0-91-generic" -> 5.15.0, "6.1" -> 6.1.0. Distribution backports
 * are invisible here; rules gate on the upstream version. */
#ifndef TW_FACTS_KERNEL_VERSION_H
#define TW_FACTS_KERNEL_VERSION_H

#include <stdbool.h>

struct tw_kernel_version {
	bool known;
	unsigned major, minor, patch;
	char release[128];   /* the string as read, trimmed */
};

/* Parses the first line of 'text' (uname -r output). 0, or -EINVAL when
 * it does not start with MAJOR.MINOR; *ret untouched on failure. */
int kernel_version_parse(const char *text, struct tw_kernel_version *ret);
/* <0, 0, >0 as 'v' is older than, equal to, newer than major.minor.patch. */
int kernel_version_cmp(const struct tw_kernel_version *v, unsigned major,
		       unsigned minor, unsigned patch);

#endif
