/* SPDX-License-Identifier: MIT */
/* slab_sysfs.c: three slab caches from /sys/kernel/slab (see slab_sysfs.h). */
#include "collect/slab_sysfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/parse_num.h"

int slab_sysfs_number(const char *buf, size_t len, uint64_t *ret)
{
	size_t n = 0;

	while (n < len && buf[n] >= '0' && buf[n] <= '9')
		n++;
	if (n == 0 || (n < len && buf[n] != ' ' && buf[n] != '\n'))
		return -EINVAL;
	return tw_parse_u64n(buf, n, 0, INT64_MAX, ret) < 0 ? -EINVAL : 0;
}

static int read_number(int dirfd, const char *file, uint64_t *ret)
{
	char buf[256];
	ssize_t n;
	int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return -errno;
	return slab_sysfs_number(buf, (size_t)n, ret);
}

/* One cache: 1 read, 0 absent or merged (a link), <0 unreadable. */
static int read_cache(int top, const char *name, struct tw_slab *ret)
{
	struct tw_slab s = { .known = true };
	uint64_t order = 0;
	struct stat st;
	int dirfd, r;

	if (fstatat(top, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return 0;   /* merged into another cache: no row of its own */
	dirfd = openat(top, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (dirfd < 0)
		return -errno;
	r = read_number(dirfd, "objects", &s.active_objs);
	if (r == 0)
		r = read_number(dirfd, "total_objects", &s.num_objs);
	if (r == 0)
		r = read_number(dirfd, "slab_size", &s.objsize);
	if (r == 0)
		r = read_number(dirfd, "objs_per_slab", &s.objperslab);
	if (r == 0)
		r = read_number(dirfd, "order", &order);
	if (r == 0)
		r = read_number(dirfd, "slabs", &s.num_slabs);
	close(dirfd);
	if (r < 0)
		return r;
	if (order > 20 || s.active_objs > s.num_objs)
		return -EINVAL;
	s.pagesperslab = UINT64_C(1) << order;
	s.active_slabs = s.num_slabs;
	*ret = s;
	return 1;
}

int slab_sysfs_read(const char *dir, struct tw_memory *out)
{
	static const char *const names[3] = { "tw_sock_TCP", "tw_sock_TCPv6", "tcp_bind_bucket" };
	struct tw_slab got[3] = { { 0 } };
	int top = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (top < 0)
		return -errno;
	for (int i = 0; i < 3; i++) {
		int r = read_cache(top, names[i], &got[i]);

		if (r < 0) {
			close(top);
			return r;
		}
	}
	close(top);
	out->tw_sock_tcp = got[0];
	out->tw_sock_tcpv6 = got[1];
	out->tcp_bind_bucket = got[2];
	out->slabinfo_known = true;
	out->slab_source = "/sys/kernel/slab";
	return 0;
}
