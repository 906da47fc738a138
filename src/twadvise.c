/* SPDX-License-Identifier: MIT */
/* twadvise.c: main(): parse options, dispatch one verb, exit with its
 * status (twadvise(8), EXIT STATUS). The only place that exits. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "options.h"

/* -t SECONDS: the message and status for the alarm, prepared before it
 * is armed (a signal handler may only write and _exit). */
static char timeout_msg[128];
static size_t timeout_len;
static int timeout_fd = STDERR_FILENO;
static int timeout_status;

static void on_timeout(int sig)
{
	(void)sig;
	if (write(timeout_fd, timeout_msg, timeout_len) < 0) {
		/* nothing more can be done */
	}
	_exit(timeout_status);
}

static void arm_timeout(const struct tw_options *o)
{
	struct sigaction sa;
	bool nagios = o->format == FORMAT_NAGIOS;

	if (!o->timeout)
		return;
	snprintf(timeout_msg, sizeof(timeout_msg), nagios ? "TWADVISE UNKNOWN - timed out after %u s\n"
		 : "twadvise: timed out after %u s\n", o->timeout);
	timeout_len = strlen(timeout_msg);
	timeout_status = nagios ? 3 : 1;
	timeout_fd = nagios ? STDOUT_FILENO : STDERR_FILENO;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_timeout;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(o->timeout);
}

/* Whether the command line asks for --format nagios, wherever it is (a
 * usage error may stop the parser before it). */
static bool wants_nagios(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--format=nagios") == 0 ||
		    (strcmp(argv[i], "--format") == 0 && i + 1 < argc && strcmp(argv[i + 1], "nagios") == 0))
			return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	struct tw_options o;
	char msg[512];
	int rc;

	if (options_parse(argc, argv, &o, msg, sizeof(msg)) < 0) {
		/* One line saying what is wrong, then where to look (GNU style).
		 * A monitoring plugin also says UNKNOWN on stdout. */
		fprintf(stderr, "twadvise: %s\nTry 'twadvise --help' for more information.\n", msg);
		rc = o.format == FORMAT_NAGIOS || wants_nagios(argc, argv) ? 3 : 1;
		if (rc == 3)
			printf("TWADVISE UNKNOWN - %s\n", msg);
		options_free(&o);
		return rc;
	}
	arm_timeout(&o);
	switch (o.verb) {
	case VERB_HELP:
		fputs(options_usage(), stdout);
		fputs(options_help(), stdout);
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
	case VERB_WATCH:
		rc = cmd_watch(&o);
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
