/* SPDX-License-Identifier: MIT */
/* fuzz_ss.c: fuzz target for parse_ss_line() (`ss -tan`, `netstat -tan`)
 * and parse_ss_users() (ss -p's users:(...) column).
 *
 * The input is split into lines as the snapshot reader does, each line
 * parsed; sockets are checked (a known state, addresses of a known
 * family that format and parse back to themselves) and fed to a TIME_WAIT
 * aggregator, whose totals must match what was fed. A users column is
 * parsed: each entry's name must lie inside it, its pid be positive,
 * and the count returned match the entries delivered. */
#include "tests/fuzz/fuzz_common.h"

#include <sys/socket.h>

#include "collect/parsers.h"
#include "facts/tuples.h"

static void check_addr(const struct tw_addr *a)
{
	char buf[TW_ADDR_STRLEN];
	struct tw_addr back;

	if (a->family != AF_INET && a->family != AF_INET6)
		abort();
	tw_addr_format(a, buf);
	if (tw_addr_parse(buf, strlen(buf), &back) < 0 || !tw_addr_equal(a, &back))
		abort();
}

struct users_check {
	const char *s, *end;
	int n;
};

static void on_user(const char *comm, size_t comm_len, int pid, int fd, void *data)
{
	struct users_check *u = data;

	if (comm < u->s || comm + comm_len > u->end || comm_len > 64 || pid <= 0 || fd < 0)
		abort();
	u->n++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct tw_port_set listening;
	struct tw_aggregator *agg;
	struct tw_tw_stats st;
	uint64_t tw = 0;
	unsigned lineno = 0;

	port_set_clear(&listening);
	port_set_add(&listening, 8080);
	agg = aggregator_new(&listening, 32768, 60999);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct tw_error err;
		struct tw_sock s;
		const char *users;
		size_t ulen;
		int r;

		/* An exact-size copy, so that a read past the line shows. */
		char *line = malloc(n ? n : 1);

		if (!line)
			abort();
		memcpy(line, p, n);
		r = parse_ss_line_users(line, n, "ss.txt", ++lineno, &s, &users, &ulen, &err);
		fuzz_check_error(r, &err, "ss.txt");
		if (users) {
			struct users_check u = { users, users + ulen, 0 };
			int nu;

			if (users < line || users + ulen > line + n)
				abort();
			nu = parse_ss_users(users, ulen, on_user, &u);
			if (nu >= 0 ? nu != u.n : (nu != -EINVAL || u.n != 0))
				abort();
		}
		if (r == 1) {
			if (s.state < TW_TCP_ESTABLISHED || s.state > TW_TCP_NEW_SYN_RECV ||
			    s.inode_known)
				abort();
			check_addr(&s.local);
			check_addr(&s.remote);
			tw += s.state == TW_TCP_TIME_WAIT;
			aggregator_add(agg, &s);
		} else if (r != 0 && r != -EINVAL) {
			abort();
		}
		free(line);
		p = nl ? nl + 1 : end;
	}
	aggregator_finish(agg, &st);
	if (st.total != tw || st.client + st.server != tw || st.ipv4 + st.ipv6 != tw ||
	    st.ntop_client > TW_TOP_MAX || st.ntop_server > TW_TOP_MAX)
		abort();
	return 0;
}
