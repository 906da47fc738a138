/* SPDX-License-Identifier: MIT */
/* options.c: command-line parsing (see options.h). Every number is parsed
 * with bounds; conflicting options are refused with a message naming them. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

enum {
	OPT_PROFILE = 256, OPT_SNAPSHOT, OPT_NETNS, OPT_FORMAT, OPT_OUTPUT, OPT_CHECK, OPT_FAIL_ON,
	OPT_DIFF, OPT_INTERVAL, OPT_DATA_DIR, OPT_SITE_DIR, OPT_APPLY, OPT_REVERT, OPT_CAPTURE,
	OPT_LIST_PROFILES, OPT_LIST_RULES, OPT_LIST_FACTS, OPT_EXPLAIN, OPT_VALIDATE, OPT_IGNORE,
	OPT_ACKS, OPT_NO_NETLINK, OPT_HELP, OPT_VERSION,
};

static const struct option longopts[] = {
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "snapshot", required_argument, NULL, OPT_SNAPSHOT },
	{ "netns", required_argument, NULL, OPT_NETNS },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "diff", no_argument, NULL, OPT_DIFF },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "data-dir", required_argument, NULL, OPT_DATA_DIR },
	{ "site-dir", required_argument, NULL, OPT_SITE_DIR },
	{ "apply", no_argument, NULL, OPT_APPLY },
	{ "revert", no_argument, NULL, OPT_REVERT },
	{ "capture", required_argument, NULL, OPT_CAPTURE },
	{ "list-profiles", no_argument, NULL, OPT_LIST_PROFILES },
	{ "list-rules", no_argument, NULL, OPT_LIST_RULES },
	{ "list-facts", no_argument, NULL, OPT_LIST_FACTS },
	{ "explain", required_argument, NULL, OPT_EXPLAIN },
	{ "validate", no_argument, NULL, OPT_VALIDATE },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "acknowledged", required_argument, NULL, OPT_ACKS },
	{ "no-netlink", no_argument, NULL, OPT_NO_NETLINK },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

const char *options_usage(void)
{
	return
	"usage: twadvise [--profile NAME|FILE] [--snapshot DIR ... | --netns NAME]\n"
	"                [--format text|json|sysctl|prometheus|nagios] [--output FILE]\n"
	"                [--check] [--fail-on info|warning|critical] [--diff]\n"
	"                [--ignore RULE_ID ...] [--acknowledged FILE] [--interval SECONDS]\n"
	"                [--data-dir DIR] [--site-dir DIR] [--no-netlink]\n"
	"       twadvise --apply [--output FILE] [--netns NAME] [--profile ...]\n"
	"       twadvise --revert [--output FILE] [--netns NAME]\n"
	"       twadvise --capture DIR [--netns NAME]\n"
	"       twadvise --list-profiles | --list-rules | --list-facts | --explain RULE_ID\n"
	"       twadvise --validate [FILE...]\n"
	"       twadvise --help | --version\n";
}

static int fail(char *msg, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int set_verb(struct tw_options *o, enum tw_verb v, const char *name, char *msg, size_t len)
{
	if (o->verb != VERB_ANALYSE && o->verb != v)
		return fail(msg, len, "%s cannot be combined with another action", name);
	o->verb = v;
	return 0;
}

static void push(const char ***v, size_t *n, const char *s)
{
	*v = tw_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

int options_parse(int argc, char **argv, struct tw_options *o, char *msg, size_t len)
{
	int c, r;

	memset(o, 0, sizeof(*o));
	o->profile = "auto";
	o->fail_on = TW_SEV_WARNING;
	o->site_dir = TW_DEFAULT_SITE_DIR;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		r = 0;
		switch (c) {
		case OPT_PROFILE:
			o->profile = optarg;
			break;
		case OPT_SNAPSHOT:
			push(&o->snapshots, &o->nsnapshots, optarg);
			break;
		case OPT_NETNS:
			o->netns = optarg;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") == 0)
				o->format = FORMAT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				o->format = FORMAT_JSON;
			else if (strcmp(optarg, "sysctl") == 0)
				o->format = FORMAT_SYSCTL;
			else if (strcmp(optarg, "prometheus") == 0)
				o->format = FORMAT_PROMETHEUS;
			else if (strcmp(optarg, "nagios") == 0)
				o->format = FORMAT_NAGIOS;
			else
				return fail(msg, len, "--format: unknown format '%s' (text, json, sysctl, prometheus, nagios)", optarg);
			break;
		case OPT_OUTPUT:
			if (!*optarg)
				return fail(msg, len, "--output: empty file name");
			o->output = optarg;
			break;
		case OPT_CHECK:
			o->check = true;
			break;
		case OPT_FAIL_ON:
			if (severity_parse(optarg, &o->fail_on) < 0)
				return fail(msg, len, "--fail-on: expected info, warning or critical, not '%s'", optarg);
			break;
		case OPT_DIFF:
			o->diff = true;
			break;
		case OPT_INTERVAL: {
			char *end;
			double d = strtod(optarg, &end);

			if (end == optarg || *end || !isfinite(d) || d <= 0 || d > 3600)
				return fail(msg, len, "--interval: expected seconds in (0, 3600], not '%s'", optarg);
			o->interval = d;
			break;
		}
		case OPT_DATA_DIR:
			o->data_dir = optarg;
			break;
		case OPT_SITE_DIR:
			o->site_dir = optarg;
			break;
		case OPT_APPLY:
			r = set_verb(o, VERB_APPLY, "--apply", msg, len);
			break;
		case OPT_REVERT:
			r = set_verb(o, VERB_REVERT, "--revert", msg, len);
			break;
		case OPT_CAPTURE:
			r = set_verb(o, VERB_CAPTURE, "--capture", msg, len);
			o->capture_dir = optarg;
			break;
		case OPT_LIST_PROFILES:
			r = set_verb(o, VERB_LIST_PROFILES, "--list-profiles", msg, len);
			break;
		case OPT_LIST_RULES:
			r = set_verb(o, VERB_LIST_RULES, "--list-rules", msg, len);
			break;
		case OPT_LIST_FACTS:
			r = set_verb(o, VERB_LIST_FACTS, "--list-facts", msg, len);
			break;
		case OPT_EXPLAIN:
			r = set_verb(o, VERB_EXPLAIN, "--explain", msg, len);
			o->explain_id = optarg;
			break;
		case OPT_VALIDATE:
			r = set_verb(o, VERB_VALIDATE, "--validate", msg, len);
			break;
		case OPT_IGNORE:
			push(&o->ignores, &o->nignores, optarg);
			break;
		case OPT_ACKS:
			o->acks_file = optarg;
			break;
		case OPT_NO_NETLINK:
			o->force_proc = true;
			break;
		case 'h':
		case OPT_HELP:
			r = set_verb(o, VERB_HELP, "--help", msg, len);
			break;
		case 'V':
		case OPT_VERSION:
			r = set_verb(o, VERB_VERSION, "--version", msg, len);
			break;
		case ':':
			return fail(msg, len, "%s needs an argument", argv[optind - 1]);
		default:
			return fail(msg, len, "unknown option '%s'", argv[optind - 1]);
		}
		if (r < 0)
			return r;
	}
	for (int i = optind; i < argc; i++) {
		if (o->verb != VERB_VALIDATE)
			return fail(msg, len, "unexpected argument '%s'", argv[i]);
		push(&o->files, &o->nfiles, argv[i]);
	}
	if (o->nsnapshots && o->netns)
		return fail(msg, len, "--snapshot and --netns cannot be combined");
	if (o->diff && !o->output)
		return fail(msg, len, "--diff needs --output FILE (the file to compare with)");
	if (o->check && (o->verb == VERB_APPLY || o->verb == VERB_REVERT))
		return fail(msg, len, "--check is a dry run; it cannot be combined with --apply or --revert");
	if (o->nsnapshots && (o->verb == VERB_APPLY || o->verb == VERB_REVERT || o->verb == VERB_CAPTURE))
		return fail(msg, len, "--snapshot describes another host; it cannot be used with --apply, --revert or --capture");
	if (o->nsnapshots > 1 && (o->output || o->diff))
		return fail(msg, len, "--output and --diff take one host; give a single --snapshot");
	if (o->interval > 0 && o->nsnapshots)
		return fail(msg, len, "--interval samples this host; it cannot be used with --snapshot");
	return 0;
}

void options_free(struct tw_options *o)
{
	free(o->snapshots);
	free(o->ignores);
	free(o->files);
}
