/* SPDX-License-Identifier: MIT */
/* fuzz_ctnetlink_count.c: fuzz target for ctnetlink_parse_count(), the
 * reader of the CT_GET_STATS reply that decides whether the conntrack
 * table is dumped. The input is one receive buffer, copied to an aligned
 * buffer of exactly its size. An accepted reply holds at least the
 * netlink and nfgenmsg headers and one 32-bit attribute, and its count
 * fits 32 bits; a refused one says it is ctnetlink's, or is the kernel's
 * error (a negative errno). */
#include "tests/fuzz/fuzz_common.h"

#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include "collect/ctnetlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tw_error err;
	uint64_t n = 0;
	void *buf = malloc(size ? size : 1);
	int r;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	r = ctnetlink_parse_count(buf, size, &n, &err);
	if (r > 0 || (r == 0 && (size < NLMSG_LENGTH(sizeof(struct nfgenmsg)) + 8 || n > UINT32_MAX)) ||
	    r < -4095)
		abort();
	if (r < 0 && r == -EBADMSG && strncmp(err.msg, "ctnetlink", 9) != 0)
		abort();
	free(buf);
	return 0;
}
