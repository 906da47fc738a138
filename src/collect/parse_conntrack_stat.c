/* SPDX-License-Identifier: MIT */
/* parse_conntrack_stat.c: conntrack's per-CPU statistics, summed.
 *
 * Two spellings of the same counters are accepted:
 *   /proc/net/stat/nf_conntrack  a header of column names, then one row of
 *                                hex numbers per CPU (the columns vary by
 *                                kernel, so they are found by name);
 *   conntrack -S                 one "cpu=N key=value ..." line per CPU,
 *                                decimal.
 * insert_failed counts entries that could not be inserted (among them a
 * NAT that found no unique tuple); drop the packets dropped for it. */
#include "collect/parsers.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "collect/parse_text.h"
#include "util/parse_num.h"

#define STAT_FIELDS 48

static int hex_u64(const struct text_field *f, uint64_t *ret)
{
	uint64_t v = 0;

	if (f->n == 0 || f->n > 16)
		return -EINVAL;
	for (size_t i = 0; i < f->n; i++) {
		char c = f->s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -EINVAL;
		v = v * 16 + d;
	}
	*ret = v;
	return 0;
}

static void add_sat(uint64_t *acc, uint64_t v)
{
	*acc = *acc + v < *acc ? UINT64_MAX : *acc + v;
}

/* One "key=value" line of conntrack -S. */
static int parse_dash_s(const struct text_field *f, size_t nf, struct tw_ct_stats *out)
{
	for (size_t i = 0; i < nf; i++) {
		const char *eq = memchr(f[i].s, '=', f[i].n);
		size_t kn, vn;
		uint64_t v;

		if (!eq)
			return -EINVAL;
		kn = (size_t)(eq - f[i].s);
		vn = f[i].n - kn - 1;
		if (tw_parse_u64n(eq + 1, vn, 0, UINT64_MAX, &v) < 0)
			return -EINVAL;
		if (kn == 13 && memcmp(f[i].s, "insert_failed", 13) == 0)
			add_sat(&out->insert_failed, v);
		else if (kn == 4 && memcmp(f[i].s, "drop", 4) == 0)
			add_sat(&out->drop, v);
		else if (kn == 10 && memcmp(f[i].s, "early_drop", 10) == 0)
			add_sat(&out->early_drop, v);
	}
	out->cpus++;
	return 0;
}

int parse_conntrack_stat(const char *buf, size_t len, const char *name,
			 struct tw_ct_stats *out, struct tw_error *err)
{
	struct text_field f[STAT_FIELDS];
	struct text_lines it;
	const char *line;
	size_t n;
	/* Column of each counter in the /proc layout; SIZE_MAX: absent. */
	size_t c_if = SIZE_MAX, c_drop = SIZE_MAX, c_early = SIZE_MAX, ncols = 0;
	bool header = false, dash_s = false;

	memset(out, 0, sizeof(*out));
	text_lines_init(&it, buf, len);
	while (text_lines_next(&it, &line, &n)) {
		size_t nf;

		if (text_is_binary(line, n))
			return tw_error_set(err, -EINVAL, "%s:%u: binary data", name, it.lineno);
		nf = text_split(line, n, f, STAT_FIELDS);
		if (nf == 0)
			continue;
		if (nf > STAT_FIELDS)
			return tw_error_set(err, -EINVAL, "%s:%u: too many columns", name, it.lineno);
		if (!header && !dash_s && f[0].n > 4 && memcmp(f[0].s, "cpu=", 4) == 0)
			dash_s = true;
		if (dash_s) {
			if (parse_dash_s(f, nf, out) < 0)
				return tw_error_set(err, -EINVAL, "%s:%u: expected 'cpu=N key=value ...' "
						    "(conntrack -S)", name, it.lineno);
			continue;
		}
		if (!header) {
			for (size_t i = 0; i < nf; i++) {
				if (!text_field_is_word(&f[i], 32))
					return tw_error_set(err, -EINVAL, "%s:%u: expected a header "
							    "of column names", name, it.lineno);
				if (text_field_is(&f[i], "insert_failed"))
					c_if = i;
				else if (text_field_is(&f[i], "drop"))
					c_drop = i;
				else if (text_field_is(&f[i], "early_drop"))
					c_early = i;
			}
			if (c_if == SIZE_MAX || c_drop == SIZE_MAX)
				return tw_error_set(err, -EINVAL, "%s:%u: no insert_failed and drop "
						    "columns", name, it.lineno);
			ncols = nf;
			header = true;
			continue;
		}
		if (nf != ncols)
			return tw_error_set(err, -EINVAL, "%s:%u: %zu columns, the header has %zu",
					    name, it.lineno, nf, ncols);
		for (size_t i = 0; i < nf; i++) {
			uint64_t v;

			if (hex_u64(&f[i], &v) < 0)
				return tw_error_set(err, -EINVAL, "%s:%u: column %zu is not hex",
						    name, it.lineno, i + 1);
			if (i == c_if)
				add_sat(&out->insert_failed, v);
			else if (i == c_drop)
				add_sat(&out->drop, v);
			else if (i == c_early)
				add_sat(&out->early_drop, v);
		}
		out->cpus++;
	}
	if (out->cpus == 0)
		return tw_error_set(err, -EINVAL, "%s: no per-CPU rows", name);
	out->known = true;
	return 0;
}
