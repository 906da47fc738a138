/* SPDX-License-Identifier: MIT */
/* parse_conntrack.c: /proc/net/nf_conntrack, counted.
 *
 * Each line is one tracked flow, as net/netfilter/nf_conntrack_standalone.c
 * prints it: "L3NAME L3NUM L4NAME L4NUM [TIMEOUT] [STATE] key=value ...",
 * e.g. "ipv4 2 tcp 6 117 TIME_WAIT src=10.0.0.1 dst=... [ASSURED] ...".
 * TIMEOUT is missing for flows offloaded to hardware, and STATE is printed
 * only for TCP (and not when offloaded). Connection tracking keeps its own
 * TIME_WAIT entries, unrelated to the TCP stack's; they are counted here.
 * An empty file is a valid, empty table. */
#include "collect/parsers.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "collect/parse_text.h"
#include "util/parse_num.h"

#define CT_FIELDS 8

/* Every entry names its original tuple: "src=" after the header fields. */
static bool has_src(const char *s, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i++)
		if (memcmp(s + i, "src=", 4) == 0 && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t'))
			return true;
	return false;
}

int parse_nf_conntrack(const char *buf, size_t len, const char *name,
		       struct tw_conntrack *out, struct tw_error *err)
{
	struct text_field f[CT_FIELDS];
	struct text_lines it;
	const char *line;
	size_t n;

	out->entries = out->tcp_entries = out->tcp_time_wait = 0;
	text_lines_init(&it, buf, len);
	while (text_lines_next(&it, &line, &n)) {
		uint64_t l3, l4, timeout;
		size_t nf, i;

		if (text_is_binary(line, n))
			return tw_error_set(err, -EINVAL, "%s:%u: binary data", name, it.lineno);
		nf = text_split(line, n, f, CT_FIELDS);
		if (nf == 0)
			continue;
		if (nf < 6 || !text_field_is_word(&f[0], 32) || !text_field_is_word(&f[2], 32) ||
		    tw_parse_u64n(f[1].s, f[1].n, 0, 65535, &l3) < 0 ||
		    tw_parse_u64n(f[3].s, f[3].n, 0, 255, &l4) < 0)
			return tw_error_set(err, -EINVAL,
					    "%s:%u: expected 'L3 N L4 N [TIMEOUT] [STATE] key=value...'",
					    name, it.lineno);
		if (!has_src(line, n))
			return tw_error_set(err, -EINVAL, "%s:%u: truncated entry (no src=)", name,
					    it.lineno);
		i = 4;
		if (f[i].n > 0 && f[i].s[0] >= '0' && f[i].s[0] <= '9') {
			if (tw_parse_u64n(f[i].s, f[i].n, 0, UINT32_MAX, &timeout) < 0)
				return tw_error_set(err, -EINVAL, "%s:%u: bad timeout", name,
						    it.lineno);
			i++;
		}
		out->entries++;
		if (l4 != 6)
			continue;
		out->tcp_entries++;
		if (i < nf && i < CT_FIELDS && memchr(f[i].s, '=', f[i].n) == NULL) {
			if (!text_field_is_word(&f[i], 32))
				return tw_error_set(err, -EINVAL, "%s:%u: bad TCP state", name,
						    it.lineno);
			if (text_field_is(&f[i], "TIME_WAIT"))
				out->tcp_time_wait++;
		}
	}
	out->table_known = true;
	return 0;
}
