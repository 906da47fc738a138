/* SPDX-License-Identifier: MIT */
/* apply.h: setting kernel parameters through /proc/sys, all or nothing.
 *
 * The /proc/sys root is a parameter ("/proc/sys" in production, a folder
 * in tests). Nothing here enters a namespace: the caller does that first,
 * because /proc/sys/net follows the network namespace of the task that
 * opens the file (see src/collect/netns.c). Functions return 0 or -errno
 * and fill a struct tw_error naming the key (or FILE:LINE); they never
 * print or exit.
 * The state file that --revert reads is applystate.h's. */
#ifndef TW_SYSCTLD_APPLY_H
#define TW_SYSCTLD_APPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

#define TW_PROC_SYS "/proc/sys"

/* One value to set; both strings are borrowed. */
struct tw_apply_item {
	const char *key;     /* dotted sysctl key, "net.ipv4.tcp_tw_reuse" */
	const char *value;   /* one line; written followed by "\n" */
};

/* One key of an apply: its value before, and the value set. All strings
 * are owned by the struct tw_apply_undo that holds the entry. */
struct tw_apply_entry {
	char *key;
	char *previous;      /* as read before writing (whitespace runs folded) */
	char *value;         /* what the apply writes; NULL in a state file read back */
};

struct tw_apply_undo {
	struct tw_apply_entry *v;  /* in the order written */
	size_t n;
};

void apply_undo_free(struct tw_apply_undo *u);

/* Whether 'key' may name a file under the /proc/sys root: letters,
 * digits, '_', '-', '.', '/', no empty, "." or ".." component, no leading
 * or trailing separator. */
bool apply_key_valid(const char *key);

/* Whether 'v' can be written as one line: no control characters but tab. */
bool apply_value_writable(const char *v);

/* Reads the current value of 'key' under 'proc_sys_root' into *ret
 * (caller frees): trailing newline removed, whitespace runs folded to one
 * space. -EINVAL for a value of several lines or with NUL bytes (it could
 * not be written back), -EFBIG beyond 64 KiB, else the errno of open/read
 * (-ENOENT: the key does not exist). On failure *ret is untouched. */
int sysctl_read_live(const char *proc_sys_root, const char *key, char **ret,
		     struct tw_error *err);

/* Writes 'value' + "\n" to the file of 'key' in one write(2) (the file is
 * never created). The kernel's refusal comes back as its errno (-EINVAL
 * for an out-of-range value, -EACCES for a read-only key), with a message
 * naming the key and the value. */
int sysctl_write_live(const char *proc_sys_root, const char *key, const char *value,
		      struct tw_error *err);

/* Whether 'v' can be written as one line: no control characters but tab. */
bool apply_value_writable(const char *v);

/* Reads the current value of every item's key, writing nothing. On
 * success *ret_undo (caller frees with apply_undo_free) holds one entry
 * per item, in order, 'value' copied from the item. Fails on an invalid
 * key, an unwritable value (control characters), a key given twice, or an
 * unreadable key; *ret_undo is then untouched. */
int apply_prepare(const char *proc_sys_root, const struct tw_apply_item *items, size_t n,
		  struct tw_apply_undo *ret_undo, struct tw_error *err);

/* Writes every entry's 'value', in order. If a write fails, the entries
 * already written get their 'previous' value back, in reverse order, and
 * the error names the key that failed (and any key that could not be put
 * back). Either every value is set, or none changed. */
int apply_commit(const char *proc_sys_root, const struct tw_apply_undo *u, struct tw_error *err);

/* Writes the 'previous' value of the first 'n' entries of 'u' (n <=
 * u->n), last first. Carries on past a failure so that as much as
 * possible is restored; returns the first error, naming every key that
 * could not be restored. */
int apply_rollback(const char *proc_sys_root, const struct tw_apply_undo *u, size_t n,
		   struct tw_error *err);

/* apply_prepare() then apply_commit(): on success *ret_undo holds the
 * previous values (caller frees); on failure nothing changed and
 * *ret_undo is untouched. */
int apply_changes(const char *proc_sys_root, const struct tw_apply_item *items, size_t n,
		  struct tw_apply_undo *ret_undo, struct tw_error *err);

#endif
