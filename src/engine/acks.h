/* SPDX-License-Identifier: MIT */
/* acks.h: acknowledged findings, from --ignore and a site file.
 *
 * The site file (default /etc/twadvise/acknowledged.yaml) lists findings an
 * operator has looked at and accepted, each with a reason and an optional
 * expiry date; they are still reported, marked "acknowledged", but never
 * counted by --check. An expired entry no longer applies:
 *
 *   acknowledged:
 *     - id: tw-reuse-port-starved
 *       reason: the pool is being fixed in JIRA-123
 *       expires: 2027-01-31
 */
#ifndef TW_ENGINE_ACKS_H
#define TW_ENGINE_ACKS_H

#include <stddef.h>
#include <time.h>

#include "engine/engine.h"
#include "util/error.h"

struct tw_ack_list {
	struct tw_ack *v;       /* strings owned by the list */
	size_t n;
	char **expired;         /* ids whose entries expired (for a note) */
	size_t nexpired;
};

/* Adds the entries of 'path' that have not expired at 'now'. A missing
 * file is fine when 'required' is false. Errors are FILE:LINE:COL. */
int acks_load(struct tw_ack_list *l, const char *path, bool required, time_t now,
	      struct tw_error *err);
/* Adds one id with no reason (--ignore). */
void acks_add(struct tw_ack_list *l, const char *id, const char *reason);
void acks_free(struct tw_ack_list *l);

#endif
