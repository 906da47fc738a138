/* SPDX-License-Identifier: MIT */
/* procsys.c: the recursive walk of /proc/sys (see procsys.h).
 *
 * The walk uses openat() relative to the folder's descriptor and one
 * reusable value buffer, so it costs one open/read/close per entry and no
 * path building but the key. A full walk of /proc/sys (about 1,100
 * entries in a fresh namespace, more on a host with many interfaces)
 * takes a few milliseconds; see bench/bench-live.sh. Reading a sysctl
 * has no side effect: write-only triggers (vm.drop_caches,
 * net.ipv4.route.flush) fail to open for reading and are recorded as
 * present-but-unreadable. */
#include "collect/procsys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

#define PROCSYS_VALUE_MAX (64u * 1024u)
#define PROCSYS_DEPTH_MAX 16
/* The first read asks for this much: the kernel allocates and zeroes a
 * buffer of the size asked for every read of a sysctl (proc_sys_call_handler),
 * which costs more than the value for a 64 KiB request. */
#define PROCSYS_FIRST_READ 1024u

struct walk {
	struct tw_sysctls *out;
	dev_t dev;
	char *val;          /* PROCSYS_VALUE_MAX + 1 bytes */
	struct strbuf path; /* relative path of the current folder, "net/ipv4" */
};

static void put(struct walk *w, const char *relpath, const char *value)
{
	char *key = sysctl_path_to_key(relpath);

	sysctls_put(w->out, key, value);
	free(key);
}

/* Reads 'fd' from 'off' to its end into val[off..]: the length, or -1
 * (error, or longer than PROCSYS_VALUE_MAX). Reads of at most 'chunk'. */
static ssize_t read_from(int fd, char *val, size_t off, size_t chunk)
{
	size_t len = off;

	for (;;) {
		size_t room = PROCSYS_VALUE_MAX + 1 - len;
		ssize_t n = pread(fd, val + len, room < chunk ? room : chunk, (off_t)len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return (ssize_t)len;
		len += (size_t)n;
		if (len > PROCSYS_VALUE_MAX)
			return -1;
	}
}

/* The value of the open sysctl 'fd' in 'val' (NUL-terminated), or NULL
 * when unreadable or unsuitable. Integer vectors print nothing past
 * offset 0 (__do_proc_dointvec), so a value that fills the small first
 * read is read again whole in one large read, as before. */
static const char *read_value(int fd, char *val)
{
	ssize_t len = read_from(fd, val, 0, PROCSYS_FIRST_READ);

	if (len >= (ssize_t)PROCSYS_FIRST_READ)
		len = read_from(fd, val, 0, PROCSYS_VALUE_MAX + 1);
	if (len < 0 || memchr(val, '\0', (size_t)len))
		return NULL;
	val[len] = '\0';
	return val;
}

/* Reads one value; NULL value when unreadable or unsuitable. */
static void read_entry(struct walk *w, int dfd, const char *name, const char *relpath)
{
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	if (fd < 0) {
		put(w, relpath, NULL);
		return;
	}
	put(w, relpath, read_value(fd, w->val));   /* sysctls_put folds newlines and tabs */
	close(fd);
}

static int walk_dir(struct walk *w, int dfd, int depth)
{
	DIR *d;
	struct dirent *de;
	size_t base = w->path.len;

	if (depth > PROCSYS_DEPTH_MAX)
		return 0;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -errno;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		const char *name = de->d_name;

		if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
			continue;
		if (base)
			sb_appendc(&w->path, '/');
		sb_append(&w->path, name);
		if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			if (st.st_dev != w->dev) {
				/* another file system (binfmt_misc): not sysctls */
			} else if (S_ISDIR(st.st_mode)) {
				int sub = openat(dirfd(d), name,
						 O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

				if (sub >= 0)
					walk_dir(w, sub, depth + 1);   /* unreadable folder: skip */
			} else if (S_ISREG(st.st_mode)) {
				read_entry(w, dirfd(d), name, sb_str(&w->path));
			}
		}
		w->path.len = base;
		if (w->path.buf)
			w->path.buf[base] = '\0';
	}
	closedir(d);
	return 0;
}

int procsys_read(const char *root, const char *subtree, struct tw_sysctls *out,
		 struct tw_error *err)
{
	struct walk w = { .out = out, .path = STRBUF_INIT };
	struct stat st;
	int dfd, r;

	dfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return tw_error_set(err, -errno, "%s: %s (is /proc mounted?)", root,
				    strerror(errno));
	if (fstat(dfd, &st) < 0) {
		r = -errno;
		close(dfd);
		return tw_error_set(err, r, "%s: %s", root, strerror(-r));
	}
	w.dev = st.st_dev;
	if (subtree) {
		int sub = openat(dfd, subtree, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		r = -errno;
		close(dfd);
		if (sub < 0)
			return tw_error_set(err, r, "%s/%s: %s", root, subtree, strerror(-r));
		dfd = sub;
		sb_append(&w.path, subtree);
	}
	w.val = tw_xmalloc(PROCSYS_VALUE_MAX + 1);
	r = walk_dir(&w, dfd, 0);
	free(w.val);
	sb_free(&w.path);
	if (r < 0)
		return tw_error_set(err, r, "%s: %s", root, strerror(-r));
	out->known = true;
	return 0;
}

/* Whether the key names a file below the root: no component that is
 * empty, "." or ".." once in the path form (the walk never makes one). */
static bool key_is_plain(const char *key)
{
	const char *p = key;

	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);

		/* "/" and "//" are the path components "." and "..". */
		if (n == 0 || (n <= 2 && strspn(p, "/") >= n))
			return false;
		if (!dot)
			return true;
		p = dot + 1;
	}
}

int procsys_read_keys(const char *root, const struct tw_sysctl_keys *keys,
		      struct tw_sysctls *out, struct tw_error *err)
{
	struct stat st;
	char *val;
	int dfd, r;

	dfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return tw_error_set(err, -errno, "%s: %s (is /proc mounted?)", root,
				    strerror(errno));
	if (fstat(dfd, &st) < 0) {
		r = -errno;
		close(dfd);
		return tw_error_set(err, r, "%s: %s", root, strerror(-r));
	}
	val = tw_xmalloc(PROCSYS_VALUE_MAX + 1);
	for (size_t i = 0; i < keys->n; i++) {
		const char *key = keys->v[i];
		char *path;
		struct stat fst;
		int fd;

		if (!key_is_plain(key))
			continue;   /* no such file: absent */
		path = sysctl_key_to_path(key);
		fd = openat(dfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		free(path);
		if (fd < 0) {
			/* Absent, or (EACCES) present but unreadable, as in the walk. */
			if (errno != ENOENT && errno != ENOTDIR)
				sysctls_put(out, key, NULL);
			continue;
		}
		/* What the walk skips is absent here too: folders, other file
		 * systems (binfmt_misc). */
		if (fstat(fd, &fst) == 0 && S_ISREG(fst.st_mode) && fst.st_dev == st.st_dev)
			sysctls_put(out, key, read_value(fd, val));
		close(fd);
	}
	free(val);
	close(dfd);
	out->known = true;
	return 0;
}
