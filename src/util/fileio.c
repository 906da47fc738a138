/* SPDX-License-Identifier: MIT */
/* fileio.c: bounded whole-file reads and atomic writes (see fileio.h). */
#include "util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/xalloc.h"

int tw_read_file(const char *path, size_t max, char **ret_buf, size_t *ret_len,
		 struct tw_error *err)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tw_error_set(err, -errno, "%s: %s", path, strerror(errno));
	{
		struct stat st;

		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
		    (uint64_t)st.st_size > max) {
			close(fd);
			return tw_error_set(err, -EFBIG, "%s: larger than %zu bytes", path, max);
		}
	}
	for (;;) {
		ssize_t n;

		buf = tw_xgrow(buf, &cap, len + 4096 + 1, 1);
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = tw_error_set(err, -errno, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			r = tw_error_set(err, -EFBIG, "%s: larger than %zu bytes", path, max);
			goto fail;
		}
	}
	close(fd);
	buf[len] = '\0';
	*ret_buf = buf;
	if (ret_len)
		*ret_len = len;
	return 0;
fail:
	close(fd);
	free(buf);
	return r;
}

/* ---- inside a hostile folder ---- */

static int openat2_beneath(int dirfd, const char *rel, int flags)
{
#ifdef SYS_openat2
	struct open_how how = {
		.flags = (uint64_t)flags,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
#else
	(void)dirfd; (void)rel; (void)flags;
	return -ENOSYS;
#endif
}

/* Older kernels: one component at a time, never following a link. */
static int open_nofollow_walk(int dirfd, const char *rel, int flags)
{
	char comp[256];
	int cur = dirfd, r;
	const char *p = rel;

	if (*p == '/')
		return -EXDEV;
	for (;;) {
		size_t len = strcspn(p, "/");
		bool last = p[len] == '\0';
		int next;

		if (len == 0 || len >= sizeof(comp) || (len == 2 && p[0] == '.' && p[1] == '.')) {
			r = len >= sizeof(comp) ? -ENAMETOOLONG : -EXDEV;
			break;
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		next = openat(cur, comp, last ? flags | O_NOFOLLOW
					     : O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		r = next < 0 ? -errno : next;
		if (r == -ENOTDIR && !last) {
			struct stat lst;

			/* A link where a folder is expected: say so. */
			if (fstatat(cur, comp, &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(lst.st_mode))
				r = -ELOOP;
		}
		if (cur != dirfd)
			close(cur);
		if (next < 0 || last)
			break;
		cur = next;
		p += len;
		while (*p == '/')
			p++;
		if (*p == '\0') {
			/* "dir/": the folder itself is the answer. */
			return cur;
		}
	}
	return r;
}

/* Set by tests to run the pre-5.6 path on a kernel that has openat2. */
static bool walk_forced;

void tw_open_beneath_force_walk(bool on)
{
	walk_forced = on;
}

static int open_beneath_flags(int dirfd, const char *rel, int flags)
{
	int fd = walk_forced ? -ENOSYS : openat2_beneath(dirfd, rel, flags);

	if (fd == -ENOSYS)
		fd = open_nofollow_walk(dirfd, rel, flags);
	return fd;
}

int tw_open_beneath(int dirfd, const char *rel, struct stat *ret_st)
{
	struct stat st2;
	int pfd, fd;

	/* O_PATH opens nothing: a FIFO or device is only looked at. */
	pfd = open_beneath_flags(dirfd, rel, O_PATH | O_CLOEXEC);
	if (pfd < 0)
		return pfd;
	if (fstat(pfd, ret_st) < 0) {
		int r = -errno;

		close(pfd);
		return r;
	}
	close(pfd);
	/* O_PATH | O_NOFOLLOW (the walk) opens a link itself. */
	if (S_ISLNK(ret_st->st_mode))
		return -ELOOP;
	if (!S_ISREG(ret_st->st_mode))
		return -EINVAL;
	fd = open_beneath_flags(dirfd, rel, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return fd;
	/* Swapped between the two opens? Then it is not the file checked. */
	if (fstat(fd, &st2) < 0 || !S_ISREG(st2.st_mode) || st2.st_ino != ret_st->st_ino ||
	    st2.st_dev != ret_st->st_dev) {
		close(fd);
		return -EINVAL;
	}
	*ret_st = st2;
	return fd;
}

static int read_fd_st(int fd, const struct stat *st, const char *name, size_t max,
		      char **ret_buf, size_t *ret_len, struct tw_error *err);

int tw_read_regular(const char *path, size_t max, char **ret_buf, size_t *ret_len,
		    struct tw_error *err)
{
	struct stat st, st2;
	int pfd, fd, r;

	pfd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0)
		return tw_error_set(err, -errno, "%s: %s", path, strerror(errno));
	r = fstat(pfd, &st) < 0 ? -errno : 0;
	close(pfd);
	if (r < 0)
		return tw_error_set(err, r, "%s: %s", path, strerror(-r));
	if (S_ISLNK(st.st_mode))
		return tw_error_set(err, -ELOOP, "%s: is a symbolic link; refusing to read through it",
				    path);
	if (!S_ISREG(st.st_mode))
		return tw_error_set(err, -EINVAL, "%s: not a regular file", path);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return tw_error_set(err, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st2) < 0 || st2.st_ino != st.st_ino || st2.st_dev != st.st_dev) {
		close(fd);
		return tw_error_set(err, -EINVAL, "%s: changed while being opened", path);
	}
	r = read_fd_st(fd, &st2, path, max, ret_buf, ret_len, err);
	close(fd);
	return r;
}

int tw_open_error(struct tw_error *err, int code, const char *name)
{
	switch (code) {
	case -ENOENT:
		return tw_error_set(err, code, "%s: missing", name);
	case -EXDEV:
	case -ELOOP:
		return tw_error_set(err, code, "%s: a symbolic link that leads out of the snapshot "
				    "(or any link, on kernels before 5.6): refused", name);
	case -EINVAL:
		return tw_error_set(err, code, "%s: not a regular file (a FIFO, device, socket or "
				    "folder): refused", name);
	default:
		return tw_error_set(err, code, "%s: %s", name, strerror(-code));
	}
}

/* Reads 'fd' whole; 'st' (may be NULL) is its fstat, to refuse an
 * oversized file up front and to stop at its size without one more read. */
static int read_fd_st(int fd, const struct stat *st, const char *name, size_t max,
		      char **ret_buf, size_t *ret_len, struct tw_error *err)
{
	size_t len = 0, cap = 0, want = 4096;
	bool sized = st && S_ISREG(st->st_mode) && st->st_size > 0;
	char *buf = NULL;

	if (sized && (uint64_t)st->st_size > max)
		return tw_error_set(err, -EFBIG, "%s: larger than %zu bytes", name, max);
	if (sized)
		want = (size_t)st->st_size + 1;
	for (;;) {
		ssize_t n;

		buf = tw_xgrow(buf, &cap, len + want + 1, 1);
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			int r;

			if (errno == EINTR)
				continue;
			r = tw_error_set(err, -errno, "%s: %s", name, strerror(errno));
			free(buf);
			return r;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			free(buf);
			return tw_error_set(err, -EFBIG, "%s: larger than %zu bytes", name, max);
		}
		/* A regular file read to its size in one short read: done. */
		if (sized && len == (size_t)st->st_size && (size_t)n < cap - (len - (size_t)n) - 1)
			break;
		want = 4096;
	}
	buf[len] = '\0';
	*ret_buf = buf;
	if (ret_len)
		*ret_len = len;
	return 0;
}

int tw_read_fd(int fd, const char *name, size_t max, char **ret_buf, size_t *ret_len,
	       struct tw_error *err)
{
	struct stat st;

	return read_fd_st(fd, fstat(fd, &st) == 0 ? &st : NULL, name, max, ret_buf, ret_len,
			  err);
}

int tw_read_beneath(int dirfd, const char *rel, const char *name, size_t max,
		    char **ret_buf, size_t *ret_len, struct tw_error *err)
{
	struct stat st;
	int fd = tw_open_beneath(dirfd, rel, &st), r;

	if (fd < 0)
		return tw_open_error(err, fd, name);
	r = read_fd_st(fd, &st, name, max, ret_buf, ret_len, err);
	close(fd);
	return r;
}

#define LINE_CHUNK 65536

void tw_line_reader_init(struct tw_line_reader *r, int fd, const char *name, size_t max)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->name = name;
	r->max = max;
	/* Room for a whole line of 'max' bytes, its '\n' and a NUL. */
	r->size = max + 2 > LINE_CHUNK ? max + 2 : LINE_CHUNK;
	r->buf = tw_xmalloc(r->size);
}

int tw_line_reader_next(struct tw_line_reader *r, char **ret, size_t *ret_len,
			struct tw_error *err)
{
	for (;;) {
		char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		size_t len;

		if (nl || (r->eof && r->end > r->start)) {
			len = nl ? (size_t)(nl - (r->buf + r->start)) : r->end - r->start;
			if (r->lineno == UINT_MAX)
				return tw_error_set(err, -EFBIG, "%s: too many lines", r->name);
			r->lineno++;
			if (len > r->max)
				return tw_error_set(err, -EINVAL, "%s:%u: line longer than %zu bytes",
						    r->name, r->lineno, r->max);
			*ret = r->buf + r->start;
			(*ret)[len] = '\0';
			*ret_len = len;
			r->start += len + (nl ? 1 : 0);
			return 1;
		}
		if (r->eof)
			return 0;
		if (r->end - r->start > r->max)
			return tw_error_set(err, -EINVAL, "%s:%u: line longer than %zu bytes",
					    r->name, r->lineno + 1, r->max);
		/* Make room: move the partial line to the front. */
		if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, r->end - r->start);
			r->end -= r->start;
			r->start = 0;
		}
		{
			ssize_t n = read(r->fd, r->buf + r->end, r->size - 1 - r->end);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return tw_error_set(err, -errno, "%s: %s", r->name, strerror(errno));
			if (n == 0)
				r->eof = 1;
			r->end += (size_t)n;
		}
	}
}

