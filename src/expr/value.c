/* SPDX-License-Identifier: MIT */
/* value.c: values of the expression language: type names, clearing and
 * rendering as text (see expr.h). Numbers that are integral print without
 * a decimal point, others with up to 6 significant digits. */
#include "expr/expr.h"

#include <math.h>
#include <stdlib.h>

const char *tw_type_name(enum tw_type t)
{
	switch (t) {
	case TW_T_BOOL: return "bool";
	case TW_T_NUM: return "num";
	case TW_T_STR: return "str";
	case TW_T_VERSION: return "version";
	case TW_T_ANY: return "any";
	}
	return "?";
}

void tw_value_clear(struct tw_value *v)
{
	if (!v)
		return;
	free(v->str);
	v->str = NULL;
	v->known = false;
}

static void format_num(double x, struct strbuf *out)
{
	if (isnan(x)) {
		sb_append(out, "nan");
	} else if (isinf(x)) {
		sb_append(out, x < 0 ? "-inf" : "inf");
	} else if (x == floor(x) && fabs(x) < 1e15) {
		sb_appendf(out, "%.0f", x == 0 ? 0.0 : x);   /* no "-0" */
	} else {
		sb_appendf(out, "%.6g", x);
	}
}

void tw_value_format(const struct tw_value *v, struct strbuf *out)
{
	if (!v->known) {
		sb_append(out, "unknown");
		return;
	}
	switch (v->type) {
	case TW_T_BOOL:
		sb_append(out, v->b ? "true" : "false");
		return;
	case TW_T_NUM:
		format_num(v->num, out);
		return;
	case TW_T_STR:
		sb_append(out, v->str ? v->str : "");
		return;
	case TW_T_VERSION:
		if (!v->ver.known)
			sb_append(out, "unknown");
		else if (v->ver.release[0])
			sb_append(out, v->ver.release);
		else
			sb_appendf(out, "%u.%u.%u", v->ver.major, v->ver.minor, v->ver.patch);
		return;
	case TW_T_ANY:
		break;
	}
	sb_append(out, "unknown");
}
