/* SPDX-License-Identifier: MIT */
/* proc_fds.h: which processes hold which sockets, from /proc/PID/fd.
 *
 * One pass over every process's descriptors, as `ss -p` does, reading
 * the "socket:[INODE]" links: shared by the owners of a live run
 * (owners.c) and by --capture, which writes ss -p's users:(...) column
 * (capture.c). The caller filters the inodes it wants. */
#ifndef TW_COLLECT_PROC_FDS_H
#define TW_COLLECT_PROC_FDS_H

#include <stddef.h>
#include <stdint.h>

/* Called for each descriptor that is a socket, process by process
 * (ascending /proc order), a process's descriptors in directory order. */
typedef void (*proc_socket_fn)(int pid, int fd, uint32_t inode, void *data);

/* Walks the processes under 'procfd' (an open /proc; left open).
 * Processes that end meanwhile or are not readable are skipped. 0, or
 * -errno when /proc itself cannot be listed. */
int proc_socket_fds(int procfd, proc_socket_fn found, void *data);

/* The first line of /proc/PID/NAME into buf ("" when unreadable);
 * read_all: the whole file, cut to 'size'. */
void proc_read_line(int procfd, int pid, const char *name, char *buf, size_t size);
void proc_read_all(int procfd, int pid, const char *name, char *buf, size_t size);

#endif
