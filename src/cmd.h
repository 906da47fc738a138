/* SPDX-License-Identifier: MIT */
/* cmd.h: one function per verb (src/cmd_*.c); each returns the process
 * exit status and prints its own messages. Only main() exits. */
#ifndef TW_CMD_H
#define TW_CMD_H

#include "collect/live.h"
#include "engine/acks.h"
#include "engine/engine.h"
#include "facts/facts.h"
#include "options.h"

int cmd_analyse(const struct tw_options *o);
/* --from-json FILE --format html (cmd_from_json.c; cmd_analyse calls it). */
int cmd_from_json(const struct tw_options *o);
int cmd_apply(const struct tw_options *o);
int cmd_revert(const struct tw_options *o);
int cmd_capture(const struct tw_options *o);
int cmd_list_profiles(const struct tw_options *o);
int cmd_list_rules(const struct tw_options *o);
int cmd_list_facts(const struct tw_options *o);
int cmd_explain(const struct tw_options *o);
int cmd_validate(const struct tw_options *o);
/* --all-namespaces (cmd_namespaces.c): the analysis, and --capture. */
int cmd_all_namespaces(const struct tw_options *o);
int cmd_capture_all_namespaces(const struct tw_options *o);
/* What the analysis does before its first host: -w/-c thresholds, the
 * --profile name checked, acknowledgements loaded (-1: error printed). */
int cli_prepare_analysis(const struct tw_options *o, struct tw_engine *e, struct tw_ack_list *acks);
/* --color resolved for stdout; the column text wraps at. */
bool cli_want_color(const struct tw_options *o);
size_t cli_text_width(void);
int cmd_watch(const struct tw_options *o);

/* Shared by the verbs (cmd_common.c). */

/* The folder holding rules/ and profiles/: --data-dir, else
 * $TWADVISE_DATA_DIR, else, when this binary runs from a build tree
 * (config.status beside it), the rules/ and profiles/ beside the binary
 * or one folder up (the source tree of an in-tree or build/ build), else
 * the installed one. */
const char *cli_data_dir(const struct tw_options *o);
/* Loads profiles and rules; on failure prints the error and returns -1. */
int cli_load_engine(const struct tw_options *o, struct tw_engine *e);
/* Enters --netns (when given): the one place where twadvise changes
 * namespace; verbs call it before reading anything live. Prints the
 * error; -1 on failure. */
int cli_enter_netns(const struct tw_options *o);
/* Reads the facts of one source: a snapshot folder (snapshot != NULL) or
 * the live host / --netns, plus its persisted sysctl.d configuration.
 * On failure prints the error and returns -1. */
int cli_collect(const struct tw_options *o, const char *snapshot, struct tw_facts *f);
/* The same, with the error left in 'err' instead of printed. */
int cli_collect_err(const struct tw_options *o, const char *snapshot, struct tw_facts *f,
		    struct tw_error *err);
/* Profile name to select: a --profile FILE is loaded by engine_load, so
 * its own name is returned. */
const char *cli_profile_spec(const struct tw_options *o, const struct tw_engine *e);
/* --ignore plus the acknowledgement file (--acknowledged, else
 * SITE/acknowledged.yaml when present). Prints the error; -1 on failure. */
int cli_load_acks(const struct tw_options *o, struct tw_ack_list *acks);
/* Collects one source (cli_collect), selects the profile and runs the
 * engine. On success both *f and *rep are filled (caller frees them with
 * facts_free and report_free); on failure the error is printed, nothing
 * is left to free, and -1 is returned. */
int cli_analyse_source(const struct tw_options *o, const struct tw_engine *e,
		       const struct tw_ack_list *acks, const char *snapshot,
		       const char *fragment_path, struct tw_facts *f, struct tw_report *rep);
/* The same, with the error left in 'err' instead of printed (fleet mode
 * reports it as that host's result). */
int cli_analyse_source_err(const struct tw_options *o, const struct tw_engine *e,
			   const struct tw_ack_list *acks, const char *snapshot,
			   const char *fragment_path, struct tw_facts *f, struct tw_report *rep,
			   struct tw_error *err);
/* --all-namespaces: the same for the live namespace the caller has
 * entered, called 'netns' in the report (NULL: the host's own, whose
 * report may propose host-wide keys); 'enter_cmd' (may be NULL) runs a
 * command in it. Namespace reports only propose per-namespace keys (the
 * allow-list). */
int cli_analyse_entered_err(const struct tw_options *o, const struct tw_engine *e,
			    const struct tw_ack_list *acks, const char *netns, const char *enter_cmd,
			    const char *fragment_path, struct tw_facts *f, struct tw_report *rep,
			    struct tw_error *err);
/* --explain RULE_ID --snapshot S (cmd_explain_eval.c): the rule's
 * condition evaluated on S, part by part. */
struct explain_step {
	int depth;             /* 0: the whole condition */
	const char *kind;      /* "and", "or", "not", "compare", "value" */
	char *text;            /* its source, white space squeezed */
	enum tw_type type;
	bool known, b;
	double num;
	char *shown;           /* the value as text ("unknown" when unknown) */
};
struct explain_eval {
	char *snapshot, *profile;
	bool applies, fired;
	enum tw_severity severity;   /* the finding's, when fired (critical_when may raise it) */
	struct explain_step *steps;
	size_t n, cap;
	/* The rule's critical_when, traced the same way (none without one). */
	struct explain_step *csteps;
	size_t cn, ccap;
	bool tracing_critical;       /* on_step appends to csteps */
};
/* Analyses 'snapshot' and traces rule 'r' there; -1 after printing the error. */
int explain_evaluate(const struct tw_options *o, const struct tw_engine *e,
		     const struct tw_rule *r, const char *snapshot, struct explain_eval *ev);
void explain_eval_free(struct explain_eval *ev);
void explain_eval_text(const struct explain_eval *ev, struct strbuf *sb);
struct json_writer;
/* The evaluation as one JSON object value. */
void explain_eval_json(const struct explain_eval *ev, struct json_writer *w);

/* Prints "twadvise: MESSAGE" on stderr, control characters escaped. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "Did you mean": the rule id or profile name closest to 'word', or NULL. */
const char *cli_suggest_rule(const struct tw_engine *e, const char *word);
const char *cli_suggest_profile(const struct tw_engine *e, const char *word);
/* The message of the last cli_error() call ("" when none). */
const char *cli_last_error(void);
/* Writes the whole buffer to stdout; -1 on a write error (reported). */
int cli_write_stdout(const char *s, size_t len);
struct strbuf;
/* cli_write_stdout() of a string buffer's text. */
int cli_write_sb(const struct strbuf *sb);

#endif
