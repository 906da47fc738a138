/* SPDX-License-Identifier: MIT */
/* dumpfloor.c: the floor for bench/bench-live.sh: the bare netlink
 * sock_diag dump of TIME_WAIT sockets (IPv4 and IPv6), counting them and
 * nothing else: no parsing beyond the message walk, no aggregation, no
 * sysctls. twadvise cannot be faster than this.
 *
 * Usage: twadvise-dumpfloor [NETNS]   (prints the count) */
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

static long dump(int fd, int family, char *buf, size_t size)
{
	struct {
		struct nlmsghdr h;
		struct inet_diag_req_v2 r;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		.r = { .sdiag_family = (unsigned char)family, .sdiag_protocol = IPPROTO_TCP,
		       .idiag_states = 1u << 6 },
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
	char path[256];
	long a, b;
	int fd;

	if (argc > 1) {
		snprintf(path, sizeof(path), "/run/netns/%s", argv[1]);
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
	a = dump(fd, AF_INET, buf, sizeof(buf));
	b = dump(fd, AF_INET6, buf, sizeof(buf));
	if (a < 0 || b < 0) {
		perror("dump");
		return 1;
	}
	printf("%ld\n", a + b);
	return 0;
}
