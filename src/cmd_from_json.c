/* SPDX-License-Identifier: MIT */
/* cmd_from_json.c: --from-json FILE: render reports collected earlier
 * (JSON Lines, one --format json report per line, e.g. from several
 * hosts) without analysing anything. Only --format html reads them today.
 * A line that does not parse is an error naming FILE:LINE:COL, and
 * nothing is printed. */
#include <stdio.h>

#include "cmd.h"
#include "render/html.h"
#include "util/jsonl.h"
#include "util/strbuf.h"

int cmd_from_json(const struct tw_options *o)
{
	struct tw_error err = { "" };
	struct tw_jsonl j = { NULL, 0 };
	struct strbuf out = STRBUF_INIT;
	int rc = 1;

	if (jsonl_read(o->from_json, &j, &err) < 0) {
		cli_error("%s", err.msg);
		return 1;
	}
	render_html(j.docs, j.n, &out);
	if (cli_write_sb(&out) == 0)
		rc = 0;
	sb_free(&out);
	jsonl_free(&j);
	return rc;
}
