/* SPDX-License-Identifier: MIT */
/* applystate.c: the --apply state folder, its lock, the state file, and
 * the file writes --apply and --revert make (see applystate.h).
 *
 * Everything in the state folder is opened relative to the folder's
 * descriptor with O_NOFOLLOW, and checked with fstat on the descriptor
 * actually read, so that a link swapped in between a check and an open
 * is never followed. */
#include "sysctld/applystate.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/allowlist.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define STATE_MAX (2u * TW_PRIOR_MAX + 256u * 1024u)
#define LOCK_NAME "lock"
#define HEX_PER_LINE 64

/* ---- files with their metadata ------------------------------------------ */

void file_prior_free(struct tw_file_prior *p)
{
	if (!p)
		return;
	free(p->data);
	memset(p, 0, sizeof(*p));
}

/* Reads an open regular file, at most 'max' bytes; *ret NUL-terminated. */
static int read_fd(int fd, const char *what, size_t max, char **ret, size_t *ret_len,
		   struct tw_error *err)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;

	for (;;) {
		ssize_t n;

		buf = tw_xgrow(buf, &cap, len + 4096 + 1, 1);
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int r = -errno;

			free(buf);
			return tw_error_set(err, r, "%s: %s", what, strerror(-r));
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			free(buf);
			return tw_error_set(err, -EFBIG, "%s: larger than %zu bytes", what, max);
		}
	}
	buf[len] = '\0';
	*ret = buf;
	*ret_len = len;
	return 0;
}

int file_prior_read(const char *path, size_t max, struct tw_file_prior *ret,
		    struct tw_error *err)
{
	struct tw_file_prior p = { 0 };
	struct stat st;
	int fd, r;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		r = -errno;
		if (r == -ENOENT) {
			*ret = p;
			return 0;
		}
		if (r == -ELOOP)
			return tw_error_set(err, r, "%s: is a symbolic link; refusing to replace it", path);
		return tw_error_set(err, r, "%s: %s", path, strerror(-r));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return tw_error_set(err, -EINVAL, "%s: not a regular file; refusing to replace it", path);
	}
	r = read_fd(fd, path, max, &p.data, &p.len, err);
	close(fd);
	if (r < 0)
		return r;
	p.existed = true;
	p.mode = st.st_mode & 07777;
	p.uid = st.st_uid;
	p.gid = st.st_gid;
	*ret = p;
	return 0;
}

bool file_prior_matches(const struct tw_file_prior *p, const struct tw_file_prior *now)
{
	if (p->existed != now->existed)
		return false;
	return !p->existed || (p->len == now->len && memcmp(p->data, now->data, p->len) == 0);
}

int file_write_atomic(const char *path, const void *data, size_t len,
		      const struct tw_file_prior *keep, struct tw_error *err)
{
	struct tw_file_owner own = { .mode = 0644 & ~tw_umask() };

	/* A replaced file keeps its mode and owner. */
	if (keep && keep->existed)
		own = (struct tw_file_owner){ keep->mode, true, keep->uid, keep->gid };
	return tw_atomic_write_as(path, data, len, &own, err);
}

int file_remove_durable(const char *path, struct tw_error *err)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return tw_error_set(err, -errno, "%s: %s", path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return tw_error_set(err, -EINVAL, "%s: not a regular file; refusing to remove it", path);
	if (unlink(path) < 0 && errno != ENOENT)
		return tw_error_set(err, -errno, "could not remove %s: %s", path, strerror(errno));
	tw_sync_parent(path);
	return 0;
}

/* Whether 'name' is BASE + SUFFIX + six mkstemp characters. */
static bool tmp_name_of(const char *name, const char *base, const char *suffix)
{
	size_t bl = strlen(base), sl = strlen(suffix);

	if (strncmp(name, base, bl) != 0 || strncmp(name + bl, suffix, sl) != 0)
		return false;
	name += bl + sl;
	if (strlen(name) != 6)
		return false;
	for (; *name; name++)
		if (!((*name >= 'a' && *name <= 'z') || (*name >= 'A' && *name <= 'Z') ||
		      (*name >= '0' && *name <= '9')))
			return false;
	return true;
}

/* Removes stale temporary files for the name 'base' in the open folder
 * 'dfd' (see stale_tmp_clean). */
