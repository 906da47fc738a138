/* SPDX-License-Identifier: MIT */
/* nft_live.c: `nft -j list ruleset` without nft(8) (nft_live.h). */
#include "collect/nft_live.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#ifdef HAVE_NFTABLES
#include <dlfcn.h>
#include <nftables/libnftables.h>
#include <string.h>
#include <unistd.h>

#include "util/macros.h"
#include "util/xalloc.h"

/* libnftables (with libnftnl, libgmp and libxtables: 0.6 MB resident) is
 * opened on first use, as libarchive is (libarchive_dl.h): most runs
 * never read the ruleset. Its soname since nftables 0.9. */
#define NFT_SONAME "libnftables.so.1"

static struct {
	__typeof__(nft_ctx_new) *ctx_new;
	__typeof__(nft_ctx_free) *ctx_free;
	__typeof__(nft_ctx_output_set_flags) *output_set_flags;
	__typeof__(nft_ctx_buffer_output) *buffer_output;
	__typeof__(nft_ctx_buffer_error) *buffer_error;
	__typeof__(nft_run_cmd_from_buffer) *run_cmd_from_buffer;
	__typeof__(nft_ctx_get_output_buffer) *get_output_buffer;
} nft;

/* 0, or -ENOTSUP when the library or one of its functions is missing
 * (as a build without it). */
static int nft_load(void)
{
	static const struct {
		const char *name;
		size_t off;
	} syms[] = {
		{ "nft_ctx_new", offsetof(__typeof__(nft), ctx_new) },
		{ "nft_ctx_free", offsetof(__typeof__(nft), ctx_free) },
		{ "nft_ctx_output_set_flags", offsetof(__typeof__(nft), output_set_flags) },
		{ "nft_ctx_buffer_output", offsetof(__typeof__(nft), buffer_output) },
		{ "nft_ctx_buffer_error", offsetof(__typeof__(nft), buffer_error) },
		{ "nft_run_cmd_from_buffer", offsetof(__typeof__(nft), run_cmd_from_buffer) },
		{ "nft_ctx_get_output_buffer", offsetof(__typeof__(nft), get_output_buffer) },
	};
	static int loaded;   /* 0 not tried, 1 loaded, -1 missing */
	__typeof__(nft) tmp;
	void *h;

	if (loaded)
		return loaded > 0 ? 0 : -ENOTSUP;
	loaded = -1;
	h = dlopen(NFT_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return -ENOTSUP;
	for (size_t i = 0; i < ARRAY_SIZE(syms); i++) {
		void *p = dlsym(h, syms[i].name);

		if (!p) {
			dlclose(h);
			return -ENOTSUP;
		}
		/* No ISO C cast from an object to a function pointer. */
		memcpy((char *)&tmp + syms[i].off, &p, sizeof(p));
	}
	nft = tmp;
	loaded = 1;
	return 0;
}

int nft_live_ruleset(char **ret_buf, size_t *ret_len)
{
	struct nft_ctx *ctx;
	const char *text;
	int r = 0;

	if (geteuid() != 0)
		return -EPERM;   /* nf_tables answers CAP_NET_ADMIN only */
	if (nft_load() < 0)
		return -ENOTSUP;
	ctx = nft.ctx_new(NFT_CTX_DEFAULT);
	if (!ctx)
		return -ENOMEM;
	nft.output_set_flags(ctx, NFT_CTX_OUTPUT_JSON);
	if (nft.buffer_output(ctx) < 0 || nft.buffer_error(ctx) < 0) {
		nft.ctx_free(ctx);
		return -ENOMEM;
	}
	if (nft.run_cmd_from_buffer(ctx, "list ruleset") != 0) {
		r = -EPROTO;
	} else {
		text = nft.get_output_buffer(ctx);
		*ret_len = text ? strlen(text) : 0;
		*ret_buf = tw_xstrdup(text ? text : "");
	}
	nft.ctx_free(ctx);
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
