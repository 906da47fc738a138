/* SPDX-License-Identifier: MIT */
/* lazy_nftables.c: libnftables, loaded when a live run reads the
 * nftables ruleset (a host with masqueraded connections; see dynlib.h,
 * lazy.h and collect/nft_live.c). Built only with HAVE_NFTABLES. */
#include "util/lazy.h"

#include <nftables/libnftables.h>

#include "util/dynlib.h"

#define NFTABLES_FUNCS(X, V)                                                         \
	X(struct nft_ctx *, nft_ctx_new, (uint32_t flags), (flags))                  \
	V(nft_ctx_free, (struct nft_ctx * ctx), (ctx))                               \
	V(nft_ctx_output_set_flags, (struct nft_ctx * ctx, unsigned int flags), (ctx, flags)) \
	X(int, nft_ctx_buffer_output, (struct nft_ctx * ctx), (ctx))                 \
	X(int, nft_ctx_buffer_error, (struct nft_ctx * ctx), (ctx))                  \
	X(const char *, nft_ctx_get_output_buffer, (struct nft_ctx * ctx), (ctx))    \
	X(int, nft_run_cmd_from_buffer, (struct nft_ctx * nft, const char *buf), (nft, buf))

DYNLIB_TABLE(NFTABLES_FUNCS, nftables_lib, TW_SONAME_NFTABLES, "the live nftables ruleset");

int lazy_nftables_load(struct tw_error *err)
{
	return dynlib_load(&nftables_lib, err);
}

#define X(ret, name, params, args) DYNLIB_X_TRAMPOLINE(nftables_lib, ret, name, params, args)
#define V(name, params, args) DYNLIB_V_TRAMPOLINE(nftables_lib, name, params, args)
NFTABLES_FUNCS(X, V)
