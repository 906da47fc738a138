/* SPDX-License-Identifier: MIT */
/* proc_fds.c: socket descriptors of every process (proc_fds.h).
 *
 * Nothing is allocated: one directory stream per process at a time,
 * links read into a stack buffer. */
#include "collect/proc_fds.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "socket:[12345]" -> 12345; 0 for anything else. */
static uint32_t socket_inode(const char *link, ssize_t n)
{
	uint64_t v = 0;

	if (n < 10 || memcmp(link, "socket:[", 8) != 0 || link[n - 1] != ']')
		return 0;
	for (ssize_t i = 8; i < n - 1; i++) {
		if (link[i] < '0' || link[i] > '9' || v > UINT32_MAX / 10)
			return 0;
		v = v * 10 + (uint64_t)(link[i] - '0');
	}
	return v <= UINT32_MAX ? (uint32_t)v : 0;
}

/* A number made of digits only (a pid, a descriptor); -1 otherwise. */
static long all_digits(const char *s)
{
	char *end;
	long v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	return *end || errno || v > 0x7fffffff ? -1 : v;
}

static void scan_fds(int procfd, int pid, proc_socket_fn found, void *data)
{
	char rel[32], link[64];
	struct dirent *de;
	DIR *d;
	int fd;

	snprintf(rel, sizeof(rel), "%d/fd", pid);
	fd = openat(procfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;   /* ended meanwhile, or not ours to read */
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d))) {
		long num = all_digits(de->d_name);
		uint32_t inode;
		ssize_t n;

		if (num < 0)
			continue;
		n = readlinkat(fd, de->d_name, link, sizeof(link) - 1);
		if (n <= 0 || (inode = socket_inode(link, n)) == 0)
			continue;
		found(pid, (int)num, inode, data);
	}
	closedir(d);
}

int proc_socket_fds(int procfd, proc_socket_fn found, void *data)
{
	struct dirent *de;
	DIR *d;
	int dup_fd = openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dup_fd < 0)
		return -errno;
	d = fdopendir(dup_fd);
	if (!d) {
		int r = -errno;

		close(dup_fd);
		return r;
	}
	while ((de = readdir(d))) {
		long pid = all_digits(de->d_name);

		if (pid > 0)
			scan_fds(procfd, (int)pid, found, data);
	}
	closedir(d);
	return 0;
}

void proc_read_all(int procfd, int pid, const char *name, char *buf, size_t size)
{
	char rel[48];
	size_t got = 0;
	ssize_t n;
	int fd;

	buf[0] = '\0';
	snprintf(rel, sizeof(rel), "%d/%s", pid, name);
	fd = openat(procfd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while (got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
}

void proc_read_line(int procfd, int pid, const char *name, char *buf, size_t size)
{
	proc_read_all(procfd, pid, name, buf, size);
	buf[strcspn(buf, "\n")] = '\0';
}
