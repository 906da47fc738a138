/* SPDX-License-Identifier: MIT */
/* fileio.c: bounded whole-file reads and atomic writes (see fileio.h). */
#include "util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

int tw_atomic_write(const char *path, const void *data, size_t len, mode_t mode,
		    struct tw_error *err)
{
	char *tmp = NULL, *dircopy = NULL;
	struct stat st;
	int fd = -1, dfd = -1, r;
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
	if (r == 0 && fchmod(fd, mode) < 0)
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
	dircopy = tw_xstrdup(path);
	dfd = open(dirname(dircopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(dircopy);
	return 0;
}
