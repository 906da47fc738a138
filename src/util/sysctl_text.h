/* SPDX-License-Identifier: MIT */
/* sysctl_text.h: the one definition of what sysctl text looks like.
 *
 * Every reader of sysctl keys and values (sysctl -a, /proc/sys, sysctl.d,
 * rule and profile files, the apply state) folds whitespace, trims and
 * validates keys with these functions, so that they agree on tabs, CR and
 * LF. Nothing here allocates but sysctl_text_fold(). */
#ifndef TW_UTIL_SYSCTL_TEXT_H
#define TW_UTIL_SYSCTL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* The longest key accepted (interface names are at most 15 bytes, so
 * real keys stay far below). */
#define SYSCTL_TEXT_KEY_MAX 512

/* Space, tab, CR and LF: the blanks sysctl folds. */
bool sysctl_text_is_blank(char c);

/* Runs of blanks become one space; leading and trailing blanks go. This
 * is how sysctl prints a multi-field or multi-line value. Caller frees. */
char *sysctl_text_fold(const char *value);
/* The same, in place (the result is never longer). */
void sysctl_text_fold_inplace(char *s);

/* Trims blanks at both ends of the span (s, n), in place of the span. */
void sysctl_text_trim(const char **s, size_t *n);
/* Trims blanks at both ends of a NUL-terminated string in place; returns
 * the new start. */
char *sysctl_text_strip(char *s);

/* A key in sysctl's dotted form ("net.ipv4.tcp_tw_reuse", a '/' standing
 * for a '.' inside a component as in "net.ipv4.conf.eth0/1.rp_filter"):
 * 1..SYSCTL_TEXT_KEY_MAX printable ASCII bytes without blanks, '=' or
 * glob characters, at least two components, and no component that is
 * empty, "." or "..". The path form "net/ipv4/tcp_tw_reuse" (the first
 * separator is a '/') is valid by the same rules. */
bool sysctl_text_key_valid(const char *key, size_t n);
/* The same for a NUL-terminated key (NULL is not valid). */
bool sysctl_text_key_valid_str(const char *key);

#endif
