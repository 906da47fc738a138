/* SPDX-License-Identifier: MIT */
/* nft_live.h: the live nftables ruleset as `nft -j list ruleset` prints
 * it, through libnftables (a build without it has none). */
#ifndef TW_COLLECT_NFT_LIVE_H
#define TW_COLLECT_NFT_LIVE_H

#include <stddef.h>

/* The ruleset of the current network namespace as JSON into *ret_buf
 * (malloc'd, NUL-terminated). 0, or -ENOTSUP (built without libnftables),
 * -EPERM or another -errno (no CAP_NET_ADMIN, no nf_tables). */
int nft_live_ruleset(char **ret_buf, size_t *ret_len);

#endif
