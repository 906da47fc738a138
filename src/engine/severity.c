/* SPDX-License-Identifier: MIT */
/* severity.c: severity names and their parser (see severity.h). */
#include "engine/severity.h"
#include "util/macros.h"

#include <errno.h>
#include <string.h>

const char *severity_name(enum tw_severity s)
{
	switch (s) {
	case TW_SEV_INFO:
		return "info";
	case TW_SEV_WARNING:
		return "warning";
	case TW_SEV_CRITICAL:
		return "critical";
	}
	return "info";
}

int severity_parse(const char *s, enum tw_severity *ret)
{
	static const enum tw_severity all[] = { TW_SEV_INFO, TW_SEV_WARNING, TW_SEV_CRITICAL };

	if (!s || !ret)
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
		if (strcmp(s, severity_name(all[i])) == 0) {
			*ret = all[i];
			return 0;
		}
	}
	return -EINVAL;
}
