/* SPDX-License-Identifier: MIT */
/* options.h: the command line (twadvise(8), OPTIONS), parsed into
 * one struct that every verb reads. No globals. */
#ifndef TW_OPTIONS_H
#define TW_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/severity.h"

enum tw_verb {
	VERB_ANALYSE,
	VERB_APPLY,
	VERB_REVERT,
	VERB_CAPTURE,
	VERB_LIST_PROFILES,
	VERB_LIST_RULES,
	VERB_LIST_FACTS,
	VERB_EXPLAIN,
	VERB_VALIDATE,
	VERB_HELP,
	VERB_VERSION,
	VERB_WATCH,
};

enum tw_format {
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_SYSCTL,
	FORMAT_PROMETHEUS,
	FORMAT_NAGIOS,
	FORMAT_K8S,
	FORMAT_HTML,       /* one self-contained page (render/html.h) */
};

#define TW_DEFAULT_FRAGMENT "/etc/sysctl.d/60-twadvise.conf"
/* The site folder: $(sysconfdir)/twadvise, set by the build. */
#ifndef TW_SITE_DIR
#define TW_SITE_DIR "/etc/twadvise"
#endif
#define TW_DEFAULT_SITE_DIR TW_SITE_DIR
/* Where --apply records what --revert restores (root-only, 0700). */
#ifndef TW_DEFAULT_STATE_DIR
#define TW_DEFAULT_STATE_DIR "/var/lib/twadvise"
#endif

enum tw_color {
	COLOR_AUTO,     /* on a terminal, unless NO_COLOR is set and non-empty or TERM=dumb */
	COLOR_ALWAYS,
	COLOR_NEVER,
};

struct tw_options {
	enum tw_verb verb;
	const char *profile;          /* "auto" by default */
	const char **snapshots;       /* --snapshot, repeatable */
	size_t nsnapshots;
	const char *netns;
	bool all_namespaces;          /* --all-namespaces: every network namespace (root) */
	enum tw_format format;
	const char *output;
	bool check;
	enum tw_severity fail_on;
	bool diff;
	double interval;
	unsigned trace;               /* --trace SECONDS (eBPF); 0: no trace */
	const char *data_dir;         /* NULL: find it */
	const char *site_dir;         /* /etc/twadvise unless --site-dir */
	const char *state_dir;        /* --state-dir, or NULL: TW_DEFAULT_STATE_DIR */
	const char *capture_dir;
	const char *explain_id;
	const char **ignores;         /* --ignore, repeatable */
	size_t nignores;
	const char *acks_file;        /* --acknowledged FILE (default SITE/acknowledged.yaml) */
	const char **files;           /* --validate FILE... */
	size_t nfiles;
	bool force_proc;              /* --no-netlink: read /proc/net/tcp (for tests and old kernels) */
	double warn_pct, crit_pct;    /* -w/-c: utilization levels in percent; < 0: not given */
	unsigned timeout;             /* -t SECONDS: give up (UNKNOWN for nagios); 0: none */
	enum tw_color color;          /* --color */
	bool quiet;                   /* --quiet: only findings at or above --fail-on */
	const char *from_json;        /* --from-json FILE: reports (JSON Lines) instead of an analysis */
	double watch_s;               /* --watch [SECONDS]: refresh period (default 2) */
	unsigned long iterations;     /* --iterations N: --watch stops after N refreshes; 0: never */
	bool netns_entered;           /* set by a verb that entered --netns once (cmd_watch.c) */
};

/* Parses argv. 0, or -EINVAL with a message for the user in 'msg'. The
 * struct points into argv; free its arrays with options_free(). */
int options_parse(int argc, char **argv, struct tw_options *o, char *msg, size_t msglen);
void options_free(struct tw_options *o);
const char *options_usage(void);
/* What each option does, for --help (after options_usage()). */
const char *options_help(void);

#endif
