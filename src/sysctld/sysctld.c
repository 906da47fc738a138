/* SPDX-License-Identifier: MIT */
/* sysctld.c: the persisted sysctl configuration, resolved as the boot does
 * (see sysctld.h).
 *
 * The model follows systemd-sysctl 252 (src/sysctl/sysctl.c and
 * src/basic/conf-files.c) step by step:
 *  - conf_files_list(): the folders are visited in priority order; a name
 *    ending in ".conf" and not starting with '.' is taken from the first
 *    folder that has it; a symlink to /dev/null, a device node or an empty
 *    file there "masks" the name (it hides the later folders and applies
 *    nothing); a dangling link or a directory is skipped without hiding
 *    anything. The survivors are read in strcmp() order of their names.
 *  - parse_file(): lines end at '\n', '\r', "\r\n" or NUL; blank lines and
 *    lines starting with '#' or ';' are comments; "key = value" is split at
 *    the first '=', both sides stripped; a leading '-' means "ignore
 *    failure"; a line "-key" without '=' excludes the key from globs; any
 *    other line without '=' is reported and ignored.
 *  - The options live in an ordered hash map keyed by the canonical key: a
 *    new value for a known key removes the old entry and appends the new
 *    one at the end; the same value again keeps the old position.
 *  - Application: an explicit (non-glob) key is written with its value
 *    (nothing for an exclusion); a glob writes every matching key that has
 *    no explicit entry, in map order, so the last matching glob wins and an
 *    explicit entry always beats a glob whatever their order.
 * After the sysctl.d files, /etc/sysctl.conf is read last as procps
 * `sysctl --system` does, unless it was already read through a sysctl.d
 * entry linking to it (Debian's /etc/sysctl.d/99-sysctl.conf), in which
 * case it applies at that entry's place, reported under that entry's path.
 *
 * Everything happens under a root folder ("/" or a snapshot); symbolic
 * links are resolved inside it, never outside, and paths are reported as
 * they are on the analysed host. */
#include "sysctld/sysctld.h"
#include "sysctld/sysctld_parse.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/sysctl_text.h"
#include "util/xalloc.h"
#include "util/macros.h"

#define SYSCTLD_MAX_FILE (1024 * 1024)
/* Totals: a real host has a few dozen files and kilobytes; a hostile
 * snapshot must not cost more than this (a note says when it is hit). */
#define SYSCTLD_MAX_NAMES 100000u
#define SYSCTLD_MAX_TOTAL (16u * 1024 * 1024)
#define SYSCTLD_MAX_ASSIGNMENTS 100000u
#define SYSCTLD_MAX_LINKS 40
#define SYSCTLD_SYSCTL_CONF "/etc/sysctl.conf"

/* In priority order: a name in an earlier folder hides the same name in a
 * later one. */
static const char *const sysctld_dirs[] = {
	"/etc/sysctl.d",
	"/run/sysctl.d",
	"/usr/local/lib/sysctl.d",
	"/usr/lib/sysctl.d",
	"/lib/sysctl.d",
};
#define N_DIRS ((int)ARRAY_SIZE(sysctld_dirs))
#define DIR_SYSCTL_CONF N_DIRS /* /etc/sysctl.conf itself */
#define DIR_OTHER (-1)         /* any other path given to sysctld_parse_file() */

/* One name in the boot order: read, masked, or unreadable. */
struct sysctld_slot {
	char *path;          /* host path as read, owned */
	const char *base;    /* the name, inside 'path' */
	int dir;             /* index into sysctld_dirs, DIR_SYSCTL_CONF or DIR_OTHER */
	bool masked;         /* applies nothing and hides the name */
	bool is_sysctl_conf; /* the same file as /etc/sysctl.conf (a link to it) */
};

/* One assignment line. */
struct entry {
	struct tw_sysctld_assign a; /* a.value == NULL: "-key" exclusion */
	char *ckey;                 /* canonical (slash) form, owned */
	bool glob;
	size_t slot;
};

/* One entry of systemd's ordered hash map. */
struct option {
	struct entry *first; /* the assignment that gave it its position */
	struct entry *last;  /* the latest assignment of the same value: reported */
	bool alive;          /* false once a different value replaced it */
};

/* A lookup answer kept so that the returned arrays live as long as the
 * configuration. */
struct cached {
	char *ckey;
	const struct tw_sysctld_assign **shadowed;
	size_t n;
};

