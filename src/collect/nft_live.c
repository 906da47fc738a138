/* SPDX-License-Identifier: MIT */
/* nft_live.c: `nft -j list ruleset` without nft(8) (nft_live.h). */
#include "collect/nft_live.h"

#include <errno.h>
#include <stdlib.h>

#ifdef HAVE_NFTABLES
#include <nftables/libnftables.h>
#include <string.h>
#include <unistd.h>

#include "util/xalloc.h"

int nft_live_ruleset(char **ret_buf, size_t *ret_len)
{
	struct nft_ctx *ctx;
	const char *text;
	int r = 0;

	if (geteuid() != 0)
		return -EPERM;   /* nf_tables answers CAP_NET_ADMIN only */
	ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!ctx)
		return -ENOMEM;
	nft_ctx_output_set_flags(ctx, NFT_CTX_OUTPUT_JSON);
	if (nft_ctx_buffer_output(ctx) < 0 || nft_ctx_buffer_error(ctx) < 0) {
		nft_ctx_free(ctx);
		return -ENOMEM;
	}
	if (nft_run_cmd_from_buffer(ctx, "list ruleset") != 0) {
		r = -EPROTO;
	} else {
		text = nft_ctx_get_output_buffer(ctx);
		*ret_len = text ? strlen(text) : 0;
		*ret_buf = tw_xstrdup(text ? text : "");
	}
	nft_ctx_free(ctx);
	return r;
}
#else
int nft_live_ruleset(char **ret_buf, size_t *ret_len)
{
	(void)ret_buf;
	(void)ret_len;
	return -ENOTSUP;
}
#endif
