/* SPDX-License-Identifier: MIT */
/* sysctld_parse.h: the pure parts of the sysctl.d resolver, for tests and
 * the fuzzer.
 *
 * sysctld_load() walks folders and reads files; everything it learns from a
 * file's bytes goes through sysctld_parse_file(), which touches no file
 * system, so it can be fed arbitrary input. Not part of the public
 * interface (sysctld.h). */
#ifndef TW_SYSCTLD_SYSCTLD_PARSE_H
#define TW_SYSCTLD_SYSCTLD_PARSE_H

#include <stddef.h>

#include "sysctld/sysctld.h"

/* An empty configuration (no files). Caller frees with sysctld_free(). */
struct tw_sysctld *sysctld_new(void);

/* Appends the file whose host path is 'host_path' to the boot order (after
 * every file added before) and parses its 'len' bytes, which need not be
 * NUL-terminated and may contain NUL bytes (systemd ends a line at '\n',
 * '\r', "\r\n" or NUL). Lines that are not assignments become warnings.
 * Copies what it keeps; 'buf' stays the caller's. Returns 0. */
int sysctld_parse_file(struct tw_sysctld *c, const char *host_path, const char *buf, size_t len);

/* The key in the canonical form systemd uses internally (slashes between
 * components, "net/ipv4/conf/eth0.1/rp_filter"): if the first separator is
 * a '.', dots and slashes are swapped; repeated, leading and trailing
 * slashes and "." components are dropped. Caller frees. */
char *sysctld_key_canonical(const char *key);

#endif
