/* SPDX-License-Identifier: MIT */
/* apply.c: live sysctl writes through /proc/sys with rollback, and the
 * --apply state file (see apply.h for the contracts and the format).
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
#include "util/xalloc.h"

#define VALUE_MAX (64u * 1024u)
#define STATE_MAX (1024u * 1024u)
#define STATE_MAGIC "# twadvise apply state 1"

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

static bool key_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.' || c == '/';
}

bool apply_key_valid(const char *key)
{
	char *path;
	bool ok = true;

	if (!key || !*key || strlen(key) > 1024)
		return false;
	for (const char *p = key; *p; p++)
		if (!key_char_ok(*p))
			return false;
	/* Judge the components of the path it names: no empty, "." or "..". */
	path = sysctl_key_to_path(key);
	for (char *c = path, *end; ok; c = end + 1) {
		size_t len;

		end = strchr(c, '/');
		len = end ? (size_t)(end - c) : strlen(c);
		if (len == 0 || (len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
			ok = false;
		if (!end)
			break;
	}
	free(path);
	return ok;
}

/* A value that can be written as one line: no control characters but tab. */
static bool value_writable(const char *v)
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

/* Folds runs of spaces and tabs to one space and trims both ends, in place. */
static void fold_spaces(char *s)
{
	char *w = s;
	bool space = false;

	for (const char *r = s; *r; r++) {
		if (*r == ' ' || *r == '\t') {
			space = w != s;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = false;
		*w++ = *r;
	}
	*w = '\0';
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
	if (strlen(buf) != len || strchr(buf, '\n') || !value_writable(buf)) {
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
	if (!value || !value_writable(value))
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
		if (!it->value || !value_writable(it->value)) {
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

/* ---- the state file ---------------------------------------------------- */

static bool netns_name_ok(const char *s)
{
	if (!s || !*s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0 || strlen(s) > 255)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '/')
			return false;
	return true;
}

/* Appends 's' with control characters shown as '?', for a comment line. */
static void append_comment_text(struct strbuf *sb, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		sb_appendc(sb, (*p < 0x20 || *p == 0x7f) ? '?' : (char)*p);
}

int apply_state_write(const char *path, const char *fragment, const char *netns,
		      const struct tw_apply_undo *u, struct tw_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	int r;

	if (netns && !netns_name_ok(netns))
		return tw_error_set(err, -EINVAL, "%s: invalid network namespace name to record", path);
	sb_append(&sb, STATE_MAGIC "\n# Values before `twadvise --apply` wrote ");
	append_comment_text(&sb, fragment);
	sb_append(&sb, ".\n# `twadvise --revert --output ");
	append_comment_text(&sb, fragment);
	if (netns) {
		sb_append(&sb, " --netns ");
		append_comment_text(&sb, netns);
	}
	sb_append(&sb, "` restores them and removes both files.\n");
	if (netns)
		sb_appendf(&sb, "@netns %s\n", netns);
	for (size_t i = 0; i < u->n; i++) {
		const struct tw_apply_entry *e = &u->v[i];

		if (!apply_key_valid(e->key) || !e->previous || !value_writable(e->previous) ||
		    strchr(e->previous, '\n')) {
			sb_free(&sb);
			return tw_error_set(err, -EINVAL, "%s: cannot record the value of '%s'", path,
					    e->key ? e->key : "");
		}
		sb_appendf(&sb, "%s =%s%s\n", e->key, *e->previous ? " " : "", e->previous);
	}
	r = tw_atomic_write(path, sb.buf, sb.len, 0644, err);
	sb_free(&sb);
	return r;
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	return s;
}

static int state_parse_line(const char *path, unsigned lineno, char *line, char **netns,
			    struct tw_apply_undo *u, struct tw_error *err)
{
	char *t = trim(line), *eq, *key, *value;

	if (!value_writable(line))
		return tw_error_set(err, -EINVAL, "%s:%u: control characters in the line", path, lineno);
	if (*t == '\0' || *t == '#')
		return 0;
	if (*t == '@') {
		char *name = t + 1;

		if (strncmp(name, "netns", 5) != 0 || (name[5] != ' ' && name[5] != '\t'))
			return tw_error_set(err, -EINVAL, "%s:%u: unknown directive '%s'", path, lineno, t);
		name = trim(name + 5);
		if (*netns)
			return tw_error_set(err, -EINVAL, "%s:%u: @netns given twice", path, lineno);
		if (u->n)
			return tw_error_set(err, -EINVAL, "%s:%u: @netns must come before the values",
					    path, lineno);
		if (!netns_name_ok(name))
			return tw_error_set(err, -EINVAL, "%s:%u: invalid network namespace name '%s'",
					    path, lineno, name);
		*netns = tw_xstrdup(name);
		return 0;
	}
	eq = strchr(t, '=');
	if (!eq)
		return tw_error_set(err, -EINVAL, "%s:%u: expected 'KEY = VALUE'", path, lineno);
	*eq = '\0';
	key = trim(t);
	value = trim(eq + 1);
	if (!apply_key_valid(key))
		return tw_error_set(err, -EINVAL, "%s:%u: '%s' is not a valid sysctl key", path, lineno, key);
	for (size_t i = 0; i < u->n; i++)
		if (strcmp(u->v[i].key, key) == 0)
			return tw_error_set(err, -EINVAL, "%s:%u: %s recorded twice", path, lineno, key);
	u->v = tw_xrealloc(u->v, (u->n + 1) * sizeof(*u->v));
	u->v[u->n].key = tw_xstrdup(key);
	u->v[u->n].previous = tw_xstrdup(value);
	fold_spaces(u->v[u->n].previous);
	u->v[u->n].value = NULL;
	u->n++;
	return 0;
}

int apply_state_read(const char *path, char **ret_netns, struct tw_apply_undo *ret_undo,
		     struct tw_error *err)
{
	struct tw_apply_undo u = { 0 };
	char *buf, *line, *netns = NULL;
	size_t len;
	unsigned lineno = 0;
	int r;

	r = tw_read_file(path, STATE_MAX, &buf, &len, err);
	if (r == -ENOENT)
		return tw_error_set(err, r, "%s: no state recorded (was --apply run with this --output?)",
				    path);
	if (r < 0)
		return r;
	if (strlen(buf) != len) {
		free(buf);
		return tw_error_set(err, -EINVAL, "%s: not a text file (NUL bytes)", path);
	}
	line = buf;
	while (r == 0 && *line) {
		char *nl = strchr(line, '\n');

		if (!nl) {
			r = tw_error_set(err, -EINVAL, "%s:%u: the last line is incomplete (no newline)",
					 path, lineno + 1);
			break;
		}
		*nl = '\0';
		lineno++;
		if (lineno == 1) {
			if (strcmp(line, STATE_MAGIC) != 0)
				r = tw_error_set(err, -EINVAL, "%s:1: not a twadvise state file "
						 "(expected '" STATE_MAGIC "')", path);
		} else {
			r = state_parse_line(path, lineno, line, &netns, &u, err);
		}
		line = nl + 1;
	}
	if (r == 0 && lineno == 0)
		r = tw_error_set(err, -EINVAL, "%s:1: empty; not a twadvise state file", path);
	if (r == 0 && u.n == 0)
		r = tw_error_set(err, -EINVAL, "%s:%u: no values recorded", path, lineno);
	free(buf);
	if (r < 0) {
		free(netns);
		apply_undo_free(&u);
		return r;
	}
	*ret_netns = netns;
	*ret_undo = u;
	return 0;
}