struct tw_sysctld {
	struct sysctld_slot *slots;
	size_t nslots, slots_cap;
	struct entry **entries; /* every assignment, in boot order */
	size_t nentries, entries_cap;
	struct option *opts;    /* map order */
	size_t nopts, opts_cap;
	size_t *hash;           /* open addressing: option index + 1, 0 = empty */
	size_t hash_cap, hash_used;
	char **files;           /* host paths of the files read */
	size_t nfiles, files_cap;
	char **warnings;
	size_t nwarnings, warnings_cap;
	size_t bytes_read;      /* all files so far, against SYSCTLD_MAX_TOTAL */
	bool capped;            /* a total cap was hit */
	struct cached *cache;   /* written by the const lookups, see sysctld_lookup() */
	size_t ncache, cache_cap;
};

/* ---- small helpers ---- */

static void add_warning(struct tw_sysctld *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add_warning(struct tw_sysctld *c, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vappendf(&sb, fmt, ap);
	va_end(ap);
	c->warnings = tw_xgrow(c->warnings, &c->warnings_cap, c->nwarnings + 1,
			       sizeof(*c->warnings));
	c->warnings[c->nwarnings++] = sb_steal(&sb);
}

/* A short, printable excerpt of a configuration line for a warning. */
static void append_excerpt(struct strbuf *sb, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i < 60; i++)
		sb_appendc(sb, (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?');
	if (s[i])
		sb_append(sb, "...");
}

/* systemd's strstrip(): trims in place, returns the new start. */
static char *strip(char *s)
{
	return sysctl_text_strip(s);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

char *sysctld_key_canonical(const char *key)
{
	char *s = tw_xstrdup(key), *n, *out, *o;
	const char *p;

	n = strpbrk(s, "/.");
	if (n && *n == '.')
		for (; n; n = strpbrk(n + 1, "/."))
			*n = *n == '.' ? '/' : '.';
	/* path_simplify(): no empty or "." components. */
	out = o = tw_xmalloc(strlen(s) + 1);
	for (p = s; *p;) {
		size_t len = strcspn(p, "/");

		if (len > 0 && !(len == 1 && p[0] == '.')) {
			if (o != out)
				*o++ = '/';
			memcpy(o, p, len);
			o += len;
		}
		p += len;
		while (*p == '/')
			p++;
	}
	*o = '\0';
	free(s);
	return out;
}

/* The dotted form sysctl prints: the canonical form with '/' and '.' swapped. */
static char *key_dotted(const char *ckey)
{
	char *s = tw_xstrdup(ckey), *p;

	for (p = s; *p; p++)
		if (*p == '/')
			*p = '.';
		else if (*p == '.')
			*p = '/';
	return s;
}

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* glob(3) walks /proc/sys: a wildcard never crosses '/' nor matches a
 * leading '.'. */
static bool glob_matches(const char *pattern, const char *ckey)
{
	return fnmatch(pattern, ckey, FNM_PATHNAME | FNM_PERIOD) == 0;
}

/* Which folder 'path' is in, and its name. */
static int dir_of(const char *path, const char **ret_base)
{
	const char *slash = strrchr(path, '/');
	int i;

	*ret_base = slash ? slash + 1 : path;
	if (strcmp(path, SYSCTLD_SYSCTL_CONF) == 0)
		return DIR_SYSCTL_CONF;
	if (!slash)
		return DIR_OTHER;
	for (i = 0; i < N_DIRS; i++) {
		size_t n = strlen(sysctld_dirs[i]);

		if ((size_t)(slash - path) == n && strncmp(path, sysctld_dirs[i], n) == 0)
			return i;
	}
	return DIR_OTHER;
}

/* ---- the ordered map ---- */

static size_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

/* The slot of 'ckey' in c->hash: holding it, or the empty one to fill. */
static size_t hash_slot(const struct tw_sysctld *c, const char *ckey)
{
	size_t i = hash_str(ckey) & (c->hash_cap - 1);

	while (c->hash[i] != 0 && strcmp(c->opts[c->hash[i] - 1].first->ckey, ckey) != 0)
		i = (i + 1) & (c->hash_cap - 1);
	return i;
}

static void hash_grow(struct tw_sysctld *c)
{
	size_t i, cap = c->hash_cap ? c->hash_cap * 2 : 64;

	free(c->hash);
	c->hash = tw_xcalloc(cap, sizeof(*c->hash));
	c->hash_cap = cap;
	c->hash_used = 0;
	for (i = 0; i < c->nopts; i++)
		if (c->opts[i].alive) {
			c->hash[hash_slot(c, c->opts[i].first->ckey)] = i + 1;
			c->hash_used++;
		}
}

/* The live option for 'ckey', or NULL. */
static struct option *option_find(const struct tw_sysctld *c, const char *ckey)
{
	size_t i;

	if (c->hash_cap == 0)
		return NULL;
	i = hash_slot(c, ckey);
	return c->hash[i] ? &c->opts[c->hash[i] - 1] : NULL;
}

static bool value_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* systemd's parse_file() tail: insert or replace 'e' in the ordered map. */
static void option_put(struct tw_sysctld *c, struct entry *e)
{
	struct option *o = option_find(c, e->ckey);
	size_t i;

	if (o) {
		if (value_eq(o->last->a.value, e->a.value)) {
			o->last = e; /* same value: keeps its place */
			return;
		}
		o->alive = false;
	} else if ((c->hash_used + 1) * 2 > c->hash_cap) {
		hash_grow(c);
	}
	c->opts = tw_xgrow(c->opts, &c->opts_cap, c->nopts + 1, sizeof(*c->opts));
	c->opts[c->nopts] = (struct option){ .first = e, .last = e, .alive = true };
	i = hash_slot(c, e->ckey);
	if (c->hash[i] == 0)
		c->hash_used++;
	c->hash[i] = ++c->nopts;
}

/* ---- parsing ---- */

static size_t add_slot(struct tw_sysctld *c, const char *host_path, bool masked)
{
	struct sysctld_slot *s;

	c->slots = tw_xgrow(c->slots, &c->slots_cap, c->nslots + 1, sizeof(*c->slots));
	s = &c->slots[c->nslots];
	s->path = tw_xstrdup(host_path);
	s->dir = dir_of(s->path, &s->base);
	s->masked = masked;
	s->is_sysctl_conf = false;
	return c->nslots++;
}

static void parse_line(struct tw_sysctld *c, size_t slot, unsigned lineno, char *l)
{
	const char *path = c->slots[slot].path;
	char *p = strip(l), *eq, *value = NULL, *ckey;
	bool ignore_failure = false;
	struct entry *e;

	if (*p == '\0' || *p == '#' || *p == ';')
		return;
	eq = strchr(p, '=');
	if (eq) {
		if (p[0] == '-') {
			ignore_failure = true;
			p++;
		}
		*eq = '\0';
		value = strip(eq + 1);
	} else if (p[0] == '-') {
		p++; /* "-key": exclude the key from globs */
	} else {
		struct strbuf sb = STRBUF_INIT;

		append_excerpt(&sb, p);
		add_warning(c, "%s:%u: line is not an assignment, ignored: %s", path, lineno,
			    sb_str(&sb));
		sb_free(&sb);
		return;
	}
	ckey = sysctld_key_canonical(strip(p));
	if (*ckey == '\0') {
		add_warning(c, "%s:%u: empty key, ignored", path, lineno);
		free(ckey);
		return;
	}
	if (c->nentries >= SYSCTLD_MAX_ASSIGNMENTS) {
		c->capped = true;
		free(ckey);
		return;
	}
	e = tw_xcalloc(1, sizeof(*e));
	e->ckey = ckey;
	e->glob = has_glob(ckey);
	e->slot = slot;
	e->a.key = key_dotted(ckey);
	e->a.value = value ? sysctl_text_fold(value) : NULL;
	e->a.file = c->slots[slot].path;
	e->a.line = lineno;
	e->a.ignore_failure = ignore_failure;
	c->entries = tw_xgrow(c->entries, &c->entries_cap, c->nentries + 1, sizeof(*c->entries));
	c->entries[c->nentries++] = e;
	option_put(c, e);
}

int sysctld_parse_file(struct tw_sysctld *c, const char *host_path, const char *buf, size_t len)
{
	size_t slot = add_slot(c, host_path, false), i = 0;
	unsigned lineno = 0;
	char *line = tw_xmalloc(len + 1);

	c->files = tw_xgrow(c->files, &c->files_cap, c->nfiles + 1, sizeof(*c->files));
	c->files[c->nfiles++] = c->slots[slot].path;
	while (i < len) {
		size_t n = 0;

		/* read_line(): '\n', '\r', "\r\n" and NUL end a line. */
		while (i + n < len && buf[i + n] != '\n' && buf[i + n] != '\r' && buf[i + n] != '\0')
			n++;
		memcpy(line, buf + i, n);
		line[n] = '\0';
		if (lineno < UINT_MAX)
			lineno++;
		i += n;
		if (i < len) {
			if (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n')
				i++;
			i++;
		}
		parse_line(c, slot, lineno, line);
	}
	free(line);
	return 0;
}

struct tw_sysctld *sysctld_new(void)
{
	return tw_xcalloc(1, sizeof(struct tw_sysctld));
}

/* ---- files under a root ---- */

/* Lexically normalises an absolute path ("." and ".." handled, ".." stops
 * at "/"). Caller frees. */
static char *path_lexical(const char *path)
{
	char *out = tw_xmalloc(strlen(path) + 2);
	size_t o = 0;
	const char *p = path;

	while (*p) {
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (len == 0)
			break;
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else if (!(len == 1 && p[0] == '.')) {
			out[o++] = '/';
			memcpy(out + o, p, len);
			o += len;
		}
		p += len;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return out;
}

static bool is_dev_null(const char *host_path)
{
	char *n = path_lexical(host_path);
	bool r = strcmp(n, "/dev/null") == 0;

	free(n);
	return r;
}

/* 'prefix' (the root without its trailing slashes, "" for "/") + host path. */
static char *fs_path(const char *prefix, const char *host_path)
{
	struct strbuf sb = STRBUF_INIT;

	sb_append(&sb, prefix);
	sb_append(&sb, host_path);
	return sb_steal(&sb);
}

/* Resolves the host path 'path' inside the root as if the root were "/":
 * every component that is a symbolic link is followed, an absolute target
 * restarting at the root and ".." stopping there, so nothing outside the
 * root is ever looked at. On success *ret is the resolved host path
 * (caller frees). A chain that ends at /dev/null succeeds with "/dev/null"
 * even when the root has no /dev/null (a snapshot). Returns 0 or -errno
 * (-ENOENT, -ENOTDIR, -ELOOP, -EACCES...). */
static int chase(const char *prefix, const char *path, char **ret)
{
	struct strbuf done = STRBUF_INIT;
	char *todo = tw_xstrdup(path);
	size_t pos = 0;
	unsigned hops = 0;
	int r = 0;

	for (;;) {
		struct stat st;
		size_t len, keep;
		char *fs;

		while (todo[pos] == '/')
			pos++;
		if (todo[pos] == '\0')
			break;
		len = strcspn(todo + pos, "/");
		if (len == 1 && todo[pos] == '.') {
			pos += len;
			continue;
		}
		if (len == 2 && todo[pos] == '.' && todo[pos + 1] == '.') {
			char *slash = done.buf ? strrchr(done.buf, '/') : NULL;

			if (slash) {
				done.len = (size_t)(slash - done.buf);
				done.buf[done.len] = '\0';
			}
			pos += len;
			continue;
		}
		keep = done.len;
		sb_appendc(&done, '/');
		sb_appendn(&done, todo + pos, len);
		pos += len;
		fs = fs_path(prefix, sb_str(&done));
		if (lstat(fs, &st) < 0) {
			r = -errno;
			free(fs);
			if (r == -ENOENT) {
				struct strbuf rest = STRBUF_INIT;

				sb_append(&rest, sb_str(&done));
				sb_append(&rest, "/");
				sb_append(&rest, todo + pos);
				if (is_dev_null(sb_str(&rest))) {
					sb_reset(&done);
					sb_append(&done, "/dev/null");
					r = 0;
				}
				sb_free(&rest);
			}
			break;
		}
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n;
			struct strbuf next = STRBUF_INIT;

			n = readlink(fs, target, sizeof(target) - 1);
			free(fs);
			if (n < 0) {
				r = -errno;
				break;
			}
			target[n] = '\0';
			if (++hops > SYSCTLD_MAX_LINKS) {
				r = -ELOOP;
				break;
			}
			/* The link is replaced by its target. */
			done.len = keep;
			if (done.buf)
				done.buf[keep] = '\0';
			if (target[0] == '/')
				sb_reset(&done);
			sb_append(&next, target);
			sb_append(&next, "/");
			sb_append(&next, todo + pos);
			free(todo);
			todo = sb_steal(&next);
			pos = 0;
			continue;
		}
		free(fs);
	}
	if (r == 0)
		*ret = done.len ? sb_steal(&done) : tw_xstrdup("/");
	sb_free(&done);
	free(todo);
	return r;
}

/* A name found in a folder, before sorting. */
struct found {
	char *name;
	int dir;          /* index into sysctld_dirs: the earlier folder wins */
};

/* Where each of sysctld_dirs leads inside the root (NULL: absent). */
struct dir_map {
	char *resolved[N_DIRS];
};

static int found_cmp(const void *a, const void *b)
{
	const struct found *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->dir > y->dir) - (x->dir < y->dir);
}

/* A name that takes part, in boot order once sorted. */
struct candidate {
	char *name;
	char *host_path;  /* folder + name, as on the host */
	char *resolved;   /* where it leads inside the root, NULL when masked */
	bool masked;
	dev_t dev;
	ino_t ino;
};

/* Classifies the file 'host_path' as conf-files.c does. Returns 1 when it
 * takes part (filling *ret_resolved, NULL when masked, and *ret_st), 0
 * when it is skipped without hiding anything (a warning says why).
 * 'resolved_dir' is where its folder leads inside the root. stat()
 * only looks: nothing but a regular file is ever opened (read_one). */
static int classify(struct tw_sysctld *c, const char *prefix, const char *resolved_dir,
		    const char *host_path, char **ret_resolved, bool *ret_masked,
		    struct stat *ret_st)
{
	char *resolved = NULL, *fs;
	int r;

	/* The common case, a plain file in a folder without links: one
	 * lstat instead of resolving every component again. */
	if (resolved_dir) {
		const char *base = strrchr(host_path, '/') + 1;

		resolved = tw_xmalloc(strlen(resolved_dir) + strlen(base) + 2);
		sprintf(resolved, "%s/%s", strcmp(resolved_dir, "/") ? resolved_dir : "", base);
		fs = fs_path(prefix, resolved);
		r = lstat(fs, ret_st);
		free(fs);
		if (r == 0 && S_ISREG(ret_st->st_mode) && ret_st->st_size > 0) {
			*ret_resolved = resolved;
			*ret_masked = false;
			return 1;
		}
		free(resolved);
		resolved = NULL;
	}
	r = chase(prefix, host_path, &resolved);
	if (r < 0) {
		add_warning(c, "%s: %s, ignored", host_path,
			    r == -ENOENT ? "dangling symbolic link" : strerror(-r));
		return 0;
	}
	if (strcmp(resolved, "/dev/null") == 0) {
		free(resolved);
		*ret_resolved = NULL;
		*ret_masked = true;
		return 1;
	}
	fs = fs_path(prefix, resolved);
	r = stat(fs, ret_st) < 0 ? -errno : 0;
	free(fs);
	if (r < 0) {
		add_warning(c, "%s: %s, ignored", host_path, strerror(-r));
		free(resolved);
		return 0;
	}
	/* null_or_empty(): an empty file or a character device is a mask. */
	if (S_ISCHR(ret_st->st_mode) || (S_ISREG(ret_st->st_mode) && ret_st->st_size <= 0)) {
		free(resolved);
		*ret_resolved = NULL;
		*ret_masked = true;
		return 1;
	}
	if (!S_ISREG(ret_st->st_mode)) {
		add_warning(c, "%s: not a regular file, ignored", host_path);
		free(resolved);
		return 0;
	}
	*ret_resolved = resolved;
	*ret_masked = false;
	return 1;
}

/* Lists the *.conf names of folder 'd' (at most SYSCTLD_MAX_NAMES in all). */
static void scan_dir(struct tw_sysctld *c, const char *prefix, int d, struct dir_map *dm,
		     struct found **v, size_t *n, size_t *cap)
{
	char *resolved = NULL, *fs;
	struct dirent *de;
	DIR *dp;
	int r;

	r = chase(prefix, sysctld_dirs[d], &resolved);
	if (r < 0) {
		if (r != -ENOENT && r != -ENOTDIR)
			add_warning(c, "%s: %s", sysctld_dirs[d], strerror(-r));
		return;
	}
	fs = fs_path(prefix, resolved);
	dp = opendir(fs);
	free(fs);
	if (!dp) {
		if (errno != ENOENT && errno != ENOTDIR)
			add_warning(c, "%s: %s", sysctld_dirs[d], strerror(errno));
		free(resolved);
		return;
	}
	dm->resolved[d] = resolved;
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.' || !ends_with(de->d_name, ".conf"))
			continue;
		if (*n >= SYSCTLD_MAX_NAMES) {
			c->capped = true;
			break;
		}
		*v = tw_xgrow(*v, cap, *n + 1, sizeof(**v));
		(*v)[(*n)++] = (struct found){ tw_xstrdup(de->d_name), d };
	}
	closedir(dp);
}

/* The names that take part: for each name, the first folder's entry that
 * classify() accepts (a skipped entry hides nothing). Sorting (name,
 * folder) once makes this O(n log n) however many files there are. */
static void pick_candidates(struct tw_sysctld *c, const char *prefix,
			    const struct dir_map *dm, struct found *fv, size_t nf,
			    struct candidate **v, size_t *n, size_t *cap)
{
	if (nf > 1)
		qsort(fv, nf, sizeof(*fv), found_cmp);
	for (size_t i = 0; i < nf;) {
		size_t j = i;
		bool taken = false;

		for (; j < nf && strcmp(fv[j].name, fv[i].name) == 0; j++) {
			struct candidate cand = { 0 };
			struct strbuf sb = STRBUF_INIT;
			struct stat st;

			if (taken)
				continue;
			sb_appendf(&sb, "%s/%s", sysctld_dirs[fv[j].dir], fv[j].name);
			cand.host_path = sb_steal(&sb);
			if (!classify(c, prefix, dm->resolved[fv[j].dir], cand.host_path,
				      &cand.resolved, &cand.masked, &st)) {
				free(cand.host_path);
				continue;
			}
			cand.name = tw_xstrdup(fv[j].name);
			if (!cand.masked) {
				cand.dev = st.st_dev;
				cand.ino = st.st_ino;
			}
			*v = tw_xgrow(*v, cap, *n + 1, sizeof(**v));
			(*v)[(*n)++] = cand;
			taken = true;
		}
		i = j;
	}
}

/* Reads one file, inside the root only and only when it is a regular
 * file; a failure becomes a warning and an unread slot. Returns true
 * when it was parsed. */
static bool read_one(struct tw_sysctld *c, int rootfd, const char *host_path,
		     const char *resolved)
{
	struct tw_error e;
	char *buf = NULL;
	size_t len = 0;
	int r;

	if (c->bytes_read >= SYSCTLD_MAX_TOTAL) {
		c->capped = true;
		add_slot(c, host_path, false);
		return false;
	}
	r = tw_read_beneath(rootfd, resolved[1] ? resolved + 1 : ".", host_path,
			    SYSCTLD_MAX_FILE, &buf, &len, &e);
	if (r < 0) {
		if (r == -EFBIG)
			add_warning(c, "%s: larger than 1 MiB, ignored", host_path);
		else
			add_warning(c, "%s, ignored", e.msg);
		add_slot(c, host_path, false);
		return false;
	}
	c->bytes_read += len;
	sysctld_parse_file(c, host_path, buf, len);
	free(buf);
	return true;
}

int sysctld_load(const char *root, struct tw_sysctld **ret, struct tw_error *err)
{
	struct candidate *v = NULL;
	struct found *fv = NULL;
	struct dir_map dm = { { NULL } };
	size_t n = 0, cap = 0, nf = 0, fcap = 0, i;
	struct tw_sysctld *c;
	char *prefix, *resolved = NULL;
	struct stat st;
	bool conf_seen = false;
	int d, r, rootfd;

	if (!root || !*root)
		root = "/";
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return tw_error_set(err, -errno, "%s: %s", root, strerror(errno));
	prefix = tw_xstrdup(root);
	for (i = strlen(prefix); i > 0 && prefix[i - 1] == '/'; i--)
		prefix[i - 1] = '\0';

	c = sysctld_new();
	for (d = 0; d < N_DIRS; d++)
		scan_dir(c, prefix, d, &dm, &fv, &nf, &fcap);
	pick_candidates(c, prefix, &dm, fv, nf, &v, &n, &cap);
	for (i = 0; i < nf; i++)
		free(fv[i].name);
	free(fv);
	for (d = 0; d < N_DIRS; d++)
		free(dm.resolved[d]);

	/* The identity of /etc/sysctl.conf, to recognise links to it. */
	r = chase(prefix, SYSCTLD_SYSCTL_CONF, &resolved);
	if (r == 0 && strcmp(resolved, "/dev/null") != 0) {
		char *fs = fs_path(prefix, resolved);

		if (stat(fs, &st) == 0 && S_ISREG(st.st_mode)) {
			conf_seen = true;
			for (i = 0; i < n; i++)
				if (!v[i].masked && v[i].dev == st.st_dev && v[i].ino == st.st_ino)
					break;
			if (i == n) {
				/* procps reads it after everything else. */
				v = tw_xgrow(v, &cap, n + 1, sizeof(*v));
				v[n] = (struct candidate){ .name = tw_xstrdup("sysctl.conf"),
							   .host_path = tw_xstrdup(SYSCTLD_SYSCTL_CONF),
							   .resolved = resolved, .dev = st.st_dev,
							   .ino = st.st_ino };
				n++;
				resolved = NULL;
			}
		}
		free(fs);
	}
	free(resolved);

	for (i = 0; i < n; i++) {
		if (v[i].masked) {
			add_slot(c, v[i].host_path, true);
		} else if (read_one(c, rootfd, v[i].host_path, v[i].resolved) && conf_seen &&
			   v[i].dev == st.st_dev && v[i].ino == st.st_ino) {
			c->slots[c->nslots - 1].is_sysctl_conf = true;
		}
		free(v[i].name);
		free(v[i].host_path);
		free(v[i].resolved);
	}
	if (c->capped)
		add_warning(c, "more than %u files, %u MiB or %u assignments of sysctl.d "
			    "configuration: the rest was not read, so the boot-time values shown "
			    "may be incomplete", SYSCTLD_MAX_NAMES, SYSCTLD_MAX_TOTAL >> 20,
			    SYSCTLD_MAX_ASSIGNMENTS);
	free(v);
	free(prefix);
	close(rootfd);
	*ret = c;
	return 0;
}

static int dir_index(const char *path)
{
	const char *base;

	return dir_of(path, &base);
}

static int mem_file_cmp(const void *a, const void *b)
{
	const struct sysctld_mem_file *const *x = a, *const *y = b;
	const char *bx = strrchr((*x)->host_path, '/'), *by = strrchr((*y)->host_path, '/');
	int c = strcmp(bx ? bx + 1 : (*x)->host_path, by ? by + 1 : (*y)->host_path);

	return c ? c : (dir_index((*x)->host_path) > dir_index((*y)->host_path)) -
			       (dir_index((*x)->host_path) < dir_index((*y)->host_path));
}

int sysctld_load_files(const struct sysctld_mem_file *v, size_t n, struct tw_sysctld **ret)
{
	struct tw_sysctld *c = sysctld_new();
	const struct sysctld_mem_file **sorted = tw_xcalloc(n ? n : 1, sizeof(*sorted));
	const struct sysctld_mem_file *conf = NULL;
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		int d = dir_index(v[i].host_path);

		if (strcmp(v[i].host_path, SYSCTLD_SYSCTL_CONF) == 0)
			conf = &v[i];
		else if (d >= 0 && d < N_DIRS && ends_with(v[i].host_path, ".conf"))
			sorted[m++] = &v[i];
	}
	/* By name, then folder priority: the first of each name wins. */
	if (m > 1)
		qsort(sorted, m, sizeof(*sorted), mem_file_cmp);
	for (size_t i = 0; i < m; i++) {
		const struct sysctld_mem_file *f = sorted[i];
		const char *b = strrchr(f->host_path, '/');

		if (i > 0) {
			const char *pb = strrchr(sorted[i - 1]->host_path, '/');

			if (strcmp(b, pb) == 0)
				continue;   /* hidden by an earlier folder's file */
		}
		if (f->refused) {
			add_warning(c, "%s: %s, ignored", f->host_path, f->refused);
			continue;
		}
		if (f->len == 0) {
			add_slot(c, f->host_path, true);   /* an empty file masks */
			continue;
		}
		sysctld_parse_file(c, f->host_path, f->buf, f->len);
	}
	/* procps reads it after everything else. */
	if (conf && conf->refused)
		add_warning(c, "%s: %s, ignored", conf->host_path, conf->refused);
	else if (conf && conf->len > 0) {
		sysctld_parse_file(c, conf->host_path, conf->buf, conf->len);
		c->slots[c->nslots - 1].is_sysctl_conf = true;
	}
	free(sorted);
	*ret = c;
	return 0;
}

/* ---- questions ---- */

static bool entry_matches(const struct entry *e, const char *ckey)
{
	return e->glob ? glob_matches(e->ckey, ckey) : strcmp(e->ckey, ckey) == 0;
}

const struct tw_sysctld_assign *sysctld_lookup(const struct tw_sysctld *c, const char *key,
					       const struct tw_sysctld_assign *const **ret_shadowed,
					       size_t *ret_nshadowed)
{
	const struct entry *win = NULL;
	const struct option *o;
	struct tw_sysctld *mut;
	struct cached *k;
	char *ckey;
	size_t i;

	if (ret_shadowed)
		*ret_shadowed = NULL;
	if (ret_nshadowed)
		*ret_nshadowed = 0;
	if (!c || !key)
		return NULL;
	ckey = sysctld_key_canonical(key);
	o = option_find(c, ckey);
	if (o) {
		/* An explicit entry beats every glob; an exclusion sets nothing. */
		win = o->last->a.value ? o->last : NULL;
	} else {
		for (i = 0; i < c->nopts; i++) {
			o = &c->opts[i];
			if (o->alive && o->first->glob && o->last->a.value &&
			    glob_matches(o->first->ckey, ckey))
				win = o->last;
		}
	}
	if (!ret_shadowed && !ret_nshadowed) {
		free(ckey);
		return win ? &win->a : NULL;
	}

	/* The shadowed list is kept in the configuration so that it lives as
	 * long as 'c' does; this is the only write behind the const, which
	 * makes lookups on one configuration unsafe from several threads. */
	mut = (struct tw_sysctld *)c;
	for (i = 0; i < mut->ncache; i++)
		if (strcmp(mut->cache[i].ckey, ckey) == 0)
			break;
	if (i == mut->ncache) {
		size_t ncap = 0;

		mut->cache = tw_xgrow(mut->cache, &mut->cache_cap, mut->ncache + 1,
				      sizeof(*mut->cache));
		k = &mut->cache[mut->ncache++];
		k->ckey = ckey;
		k->shadowed = NULL;
		k->n = 0;
		ckey = NULL;
		for (i = 0; i < c->nentries; i++) {
			const struct entry *e = c->entries[i];

			if (e == win || !e->a.value || !entry_matches(e, k->ckey))
				continue;
			k->shadowed = tw_xgrow(k->shadowed, &ncap, k->n + 1, sizeof(*k->shadowed));
			k->shadowed[k->n++] = &e->a;
		}
	} else {
		k = &mut->cache[i];
	}
	free(ckey);
	if (ret_shadowed)
		*ret_shadowed = k->shadowed;
	if (ret_nshadowed)
		*ret_nshadowed = k->n;
	return win ? &win->a : NULL;
}

size_t sysctld_files(const struct tw_sysctld *c, const char *const **ret_files)
{
	*ret_files = c ? (const char *const *)c->files : NULL;
	return c ? c->nfiles : 0;
}

size_t sysctld_warnings(const struct tw_sysctld *c, const char *const **ret_msgs)
{
	*ret_msgs = c ? (const char *const *)c->warnings : NULL;
	return c ? c->nwarnings : 0;
}

/* The first slot whose assignments come after a fragment at 'own_file',
 * with *ret_skip the slot the fragment replaces (or SIZE_MAX). Returns
 * false when such a fragment would not be read at boot at all. */
static bool own_position(const struct tw_sysctld *c, const char *own_file, size_t *ret_start,
			 size_t *ret_skip)
{
	char *own = path_lexical(own_file);
	const char *base;
	int dir = dir_of(own, &base);
	size_t i;
	bool ok = true;

	*ret_skip = SIZE_MAX;
	*ret_start = c->nslots;
	if (dir == DIR_SYSCTL_CONF) {
		/* Read where a sysctl.d link to it sits, else last. */
		for (i = 0; i < c->nslots; i++)
			if (c->slots[i].is_sysctl_conf || c->slots[i].dir == DIR_SYSCTL_CONF) {
				*ret_skip = i;
				*ret_start = i + 1;
				break;
			}
		goto out;
	}
	if (dir == DIR_OTHER || base[0] == '.' || !ends_with(base, ".conf")) {
		ok = false;
		goto out;
	}
	for (i = 0; i < c->nslots; i++) {
		const struct sysctld_slot *s = &c->slots[i];
		int cmp;

		if (s->dir < 0 || s->dir >= N_DIRS) {
			if (s->dir == DIR_SYSCTL_CONF) {
				*ret_start = i;
				goto out;
			}
			continue;
		}
		cmp = strcmp(s->base, base);
		if (cmp < 0)
			continue;
		if (cmp > 0) {
			*ret_start = i;
			goto out;
		}
		if (s->dir < dir) {
			/* A file of the same name in an earlier folder hides the
			 * fragment: it applies instead (nothing, when a mask). */
			ok = !s->masked;
			*ret_start = i;
		} else {
			*ret_skip = i; /* the fragment replaces or hides it */
			*ret_start = i + 1;
		}
		goto out;
	}
out:
	free(own);
	return ok;
}

const struct tw_sysctld_assign *sysctld_overrider(const struct tw_sysctld *c, const char *key,
						  const char *own_file)
{
	const struct tw_sysctld_assign *found = NULL;
	size_t start, skip, i;
	char *ckey;

	if (!c || !key || !own_file || !own_position(c, own_file, &start, &skip))
		return NULL;
	ckey = sysctld_key_canonical(key);
	for (i = 0; i < c->nentries; i++) {
		const struct entry *e = c->entries[i];

		/* Only an explicit assignment replaces the fragment's explicit
		 * one; globs never beat it. */
		if (e->slot < start || e->slot == skip || e->glob || !e->a.value)
			continue;
		if (strcmp(e->ckey, ckey) == 0) {
			found = &e->a;
			break;
		}
	}
	free(ckey);
	return found;
}

void sysctld_free(struct tw_sysctld *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nentries; i++) {
		free(c->entries[i]->ckey);
		free(c->entries[i]->a.key);
		free(c->entries[i]->a.value);
		free(c->entries[i]);
	}
	free(c->entries);
	for (i = 0; i < c->nslots; i++)
		free(c->slots[i].path);
	free(c->slots);
	free(c->opts);
	free(c->hash);
	free(c->files);
	for (i = 0; i < c->nwarnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	for (i = 0; i < c->ncache; i++) {
		free(c->cache[i].ckey);
		free(c->cache[i].shadowed);
	}
	free(c->cache);
	free(c);
}
