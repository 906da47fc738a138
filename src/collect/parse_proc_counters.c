/* SPDX-License-Identifier: MIT */
/* parse_proc_counters.c: the /proc/net counter files.
 *
 * /proc/net/sockstat and sockstat6 are lines "LABEL: key N key N ..."
 * ("TCP: inuse 5 orphan 0 tw 27000 alloc 9 mem 3"); every line must have
 * that shape, and only the TCP:/TCP6: values are kept. /proc/net/netstat
 * and /proc/net/snmp are pairs of lines with the same "Prefix:", the
 * first naming the fields, the second giving their values; the pair of
 * the requested prefix is copied whole into a counter list. Values are
 * bounded to int64 (snmp's Tcp: MaxConn is -1). */
#include "collect/parsers.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collect/parse_text.h"
#include "util/parse_num.h"
#include "util/xalloc.h"
#include "util/macros.h"

#define SOCKSTAT_MAX_FIELDS 32
#define PAIRS_MAX_FIELDS 512
#define NAME_MAX_LEN 128

struct sockstat_key {
	const char *key;
	size_t offset;   /* of a struct tw_opt in struct tw_counters */
};

static const struct sockstat_key tcp_keys[] = {
	{ "inuse", offsetof(struct tw_counters, tcp_inuse) },
	{ "orphan", offsetof(struct tw_counters, tcp_orphan) },
	{ "tw", offsetof(struct tw_counters, tcp_tw) },
	{ "alloc", offsetof(struct tw_counters, tcp_alloc) },
	{ "mem", offsetof(struct tw_counters, tcp_mem_pages) },
};

static const struct sockstat_key tcp6_keys[] = {
	{ "inuse", offsetof(struct tw_counters, tcp6_inuse) },
};

