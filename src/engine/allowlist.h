/* SPDX-License-Identifier: MIT */
/* allowlist.h: the one table of sysctl keys twadvise may ever recommend,
 * write to a fragment or apply (invariants 1 and 5, SECURITY in twadvise(8)), each with
 * whether it is per network namespace.
 *
 * Every check goes through allowlist_normalise() first, so that a key
 * spelt in the slash form ("net/ipv4/tcp_tw_recycle", as sysctl(8) and
 * systemd-sysctl also accept) is judged as its dotted form. A key is
 * permitted only when its normalised form is exactly a table entry; any
 * other spelling (case, spaces, "..", a "/proc/sys/" prefix that is not
 * stripped) is refused, so no spelling can slip past the value rules.
 *
 * Callers: the profile and rule loaders (at load time, with FILE:LINE:COL),
 * the engine's change plan, and --apply / --revert before anything is
 * written. Everything here is pure: no allocation but where stated, no
 * I/O, no global state. */
#ifndef TW_ENGINE_ALLOWLIST_H
#define TW_ENGINE_ALLOWLIST_H

#include <stdbool.h>
#include <stddef.h>

/* Longest key the table can hold, normalised, with its NUL. */
#define TW_ALLOWLIST_KEY_MAX 96

struct tw_allowed_key {
	const char *key;         /* dotted form */
	bool per_netns;          /* writing it inside a namespace leaves the host alone */
	const char *only_value;  /* non-NULL: the only value ever permitted */
	const char *why;         /* why it is on the list (for --help-like listings) */
};

/* The dotted form of 'key' written to 'buf' (size 'len'): leading '/'
 * dropped, then, when the first separator is '/', every '/' and '.'
 * swapped (a '.' inside a slash-form component, as in "eth0.1", becomes
 * '/'), as sysctl(8) does. Returns false (buf holds "") when 'key' is
 * NULL, empty, or does not fit. */
bool allowlist_normalise(const char *key, char *buf, size_t len);

/* The table entry for 'key' (any spelling), or NULL. */
const struct tw_allowed_key *allowlist_find(const char *key);

/* Whether 'key' may be recommended, written or applied; with 'netns'
 * true, only per-namespace keys are. On false, *why (when not NULL) is a
 * static sentence fragment to follow "KEY: ". */
bool allowlist_permits(const char *key, bool netns, const char **why);

/* Whether 'value' may be set for 'key' (invariant 1: tcp_tw_recycle only
 * ever 0). Spaces and tabs around the value are ignored. A key not on
 * the list is refused too. On false, *why as above. */
bool allowlist_value_permitted(const char *key, const char *value, const char **why);

/* The table, for listings and tests. */
size_t allowlist_count(void);
const struct tw_allowed_key *allowlist_at(size_t i);

#endif
