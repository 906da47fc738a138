/* SPDX-License-Identifier: MIT */
/* fuzz_proc_net_tcp.c: fuzz target for parse_proc_net_tcp_line(), each
 * line of the input parsed as /proc/net/tcp (AF_INET) and as
 * /proc/net/tcp6 (AF_INET6). A socket line gives a known state and an
 * address of a known family; sockets go through a TIME_WAIT aggregator. */
#include "tests/fuzz/fuzz_common.h"

#include <sys/socket.h>

#include "collect/parsers.h"
#include "facts/tuples.h"

static void one_family(const uint8_t *data, size_t size, int family)
{
	const char *p = (const char *)data, *end = p + size;
	const char *name = family == AF_INET ? "tcp" : "tcp6";
	struct tw_aggregator *agg = aggregator_new(NULL, 32768, 60999);
	struct tw_tw_stats st;
	unsigned lineno = 0;
	uint64_t tw = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = malloc(n ? n : 1);
		struct tw_error err;
		struct tw_sock s;
		int r;

		if (!line)
			abort();
		memcpy(line, p, n);
		r = parse_proc_net_tcp_line(line, n, family, name, ++lineno, &s, &err);
		fuzz_check_error(r, &err, name);
		if (r == 1) {
			if (s.state < TW_TCP_ESTABLISHED || s.state > TW_TCP_NEW_SYN_RECV ||
			    !s.inode_known || (s.local.family != AF_INET && s.local.family != AF_INET6) ||
			    (family == AF_INET && s.local.family != AF_INET))
				abort();
			tw += s.state == TW_TCP_TIME_WAIT;
			aggregator_add(agg, &s);
		} else if (r != 0 && r != -EINVAL) {
			abort();
		}
		free(line);
		p = nl ? nl + 1 : end;
	}
	aggregator_finish(agg, &st);
	if (st.total != tw || st.with_inode > tw)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tw_error err;
	struct tw_sock s;

	one_family(data, size, AF_INET);
	one_family(data, size, AF_INET6);
	if (parse_proc_net_tcp_line((const char *)data, size, AF_UNIX, "tcp", 1, &s, &err) != -EINVAL)
		abort();
	return 0;
}
