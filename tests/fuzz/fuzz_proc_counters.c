/* SPDX-License-Identifier: MIT */
/* fuzz_proc_counters.c: fuzz target for the /proc/net counter parsers:
 * parse_sockstat(), parse_sockstat6() and parse_proc_net_pairs() with the
 * prefixes "TcpExt" (/proc/net/netstat) and "Tcp" (/proc/net/snmp). Each
 * parser reads the whole input; a counter list that parsed must hold
 * every name exactly once and answer lookups of each. */
#include "tests/fuzz/fuzz_common.h"

#include "collect/parsers.h"
#include "facts/facts.h"

static void check_list(const struct tw_counter_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		int64_t v;

		if (counter_list_get(l, l->v[i].name, &v) < 0 || v != l->v[i].value)
			abort();
		for (size_t j = i + 1; j < l->n; j++)
			if (strcmp(l->v[i].name, l->v[j].name) == 0)
				abort();
	}
}

static void pairs(const uint8_t *data, size_t size, const char *prefix)
{
	struct tw_counter_list l = { 0 };
	struct tw_error err;
	int r;

	r = parse_proc_net_pairs((const char *)data, size, "netstat", prefix, &l, &err);
	fuzz_check_error(r, &err, "netstat");
	if (r == 0) {
		if (!l.known)
			abort();
		check_list(&l);
	}
	counter_list_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tw_counters c;
	struct tw_error err;
	int r;

	memset(&c, 0, sizeof(c));
	r = parse_sockstat((const char *)data, size, "sockstat", &c, &err);
	fuzz_check_error(r, &err, "sockstat");
	if (r == 0 && c.tcp_inuse.known && c.tcp_inuse.v > INT64_MAX)
		abort();
	memset(&c, 0, sizeof(c));
	r = parse_sockstat6((const char *)data, size, "sockstat6", &c, &err);
	fuzz_check_error(r, &err, "sockstat6");
	pairs(data, size, "TcpExt");
	pairs(data, size, "Tcp");
	return 0;
}