static size_t clean_in(int dfd, const char *base, unsigned min_age)
{
	time_t now = time(NULL);
	size_t removed = 0;
	int fd2 = dup(dfd);
	struct dirent *e;
	DIR *d;

	if (fd2 < 0)
		return 0;
	d = fdopendir(fd2);
	if (!d) {
		close(fd2);
		return 0;
	}
	while ((e = readdir(d))) {
		struct stat st;

		if (!tmp_name_of(e->d_name, base, ".tmp.") &&
		    !tmp_name_of(e->d_name, base, ".previous.tmp."))
			continue;
		if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) ||
		    st.st_uid != geteuid() || now - st.st_mtime < (time_t)min_age)
			continue;
		if (unlinkat(dfd, e->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

size_t stale_tmp_clean(const char *file, unsigned min_age)
{
	char *c1 = tw_xstrdup(file), *c2 = tw_xstrdup(file);
	size_t n = 0;
	int dfd = open(dirname(c1), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd >= 0) {
		n = clean_in(dfd, basename(c2), min_age);
		if (n)
			fsync(dfd);
		close(dfd);
	}
	free(c1);
	free(c2);
	return n;
}

/* ---- the state folder -------------------------------------------------- */

/* Root or us, and nobody else may write: the rule for the folder and for
 * every file read from it. */
static const char *untrusted_owner(const struct stat *st)
{
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return "is not owned by root";
	if (st->st_mode & 022)
		return "is writable by group or others";
	return NULL;
}

static int mkdirs(const char *path, struct tw_error *err)
{
	char *copy = tw_xstrdup(path);
	int r = 0;

	for (char *p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(copy, 0700) < 0 && errno != EEXIST) {
			r = tw_error_set(err, -errno, "%s: cannot create: %s", copy, strerror(errno));
			break;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	free(copy);
	return r;
}

int state_dir_open(const char *path, bool create, struct tw_state_dir *ret,
		   struct tw_error *err)
{
	struct stat st;
	const char *bad = NULL;
	int fd, r;

	if (!path || !*path)
		return tw_error_set(err, -EINVAL, "empty state folder name");
	if (create && (r = mkdirs(path, err)) < 0)
		return r;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		if (r == -ENOENT)
			return tw_error_set(err, r, "%s: no state folder (nothing was applied)", path);
		if (r == -ELOOP || r == -ENOTDIR)
			return tw_error_set(err, r, "%s: not a folder (a symbolic link?); refusing to use it "
					    "as the state folder", path);
		return tw_error_set(err, r, "%s: %s", path, strerror(-r));
	}
	if (fstat(fd, &st) < 0 || (bad = untrusted_owner(&st))) {
		close(fd);
		return tw_error_set(err, -EPERM, "%s: the state folder %s; refusing to trust it "
				    "(it must be 0700 and root's)", path, bad ? bad : "cannot be checked");
	}
	ret->path = tw_xstrdup(path);
	ret->fd = fd;
	ret->lock_fd = -1;
	return 0;
}

int state_dir_lock(struct tw_state_dir *d, unsigned timeout_s, struct tw_error *err)
{
	struct stat st;
	const char *bad = NULL;
	int fd, r;

	fd = openat(d->fd, LOCK_NAME, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
	if (fd < 0)
		return tw_error_set(err, -errno, "%s/" LOCK_NAME ": %s", d->path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (bad = untrusted_owner(&st))) {
		close(fd);
		return tw_error_set(err, -EPERM, "%s/" LOCK_NAME ": not a regular file of root's; "
				    "refusing it", d->path);
	}
	/* Poll so that a stuck holder gives an error, not a hang. */
	for (unsigned waited = 0; ; waited++) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		r = -errno;
		if (r != -EWOULDBLOCK && r != -EINTR) {
			close(fd);
			return tw_error_set(err, r, "%s/" LOCK_NAME ": %s", d->path, strerror(-r));
		}
		if (waited >= timeout_s * 50u) {
			close(fd);
			return tw_error_set(err, -EBUSY, "%s/" LOCK_NAME ": another twadvise --apply or "
					    "--revert has held it for %u s; try again later",
					    d->path, timeout_s);
		}
		nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
	}
	d->lock_fd = fd;
	return 0;
}

void state_dir_close(struct tw_state_dir *d)
{
	if (!d || !d->path)
		return;
	if (d->lock_fd >= 0)
		close(d->lock_fd);  /* releases the flock */
	if (d->fd >= 0)
		close(d->fd);
	free(d->path);
	d->path = NULL;
	d->fd = -1;
	d->lock_fd = -1;
}

int fragment_abspath(const char *fragment, char **ret, struct tw_error *err)
{
	char *c1 = tw_xstrdup(fragment), *c2 = tw_xstrdup(fragment);
	const char *base = basename(c2);
	char *dir = realpath(dirname(c1), NULL);
	struct strbuf sb = STRBUF_INIT;
	int r = 0;

	if (!dir)
		r = tw_error_set(err, -errno, "%s: its folder: %s", fragment, strerror(errno));
	else if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || strcmp(base, "/") == 0)
		r = tw_error_set(err, -EINVAL, "%s: not a file name", fragment);
	if (r == 0) {
		sb_appendf(&sb, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, base);
		*ret = sb_steal(&sb);
	}
	free(dir);
	free(c1);
	free(c2);
	return r;
}

char *state_name(const char *abs_fragment)
{
	char hex[TW_SHA256_HEX_LEN + 1];
	struct strbuf sb = STRBUF_INIT;

	tw_sha256_hex(abs_fragment, strlen(abs_fragment), hex);
	sb_appendf(&sb, "fragment-%.16s.state", hex);
	return sb_steal(&sb);
}

/* ---- the state file ------------------------------------------------------ */

void apply_state_free(struct tw_apply_state *s)
{
	if (!s)
		return;
	free(s->fragment);
	free(s->netns);
	file_prior_free(&s->prior);
	apply_undo_free(&s->values);
	memset(s, 0, sizeof(*s));
}

static bool text_ok(const char *s)
{
	return s && *s && apply_value_writable(s) && !strchr(s, '\t');
}

static bool netns_name_ok(const char *s)
{
	if (!s || !*s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0 || strlen(s) > 255)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '/')
			return false;
	return true;
}