static bool is_label(const struct text_field *f)
{
	if (f->n < 2 || f->s[f->n - 1] != ':')
		return false;
	for (size_t i = 0; i + 1 < f->n; i++) {
		char c = f->s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* Parses a sockstat file; 'label' ("TCP:") selects the line whose keys
 * listed in 'keys' are stored. */
static int parse_sockstat_file(const char *buf, size_t len, const char *name,
			       const char *label, const struct sockstat_key *keys,
			       size_t nkeys, struct tw_counters *out, struct tw_error *err)
{
	struct text_field f[SOCKSTAT_MAX_FIELDS];
	struct text_lines it;
	const char *line;
	bool found = false;
	size_t n;

	text_lines_init(&it, buf, len);
	while (text_lines_next(&it, &line, &n)) {
		size_t nf;
		bool mine;

		if (text_is_binary(line, n))
			return tw_error_set(err, -EINVAL, "%s:%u: binary data", name, it.lineno);
		nf = text_split(line, n, f, SOCKSTAT_MAX_FIELDS);
		if (nf == 0)
			continue;
		if (nf > SOCKSTAT_MAX_FIELDS)
			return tw_error_set(err, -EINVAL, "%s:%u: too many fields", name,
					    it.lineno);
		if (!is_label(&f[0]) || nf % 2 != 1)
			return tw_error_set(err, -EINVAL, "%s:%u: expected 'LABEL: key N ...'",
					    name, it.lineno);
		mine = text_field_is(&f[0], label);
		if (mine && found)
			return tw_error_set(err, -EINVAL, "%s:%u: second '%s' line", name,
					    it.lineno, label);
		found = found || mine;
		for (size_t i = 1; i < nf; i += 2) {
			uint64_t v;

			if (!text_field_is_word(&f[i], NAME_MAX_LEN))
				return tw_error_set(err, -EINVAL, "%s:%u: bad key '%.*s'", name,
						    it.lineno, (int)(f[i].n > 32 ? 32 : f[i].n),
						    f[i].s);
			if (tw_parse_u64n(f[i + 1].s, f[i + 1].n, 0, INT64_MAX, &v) < 0)
				return tw_error_set(err, -EINVAL,
						    "%s:%u: bad value for '%.*s': '%.*s'", name,
						    it.lineno, (int)f[i].n, f[i].s,
						    (int)(f[i + 1].n > 32 ? 32 : f[i + 1].n),
						    f[i + 1].s);
			if (!mine)
				continue;
			for (size_t k = 0; k < nkeys; k++) {
				if (text_field_is(&f[i], keys[k].key)) {
					struct tw_opt *o = (struct tw_opt *)((char *)out +
									     keys[k].offset);
					o->known = true;
					o->v = v;
				}
			}
		}
	}
	if (!found)
		return tw_error_set(err, -EINVAL, "%s: no '%s' line", name, label);
	return 0;
}

int parse_sockstat(const char *buf, size_t len, const char *name,
		   struct tw_counters *out, struct tw_error *err)
{
	return parse_sockstat_file(buf, len, name, "TCP:", tcp_keys,
				   ARRAY_SIZE(tcp_keys), out, err);
}

int parse_sockstat6(const char *buf, size_t len, const char *name,
		    struct tw_counters *out, struct tw_error *err)
{
	return parse_sockstat_file(buf, len, name, "TCP6:", tcp6_keys,
				   ARRAY_SIZE(tcp6_keys), out, err);
}

int parse_proc_net_pairs(const char *buf, size_t len, const char *name,
			 const char *prefix, struct tw_counter_list *out,
			 struct tw_error *err)
{
	struct text_field *hdr, *val;
	struct text_lines it;
	const char *line;
	unsigned hdr_line = 0;
	size_t n, nhdr = 0, plen = strlen(prefix);
	bool have_hdr = false, done = false;
	int r = 0;

	hdr = tw_xcalloc(PAIRS_MAX_FIELDS, sizeof(*hdr));
	val = tw_xcalloc(PAIRS_MAX_FIELDS, sizeof(*val));
	text_lines_init(&it, buf, len);
	while (text_lines_next(&it, &line, &n)) {
		struct text_field *f = have_hdr ? val : hdr;
		size_t nf;
		bool mine;

		if (text_is_binary(line, n)) {
			r = tw_error_set(err, -EINVAL, "%s:%u: binary data", name, it.lineno);
			goto out;
		}
		nf = text_split(line, n, f, PAIRS_MAX_FIELDS);
		if (nf == 0)
			continue;
		if (nf > PAIRS_MAX_FIELDS) {
			r = tw_error_set(err, -EINVAL, "%s:%u: too many fields", name, it.lineno);
			goto out;
		}
		if (!is_label(&f[0])) {
			r = tw_error_set(err, -EINVAL, "%s:%u: expected 'Prefix: ...'", name,
					 it.lineno);
			goto out;
		}
		mine = f[0].n == plen + 1 && memcmp(f[0].s, prefix, plen) == 0;
		if (!mine) {
			if (have_hdr) {
				r = tw_error_set(err, -EINVAL, "%s:%u: '%s:' values line missing",
						 name, it.lineno, prefix);
				goto out;
			}
			continue;
		}
		if (done) {
			r = tw_error_set(err, -EINVAL, "%s:%u: third '%s:' line", name,
					 it.lineno, prefix);
			goto out;
		}
		if (!have_hdr) {
			for (size_t i = 1; i < nf; i++) {
				if (!text_field_is_word(&f[i], NAME_MAX_LEN)) {
					r = tw_error_set(err, -EINVAL, "%s:%u: bad field name",
							 name, it.lineno);
					goto out;
				}
			}
			nhdr = nf;
			hdr_line = it.lineno;
			have_hdr = true;
			continue;
		}
		if (nf != nhdr) {
			r = tw_error_set(err, -EINVAL,
					 "%s:%u: %zu values for %zu names (line %u)", name,
					 it.lineno, nf - 1, nhdr - 1, hdr_line);
			goto out;
		}
		for (size_t i = 1; i < nf; i++) {
			char fname[NAME_MAX_LEN + 1];
			int64_t v;

			if (tw_parse_i64n(val[i].s, val[i].n, INT64_MIN, INT64_MAX, &v) < 0) {
				r = tw_error_set(err, -EINVAL, "%s:%u: bad value for '%.*s'",
						 name, it.lineno, (int)hdr[i].n, hdr[i].s);
				goto out;
			}
			memcpy(fname, hdr[i].s, hdr[i].n);
			fname[hdr[i].n] = '\0';
			counter_list_set(out, fname, v);
		}
		have_hdr = false;
		done = true;
	}
	if (have_hdr) {
		r = tw_error_set(err, -EINVAL, "%s:%u: '%s:' values line missing", name,
				 hdr_line, prefix);
		goto out;
	}
	if (!done) {
		r = tw_error_set(err, -EINVAL, "%s: no '%s:' lines", name, prefix);
		goto out;
	}
	out->known = true;
out:
	free(hdr);
	free(val);
	return r;
}
