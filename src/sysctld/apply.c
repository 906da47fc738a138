/* SPDX-License-Identifier: MIT */
/* apply.c: live sysctl writes through /proc/sys with rollback (see
 * apply.h; the state --revert reads is in applystate.c).
 *
 * An apply is two steps so that the caller can record the previous values
 * before anything changes: apply_prepare() reads every key (an unreadable
 * or unknown key stops everything before the first write), then
 * apply_commit() writes in order and, on the first refusal, puts back in
 * reverse order what it had already written. Each value goes to the
 * kernel in a single write(2) of "VALUE\n", as sysctl(8) does; the file is
 * opened without O_CREAT, so a missing key is an error and never a new
 * file (which matters when the root is a test folder). */
#include "sysctld/apply.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "facts/sysctls.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/sysctl_text.h"
#include "util/xalloc.h"

#define VALUE_MAX (64u * 1024u)

void apply_undo_free(struct tw_apply_undo *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++) {
		free(u->v[i].key);
		free(u->v[i].previous);
		free(u->v[i].value);
	}
	free(u->v);
	u->v = NULL;
	u->n = 0;
}

bool apply_key_valid(const char *key)
{
	return sysctl_text_key_valid_str(key);
}

bool apply_value_writable(const char *v)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return false;
	return true;
}

/* "ROOT/net/ipv4/x" for "net.ipv4.x"; caller frees. */
static char *key_file(const char *root, const char *key)
{
	struct strbuf sb = STRBUF_INIT;
	char *rel = sysctl_key_to_path(key);

	sb_appendf(&sb, "%s/%s", root, rel);
	free(rel);
	return sb_steal(&sb);
}

/* Folds blanks to one space and trims both ends, in place. */
static void fold_spaces(char *s)
{
	sysctl_text_fold_inplace(s);
}

int sysctl_read_live(const char *proc_sys_root, const char *key, char **ret,
		     struct tw_error *err)
{
	struct tw_error ferr = { "" };
	char *file, *buf;
	size_t len;
	int r;

	if (!apply_key_valid(key))
		return tw_error_set(err, -EINVAL, "'%s' is not a valid sysctl key", key ? key : "");
	file = key_file(proc_sys_root, key);
	r = tw_read_file(file, VALUE_MAX, &buf, &len, &ferr);
	if (r < 0) {
		if (r == -EFBIG)
			tw_error_set(err, r, "%s: value larger than %u bytes (%s)", key, VALUE_MAX, file);
		else if (r == -ENOENT)
			tw_error_set(err, r, "%s: no such kernel parameter here (%s)", key, file);
		else
			tw_error_set(err, r, "%s: cannot read %s: %s", key, file, strerror(-r));
		free(file);
		return r;
	}
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		buf[--len] = '\0';
	if (strlen(buf) != len || strchr(buf, '\n') || !apply_value_writable(buf)) {
		r = tw_error_set(err, -EINVAL, "%s: its value (%s) is not one line of text; "
				 "it could not be restored", key, file);
		free(buf);
		free(file);
		return r;
	}
	free(file);
	fold_spaces(buf);
	*ret = buf;
	return 0;
}

int sysctl_write_live(const char *proc_sys_root, const char *key, const char *value,
		      struct tw_error *err)
{
	struct strbuf line = STRBUF_INIT;
	char *file;
	ssize_t n;
	int fd, r = 0;

	if (!apply_key_valid(key))
		return tw_error_set(err, -EINVAL, "'%s' is not a valid sysctl key", key ? key : "");
	if (!value || !apply_value_writable(value))
		return tw_error_set(err, -EINVAL, "%s: refusing to write a value that is not one line of text",
				    key);
	file = key_file(proc_sys_root, key);
	fd = open(file, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		r = -errno;
		if (r == -ENOENT)
			tw_error_set(err, r, "%s: no such kernel parameter here (%s)", key, file);
		else
			tw_error_set(err, r, "%s: cannot open %s for writing: %s", key, file, strerror(-r));
		free(file);
		return r;
	}
	sb_appendf(&line, "%s\n", value);
	do
		n = write(fd, line.buf, line.len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		r = -errno;
	else if ((size_t)n != line.len)
		r = -EIO;   /* the kernel takes a sysctl value in one write */
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0)
		tw_error_set(err, r, "%s: the kernel refused '%s': %s", key, value,
			     r == -EIO && n >= 0 ? "short write" : strerror(-r));
	sb_free(&line);
	free(file);
	return r;
}

