/* SPDX-License-Identifier: MIT */
/* twadvise.c: main(): parse options, dispatch one verb, exit with its
 * status (CONTRACT.md "Exit status"). The only place that exits. */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "options.h"

int main(int argc, char **argv)
{
	struct tw_options o;
	char msg[512];
	int rc;

	if (options_parse(argc, argv, &o, msg, sizeof(msg)) < 0) {
		/* One line saying what is wrong, then where to look (GNU style). */
		fprintf(stderr, "twadvise: %s\nTry 'twadvise --help' for more information.\n", msg);
		options_free(&o);
		return 1;
	}
	switch (o.verb) {
	case VERB_HELP:
		fputs(options_usage(), stdout);
		puts("\nSee twadvise(8) for every option; twadvise-rules(5) and twadvise-profiles(5) for the data.");
		rc = 0;
		break;
	case VERB_VERSION:
		fputs("twadvise " PACKAGE_VERSION "\n"
		      "Copyright (c) 2026 The twadvise authors\n"
		      "License MIT: <https://opensource.org/licenses/MIT>.\n"
		      "This is free software: you are free to change and redistribute it.\n"
		      "There is NO WARRANTY, to the extent permitted by law.\n"
		      "\n"
		      "Report bugs to: " PACKAGE_BUGREPORT "\n"
		      "Home page: " PACKAGE_URL "\n", stdout);
		rc = 0;
		break;
	case VERB_ANALYSE:
		rc = cmd_analyse(&o);
		break;
	case VERB_APPLY:
		rc = cmd_apply(&o);
		break;
	case VERB_REVERT:
		rc = cmd_revert(&o);
		break;
	case VERB_CAPTURE:
		rc = cmd_capture(&o);
		break;
	case VERB_LIST_PROFILES:
		rc = cmd_list_profiles(&o);
		break;
	case VERB_LIST_RULES:
		rc = cmd_list_rules(&o);
		break;
	case VERB_LIST_FACTS:
		rc = cmd_list_facts(&o);
		break;
	case VERB_EXPLAIN:
		rc = cmd_explain(&o);
		break;
	case VERB_VALIDATE:
		rc = cmd_validate(&o);
		break;
	default:
		rc = 1;
		break;
	}
	options_free(&o);
	if (fflush(stdout) != 0 && rc == 0) {
		perror("twadvise: stdout");
		rc = 1;
	}
	return rc;
}
