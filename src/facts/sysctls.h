/* SPDX-License-Identifier: MIT */
/* sysctls.h: the table of kernel parameters, key -> text value.
 *
 * Keys use sysctl's dotted form ("net.ipv4.tcp_tw_reuse"). A key absent
 * from the table does not exist on that kernel; a key present with a NULL
 * value exists but could not be read (permission). Values are kept as
 * text exactly as sysctl prints them, tabs folded to one space. */
#ifndef TW_FACTS_SYSCTLS_H
#define TW_FACTS_SYSCTLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/sysctl_keys.h"

struct tw_sysctl_entry {
	char *key;
	char *value;   /* NULL: present but unreadable */
	size_t seq;    /* insertion order: the later of two puts wins */
};

struct tw_sysctls {
	bool known;                 /* the source was read at all */
	struct tw_sysctl_entry *v;  /* sorted by key after sysctls_seal() */
	size_t n, cap;
	bool sealed;
	/* Non-NULL: only these keys were read (a live run reads what its rules
	 * and report use); a lookup of any other is a bug, which aborts when
	 * the environment has TW_TEST_SYSCTL_STRICT (the tests set it). */
	struct tw_sysctl_keys *subset;
};

/* Adds or replaces 'key' (both copied; 'value' may be NULL). Whitespace
 * runs in the value are folded to one space and trimmed. */
void sysctls_put(struct tw_sysctls *t, const char *key, const char *value);
/* Sorts for lookup; called once the collector is done. A put after the
 * seal replaces an existing key in place (the table stays sealed) or
 * appends a new one and unseals the table: lookups then scan linearly
 * until the next sysctls_seal(), which the caller must call again. */
void sysctls_seal(struct tw_sysctls *t);
const struct tw_sysctl_entry *sysctls_find(const struct tw_sysctls *t, const char *key);
bool sysctls_has(const struct tw_sysctls *t, const char *key);
/* The value, or NULL when absent or unreadable. */
const char *sysctls_get(const struct tw_sysctls *t, const char *key);
/* A single integer value: 0; -ENOENT absent; -EACCES unreadable; -EINVAL
 * not an integer; -ERANGE outside [min, max]. */
int sysctls_get_i64(const struct tw_sysctls *t, const char *key, int64_t min,
		    int64_t max, int64_t *ret);
/* Records that only 'keys' were read (a copy is kept). */
void sysctls_mark_subset(struct tw_sysctls *t, const struct tw_sysctl_keys *keys);
/* NULL is fine. */
void sysctls_free(struct tw_sysctls *t);

/* "net.ipv4.tcp_tw_reuse" <-> "net/ipv4/tcp_tw_reuse" (a '.' inside a
 * path component, as in VLAN "eth0.1", is '/' in the key). Caller frees. */
char *sysctl_key_to_path(const char *key);
char *sysctl_path_to_key(const char *relpath);

#endif
