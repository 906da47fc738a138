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
int cmd_apply(const struct tw_options *o);
int cmd_revert(const struct tw_options *o);
int cmd_capture(const struct tw_options *o);
int cmd_list_profiles(const struct tw_options *o);
int cmd_list_rules(const struct tw_options *o);
int cmd_list_facts(const struct tw_options *o);
int cmd_explain(const struct tw_options *o);
int cmd_validate(const struct tw_options *o);
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
/* Prints "twadvise: MESSAGE" on stderr, control characters escaped. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "Did you mean": the rule id or profile name closest to 'word', or NULL. */
const char *cli_suggest_rule(const struct tw_engine *e, const char *word);
const char *cli_suggest_profile(const struct tw_engine *e, const char *word);
/* The message of the last cli_error() call ("" when none). */
const char *cli_last_error(void);
/* Writes the whole buffer to stdout; -1 on a write error (reported). */
int cli_write_stdout(const char *s, size_t len);

#endif