/* A recorded key: allow-listed (per namespace when 'netns'), dotted, and a
 * previous value that can be written back. */
static int check_value(const char *what, unsigned line, const char *key, const char *prev,
		       bool netns, struct tw_error *err)
{
	char k[TW_ALLOWLIST_KEY_MAX];
	const char *why;

	if (!allowlist_permits(key, netns, &why))
		return tw_error_set(err, -EPERM, "%s:%u: %s: %s; refusing to restore it", what, line, key, why);
	if (!allowlist_normalise(key, k, sizeof(k)) || strcmp(k, key) != 0 || !apply_key_valid(key))
		return tw_error_set(err, -EINVAL, "%s:%u: '%s' is not in the dotted form", what, line, key);
	if (!prev || !apply_value_writable(prev) || strchr(prev, '\n'))
		return tw_error_set(err, -EINVAL, "%s:%u: %s: the value is not one line of text", what, line, key);
	return 0;
}

int apply_state_format(const struct tw_apply_state *s, char **ret, struct tw_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char hex[TW_SHA256_HEX_LEN + 1];
	int r = 0;

	if (!s->fragment || s->fragment[0] != '/' || !text_ok(s->fragment))
		return tw_error_set(err, -EINVAL, "cannot record the fragment name '%s'",
				    s->fragment ? s->fragment : "");
	if (s->netns && !netns_name_ok(s->netns))
		return tw_error_set(err, -EINVAL, "cannot record the network namespace name '%s'", s->netns);
	if (s->prior.existed && s->prior.len > TW_PRIOR_MAX)
		return tw_error_set(err, -EFBIG, "%s: larger than %u bytes; refusing to take it over",
				    s->fragment, TW_PRIOR_MAX);
	sb_append(&sb, TW_STATE_MAGIC "\n# Written by `twadvise --apply`; `twadvise --revert --output ");
	sb_append(&sb, s->fragment);
	if (s->netns)
		sb_appendf(&sb, " --netns %s", s->netns);
	sb_append(&sb, "` puts back\n# these values and that file. Do not edit: a changed state is refused.\n");
	sb_appendf(&sb, "fragment %s\n", s->fragment);
	if (s->netns)
		sb_appendf(&sb, "netns %s\n", s->netns);
	sb_appendf(&sb, "applied-sha256 %s\n", s->applied_sha256);
	if (!s->prior.existed) {
		sb_append(&sb, "prior none\n");
	} else {
		tw_sha256_hex(s->prior.data, s->prior.len, hex);
		sb_appendf(&sb, "prior mode %04o uid %lu gid %lu size %zu sha256 %s\n",
			   (unsigned)s->prior.mode, (unsigned long)s->prior.uid,
			   (unsigned long)s->prior.gid, s->prior.len, hex);
		for (size_t i = 0; i < s->prior.len; i += HEX_PER_LINE) {
			sb_append(&sb, "prior-data ");
			for (size_t j = i; j < s->prior.len && j < i + HEX_PER_LINE; j++)
				sb_appendf(&sb, "%02x", (unsigned char)s->prior.data[j]);
			sb_appendc(&sb, '\n');
		}
	}
	for (size_t i = 0; i < s->values.n && r == 0; i++) {
		const struct tw_apply_entry *e = &s->values.v[i];

		r = check_value("state", 0, e->key, e->previous, s->netns != NULL, err);
		sb_appendf(&sb, "value %s =%s%s\n", e->key, *e->previous ? " " : "", e->previous);
	}
	if (r == 0 && s->values.n == 0)
		r = tw_error_set(err, -EINVAL, "no values to record");
	if (r < 0) {
		sb_free(&sb);
		return r;
	}
	sb_append(&sb, "end\n");
	*ret = sb_steal(&sb);
	return 0;
}

