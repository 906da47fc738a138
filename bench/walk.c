/* SPDX-License-Identifier: MIT */
/* walk.c: twadvise's socket walk alone, for bench/bench-live.sh: the
 * same code as a live run (live_collect_sockets(): one sock_diag dump per
 * family, parsing, the tuple aggregator), without sysctls, rules or
 * rendering, so that its cost can be set against the bare dump's.
 *
 * Usage: twadvise-walk [NETNS]   (prints TIME_WAIT and held totals) */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "collect/live.h"

int main(int argc, char **argv)
{
	struct tw_live_opts o = { 0 };
	struct tw_facts f;
	struct tw_error err;
	char path[256];
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
	facts_init(&f);
	if (live_collect_sockets(&o, &f, &err) < 0) {
		fprintf(stderr, "twadvise-walk: %s\n", err.msg);
		return 1;
	}
	printf("%llu %llu\n", (unsigned long long)f.tw.total,
	       (unsigned long long)(f.tw.held_client + f.tw.held_server));
	facts_free(&f);
	return 0;
}
