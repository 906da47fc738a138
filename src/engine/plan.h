/* SPDX-License-Identifier: MIT */
/* plan.h: building the change plan (struct tw_plan, in report.h).
 *
 * Findings propose changes; the plan decides, once, which of them are
 * written, applied and counted:
 *   1. precedence: profile pins, then findings by severity and id; the
 *      first to name a key owns it; acknowledged findings own nothing;
 *   2. validity: the key exists on the analysed kernel (invariant 2), is
 *      on the allow-list, tcp_tw_recycle is only ever 0 (invariant 1), and
 *      the value is well formed for its key (a malformed computed value
 *      is refused with a note, never turned into a no-op line);
 *   3. interactions: a change whose rule `requires:` another change is
 *      withdrawn, with a note saying why, when none of those is planned
 *      (repeated until nothing more is withdrawn);
 *   4. a planned ip_local_port_range reserves every listening port inside
 *      it (invariant 3), or is withdrawn where the kernel cannot reserve.
 * Then each open finding's changes are exactly its plan items, so what a
 * person reads is what is written. */
#ifndef TW_ENGINE_PLAN_H
#define TW_ENGINE_PLAN_H

#include "engine/report.h"
#include "facts/facts.h"

/* Fills rep->plan from rep->findings (whose `acknowledged` flags are set)
 * and rewrites the open findings' change lists; adds notes to 'rep'. */
void plan_build(struct tw_report *rep, const struct tw_facts *f);

/* Whether 'value' is a well-formed value for 'key': one printable line;
 * "LOW HIGH" for ip_local_port_range; a port list for
 * ip_local_reserved_ports; one integer for every other key. */
bool plan_value_valid(const char *key, const char *value);

#endif
