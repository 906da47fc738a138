/* SPDX-License-Identifier: MIT */
/* fuzz_sockdiag.c: fuzz target for sockdiag_parse(), the netlink
 * sock_diag reply parser. The input is a recorded dump (one or several
 * receive buffers concatenated), copied to an aligned buffer of exactly
 * its size as recv() would leave it. Every socket handed to the callback
 * must have an address family the parser accepted. A second pass stops
 * at the first socket through the callback's error, which must come
 * back unchanged. */
#include "tests/fuzz/fuzz_common.h"

#include <errno.h>
#include <sys/socket.h>

#include "collect/sockdiag.h"

struct count {
	uint64_t n;
	int stop;
};

static int on_sock(const struct tw_sock *s, void *data)
{
	struct count *c = data;

	if ((s->local.family != AF_INET && s->local.family != AF_INET6) ||
	    (s->remote.family != AF_INET && s->remote.family != AF_INET6) || !s->inode_known)
		abort();
	c->n++;
	return c->stop;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct count c = { 0, 0 };
	struct tw_error err;
	void *buf = malloc(size ? size : 1);
	int r;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	r = sockdiag_parse(buf, size, on_sock, &c, &err);
	if (r > (int)(SOCKDIAG_DONE | SOCKDIAG_INTR) || (r < 0 && strncmp(err.msg, "sock_diag", 9)))
		abort();
	if (c.n > 0) {
		struct count stop = { 0, -ECANCELED };

		r = sockdiag_parse(buf, size, on_sock, &stop, &err);
		if (stop.n != 1 || r != -ECANCELED)
			abort();
	}
	free(buf);
	return 0;
}
