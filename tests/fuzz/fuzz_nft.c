/* SPDX-License-Identifier: MIT */
/* fuzz_nft.c: fuzz target for parse_nft_ruleset() (`nft -j list ruleset`).
 * An accepted ruleset must be coherent: fully-random statements no more
 * than statements, and a port range of 1..65536 ports when there is one. */
#include "tests/fuzz/fuzz_common.h"

#include "collect/parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tw_nft_nat n;
	struct tw_error err;
	int r;

	r = parse_nft_ruleset((const char *)data, size, "nft-ruleset.json", &n, &err);
	fuzz_check_error(r, &err, "nft-ruleset.json");
	if (r == 0 && (!n.known || n.random_fully > n.rules ||
		       (n.rules && (n.ports < 1 || n.ports > 65536))))
		abort();
	return 0;
}
