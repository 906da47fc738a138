/* cmd_apply.c: --apply and --revert (being written; see issue 4). */
#include "cmd.h"

int cmd_apply(const struct tw_options *o)
{
	(void)o;
	cli_error("--apply is not available in this build yet");
	return 1;
}

int cmd_revert(const struct tw_options *o)
{
	(void)o;
	cli_error("--revert is not available in this build yet");
	return 1;
}
