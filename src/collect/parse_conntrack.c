/* SPDX-License-Identifier: MIT */
/* parse_conntrack.c: /proc/net/nf_conntrack, counted.
 *
 * Each line is one tracked flow, as net/netfilter/nf_conntrack_standalone.c
 * prints it: "L3NAME L3NUM L4NAME L4NUM [TIMEOUT] [STATE] key=value ...",
 * e.g. "ipv4 2 tcp 6 117 TIME_WAIT src=10.0.0.1 dst=... [ASSURED] ...".
 * TIMEOUT is missing for flows offloaded to hardware, and STATE is printed
 * only for TCP (and not when offloaded). Connection tracking keeps its own
 * TIME_WAIT entries, unrelated to the TCP stack's; they are counted here.
 * `conntrack -L` prints the same lines without the two L3 fields. Both
 * tuples are read for the SNAT port use (facts/nat.h). An empty file is a
 * valid, empty table. */
#include "collect/parsers.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "collect/parse_text.h"
#include "util/parse_num.h"

/* Fields looked at: the header and both tuples come first; accounting
 * (packets=, bytes=), [UNREPLIED] and the rest may follow. */
#define CT_FIELDS 32

/* Every entry names its original tuple: "src=" after the header fields. */
static bool has_src(const char *s, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i++)
		if (memcmp(s + i, "src=", 4) == 0 && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t'))
			return true;
	return false;
}

static bool field_is_digits(const struct text_field *f)
{
	if (f->n == 0)
		return false;
	for (size_t i = 0; i < f->n; i++)
		if (f->s[i] < '0' || f->s[i] > '9')
			return false;
	return true;
}

/* "key=value": the value when the field's key is 'key'. */
static bool kv(const struct text_field *f, const char *key, const char **ret, size_t *ret_n)
{
	size_t k = strlen(key);

	if (f->n <= k + 1 || memcmp(f->s, key, k) != 0 || f->s[k] != '=')
		return false;
	*ret = f->s + k + 1;
	*ret_n = f->n - k - 1;
	return true;
}

/* Reads "src= dst= sport= dport=" of both tuples from fields [i, nf):
 * the first src= opens the original tuple, the second the reply tuple.
 * Sets e->tuples_known when all eight were read; -EINVAL on a malformed
 * address or port. */
static int read_tuples(const struct text_field *f, size_t i, size_t nf, struct tw_ct_entry *e)
{
	unsigned seen[2] = { 0, 0 };
	int t = -1;

	for (; i < nf; i++) {
		const char *v;
		size_t vn;
		uint32_t port;

		if (kv(&f[i], "src", &v, &vn)) {
			if (++t > 1)
				break;
			if (text_parse_addr(v, vn, t ? &e->reply_src : &e->orig_src) < 0)
				return -EINVAL;
			seen[t] |= 1;
		} else if (t < 0) {
			continue;
		} else if (kv(&f[i], "dst", &v, &vn)) {
			if (text_parse_addr(v, vn, t ? &e->reply_dst : &e->orig_dst) < 0)
				return -EINVAL;
			seen[t] |= 2;
		} else if (kv(&f[i], "sport", &v, &vn)) {
			if (text_parse_u32(v, vn, 65535, &port) < 0)
				return -EINVAL;
			*(t ? &e->reply_sport : &e->orig_sport) = (uint16_t)port;
			seen[t] |= 4;
		} else if (kv(&f[i], "dport", &v, &vn)) {
			if (text_parse_u32(v, vn, 65535, &port) < 0)
				return -EINVAL;
			*(t ? &e->reply_dport : &e->orig_dport) = (uint16_t)port;
			seen[t] |= 8;
		}
	}
	e->tuples_known = seen[0] == 15 && seen[1] == 15;
	return 0;
}

int parse_nf_conntrack(const char *buf, size_t len, const char *name,
		       struct tw_conntrack *out, struct tw_error *err)
{
	struct text_field f[CT_FIELDS];
	struct text_lines it;
	struct tw_nat_agg *nat = nat_agg_new();
	const char *line;
	size_t n;
	int r = 0;

	out->entries = out->tcp_entries = out->tcp_time_wait = 0;
	memset(&out->nat, 0, sizeof(out->nat));
	text_lines_init(&it, buf, len);
	while (text_lines_next(&it, &line, &n)) {
		struct tw_ct_entry e = { 0 };
		uint64_t l3 = 0, l4, timeout;
		size_t nf, i, p;

		if (text_is_binary(line, n)) {
			r = tw_error_set(err, -EINVAL, "%s:%u: binary data", name, it.lineno);
			goto out;
		}
		nf = text_split(line, n, f, CT_FIELDS);
		if (nf == 0 || (n > 11 && memcmp(line, "conntrack v", 11) == 0))
			continue;   /* empty, or conntrack -L's summary line (stderr) */
		if (nf > CT_FIELDS)
			nf = CT_FIELDS;
		/* /proc/net/nf_conntrack: "ipv4 2 tcp 6 ..."; conntrack -L:
		 * "tcp 6 117 ...", where the third field is the timeout. */
		p = nf >= 3 && field_is_digits(&f[2]) ? 0 : 2;
		if (nf < 4 + p || !text_field_is_word(&f[p], 32) ||
		    (p && (!text_field_is_word(&f[0], 32) ||
			   tw_parse_u64n(f[1].s, f[1].n, 0, 65535, &l3) < 0)) ||
		    tw_parse_u64n(f[p + 1].s, f[p + 1].n, 0, 255, &l4) < 0) {
			r = tw_error_set(err, -EINVAL,
					 "%s:%u: expected 'L3 N L4 N [TIMEOUT] [STATE] key=value...' "
					 "(/proc/net/nf_conntrack) or 'L4 N TIMEOUT [STATE] key=value...' "
					 "(conntrack -L)", name, it.lineno);
			goto out;
		}
		(void)l3;
		if (!has_src(line, n)) {
			r = tw_error_set(err, -EINVAL, "%s:%u: truncated entry (no src=)", name,
					 it.lineno);
			goto out;
		}
		i = p + 2;
		if (i < nf && f[i].n > 0 && f[i].s[0] >= '0' && f[i].s[0] <= '9') {
			if (tw_parse_u64n(f[i].s, f[i].n, 0, UINT32_MAX, &timeout) < 0) {
				r = tw_error_set(err, -EINVAL, "%s:%u: bad timeout", name, it.lineno);
				goto out;
			}
			i++;
		}
		out->entries++;
		if (l4 != 6)
			continue;
		out->tcp_entries++;
		if (i < nf && memchr(f[i].s, '=', f[i].n) == NULL) {
			if (!text_field_is_word(&f[i], 32)) {
				r = tw_error_set(err, -EINVAL, "%s:%u: bad TCP state", name, it.lineno);
				goto out;
			}
			if (text_field_is(&f[i], "TIME_WAIT")) {
				out->tcp_time_wait++;
				e.time_wait = true;
			}
		}
		if (read_tuples(f, i, nf, &e) < 0) {
			r = tw_error_set(err, -EINVAL, "%s:%u: bad address or port in a tuple", name,
					 it.lineno);
			goto out;
		}
		e.l4proto = 6;
		nat_agg_add(nat, &e);
	}
	out->table_known = true;
	nat_agg_finish(nat, &out->nat);
	nat = NULL;
out:
	nat_agg_free(nat);
	return r;
}
