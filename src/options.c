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
	OPT_ACKS, OPT_NO_NETLINK, OPT_HELP, OPT_VERSION, OPT_STATE_DIR, OPT_COLOR, OPT_QUIET,
	OPT_ALL_NAMESPACES, OPT_TRACE,
	OPT_FROM_JSON,
	OPT_WATCH, OPT_ITERATIONS,
};

static const struct option longopts[] = {
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "snapshot", required_argument, NULL, OPT_SNAPSHOT },
	{ "netns", required_argument, NULL, OPT_NETNS },
	{ "all-namespaces", no_argument, NULL, OPT_ALL_NAMESPACES },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "diff", no_argument, NULL, OPT_DIFF },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "trace", required_argument, NULL, OPT_TRACE },
	{ "data-dir", required_argument, NULL, OPT_DATA_DIR },
	{ "site-dir", required_argument, NULL, OPT_SITE_DIR },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
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
	{ "warning", required_argument, NULL, 'w' },
	{ "critical", required_argument, NULL, 'c' },
	{ "timeout", required_argument, NULL, 't' },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "colour", required_argument, NULL, OPT_COLOR },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "from-json", required_argument, NULL, OPT_FROM_JSON },
	{ "watch", optional_argument, NULL, OPT_WATCH },
	{ "iterations", required_argument, NULL, OPT_ITERATIONS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

const char *options_usage(void)
{
	return
	"usage: twadvise [--profile NAME|FILE] [--snapshot DIR ... | --netns NAME]\n"
	"                [--format text|json|sysctl|prometheus|nagios|k8s|html]\n"
	"                [--output FILE] [--check] [--fail-on info|warning|critical]\n"
	"                [--diff]\n"
	"                [--ignore RULE_ID ...] [--acknowledged FILE]\n"
	"                [--interval SECONDS] [--trace SECONDS]\n"
	"                [--data-dir DIR] [--site-dir DIR]\n"
	"                [--no-netlink] [--quiet] [--color auto|always|never]\n"
	"                [-w PCT] [-c PCT] [-t SECONDS]\n"
	"       twadvise --apply [--output FILE] [--netns NAME] [--profile ...]\n"
	"                [--state-dir DIR]\n"
	"       twadvise --revert [--output FILE] [--netns NAME] [--state-dir DIR]\n"
	"       twadvise --all-namespaces [--format text|json|prometheus] [--check]\n"
	"       twadvise --watch [SECONDS] [--netns NAME | --all-namespaces]\n"
	"                [--iterations N]\n"
	"       twadvise --capture DIR [--netns NAME | --all-namespaces]\n"
	"       twadvise --from-json FILE --format html\n"
	"       twadvise --list-profiles | --list-rules | --list-facts\n"
	"       twadvise --explain RULE_ID\n"
	"       twadvise --validate [FILE...]\n"
	"       twadvise --help | --version\n";
}

const char *options_help(void)
{
	return
	"\nAnalysis (the default action; needs no privileges):\n"
	"  --profile NAME|FILE    workload profile (default auto: the best fit, and why)\n"
	"  --snapshot DIR         analyse a snapshot (a folder, or a .tar.gz, .tgz or\n"
	"                         .tar of one) instead of this host (repeatable)\n"
	"  --netns NAME           analyse inside the network namespace /run/netns/NAME\n"
	"  --all-namespaces       analyse every network namespace of the host, each on\n"
	"                         its own (root; never applies)\n"
	"  --format FORMAT        text (default), json, sysctl (the fragment only),\n"
	"                         prometheus (node_exporter textfile), nagios, k8s\n"
	"                         (a pod's securityContext.sysctls) or html (one\n"
	"                         self-contained page; fetches nothing)\n"
	"  --from-json FILE       read reports (JSON Lines, as --format json prints\n"
	"                         them) instead of analysing; with --format html\n"
	"  --output FILE          write the sysctl.d fragment (or, with prometheus, k8s\n"
	"                         or html, that document) to FILE atomically\n"
	"  --diff                 show a diff of FILE against the proposed fragment\n"
	"  --check                write nothing; exit 2 when changes at or above\n"
	"                         --fail-on are recommended\n"
	"  --fail-on LEVEL        info, warning (default) or critical: the findings that\n"
	"                         --check, --quiet and nagios count\n"
	"  --ignore RULE_ID       treat that finding as acknowledged (repeatable)\n"
	"  --acknowledged FILE    acknowledgements (default SITE/acknowledged.yaml)\n"
	"  --interval SECONDS     sample kernel counters over SECONDS to measure rates\n"
	"  --trace SECONDS        count connect()s per process and destination, and\n"
	"                         EADDRNOTAVAIL failures, with eBPF (root; 1..600)\n"
	"  --data-dir DIR         where the shipped rules/ and profiles/ are\n"
	"  --site-dir DIR         site rules.d/ and profiles.d/\n"
	"                         (default " TW_DEFAULT_SITE_DIR ")\n"
	"  --no-netlink           read /proc/net/tcp instead of the netlink socket dump\n"
	"  -q, --quiet            print only the findings at or above --fail-on\n"
	"  --color WHEN           auto (on a terminal unless NO_COLOR is set), always,\n"
	"                         never\n"
	"\nMonitoring (--format nagios):\n"
	"  -w, --warning PCT      utilization (percent of a tuple's ports) that warns\n"
	"  -c, --critical PCT     utilization that is critical (both replace the\n"
	"                         profile's thresholds)\n"
	"  -t, --timeout SECONDS  give up after SECONDS (UNKNOWN)\n"
	"\nLive view:\n"
	"  --watch [SECONDS]      refresh a full-screen view every SECONDS (default 2):\n"
	"                         verdict, busiest destinations, counters per second;\n"
	"                         keys q quit, s sort, f findings. Off a terminal: one\n"
	"                         line per refresh, until SIGINT or SIGTERM. With\n"
	"                         --all-namespaces: every namespace (key n: one)\n"
	"  --iterations N         stop --watch after N refreshes\n"
	"\nOther actions:\n"
	"  --apply                write the fragment and set the live values (root;\n"
	"                         all or nothing)\n"
	"  --revert               undo the last --apply for that fragment\n"
	"  --state-dir DIR        where --apply records what --revert restores\n"
	"                         (default /var/lib/twadvise, root-only)\n"
	"  --capture DIR          write a snapshot of this host (or of --netns) into DIR;\n"
	"                         with --all-namespaces, one folder per namespace\n"
	"  --list-profiles, --list-rules, --list-facts\n"
	"                         describe the advice (--format json for programs)\n"
	"  --explain RULE_ID      show a rule: when it fires, what it recommends, why\n"
	"  --validate [FILE...]   load and check rule and profile files\n"
	"  -h, --help             show this help\n"
	"  -V, --version          show the version, licence and copyright\n"
	"\nExit status: 0 fine; 1 error; 2 changes recommended (--check) or made (--apply,\n"
	"--revert). --format nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
	"See twadvise(8) for every option; twadvise-rules(5) and twadvise-profiles(5) for\n"
	"the data.\n";
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

/* "50", "50%" or "12.5": a percentage in [0, 100]. */
static int parse_percent(const char *s, double *ret)
{
	char *end;
	double d = strtod(s, &end);

	if (end == s || (*end && strcmp(end, "%") != 0) || !isfinite(d) || d < 0 || d > 100)
		return -EINVAL;
	*ret = d;
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
	o->warn_pct = -1;
	o->crit_pct = -1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hVqw:c:t:", longopts, NULL)) != -1) {
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
		case OPT_ALL_NAMESPACES:
			o->all_namespaces = true;
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
			else if (strcmp(optarg, "k8s") == 0)
				o->format = FORMAT_K8S;
			else if (strcmp(optarg, "html") == 0)
				o->format = FORMAT_HTML;
			else
				return fail(msg, len, "--format: unknown format '%s' (text, json, sysctl, prometheus, nagios, k8s, html)", optarg);
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
		case OPT_TRACE: {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (end == optarg || *end || v < 1 || v > 600)
				return fail(msg, len, "--trace: expected whole seconds in 1..600, not '%s'", optarg);
			o->trace = (unsigned)v;
			break;
		}
		case OPT_DATA_DIR:
			o->data_dir = optarg;
			break;
		case OPT_SITE_DIR:
			o->site_dir = optarg;
			break;
		case OPT_STATE_DIR:
			if (!*optarg)
				return fail(msg, len, "--state-dir: empty folder name");
			o->state_dir = optarg;
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
		case 'w':
		case 'c': {
			double *p = c == 'w' ? &o->warn_pct : &o->crit_pct;

			if (parse_percent(optarg, p) < 0)
				return fail(msg, len, "%s: expected a utilization in percent (0-100), not '%s'",
					    c == 'w' ? "--warning" : "--critical", optarg);
			break;
		}
		case 't': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (end == optarg || *end || optarg[0] == '-' || v < 1 || v > 3600)
				return fail(msg, len, "--timeout: expected seconds in [1, 3600], not '%s'", optarg);
			o->timeout = (unsigned)v;
			break;
		}
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0)
				o->color = COLOR_AUTO;
			else if (strcmp(optarg, "always") == 0)
				o->color = COLOR_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				o->color = COLOR_NEVER;
			else
				return fail(msg, len, "--color: expected auto, always or never, not '%s'", optarg);
			break;
		case OPT_WATCH: {
			char *end;
			double d = 2;

			/* "--watch 5" as well as "--watch=5": a number right after
			 * it is its argument. */
			if (!optarg && optind < argc && argv[optind][0] != '-') {
				(void)strtod(argv[optind], &end);
				if (end != argv[optind] && !*end)
					optarg = argv[optind++];
			}
			if (optarg) {
				d = strtod(optarg, &end);
				if (end == optarg || *end || !isfinite(d) || d < 0.1 || d > 3600)
					return fail(msg, len, "--watch: expected seconds in [0.1, 3600], not '%s'", optarg);
			}
			r = set_verb(o, VERB_WATCH, "--watch", msg, len);
			o->watch_s = d;
			break;
		}
		case OPT_ITERATIONS: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (end == optarg || *end || optarg[0] == '-' || v < 1 || v > 1000000)
				return fail(msg, len, "--iterations: expected a count in [1, 1000000], not '%s'", optarg);
			o->iterations = v;
			break;
		}
		case 'q':
		case OPT_QUIET:
			o->quiet = true;
			break;
		case OPT_FROM_JSON:
			if (!*optarg)
				return fail(msg, len, "--from-json: empty file name");
			o->from_json = optarg;
			break;
		case 'V':
		case OPT_VERSION:
			r = set_verb(o, VERB_VERSION, "--version", msg, len);
			break;
		case ':': {
			const char *a = argv[optind - 1];

			if (strncmp(a, "--", 2) == 0)
				return fail(msg, len, "option '%.*s' needs an argument", (int)strcspn(a, "="), a);
			return fail(msg, len, "option '-%c' needs an argument", optopt);
		}
		default: {
			const char *a = argv[optind - 1];

			if (strncmp(a, "--", 2) == 0 || !optopt)
				return fail(msg, len, "unknown option '%.*s'", (int)strcspn(a, "="), a);
			return fail(msg, len, "unknown option '-%c'", optopt);
		}
		}
		if (r < 0)
			return r;
	}
	for (int i = optind; i < argc; i++) {
		if (o->verb != VERB_VALIDATE)
			return fail(msg, len, "unexpected argument '%s'", argv[i]);
		push(&o->files, &o->nfiles, argv[i]);
	}
	if (o->warn_pct >= 0 && o->crit_pct >= 0 && o->warn_pct > o->crit_pct)
		return fail(msg, len, "--warning (%g) must not be above --critical (%g)", o->warn_pct, o->crit_pct);
	if (o->nsnapshots && o->netns)
		return fail(msg, len, "--snapshot and --netns cannot be combined");
	if (o->all_namespaces) {
		if (o->nsnapshots || o->netns)
			return fail(msg, len, "--all-namespaces analyses this host's namespaces; it cannot be "
				    "combined with %s", o->nsnapshots ? "--snapshot" : "--netns");
		if (o->verb != VERB_ANALYSE && o->verb != VERB_CAPTURE && o->verb != VERB_WATCH)
			return fail(msg, len, "--all-namespaces never applies or reverts: it only "
				    "analyses (or captures with --capture, or watches with --watch)");
		if (o->diff || (o->output && o->format != FORMAT_PROMETHEUS))
			return fail(msg, len, "--all-namespaces proposes no fragment to write or compare: "
				    "--output is only for --format prometheus");
		if (o->format == FORMAT_SYSCTL || o->format == FORMAT_NAGIOS)
			return fail(msg, len, "--all-namespaces prints text, json or prometheus");
		if (o->interval > 0 || o->trace > 0)
			return fail(msg, len, "%s samples one namespace; it cannot be used with "
				    "--all-namespaces", o->trace ? "--trace" : "--interval");
	}
	if (o->diff && !o->output)
		return fail(msg, len, "--diff needs --output FILE (the file to compare with)");
	if (o->diff && (o->format == FORMAT_K8S || o->format == FORMAT_HTML))
		return fail(msg, len, "--diff compares sysctl.d fragments; not with --format %s",
			    o->format == FORMAT_K8S ? "k8s" : "html");
	if (o->check && (o->verb == VERB_APPLY || o->verb == VERB_REVERT))
		return fail(msg, len, "--check is a dry run; it cannot be combined with --apply or --revert");
	if (o->nsnapshots && (o->verb == VERB_APPLY || o->verb == VERB_REVERT || o->verb == VERB_CAPTURE))
		return fail(msg, len, "--snapshot describes another host; it cannot be used with --apply, --revert or --capture");
	/* A namespace's values never go to the host's boot configuration. */
	if (o->netns && !o->output && (o->verb == VERB_APPLY || o->verb == VERB_REVERT))
		return fail(msg, len, "%s --netns needs --output FILE: a namespace's fragment never "
			    "defaults to the host's %s", o->verb == VERB_APPLY ? "--apply" : "--revert",
			    TW_DEFAULT_FRAGMENT);
	if (o->state_dir && o->verb != VERB_APPLY && o->verb != VERB_REVERT)
		return fail(msg, len, "--state-dir is only for --apply and --revert");
	if (o->nsnapshots > 1 && (o->output || o->diff))
		return fail(msg, len, "--output and --diff take one host; give a single --snapshot");
	if (o->iterations && o->verb != VERB_WATCH)
		return fail(msg, len, "--iterations is only for --watch");
	if (o->verb == VERB_WATCH) {
		if (o->nsnapshots)
			return fail(msg, len, "--watch follows this host live; it cannot be used with --snapshot");
		if (o->output || o->diff || o->check || o->interval > 0 || o->format != FORMAT_TEXT)
			return fail(msg, len, "--watch shows its own view and writes nothing; it cannot be "
				    "combined with --output, --diff, --check, --interval or --format");
	}
	if (o->interval > 0 && o->nsnapshots)
		return fail(msg, len, "--interval samples this host; it cannot be used with --snapshot");
	/* --from-json renders reports already made: nothing to analyse or write. */
	if (o->from_json && o->verb != VERB_ANALYSE)
		return fail(msg, len, "--from-json renders reports; it cannot be combined with another action");
	if (o->from_json && o->format != FORMAT_HTML)
		return fail(msg, len, "--from-json needs --format html");
	if (o->from_json && (o->nsnapshots || o->netns || o->output || o->diff || o->check || o->interval > 0))
		return fail(msg, len, "--from-json cannot be combined with --snapshot, --netns, --output, "
			    "--diff, --check or --interval");
	if (o->trace > 0 && o->nsnapshots)
		return fail(msg, len, "--trace watches this host live; it cannot be used with --snapshot");
	if (o->trace > 0 && o->verb != VERB_ANALYSE)
		return fail(msg, len, "--trace is for analysis; not with --apply, --revert, --capture "
			    "or the listing actions");
	return 0;
}

void options_free(struct tw_options *o)
{
	free(o->snapshots);
	free(o->ignores);
	free(o->files);
}
