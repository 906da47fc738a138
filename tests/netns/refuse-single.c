/* SPDX-License-Identifier: MIT */
/* refuse-single.c: an LD_PRELOAD shim for dump-parallel.sh that stands
 * for a kernel without the one-dump request. A TCPDIAG_GETSOCK request
 * sent with sendto() goes out cut to its header, which the real kernel
 * refuses (-EINVAL: shorter than struct inet_diag_req), so twadvise must
 * fall back to one dump per family. Every other call goes through. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
	       socklen_t tolen)
{
	ssize_t (*real)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
	struct nlmsghdr h;

	*(void **)&real = dlsym(RTLD_NEXT, "sendto");
	if (len >= sizeof(h)) {
		memcpy(&h, buf, sizeof(h));
		if (h.nlmsg_type == TCPDIAG_GETSOCK) {
			h.nlmsg_len = sizeof(h);
			return real(fd, &h, sizeof(h), flags, to, tolen) < 0 ? -1 : (ssize_t)len;
		}
	}
	return real(fd, buf, len, flags, to, tolen);
}