int tw_line_reader_rewind(struct tw_line_reader *r, struct tw_error *err)
{
	if (lseek(r->fd, 0, SEEK_SET) < 0)
		return tw_error_set(err, -errno, "%s: %s", r->name, strerror(errno));
	r->start = r->end = 0;
	r->lineno = 0;
	r->eof = 0;
	return 0;
}

void tw_line_reader_free(struct tw_line_reader *r)
{
	if (!r)
		return;
	free(r->buf);
	r->buf = NULL;
}

int tw_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

mode_t tw_umask(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}

void tw_sync_parent(const char *path)
{
	char *dircopy = tw_xstrdup(path);
	int dfd = open(dirname(dircopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(dircopy);
}

int tw_atomic_write_as(const char *path, const void *data, size_t len,
		       const struct tw_file_owner *own, struct tw_error *err)
{
	char *tmp = NULL;
	struct stat st;
	int fd = -1, r;
	size_t plen = strlen(path);

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return tw_error_set(err, -ELOOP, "%s: is a symbolic link; refusing to write through it", path);
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return tw_error_set(err, -EINVAL, "%s: not a regular file", path);

	tmp = tw_xmalloc(plen + 16);
	snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		r = tw_error_set(err, -errno, "%s: cannot create a temporary file: %s", path, strerror(errno));
		free(tmp);
		return r;
	}
	r = tw_write_all(fd, data, len);
	if (r == 0 && own->chown && fchown(fd, own->uid, own->gid) < 0)
		r = -errno;
	if (r == 0 && fchmod(fd, own->mode) < 0)
		r = -errno;
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		tw_error_set(err, r, "%s: write failed: %s", path, strerror(-r));
		unlink(tmp);
		free(tmp);
		return r;
	}
	free(tmp);
	/* Make the rename itself durable. */
	tw_sync_parent(path);
	return 0;
}

int tw_atomic_write(const char *path, const void *data, size_t len, mode_t mode,
		    struct tw_error *err)
{
	/* 'mode' is a ceiling: the umask is honoured, as open(2) would. */
	struct tw_file_owner own = { .mode = mode & ~tw_umask() };

	return tw_atomic_write_as(path, data, len, &own, err);
}
