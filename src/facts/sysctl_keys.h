/* SPDX-License-Identifier: MIT */
/* sysctl_keys.h: the set of sysctl keys one run reads.
 *
 * A live run reads only the sysctls that the loaded rules, profiles and
 * the report use (about 30 of the 1,000 files under /proc/sys): the rule
 * compiler adds every literal key given to has(), sysctl() and
 * sysctl_str(), and each module that looks a key up in C adds its own
 * (engine_load() gathers them). A key computed at run time cannot be
 * known in advance: it sets 'all', and the whole tree is read. */
#ifndef TW_FACTS_SYSCTL_KEYS_H
#define TW_FACTS_SYSCTL_KEYS_H

#include <stdbool.h>
#include <stddef.h>

struct tw_sysctl_keys {
	char **v;        /* sorted, unique */
	size_t n, cap;
	bool all;        /* every key may be needed: read the whole tree */
};

/* Adds a copy of 'key' (once). */
void sysctl_keys_add(struct tw_sysctl_keys *s, const char *key);
/* Adds every key of a NULL-terminated list. */
void sysctl_keys_add_list(struct tw_sysctl_keys *s, const char *const *keys);
/* Adds every key of 'from', and its 'all'. */
void sysctl_keys_merge(struct tw_sysctl_keys *s, const struct tw_sysctl_keys *from);
bool sysctl_keys_has(const struct tw_sysctl_keys *s, const char *key);
/* NULL is fine. */
void sysctl_keys_free(struct tw_sysctl_keys *s);

#endif
