/* SPDX-License-Identifier: MIT */
/* record-dump.c: records raw netlink sock_diag dumps as test fixtures.
 *
 * Usage: twadvise-record-dump {listen|timewait|all} {4|6} FILE
 * Writes every buffer the kernel sent for one dump, unparsed, to FILE
 * (the format tests/unit/test_live.c replays through sockdiag_parse), and
 * prints the number of sockets on stdout. Run it inside the namespace
 * (ip netns exec NS ...). A dump the kernel flags as interrupted is
 * retried, so the recording is consistent. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "collect/sockdiag.h"
#include "util/strbuf.h"

static int count_cb(const struct tw_sock *s, void *data)
{
	(void)s;
	(*(unsigned long *)data)++;
	return 0;
}

static int raw_cb(const void *buf, size_t len, void *data)
{
	sb_appendn(data, buf, len);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockdiag sd;
	struct tw_error err;
	struct strbuf sb = STRBUF_INIT;
	unsigned long n = 0;
	uint32_t states;
	FILE *out;
	int family, r = -1;

	if (argc != 4) {
		fprintf(stderr, "usage: %s {listen|timewait|all} {4|6} FILE\n", argv[0]);
		return 2;
	}
	if (strcmp(argv[1], "listen") == 0)
		states = SOCKDIAG_STATE(TW_TCP_LISTEN);
	else if (strcmp(argv[1], "timewait") == 0)
		states = SOCKDIAG_STATE(TW_TCP_TIME_WAIT);
	else
		states = SOCKDIAG_ALL_STATES;
	family = strcmp(argv[2], "6") == 0 ? AF_INET6 : AF_INET;
	if (sockdiag_open(&sd, 0, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	for (int attempt = 0; attempt < 5; attempt++) {
		sb_reset(&sb);
		n = 0;
		r = sockdiag_dump(&sd, family, states, count_cb, &n, raw_cb, &sb, &err);
		if (r <= 0)
			break;
	}
	sockdiag_close(&sd);
	if (r < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	out = fopen(argv[3], "wb");
	if (!out || fwrite(sb_str(&sb), 1, sb.len, out) != sb.len || fclose(out) != 0) {
		fprintf(stderr, "%s: %s\n", argv[3], strerror(errno));
		return 1;
	}
	sb_free(&sb);
	printf("%lu\n", n);
	return 0;
}
