/* SPDX-License-Identifier: MIT */
/* nl_dump.c: the netlink dump loop shared by sockdiag.c and ctnetlink.c
 * (see nl_dump.h). Plain socket calls: the callers build their requests
 * with libmnl; struct mnl_socket would add an allocation and nothing else. */
#include "collect/nl_dump.h"

#include <errno.h>
#include <linux/netlink.h>
#include <string.h>
#include <sys/socket.h>

int nl_dump(int fd, const void *req, size_t rlen, void *buf, size_t bufsize, const char *what,
	    nl_dump_buf_cb cb, void *data, struct tw_error *err)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	unsigned flags = 0;

	while (sendto(fd, req, rlen, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		if (errno != EINTR)
			return tw_error_set(err, -errno, "%s request: %s", what, strerror(errno));
	for (;;) {
		struct iovec iov = { buf, bufsize };
		struct msghdr msg = { .msg_name = &sa, .msg_namelen = sizeof(sa),
				      .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n = recvmsg(fd, &msg, 0);
		int r;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return tw_error_set(err, -errno, "%s receive: %s", what, strerror(errno));
		}
		if (msg.msg_flags & MSG_TRUNC)
			return tw_error_set(err, -EMSGSIZE, "%s: reply larger than %zu bytes", what,
					    bufsize);
		if (sa.nl_pid != 0)   /* not from the kernel */
			continue;
		if (n == 0)
			return tw_error_set(err, -EBADMSG, "%s: empty reply", what);
		r = cb(buf, (size_t)n, data, err);
		if (r < 0)
			return r;
		flags |= (unsigned)r;
		if (flags & NL_DUMP_DONE)
			return (flags & NL_DUMP_INTR) ? (int)NL_DUMP_INTR : 0;
	}
}

unsigned nl_dump_scan(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	unsigned flags = 0;

	while (len > 0) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)(const void *)p;
		size_t step;

		if (len < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len)
			return flags | NL_DUMP_DONE;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			flags |= NL_DUMP_INTR;
		if (nlh->nlmsg_type == NLMSG_DONE)
			flags |= NL_DUMP_DONE;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = (const struct nlmsgerr *)NLMSG_DATA(nlh);

			/* An error ends the dump; an acknowledgement (0) does not. */
			if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)) || e->error != 0)
				flags |= NL_DUMP_DONE;
		}
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return flags;
}
