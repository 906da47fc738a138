/* SPDX-License-Identifier: MIT */
/* dumpfloor.c: the floor for bench/bench-live.sh: the bare netlink
 * sock_diag dump (IPv4, then IPv6) of the socket states twadvise asks for
 * (TW_COLLECT_STATES: listeners and every state that holds a port),
 * counting the replies and nothing else: no parsing beyond the message
 * walk, no aggregation, no sysctls. twadvise cannot be faster than this.
 *
 * Usage: twadvise-dumpfloor [--split | --tw-only] [NETNS]   (prints the count)
 *   --split    a LISTEN dump, then one of the other states, per family:
 *              the alternative to twadvise's single dump, for measuring
 *   --tw-only  TIME_WAIT alone (the floor before held sockets counted) */
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "facts/tuples.h"

static long dump(int fd, int family, unsigned states, char *buf, size_t size)
{
	struct {
		struct nlmsghdr h;
		struct inet_diag_req_v2 r;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		.r = { .sdiag_family = (unsigned char)family, .sdiag_protocol = IPPROTO_TCP,
		       .idiag_states = states },
	};
	long n = 0;

	if (send(fd, &req, sizeof(req), 0) < 0)
		return -1;
	for (;;) {
		ssize_t len = recv(fd, buf, size, 0);

		if (len <= 0)
			return -1;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return n;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -1;
			n++;
		}
	}
}

int main(int argc, char **argv)
{
	static char buf[65536];
	static const int families[2] = { AF_INET, AF_INET6 };
	char path[256];
	long total = 0;
	int fd, split = 0, tw_only = 0, a = 1;

	for (; a < argc && argv[a][0] == '-'; a++) {
		if (strcmp(argv[a], "--split") == 0)
			split = 1;
		else if (strcmp(argv[a], "--tw-only") == 0)
			tw_only = 1;
		else {
			fprintf(stderr, "usage: twadvise-dumpfloor [--split | --tw-only] [NETNS | PATH]\n");
			return 1;
		}
	}
	if (a < argc) {
		/* A name under /run/netns, or a path (/proc/PID/ns/net). */
		snprintf(path, sizeof(path), strchr(argv[a], '/') ? "%s" : "/run/netns/%s", argv[a]);
		fd = open(path, O_RDONLY);
		if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
			perror(path);
			return 1;
		}
		close(fd);
	}
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	for (int i = 0; i < 2; i++) {
		long n;

		if (tw_only) {
			n = dump(fd, families[i], TW_STATE_BIT(TW_TCP_TIME_WAIT), buf, sizeof(buf));
		} else if (split) {
			long l = dump(fd, families[i], TW_STATE_BIT(TW_TCP_LISTEN), buf, sizeof(buf));

			n = dump(fd, families[i], TW_HOLD_STATES, buf, sizeof(buf));
			n = l < 0 || n < 0 ? -1 : l + n;
		} else {
			n = dump(fd, families[i], TW_COLLECT_STATES, buf, sizeof(buf));
		}
		if (n < 0) {
			perror("dump");
			return 1;
		}
		total += n;
	}
	printf("%ld\n", total);
	return 0;
}
