/* SPDX-License-Identifier: MIT */
/* cmd_capture.c: --capture DIR: write a snapshot of this host (or of
 * --netns) for analysis elsewhere; all or nothing. */
#include "cmd.h"
#include "collect/capture.h"

int cmd_capture(const struct tw_options *o)
{
	struct tw_live_opts lo = { .netns = o->netns, .force_proc_fallback = o->force_proc };
	struct tw_error err = { "" };

	if (o->all_namespaces)
		return cmd_capture_all_namespaces(o);
	if (cli_enter_netns(o) < 0)
		return 1;
	if (capture_snapshot(o->capture_dir, &lo, &err) < 0) {
		cli_error("%s", err.msg);
		return 1;
	}
	return 0;
}
