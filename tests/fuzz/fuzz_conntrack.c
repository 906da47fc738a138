/* SPDX-License-Identifier: MIT */
/* fuzz_conntrack.c: fuzz target for parse_nf_conntrack(). The counts of an
 * accepted table must nest: TIME_WAIT <= TCP entries <= entries <= lines. */
#include "tests/fuzz/fuzz_common.h"

#include "collect/parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tw_conntrack ct;
	struct tw_error err;
	uint64_t lines = 1;
	int r;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	memset(&ct, 0, sizeof(ct));
	r = parse_nf_conntrack((const char *)data, size, "nf_conntrack", &ct, &err);
	fuzz_check_error(r, &err, "nf_conntrack");
	if (r == 0 && (!ct.table_known || ct.tcp_time_wait > ct.tcp_entries ||
		       ct.tcp_entries > ct.entries || ct.entries > lines))
		abort();
	return 0;
}
