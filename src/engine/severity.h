/* SPDX-License-Identifier: MIT */
/* severity.h: how serious a finding is, as the contract spells it.
 *
 * Its own header so that option parsing (--fail-on) needs nothing else of
 * the engine. */
#ifndef TW_ENGINE_SEVERITY_H
#define TW_ENGINE_SEVERITY_H

enum tw_severity {
	TW_SEV_INFO = 0,
	TW_SEV_WARNING = 1,
	TW_SEV_CRITICAL = 2,
};

const char *severity_name(enum tw_severity s);           /* "info", "warning", "critical" */
int severity_parse(const char *s, enum tw_severity *ret); /* 0 or -EINVAL */

#endif
