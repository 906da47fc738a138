/* SPDX-License-Identifier: MIT */
/* allowlist-dump.c: prints twadvise's allow-list, one "KEY per-netns" or
 * "KEY host-wide" a line, for tests/netns/allowlist.sh. */
#include <stdio.h>

#include "engine/allowlist.h"

int main(void)
{
	for (size_t i = 0; i < allowlist_count(); i++) {
		const struct tw_allowed_key *a = allowlist_at(i);

		printf("%s %s\n", a->key, a->per_netns ? "per-netns" : "host-wide");
	}
	return 0;
}