int apply_prepare(const char *proc_sys_root, const struct tw_apply_item *items, size_t n,
		  struct tw_apply_undo *ret_undo, struct tw_error *err)
{
	struct tw_apply_undo u = { 0 };
	int r = 0;

	u.v = tw_xcalloc(n ? n : 1, sizeof(*u.v));
	for (size_t i = 0; i < n; i++) {
		const struct tw_apply_item *it = &items[i];
		char *prev = NULL;

		if (!apply_key_valid(it->key)) {
			r = tw_error_set(err, -EINVAL, "'%s' is not a valid sysctl key",
					 it->key ? it->key : "");
			break;
		}
		if (!it->value || !apply_value_writable(it->value)) {
			r = tw_error_set(err, -EINVAL, "%s: the value to set is not one line of text",
					 it->key);
			break;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(items[j].key, it->key) == 0)
				r = tw_error_set(err, -EINVAL, "%s: given twice", it->key);
		if (r < 0)
			break;
		r = sysctl_read_live(proc_sys_root, it->key, &prev, err);
		if (r < 0)
			break;
		u.v[u.n].key = tw_xstrdup(it->key);
		u.v[u.n].previous = prev;
		u.v[u.n].value = tw_xstrdup(it->value);
		u.n++;
	}
	if (r < 0) {
		apply_undo_free(&u);
		return r;
	}
	*ret_undo = u;
	return 0;
}

int apply_rollback(const char *proc_sys_root, const struct tw_apply_undo *u, size_t n,
		   struct tw_error *err)
{
	struct strbuf failed = STRBUF_INIT;
	int first = 0;

	if (n > u->n)
		n = u->n;
	for (size_t i = n; i-- > 0;) {
		struct tw_error e = { "" };
		int r = sysctl_write_live(proc_sys_root, u->v[i].key, u->v[i].previous, &e);

		if (r < 0) {
			first = first ? first : r;
			sb_appendf(&failed, "%s%s", failed.len ? "; " : "", e.msg);
		}
	}
	if (first < 0)
		tw_error_set(err, first, "could not restore: %s", sb_str(&failed));
	sb_free(&failed);
	return first;
}

int apply_commit(const char *proc_sys_root, const struct tw_apply_undo *u, struct tw_error *err)
{
	for (size_t i = 0; i < u->n; i++) {
		struct tw_error e = { "" }, rb = { "" };
		int r = sysctl_write_live(proc_sys_root, u->v[i].key, u->v[i].value, &e);

		if (r == 0)
			continue;
		if (apply_rollback(proc_sys_root, u, i, &rb) < 0)
			return tw_error_set(err, r, "%s; %s", e.msg, rb.msg);
		if (i == 0)
			return tw_error_set(err, r, "%s; nothing was changed", e.msg);
		return tw_error_set(err, r, "%s; the %zu value(s) already set were restored",
				    e.msg, i);
	}
	return 0;
}

int apply_changes(const char *proc_sys_root, const struct tw_apply_item *items, size_t n,
		  struct tw_apply_undo *ret_undo, struct tw_error *err)
{
	struct tw_apply_undo u;
	int r;

	r = apply_prepare(proc_sys_root, items, n, &u, err);
	if (r < 0)
		return r;
	r = apply_commit(proc_sys_root, &u, err);
	if (r < 0) {
		apply_undo_free(&u);
		return r;
	}
	*ret_undo = u;
	return 0;
}