static bool is_hex64(const char *s)
{
	if (strlen(s) != TW_SHA256_HEX_LEN)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Parsing context. */
struct sp {
	const char *what;
	unsigned line;
	struct tw_apply_state s;
	bool have_fragment, have_sha, have_prior, ended;
	size_t prior_size;
	char prior_sha[TW_SHA256_HEX_LEN + 1];
	struct strbuf data;
};

static int parse_prior(struct sp *p, const char *rest, struct tw_error *err)
{
	unsigned mode;
	unsigned long uid, gid;
	size_t size;
	char sha[TW_SHA256_HEX_LEN + 2];
	int used = 0;

	if (strcmp(rest, "none") == 0)
		return 0;
	if (sscanf(rest, "mode %o uid %lu gid %lu size %zu sha256 %65s%n", &mode, &uid, &gid, &size,
		   sha, &used) != 5 || rest[used] != '\0' || mode > 07777 || !is_hex64(sha) ||
	    size > TW_PRIOR_MAX || uid > (unsigned long)INT_MAX || gid > (unsigned long)INT_MAX)
		return tw_error_set(err, -EINVAL, "%s:%u: malformed 'prior' line", p->what, p->line);
	p->s.prior.existed = true;
	p->s.prior.mode = (mode_t)mode;
	p->s.prior.uid = (uid_t)uid;
	p->s.prior.gid = (gid_t)gid;
	p->prior_size = size;
	memcpy(p->prior_sha, sha, sizeof(p->prior_sha));
	return 0;
}

static int parse_data(struct sp *p, const char *hex, struct tw_error *err)
{
	size_t n = strlen(hex);

	if (!p->s.prior.existed || n == 0 || n % 2 || n > 2 * HEX_PER_LINE ||
	    p->data.len + n / 2 > p->prior_size)
		return tw_error_set(err, -EINVAL, "%s:%u: unexpected 'prior-data'", p->what, p->line);
	for (size_t i = 0; i < n; i += 2) {
		int hi = hexval(hex[i]), lo = hexval(hex[i + 1]);

		if (hi < 0 || lo < 0)
			return tw_error_set(err, -EINVAL, "%s:%u: 'prior-data' is not lowercase hex",
					    p->what, p->line);
		sb_appendc(&p->data, (char)(hi << 4 | lo));
	}
	return 0;
}

static int parse_value(struct sp *p, char *rest, struct tw_error *err)
{
	struct tw_apply_undo *u = &p->s.values;
	char *eq = strstr(rest, " =");
	const char *value;
	int r;

	if (!eq || (eq[2] != '\0' && eq[2] != ' '))
		return tw_error_set(err, -EINVAL, "%s:%u: expected 'value KEY = VALUE'", p->what, p->line);
	*eq = '\0';
	value = eq[2] ? eq + 3 : "";
	r = check_value(p->what, p->line, rest, value, p->s.netns != NULL, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < u->n; i++)
		if (strcmp(u->v[i].key, rest) == 0)
			return tw_error_set(err, -EINVAL, "%s:%u: %s recorded twice", p->what, p->line, rest);
	u->v = tw_xrealloc(u->v, (u->n + 1) * sizeof(*u->v));
	u->v[u->n].key = tw_xstrdup(rest);
	u->v[u->n].previous = tw_xstrdup(value);
	u->v[u->n].value = NULL;
	u->n++;
	return 0;
}

static int parse_line(struct sp *p, char *line, struct tw_error *err)
{
	char *sp = strchr(line, ' ');
	const char *word = line;
	char *rest = sp ? sp + 1 : line + strlen(line);

	if (p->ended)
		return tw_error_set(err, -EINVAL, "%s:%u: text after 'end'", p->what, p->line);
	if (line[0] == '#')
		return 0;
	if (!apply_value_writable(line) || strchr(line, '\t'))
		return tw_error_set(err, -EINVAL, "%s:%u: control characters in the line", p->what, p->line);
	if (sp)
		*sp = '\0';
	if (strcmp(word, "end") == 0 && !sp) {
		p->ended = true;
		return 0;
	}
	if (!sp)
		return tw_error_set(err, -EINVAL, "%s:%u: unknown line '%s'", p->what, p->line, word);
	if (strcmp(word, "fragment") == 0 && !p->have_fragment && p->s.values.n == 0) {
		if (rest[0] != '/' || !text_ok(rest))
			return tw_error_set(err, -EINVAL, "%s:%u: the fragment must be an absolute path",
					    p->what, p->line);
		p->s.fragment = tw_xstrdup(rest);
		p->have_fragment = true;
		return 0;
	}
	if (strcmp(word, "netns") == 0 && !p->s.netns && p->s.values.n == 0) {
		if (!netns_name_ok(rest))
			return tw_error_set(err, -EINVAL, "%s:%u: invalid network namespace name", p->what, p->line);
		p->s.netns = tw_xstrdup(rest);
		return 0;
	}
	if (strcmp(word, "applied-sha256") == 0 && !p->have_sha) {
		if (!is_hex64(rest))
			return tw_error_set(err, -EINVAL, "%s:%u: malformed hash", p->what, p->line);
		memcpy(p->s.applied_sha256, rest, sizeof(p->s.applied_sha256));
		p->have_sha = true;
		return 0;
	}
	if (strcmp(word, "prior") == 0 && !p->have_prior) {
		p->have_prior = true;
		return parse_prior(p, rest, err);
	}
	if (strcmp(word, "prior-data") == 0)
		return parse_data(p, rest, err);
	if (strcmp(word, "value") == 0)
		return parse_value(p, rest, err);
	return tw_error_set(err, -EINVAL, "%s:%u: unexpected '%s' line", p->what, p->line, word);
}

int apply_state_parse(const char *what, const char *buf, size_t len,
		      struct tw_apply_state *ret, struct tw_error *err)
{
	struct sp p = { .what = what, .data = STRBUF_INIT };
	char *copy, *line;
	int r = 0;

	if (strlen(buf) != len)
		return tw_error_set(err, -EINVAL, "%s: not a text file (NUL bytes)", what);
	copy = tw_xstrdup(buf);
	line = copy;
	while (r == 0 && *line) {
		char *nl = strchr(line, '\n');

		p.line++;
		if (!nl) {
			r = tw_error_set(err, -EINVAL, "%s:%u: the last line is incomplete", what, p.line);
			break;
		}
		*nl = '\0';
		if (p.line == 1) {
			if (strcmp(line, TW_STATE_MAGIC) != 0)
				r = tw_error_set(err, -EINVAL, "%s:1: not a twadvise state file (expected '"
						 TW_STATE_MAGIC "')", what);
		} else {
			r = parse_line(&p, line, err);
		}
		line = nl + 1;
	}
	free(copy);
	if (r == 0 && p.line == 0)
		r = tw_error_set(err, -EINVAL, "%s:1: empty; not a twadvise state file", what);
	if (r == 0 && !p.ended)
		r = tw_error_set(err, -EINVAL, "%s:%u: no 'end' line (truncated?)", what, p.line);
	if (r == 0 && (!p.have_fragment || !p.have_sha || !p.have_prior || p.s.values.n == 0))
		r = tw_error_set(err, -EINVAL, "%s: incomplete: it needs fragment, applied-sha256, "
				 "prior and at least one value", what);
	if (r == 0 && p.s.prior.existed) {
		char hex[TW_SHA256_HEX_LEN + 1];

		tw_sha256_hex(p.data.buf ? p.data.buf : "", p.data.len, hex);
		if (p.data.len != p.prior_size || strcmp(hex, p.prior_sha) != 0)
			r = tw_error_set(err, -EINVAL, "%s: the recorded previous bytes of %s do not match "
					 "their size and hash", what, p.s.fragment);
		p.s.prior.len = p.data.len;
		p.s.prior.data = tw_xmalloc(p.data.len + 1);
		if (p.data.len)
			memcpy(p.s.prior.data, p.data.buf, p.data.len);
		p.s.prior.data[p.data.len] = '\0';
	}
	sb_free(&p.data);
	if (r < 0) {
		apply_state_free(&p.s);
		return r;
	}
	*ret = p.s;
	return 0;
}

int apply_state_write(const struct tw_state_dir *d, const char *name,
		      const struct tw_apply_state *s, struct tw_error *err)
{
	struct strbuf tmp = STRBUF_INIT;
	char *text = NULL;
	int fd = -1, r;

	r = apply_state_format(s, &text, err);
	if (r < 0)
		return r;
	/* A complete temporary file (O_EXCL through mkostemp's name) ... */
	sb_appendf(&tmp, "%s/%s.tmp.XXXXXX", d->path, name);
	fd = mkostemp(tmp.buf, O_CLOEXEC);
	if (fd < 0) {
		r = tw_error_set(err, -errno, "%s: cannot create: %s", tmp.buf, strerror(errno));
		goto out;
	}
	r = tw_write_all(fd, text, strlen(text));
	if (r == 0 && fchmod(fd, 0600) < 0)
		r = -errno;
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	/* ... published with link(2), which never replaces an existing state. */
	if (r == 0) {
		struct strbuf final = STRBUF_INIT;

		sb_appendf(&final, "%s/%s", d->path, name);
		if (link(tmp.buf, final.buf) < 0)
			r = -errno;
		sb_free(&final);
	}
	if (r == -EEXIST)
		tw_error_set(err, r, "%s/%s: a state is already recorded there", d->path, name);
	else if (r < 0)
		tw_error_set(err, r, "%s/%s: cannot record the state: %s", d->path, name, strerror(-r));
	unlink(tmp.buf);
	if (r == 0)
		fsync(d->fd);
out:
	free(text);
	sb_free(&tmp);
	return r;
}

int apply_state_read(const struct tw_state_dir *d, const char *name,
		     struct tw_apply_state *ret, struct tw_error *err)
{
	struct strbuf what = STRBUF_INIT;
	const char *bad = NULL;
	struct stat st;
	char *buf = NULL;
	size_t len;
	int fd, r;

	sb_appendf(&what, "%s/%s", d->path, name);
	fd = openat(d->fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		r = -errno;
		if (r == -ENOENT)
			tw_error_set(err, r, "%s: no state recorded", what.buf);
		else if (r == -ELOOP)
			tw_error_set(err, -EPERM, "%s: is a symbolic link; refusing to trust it", what.buf);
		else
			tw_error_set(err, r, "%s: %s", what.buf, strerror(-r));
		r = r == -ELOOP ? -EPERM : r;
		goto out;
	}
	if (fstat(fd, &st) < 0)
		bad = "cannot be checked";
	else if (!S_ISREG(st.st_mode))
		bad = "is not a regular file";
	else if (st.st_nlink != 1)
		bad = "has other hard links";
	else
		bad = untrusted_owner(&st);
	if (bad) {
		r = tw_error_set(err, -EPERM, "%s: the state file %s; refusing to trust it", what.buf, bad);
		close(fd);
		goto out;
	}
	r = read_fd(fd, what.buf, STATE_MAX, &buf, &len, err);
	close(fd);
	if (r == 0)
		r = apply_state_parse(what.buf, buf, len, ret, err);
out:
	free(buf);
	sb_free(&what);
	return r;
}

int apply_state_remove(const struct tw_state_dir *d, const char *name, struct tw_error *err)
{
	if (unlinkat(d->fd, name, 0) < 0 && errno != ENOENT)
		return tw_error_set(err, -errno, "could not remove %s/%s: %s", d->path, name, strerror(errno));
	fsync(d->fd);
	return 0;
}
